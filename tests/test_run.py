"""`chodon run`: the whole run, incremental skips, failures, parameter checks, kill-safety, offline HTML."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from conftest import CHODON, ROOT

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def run(*args: str, cwd: Path = ROOT, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([*CHODON, "run", *args], capture_output=True, text=True, cwd=cwd, **kw)


@pytest.fixture(scope="module")
def full_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("run")
    args = ["--year", "2024", "--raw", str(ROOT / "data" / "raw"), "--processed", str(base / "processed"),
            "--reports", str(base / "reports")]
    first = run(*args)
    return base, args, first


def test_whole_run_writes_reports_and_tables(full_run):
    base, _args, first = full_run
    assert first.returncode == 0, first.stderr[-3000:]
    out = base / "reports" / "2024"
    for name in ("attainment", "forest_cover", "grain_per_capita"):
        assert (out / f"{name}.ipynb").stat().st_size > 0
        assert (out / f"{name}.html").stat().st_size > 0
    index = (out / "index.html").read_text(encoding="utf-8")
    for name in ("attainment", "forest_cover", "grain_per_capita"):
        assert f'href="{name}.html"' in index
    assert "explore" not in index  # no parameters cell: an exploration notebook, not a report
    for name in ("indicators.csv", "indicators.parquet", "issues.csv", "attainment_summary.csv", "forest_cover.csv",
                 "grain_per_capita.csv"):
        assert (base / "processed" / name).exists(), name
    log = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert {s["name"] for s in log["steps"]} >= {"clean", "derived", "notebook:attainment"}
    assert all(s["seconds"] >= 0 for s in log["steps"])


def test_code_is_hidden_and_no_network_address_in_the_html(full_run):
    base, *_ = full_run
    page = (base / "reports" / "2024" / "attainment.html").read_text(encoding="utf-8")
    assert "from chodon_analysis import" not in page
    import re

    assert not re.search(r'<(script|link)[^>]*(src|href)="https?://', page)
    assert "Plotly.newPlot" in page and page.count("plotly.js v") >= 1  # plotly.js embedded, not fetched


def test_second_run_does_no_work(full_run):
    base, args, _ = full_run
    html = base / "reports" / "2024" / "attainment.html"
    before = html.stat().st_mtime_ns
    t = time.perf_counter()
    again = run(*args)
    assert again.returncode == 0
    assert "nothing changed" in again.stderr
    assert html.stat().st_mtime_ns == before
    assert time.perf_counter() - t < 10


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (.ci/run installs it)")
@pytest.mark.parametrize(("name", "charts"), [("attainment", 4), ("forest_cover", 3), ("grain_per_capita", 2)])
def test_reports_draw_their_charts_offline_in_chromium(full_run, tmp_path, name, charts):
    base, *_ = full_run
    page = base / "reports" / "2024" / f"{name}.html"
    p = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        f"--user-data-dir={tmp_path / 'profile'}", "--proxy-server=http://127.0.0.1:9",
                        "--proxy-bypass-list=<-loopback>", "--virtual-time-budget=20000", "--dump-dom", page.as_uri()],
                       capture_output=True, text=True, timeout=120)
    drawn = p.stdout.count("js-plotly-plot")
    assert drawn >= charts, (drawn, p.stderr[-1000:])
    assert p.stdout.count('class="main-svg"') >= charts


# ---- small notebooks for failure, parameters and kill-safety --------------------------------------
def _notebook(path: Path, body: str, params: str = "year = 2024\nprocessed_dir = 'x'\nraw_dir = 'y'\npause = 0.0") -> Path:
    nb = nbformat.v4.new_notebook()
    p = nbformat.v4.new_code_cell(params)
    p.metadata["tags"] = ["parameters"]
    nb.cells = [nbformat.v4.new_markdown_cell("# test"), p, nbformat.v4.new_code_cell(body)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


@pytest.fixture
def small_project(tmp_path):
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    _notebook(nbs / "good.ipynb", "import time\ntime.sleep(pause)\nprint('ok', year)")
    args = ["--year", "2024", "--raw", str(ROOT / "data" / "raw"), "--processed", str(tmp_path / "processed"),
            "--reports", str(tmp_path / "reports"), "--notebooks", str(nbs)]
    return tmp_path, nbs, args


def test_a_failing_notebook_is_named_and_the_others_still_run(small_project):
    tmp, nbs, args = small_project
    _notebook(nbs / "broken.ipynb", "1 / 0")
    p = run(*args)
    assert p.returncode == 1
    errors = [line for line in p.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "broken.ipynb" in errors[0] and "cell 3" in errors[0] and "ZeroDivisionError" in errors[0]
    assert "Traceback" not in p.stderr
    out = tmp / "reports" / "2024"
    assert (out / "good.html").exists() and (out / "broken.failed.ipynb").exists()
    assert not (out / "broken.html").exists()


def test_unknown_parameter_and_wrong_type_are_refused(small_project):
    _tmp, _nbs, args = small_project
    p = run(*args, "--param", "yera=2023")
    assert p.returncode == 1 and "good.ipynb" in p.stderr and "unknown parameter 'yera'" in p.stderr
    q = run(*args, "--param", "pause='slow'")
    assert q.returncode == 1 and "parameter 'pause' should be float" in q.stderr


def test_a_changed_notebook_is_redone(small_project):
    tmp, nbs, args = small_project
    assert run(*args).returncode == 0
    html = tmp / "reports" / "2024" / "good.html"
    first = html.read_text(encoding="utf-8")
    _notebook(nbs / "good.ipynb", "print('changed', year)")
    assert run(*args).returncode == 0
    assert html.read_text(encoding="utf-8") != first and "changed" in html.read_text(encoding="utf-8")


def test_kill_during_a_run_leaves_the_previous_reports_intact(small_project):
    tmp, _nbs, args = small_project
    assert run(*args).returncode == 0
    html = tmp / "reports" / "2024" / "good.html"
    before = html.read_bytes()
    proc = subprocess.Popen([*CHODON, "run", *args, "--force", "--param", "pause=60.0"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    time.sleep(6)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert html.read_bytes() == before
    assert run(*args).returncode == 0  # the lock went away with the killed process


def test_two_runs_at_once_do_not_interleave(small_project):
    tmp, _nbs, args = small_project
    slow = subprocess.Popen([*CHODON, "run", *args, "--force", "--param", "pause=8.0"], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(3)
    second = run(*args, "--force")
    slow_out = slow.communicate(timeout=120)
    assert second.returncode == 1 and "another `chodon run`" in second.stderr
    assert slow.returncode == 0, slow_out[1][-2000:]
    assert "ok 2024" in (tmp / "reports" / "2024" / "good.html").read_text(encoding="utf-8")


def test_notebooks_run_in_the_projects_interpreter(small_project):
    tmp, nbs, args = small_project
    _notebook(nbs / "good.ipynb", "import sys\nprint('exe=' + sys.executable)")
    assert run(*args).returncode == 0
    nb = json.loads((tmp / "reports" / "2024" / "good.ipynb").read_text(encoding="utf-8"))
    printed = "".join("".join(o.get("text", "")) for c in nb["cells"] for o in c.get("outputs", []))
    exe = printed.split("exe=")[1].strip()
    assert Path(exe).resolve() == Path(sys.executable).resolve()


def test_a_changed_workbook_redoes_the_reports(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(ROOT / "data" / "raw", raw)
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    _notebook(nbs / "count.ipynb", "import pandas as pd\nprint('rows', len(pd.read_parquet(processed_dir + '/indicators.parquet')))")
    args = ["--year", "2024", "--raw", str(raw), "--processed", str(tmp_path / "p"), "--reports", str(tmp_path / "r"),
            "--notebooks", str(nbs)]
    assert run(*args).returncode == 0
    assert "nothing changed" in run(*args).stderr
    (raw / "chi-tieu-2023.ods").unlink()
    again = run(*args)
    assert again.returncode == 0 and "nothing changed" not in again.stderr
    html = (tmp_path / "r" / "2024" / "count.html").read_text(encoding="utf-8")
    assert "rows 106" in html  # 123 rows less the 17 of the 2023 workbook
