"""`chodon run`: the whole run, incremental skips, failures, parameter checks, kill-safety, offline HTML."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import CHODON, ENV, REPORTS, ROOT, chodon


def test_whole_run_writes_reports_and_tables(full_run):
    import nbformat  # here, not at collection: its import is a second the background work would wait for

    base, _args, first = full_run
    assert first.returncode == 0, first.stderr[-3000:]
    out = base / "reports" / "2024"
    for name in REPORTS:  # every code cell executed, in order, and the page titled as the report
        cells = [c for c in nbformat.read(out / f"{name}.ipynb", as_version=4).cells if c.cell_type == "code"]
        assert [c.execution_count for c in cells] == list(range(1, len(cells) + 1)), name
        assert "<title>" in (page := (out / f"{name}.html").read_text(encoding="utf-8")) and "Chợ Đồn, 2024" in page
    index = (out / "index.html").read_text(encoding="utf-8")
    for name in REPORTS:
        assert f'href="{name}.html"' in index
    assert "explore" not in index  # no parameters cell: an exploration notebook, not a report
    for name in ("indicators.csv", "indicators.parquet", "issues.csv", "attainment_summary.csv", "forest_cover.csv",
                 "grain_per_capita.csv"):
        assert (base / "processed" / name).exists(), name


def test_run_json_records_what_the_next_run_compares(full_run):
    """run.json of a first run: every step done, with the fingerprint the skip rule compares (the notebook's key made
    from the derived tables' key, the notebook, its parameters and the HTML option), and times that add up."""
    from chodon_analysis.runner.config import RunConfig
    from chodon_analysis.runner.jobs import check_notebooks, notebook_key
    from chodon_analysis.runner.params import report_notebooks
    from chodon_analysis.runner.stamps import code_fingerprint

    base, *_ = full_run
    log = json.loads((base / "reports" / "2024" / "run.json").read_text(encoding="utf-8"))
    assert log["year"] == 2024 and log["failed"] is False and log["code"] == code_fingerprint()
    steps = {s["name"]: s for s in log["steps"]}
    assert set(steps) == {"clean", "derived", "workbook"} | {f"notebook:{n}" for n in REPORTS}
    assert {s["status"] for s in steps.values()} == {"done"}
    assert steps["clean"]["detail"].endswith(" 0 failed") and (base / "processed" / ".clean-key").read_text() == \
        steps["clean"]["key"]
    cfg = RunConfig(2024, raw=ROOT / "data" / "raw", processed=base / "processed", reports=base / "reports",
                    external=ROOT / "data" / "external").resolved()
    for r in check_notebooks(report_notebooks(cfg.notebooks), cfg):
        key = notebook_key(steps["derived"]["key"], r.notebook, r.params, False)
        assert steps[f"notebook:{r.notebook.name}"]["key"] == key, r.notebook.name
    assert all(0 < s["seconds"] <= log["seconds"] for s in steps.values())  # each step timed, within the run


def test_the_runs_summary_table_is_the_analysis_of_the_cleaned_table(full_run, bundled):
    base, *_ = full_run
    import pandas as pd

    written = pd.read_csv(base / "processed" / "attainment_summary.csv", encoding="utf-8-sig")
    assert list(written.columns) == ["year", "status", "computed", "reported"]
    from chodon_analysis.analysis import attainment

    district = bundled.indicators[bundled.indicators.area_level == "district"]
    expected = attainment.summary(district[district.year <= 2024])
    pd.testing.assert_frame_equal(written[written.year <= 2024].reset_index(drop=True),
                                  expected.astype({"year": "int64"}), check_dtype=False)
    assert written.loc[(written.year == 2024), "computed"].sum() == 42
    # 2025: the district's targets against its six communes' sample figures (PROVENANCE.md), and with the two communes
    # it shares, judged by hand: grain 28,420 t > 28,320; 478 ha > 470; 3 cooperatives > 2 (exceeded at the lower
    # bound); 551 kg over 500 in both scopes (met); cover 80.8% / 79.8% against `duy trì 80,5%`, OCOP 3 / 5 against
    # 3, party admissions 144 / 204 against 150 (the scopes disagree: not judged); 6 without a commune figure
    counts = written[written.year == 2025].set_index("status")["computed"].to_dict()
    assert counts == {"exceeded": 3, "met": 1, "not_met": 0, "not_evaluated": 9}


def _outputs(path: Path) -> list[dict]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return [o for c in nb["cells"] for o in c.get("outputs", [])]


@pytest.mark.parametrize(("name", "charts", "words"), [
    ("attainment", 3, ["**Chợ Đồn, năm 2024**", "baobackan.vn/hoi-nghi-ban-chap-hanh"]),  # published counts beside ours
    ("forest_cover", 3, ["**Tỷ lệ che phủ rừng** (mục tiêu 80,5% năm 2025)", "PROVENANCE.md"]),
    ("grain_per_capita", 2, ["Lương thực bình quân đầu người", "28.320 tấn"]),
])
def test_each_report_notebook_ran_without_error_and_drew_its_charts(full_run, name, charts, words):
    base, *_ = full_run
    path = base / "reports" / "2024" / f"{name}.ipynb"
    outputs = _outputs(path)
    assert not [o for o in outputs if o["output_type"] == "error"]
    drawn = [o for o in outputs if "application/vnd.plotly.v1+json" in o.get("data", {})]
    assert len(drawn) >= charts and all("text/html" in o["data"] for o in drawn)
    text = path.read_text(encoding="utf-8")
    for w in words:
        assert w in text, w


def test_code_is_hidden_and_no_network_address_in_the_html(full_run):
    base, *_ = full_run
    import re

    for name in REPORTS:
        page = (base / "reports" / "2024" / f"{name}.html").read_text(encoding="utf-8")
        assert "from chodon_analysis" not in page
        assert not re.search(r'<(script|link)[^>]*(src|href)="https?://', page)
        assert "Plotly.newPlot" in page and "plotly.js v" not in page  # the library is not in every page
        src = re.search(r'<script src="(\.\./plotly-[\d.]+\.min\.js)"', page).group(1)  # but the tree's one copy
        assert "plotly.js v" in (base / "reports" / "2024" / src).read_text(encoding="utf-8")[:2000]


def _files(folder: Path) -> dict[str, tuple[int, bytes]]:
    """Every file under `folder` by path: its inode (a file written again, through a temporary name, gets a new
    one) and its bytes."""
    return {str(p.relative_to(folder)): (p.stat().st_ino, p.read_bytes()) for p in folder.rglob("*") if p.is_file()}


def test_second_run_does_no_work(full_run):
    base, args, _ = full_run
    before = {name: _files(base / name) for name in ("reports", "processed")}
    again = chodon(*args)
    assert again.returncode == 0
    assert again.stderr.strip().endswith("nothing changed; no work done (use --force to redo)"), again.stderr
    assert {name: _files(base / name) for name in before} == before  # no file written, none added or removed


# ---- small notebooks for failures, parameters, changes and kill-safety ------------------------------
def _notebook(path: Path, body: str, params: str = "year = 2024\nprocessed_dir = 'x'\nexternal_dir = 'y'\n"
              "pause = 0.0\nmarker = ''\ndistrict = ''") -> Path:
    import nbformat

    nb = nbformat.v4.new_notebook()
    p = nbformat.v4.new_code_cell(params)
    p.metadata["tags"] = ["parameters"]
    nb.cells = [nbformat.v4.new_markdown_cell("# test"), p, nbformat.v4.new_code_cell(body)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


GOOD = ("import sys, time, pathlib\nif marker:\n    pathlib.Path(marker).write_text('started')\ntime.sleep(pause)\n"
        "print('ok', year, 'exe=' + sys.executable)")


@pytest.fixture
def small_project(tmp_path):
    return _small_project(tmp_path)


def _small_project(tmp_path: Path) -> tuple[Path, Path, list[str]]:
    nbs = tmp_path / "nbs"
    nbs.mkdir()
    _notebook(nbs / "good.ipynb", GOOD)
    raw = tmp_path / "raw"  # one small workbook of 2024: quick to clean
    raw.mkdir()
    shutil.copy(ROOT / "tests" / "data" / "bad" / "good.xlsx", raw)
    args = ["run", "--year", "2024", "--raw", str(raw), "--processed", str(tmp_path / "processed"),
            "--reports", str(tmp_path / "reports"), "--notebooks", str(nbs)]
    return tmp_path, nbs, args


def test_unknown_parameter_and_wrong_type_are_refused_before_anything_runs(small_project):
    """Through the command line, in this process (nothing is started that would need one of its own)."""
    from typer.testing import CliRunner

    from chodon_analysis.cli import app

    tmp, _nbs, args = small_project
    p = CliRunner().invoke(app, [*args, "--param", "yera=2023"])
    assert p.exit_code == 2 and "unknown parameter 'yera'" in p.stderr and "declares it" in p.stderr
    q = CliRunner().invoke(app, [*args, "--param", "pause='slow'"])
    assert q.exit_code == 2 and "good.ipynb" in q.stderr and "parameter 'pause' should be float" in q.stderr
    # wrong usage is said before the state of the folders: a report folder of the other layout does not hide it
    (tmp / "reports" / "2024" / ".locks").mkdir(parents=True)
    r = CliRunner().invoke(app, [*args, "--param", "district=5"])
    assert r.exit_code == 2 and "parameter 'district' should be str" in r.stderr and "holds reports" not in r.stderr
    for own, option in (("year=2023", "--year"), ("processed_dir='/tmp'", "--processed")):
        o = CliRunner().invoke(app, [*args, "--param", own])  # the run's own parameters come from its options
        assert o.exit_code == 2 and f"the run sets it from {option}" in o.stderr, o.stderr
    (tmp / "reports" / "2024" / ".locks").rmdir()
    assert not list((tmp / "reports" / "2024").iterdir())  # refused: nothing staged, executed or started
    assert not (tmp / "processed").exists()  # nor cleaned


# the rows a notebook sees in the tidy table (the csv module: no pandas to import in the kernel)
ROWS = ("import csv\nwith open(processed_dir + '/indicators.csv', encoding='utf-8-sig') as fh:\n"
        "    print('rows', sum(1 for _ in csv.reader(fh)) - 1)")


def test_what_changed_is_redone_and_nothing_else(background):
    background["what_changed"].result()  # the runs and their checks, started when the session starts


def what_changed(base: Path) -> None:
    """A changed notebook or workbook folder redoes what depends on it; a changed reference file only the tables."""
    tmp, nbs, args = _small_project(base)
    raw = tmp / "raw"  # good.xlsx (2024) and a workbook of 2023
    shutil.copy(ROOT / "tests" / "data" / "bad" / "unit-2023.xlsx", raw / "chi-tieu-2023.xlsx")
    _notebook(nbs / "good.ipynb", ROWS)
    assert chodon(*args, env=ENV).returncode == 0
    assert "nothing changed" in chodon(*args, env=ENV).stderr
    html = tmp / "reports" / "2024" / "good.html"
    rows = int(html.read_text(encoding="utf-8").split("rows ")[1].split("<")[0].split()[0])
    _notebook(nbs / "good.ipynb", "print('changed', year)\n" + ROWS)  # a changed notebook, and below a workbook
    import pandas as pd

    n_2023 = int((pd.read_parquet(tmp / "processed" / "indicators.parquet").source_file == "chi-tieu-2023.xlsx").sum())
    (raw / "chi-tieu-2023.xlsx").unlink()  # a changed workbook folder
    again = chodon(*args, env=ENV)
    assert again.returncode == 0 and "nothing changed" not in again.stderr
    assert "changed 2024" in html.read_text(encoding="utf-8")
    left = int(html.read_text(encoding="utf-8").split("rows ")[1].split("<")[0].split()[0])
    assert n_2023 > 0 and left == rows - n_2023
    external = tmp / "external"  # reference data: a changed provenance note redoes the tables, not the clean
    shutil.copytree(ROOT / "data" / "external", external)
    with (external / "PROVENANCE.md").open("a", encoding="utf-8") as fh:
        fh.write("\nGhi chú thêm của chuyên viên.\n")
    (tmp / "none").mkdir()  # no notebooks this time: only the clean and derived steps are in question
    no_notebooks = [a if a != str(nbs) else str(tmp / "none") for a in args]
    assert chodon(*no_notebooks, "--external", str(external), env=ENV).returncode == 0
    steps = {s["name"]: s["status"] for s in json.loads((tmp / "reports" / "2024" / "run.json").read_text())["steps"]}
    assert steps["clean"] == "skipped" and steps["derived"] == "done"


def _wait_for(path: Path, seconds: float = 90) -> None:
    """Wait until `path` exists (the notebook has started), not a fixed time."""
    end = time.monotonic() + seconds
    while not path.exists():
        assert time.monotonic() < end, f"{path} never appeared"
        time.sleep(0.05)


def _kernels_in(folder: Path) -> list[int]:
    """Kernel processes still alive whose working folder is `folder` (a run's notebooks folder): launched
    (`ipykernel` in the command line) or forked from the run (named `chodon-kernel`, runner/launch.py)."""
    pids = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                kernel = (b"ipykernel" in (proc / "cmdline").read_bytes()
                          or (proc / "comm").read_text().strip() == "chodon-kernel")
                if Path(os.readlink(proc / "cwd")) == folder and kernel:
                    pids.append(int(proc.name))
            except OSError:
                continue
    return pids


def _set(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")}


def test_a_failing_notebook_a_second_run_refused_and_killed_or_stopped_runs(background):
    background["failing"].result()  # the runs and their checks, started when the session starts


# a report notebook of communes that, for the second commune of a run, says it has started and waits to be stopped
WAITS = ("import os, pathlib, time\nmarker = os.environ.get('CHODON_TEST_MARKER', '')\n"
         "if marker and commune == 'Nghĩa Tá':\n    pathlib.Path(marker).write_text('started')\n    time.sleep(120)\n"
         "print('ok', commune)")


def _area_project(base: Path) -> tuple[Path, list[str]]:
    """Two communes of 2025 (Nam Cường runs first, then Nghĩa Tá) and one notebook: an area run's notebooks folder
    and arguments."""
    from test_areas import _commune

    (base / "raw").mkdir(parents=True)
    (base / "nbs").mkdir()
    _commune(base / "raw", "Nam Cường", [120, 120, 100, 90])
    _commune(base / "raw", "Nghĩa Tá", [100, 100, 100, 100])
    _notebook(base / "nbs" / "commune.ipynb", WAITS, params="year = 2024\ncommune = ''")
    return base / "nbs", ["run", "--year", "2025", "--area", "all", "--raw", str(base / "raw"), "--processed",
                          str(base / "processed"), "--reports", str(base / "reports"), "--notebooks", str(base / "nbs"),
                          "--jobs", "1"]


def _stopped_areas_are_as_before_and_a_retry_runs_only_them(base: Path, args: list[str]) -> None:
    year = base / "reports" / "2025"
    first = json.loads((year / "xa-nam-cuong" / "run.json").read_text(encoding="utf-8"))
    assert [s["status"] for s in first["steps"]] == ["done"] and "ok Nam Cường" in \
        (year / "xa-nam-cuong" / "commune.html").read_text(encoding="utf-8")
    assert not (year / "xa-nghia-ta").exists() and not list(year.glob(".*.staging"))
    again = chodon(*args, env=ENV)
    assert again.returncode == 0 and "2 area(s), 1 notebook(s) executed" in again.stderr, again.stderr
    kept = json.loads((year / "xa-nam-cuong" / "run.json").read_text(encoding="utf-8"))
    assert [s["status"] for s in kept["steps"]] == ["skipped"] and (year / "xa-nghia-ta" / "commune.html").exists()


def failing_and_stopped(base: Path) -> None:
    """One failing notebook is named and the others still run (in the project's interpreter); a second run at the
    same time is refused. Runs killed (-9), stopped (SIGTERM) or interrupted (Ctrl-C) while a notebook runs: the
    report set is replaced as a whole or not at all (an area run: each area's), the stopped ones end at once with
    their kernels, and the next run, without --force, finishes the work."""
    area_nbs, area_args = _area_project(base / "areas")
    tmp, nbs, args = _small_project(base)
    _notebook(nbs / "broken.ipynb", "1 / 0", params="year = 2024")
    # pause: declared by good.ipynb only, given to it, not refused by broken
    p = chodon(*args, "--param", "pause=0.0", env=ENV)
    assert p.returncode == 1
    errors = [line for line in p.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "broken.ipynb" in errors[0] and "cell 3" in errors[0]
    assert "ZeroDivisionError" in errors[0]
    assert "Traceback" not in p.stderr
    out = tmp / "reports" / "2024"
    assert (out / "good.html").exists() and (out / "broken.failed.ipynb").exists()
    assert not (out / "broken.html").exists()
    assert str(out / "broken.failed.ipynb") in errors[0]  # named where it is, not where it was written
    printed = "".join("".join(o.get("text", "")) for o in _outputs(out / "good.ipynb"))
    exe = printed.split("exe=")[1].strip()
    assert Path(exe).resolve() == Path(sys.executable).resolve()
    (nbs / "broken.ipynb").unlink()
    _notebook(nbs / "a_fast.ipynb", "print('fast', year)", params="year = 2024")  # runs first with --jobs 1
    previous = _set(out)
    marker = {k: tmp / f"started-{k}" for k in ("kill", "int", "term")}

    def start(kind: str, reports: Path) -> subprocess.Popen:
        cmd = [a if a != str(tmp / "reports") else str(reports) for a in args]
        return subprocess.Popen([*CHODON, *cmd, "--force", "--jobs", "1", "--param", "pause=120.0", "--param",
                                 f"marker='{marker[kind]}'"], cwd=ROOT, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, start_new_session=True, env=ENV)

    runs = {"kill": start("kill", tmp / "reports"), "int": start("int", tmp / "reports-first"),  # a first run
            "term": subprocess.Popen([*CHODON, *area_args], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True, start_new_session=True,
                                     env=ENV | {"CHODON_TEST_MARKER": str(marker["term"])})}
    try:
        for kind in runs:
            _wait_for(marker[kind])  # a_fast.html is written; good.ipynb is running
        assert (tmp / "reports" / ".2024.staging" / "a_fast.html").exists()
        second = chodon(*args, "--force", env=ENV)
        assert second.returncode == 1 and "another `chodon run`" in second.stderr
        os.killpg(runs["kill"].pid, signal.SIGKILL)
        runs["int"].send_signal(signal.SIGINT)  # Ctrl-C; SIGTERM and SIGHUP take the same way (below)
        _, stderr = runs["int"].communicate(timeout=30)  # ends within seconds, not after the notebook
        assert runs["int"].returncode == 130 and "the run was stopped (Ctrl-C)" in stderr, stderr
        assert "Traceback" not in stderr
        runs["term"].send_signal(signal.SIGTERM)  # an area run, its first area done, the second one's notebook running
        _, stderr = runs["term"].communicate(timeout=30)
        assert runs["term"].returncode == 130 and "SIGTERM" in stderr and "the areas it had finished" in stderr, stderr
    finally:
        for proc in runs.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    end = time.monotonic() + 10  # the killed run's kernel sees its parent gone within a second or two
    while (_kernels_in(nbs) or _kernels_in(area_nbs)) and time.monotonic() < end:
        time.sleep(0.1)
    assert not _kernels_in(nbs) and not _kernels_in(area_nbs)  # the stopped runs' kernels are shut down; the killed
    # one's follows its parent
    _stopped_areas_are_as_before_and_a_retry_runs_only_them(base / "areas", area_args)
    assert _set(out) == previous  # the whole previous set: no a_fast
    assert not (tmp / "reports-first" / "2024").exists()  # a first run stopped: no half set
    assert not (tmp / "reports-first" / ".2024.staging").exists()
    again = chodon(*args, env=ENV)  # the lock went away with the killed process; its staging folder is thrown away
    assert again.returncode == 0, again.stderr
    import tempfile

    assert not list(Path(tempfile.gettempdir()).glob(f"chodon-kernel-{runs['kill'].pid}-*"))  # nor its sockets
    assert {"a_fast.html", "good.html", "index.html", "run.json"} <= set(_set(out))
    assert not (tmp / "reports" / ".2024.staging").exists()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
def test_a_scheduler_stop_or_a_closed_terminal_stops_a_run_as_ctrl_c_does(sig):
    """The first stop is raised as Ctrl-C's is (the run then shuts down), later ones only noted; the status is 130."""
    from chodon_analysis.runner.stop import Stopping

    before = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    try:
        stopping = Stopping()
        with pytest.raises(KeyboardInterrupt):
            signal.raise_signal(sig)  # the handler has run when this returns
        signal.raise_signal(sig)  # a second one while the run shuts down: not raised again
        assert stopping.received == [sig.name, sig.name] and stopping.name == sig.name
        assert stopping.exit(0, program=False) == 130
    finally:
        for s, handler in before.items():
            signal.signal(s, handler)


def error_runs(base: Path) -> tuple[Path, Path, dict[str, tuple[int, str, str]]]:
    """An empty raw folder, a year without data, a full disk, an unknown district, run side by side on a small
    project (started when the session starts: conftest.py): name -> (status, stderr, expected words)."""
    import resource

    tmp, nbs, args = _small_project(base)
    (tmp / "empty").mkdir()

    def with_(i: int, **change: str) -> list[str]:
        opts = dict(zip(args[1::2], args[2::2], strict=False)) | {"--reports": str(tmp / f"reports-{i}"),
                                                                  "--processed": str(tmp / f"processed-{i}")}
        opts |= {f"--{k}": v for k, v in change.items()}
        return ["run", *[x for kv in opts.items() for x in kv]]

    def full_disk() -> None:  # files over 16 KB cannot be written (the tidy table is bigger)
        os.setsid()
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (16_384, 16_384))

    cases = {"empty raw folder": (with_(1, raw=str(tmp / "empty")), "no indicator rows were read", None),
             "a year without data": (with_(2, year="2031"), "the data has no rows of 2031", None),
             "full disk": (with_(4), "File too large", full_disk),
             "an unknown district": (with_(5) + ["--param", "district='Nowhere'"],
                                     "'Nowhere' is not in the data; the districts are: Chợ Đồn", None)}
    from conftest import spawn

    procs = {name: spawn([*CHODON, *cmd], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         **({"preexec_fn": pre, "start_new_session": False} if pre else {}))
             for name, (cmd, _, pre) in cases.items()}
    out = {}
    for name, proc in procs.items():
        try:
            _, stderr = proc.communicate(timeout=60)
        finally:
            proc.kill()
            proc.wait()
        out[name] = (proc.returncode, stderr, cases[name][1])
    return tmp, nbs, out


def test_every_error_ends_the_run_within_seconds_and_shuts_its_kernels(background):
    """Errors met once the kernels may have started: one plain error, exit 1, every kernel shut down, and
    nothing hangs (each run has 60 seconds)."""
    tmp, nbs, results = background["errors"].result()
    for name, (status, stderr, words) in results.items():
        errors = [line for line in stderr.splitlines() if line.startswith("error:")]
        assert status == 1 and errors and words in errors[-1], (name, stderr)
        assert "Traceback" not in stderr, name
    assert not _kernels_in(nbs)
    assert not (tmp / "reports-4" / "2024").exists()  # the full disk replaced nothing


def test_a_folder_option_that_cannot_work_is_refused_before_anything_starts(small_project, capsys):
    """No workbooks folder, a file given as the processed folder, no notebooks folder: refused at once, in the
    process that would have started the kernels (none is started)."""
    from chodon_analysis.runner.config import RunConfig
    from chodon_analysis.runner.run import run

    tmp, nbs, _ = small_project
    (tmp / "a-file").write_text("x", encoding="utf-8")
    cases = [({"raw": tmp / "nowhere"}, "--raw"), ({"processed": tmp / "a-file"}, "this is a file, not a folder"),
             ({"notebooks": tmp / "no-notebooks"}, "no such folder of report notebooks")]
    for change, words in cases:
        kw = {"raw": tmp / "raw", "processed": tmp / "processed", "reports": tmp / "reports", "notebooks": nbs} | change
        assert run(RunConfig(2024, **kw)) == 1
        errors = [line for line in capsys.readouterr().err.splitlines() if line.startswith("error:")]
        assert len(errors) == 1 and words in errors[0], errors
    assert not (tmp / "reports" / "2024").exists() and not (tmp / "processed").exists()


# ---- the run's typed pieces, without a run ----------------------------------------------------------------------
def test_options_that_cannot_work_together_are_refused_with_their_status(tmp_path):
    from dataclasses import FrozenInstanceError

    from chodon_analysis.runner.config import RunConfig, refusal

    def config(**kw) -> RunConfig:
        return RunConfig(2025, raw=tmp_path, notebooks=tmp_path, reports=tmp_path / "r", **kw).resolved()

    assert refusal(config()) is None and refusal(config(area="all", shard=(2, 3))) is None
    said = {name: refusal(config(**kw)) for name, kw in {
        "empty area": {"area": " "}, "shard alone": {"shard": (2, 3)}, "shard 4/3": {"area": "all", "shard": (4, 3)},
        "commune": {"params": {"commune": "Nam Cường"}},
        "district per area": {"area": "all", "params": {"district": "x"}},
    }.items()}
    assert {name: r.status for name, r in said.items()} == {"empty area": 2, "shard alone": 2, "shard 4/3": 2,
                                                          "commune": 2, "district per area": 2}
    assert "use --area NAME" in said["commune"].message
    assert "leave out --param district" in said["district per area"].message
    cfg = config(params={"lang": "en"})
    with pytest.raises(FrozenInstanceError):
        cfg.year = 2024  # type: ignore[misc]
    with pytest.raises(TypeError):
        cfg.params["lang"] = "vi"  # type: ignore[index]
    assert cfg.lang == "en" and cfg.district == "Chợ Đồn" and cfg.year_dir == tmp_path / "r" / "2025"


def test_run_json_is_read_back_as_the_fingerprints_of_steps_done_or_skipped(tmp_path):
    from chodon_analysis.runner import runlog
    from chodon_analysis.runner.steps import Step

    steps = [Step("clean", "done", 0.5, "k1"), Step("notebook:a", "skipped", 0.0, "k2", "unchanged"),
             Step("notebook:b", "failed", 1.25, "k3", "cell 2: KeyError")]
    written = runlog.write(tmp_path, {"year": 2024}, steps, "code-fp", 2.0)
    assert written["failed"] is True and [s["name"] for s in written["steps"]] == ["clean", "notebook:a", "notebook:b"]
    log = runlog.read(tmp_path)
    assert dict(log.keys) == {"clean": "k1", "notebook:a": "k2"} and log.code == "code-fp"
    assert log.key("notebook:b") == "" and log.key("notebook:c") == ""  # a failed notebook is always run again
    (tmp_path / runlog.FILE).write_text("{half a fi", encoding="utf-8")
    assert runlog.read(tmp_path) == runlog.RunLog() == runlog.read(tmp_path / "nowhere")  # then everything is redone


def test_a_notebook_is_skipped_only_when_its_outputs_are_there_and_made_from_the_same_inputs(tmp_path):
    from chodon_analysis.runner.areas import Area
    from chodon_analysis.runner.config import RunConfig
    from chodon_analysis.runner.jobs import Target, check_notebooks, plan
    from chodon_analysis.runner.params import report_notebooks
    from chodon_analysis.runner.runlog import RunLog

    _notebook(tmp_path / "district.ipynb", "1", params="year = 2024\ndistrict = ''")
    _notebook(tmp_path / "both.ipynb", "1", params="year = 2024\ndistrict = ''\ncommune = ''")
    cfg = RunConfig(2025, notebooks=tmp_path, reports=tmp_path)
    runnable = check_notebooks(report_notebooks(tmp_path), cfg)
    out = tmp_path / "out"
    out.mkdir()
    target = Target(out, out, None)
    jobs, skipped = plan(runnable, None, target, RunLog(), "data", cfg)
    assert [j.step_name for j in jobs] == ["notebook:both", "notebook:district"] and not skipped
    assert all(j.params == {"year": 2025} for j in jobs)
    previous = RunLog({j.step_name: j.key for j in jobs})
    for j in jobs:
        for suffix in (".html", ".ipynb"):
            (out / f"{j.notebook.name}{suffix}").write_text("x", encoding="utf-8")
    (out / "district.ipynb").unlink()  # one output missing: done again
    jobs, skipped = plan(runnable, None, target, previous, "data", cfg)
    assert [j.step_name for j in jobs] == ["notebook:district"] and [s.name for s in skipped] == ["notebook:both"]
    assert len(plan(runnable, None, target, previous, "other data", cfg)[0]) == 2  # the inputs changed
    assert len(plan(runnable, None, target, previous, "data", RunConfig(2025, force=True))[0]) == 2
    assert len(plan(runnable, None, target, previous, "data", RunConfig(2025, show_code=True))[0]) == 2
    commune = Target(out, out, None, "xa-nam-cuong/")  # a commune: its reports only, the commune as a parameter
    jobs, _ = plan(runnable, Area("Nam Cường", "commune"), commune, previous, "data", cfg)
    assert [(j.step_name, dict(j.params)) for j in jobs] == [
        ("xa-nam-cuong/notebook:both", {"year": 2025, "commune": "Nam Cường"})]


def test_workers_one_per_core_never_more_than_notebooks_and_one_list_of_links():
    from chodon_analysis.runner.config import RunConfig
    from chodon_analysis.runner.finish import links
    from chodon_analysis.runner.kernels import pool_size

    assert pool_size(0, 1000) == (os.cpu_count() or 1) and pool_size(8, 3) == 3 and pool_size(2, 0) == 1
    year, per_area = RunConfig(2024), RunConfig(2025, area="all")
    assert [h for h, _ in links(year)] == ["data_quality.html", "chi_tieu_2024.xlsx"]
    assert [h for h, _ in links(per_area)] == ["comparison.html", "data_quality.html", "chi_tieu_2025.xlsx"]
    assert [h for h, _ in links(per_area, "../")] == ["../index.html", "../comparison.html", "../data_quality.html",
                                                     "../chi_tieu_2025.xlsx"]


def test_the_derived_tables_beside_the_kernels_and_a_kernel_forked_only_when_it_can_be(monkeypatch):
    """runner/data.beside: the child's answer, or its error raised here; a failure meanwhile takes the child with it.
    runner/launch: a kernel is forked only while no other thread runs (else, or when asked, a fresh interpreter)."""
    import threading

    from chodon_analysis.runner.data import beside
    from chodon_analysis.runner.launch import can_fork

    assert beside(lambda a, b: a + b, (2, 3), lambda: None) == 5
    with pytest.raises(ZeroDivisionError):
        beside(lambda: 1 / 0, (), lambda: None)
    started = time.monotonic()
    with pytest.raises(KeyError):
        beside(lambda: time.sleep(30), (), lambda: {}["meanwhile"])
    assert time.monotonic() - started < 10  # the child was killed, not waited for
    busy = threading.Event()
    other = threading.Thread(target=busy.wait)
    other.start()
    try:
        assert not can_fork()  # a thread besides this one: never forked
        assert beside(lambda: os.getpid(), (), lambda: None) == os.getpid()  # then one after the other, here
    finally:
        busy.set()
        other.join()
    monkeypatch.setenv("CHODON_FRESH_KERNELS", "1")
    assert not can_fork()


def test_the_fork_beside_the_run_is_taken_in_a_process_without_threads():
    """The suite's own process runs threads (its background work), so the fork path is checked in a process of its
    own: the answer comes from another process, and a vocabulary error made there comes back as itself."""
    code = ("import os, pathlib\nfrom chodon_analysis.runner.data import beside\nfrom chodon_analysis.runner.launch "
            "import can_fork\nfrom chodon_analysis.base.vocab import VocabularyError\nassert can_fork()\n"
            "assert beside(os.getpid, (), lambda: None) != os.getpid()\n"
            "def bad():\n    raise VocabularyError(pathlib.Path('rules.csv'), 3, 'bad')\n"
            "try:\n    beside(bad, (), lambda: None)\nexcept VocabularyError as e:\n    print(e)\n")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert p.returncode == 0 and p.stdout.strip() == "rules.csv:3: bad", p.stderr
