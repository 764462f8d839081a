"""`chodon run` and its report folder: a refused run leaves it as it found it, a killed run's leftovers are removed by
the next run that may, error lines name only files that exist, a folder not of the run's own is refused, and a stop
at any moment gives exit status 130 with no file half written (issue 22, items 11-14 and 17)."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import re
import shutil
import signal
import subprocess
import time
import zipfile
from pathlib import Path

import pytest
from conftest import CHODON, ROOT

GOOD = ROOT / "tests" / "data" / "bad" / "good.xlsx"  # a small workbook of 2024 (the district)


def _tree(folder: Path) -> dict[str, tuple] | None:
    """Everything under `folder` (hidden entries too, links not followed): kind, content or target, inode, and a
    file's time of change (a folder's changes with what is added and removed again)."""
    if not folder.exists() and not folder.is_symlink():
        return None
    out = {}
    for p in sorted([folder, *folder.rglob("*")]):
        st = p.lstat()
        kind = "link" if p.is_symlink() else "dir" if p.is_dir() else "file"
        what = os.readlink(p) if kind == "link" else p.read_bytes() if kind == "file" else b""
        out[str(p.relative_to(folder))] = (kind, what, st.st_ino, st.st_mtime_ns if kind != "dir" else 0)
    return out


def _workbooks(base: Path) -> None:
    """Workbooks of 2024 (the district) and 2025 (two communes), and no report notebook (no kernel to start)."""
    from test_areas import _commune

    for name in ("raw", "nbs"):
        (base / name).mkdir()
    shutil.copy(GOOD, base / "raw")
    _commune(base / "raw", "Nam Cường", [120, 120, 100, 90])
    _commune(base / "raw", "Nghĩa Tá", [100, 100, 100, 100])


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """The workbooks, one processed folder that every run of this file shares (cleaned by the first), and the report
    tree of 2025 an area run leaves (made by hand: what the runs below look at)."""
    base = tmp_path_factory.mktemp("safety")
    _workbooks(base)
    areas = base / "areas"
    for name in (".lock", ".2025.lock", "plotly-9.9.9.min.js", "2025/.locks/year.lock", "2025/.locks/xa-nam-cuong.lock",
                 "2025/index.html", "2025/chi_tieu_2025.xlsx", "2025/xa-nam-cuong/index.html",
                 "2025/xa-nam-cuong/summary.json", "2025/xa-nam-cuong/run.json", "2025/xa-nghia-ta/run.json"):
        (areas / name).parent.mkdir(parents=True, exist_ok=True)
        (areas / name).write_text("{}" if name.endswith(".json") else "", encoding="utf-8")
    return base


def _run(project: Path, reports: Path, year: int = 2024, **kw) -> int:
    from chodon_analysis.runner.config import RunConfig
    from chodon_analysis.runner.run import run

    return run(RunConfig(year, raw=project / "raw", processed=project / "processed", reports=reports,
                         notebooks=project / "nbs", **kw))


def _errors(capsys) -> list[str]:
    return [line for line in capsys.readouterr().err.splitlines() if line.startswith("error:")]


@contextlib.contextmanager
def _held(lock: Path, mode: int = fcntl.LOCK_EX):
    """A lock held as another run's process holds it (its own open file)."""
    lock.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, mode)
        yield
    finally:
        os.close(fd)


# ---- item 11: a refused run leaves the report folder as it found it ----------------------------------------------
def test_a_refused_run_leaves_the_report_folder_as_it_found_it(project, tmp_path, capsys):
    """Refusals before the locks (wrong usage, the other layout) and after them (no area of that name, no row of the
    year, another run writing): nothing added, removed or rewritten; a refused `--area` run no longer makes the
    folder one of areas, so the whole-year run that follows is not refused."""
    from chodon_analysis.runner.config import RunConfig, state_refusal

    fresh = tmp_path / "reports"
    for kw, status in (({"year": 2025, "area": "Nowhere"}, 2), ({"year": 2031}, 1), ({"year": 2031, "area": "all"}, 1),
                       ({"shard": (1, 2)}, 2), ({"area": "Nowhere"}, 2)):  # in an order that derives the tables once
        assert _run(project, fresh, **kw) == status, kw
        assert not fresh.exists(), kw  # not even the report folder, its locks or a year's folder
    assert len(_errors(capsys)) == 5
    assert state_refusal(RunConfig(2024, reports=fresh, raw=project / "raw", notebooks=project / "nbs")) is None
    areas = tmp_path / "areas"  # a tree of areas, with the locks of its earlier runs
    shutil.copytree(project / "areas", areas, symlinks=True)
    before = _tree(areas)
    for kw in ({"area": "Nowhere"}, {"year": 2025}, {"year": 2023, "area": "all"}, {"year": 2031}):
        assert _run(project, areas, **kw) in (1, 2), kw
        assert _tree(areas) == before, kw
    for kw in ({"year": 2025, "area": "all"}, {"year": 2031}):  # another run is writing that year
        with _held(areas / f".{kw['year']}.lock"):
            before = _tree(areas)
            assert _run(project, areas, **kw) == 1
            assert _tree(areas) == before
    assert all("right now" in e for e in _errors(capsys)[-2:])


# ---- item 12: what a killed run left is removed by the next run that may ----------------------------------------
def _plant(reports: Path, victim: Path) -> dict[str, Path]:
    """What killed runs of every kind leave in a report tree of 2025 (per area), and what is not theirs."""
    year = reports / "2025"
    left = {"workbook": year / ".chi_tieu_2025.xlsx.k3j9x_2a.tmp", "index": year / ".index.html.abcd1234.tmp",
            "plotly": reports / ".plotly-9.9.9.min.js.q1w2e3r4.tmp", "area staging": year / ".xa-nam-cuong.staging",
            "other area": year / ".xa-yen-phong.staging", "year staging": reports / ".2024.staging",
            "marker": year / "xa-nghia-ta" / ".complete"}
    for key, path in left.items():
        if key.endswith("staging"):
            path.mkdir()
            (path / "index.html").write_text("half", encoding="utf-8")
            (path / ".attainment.ipynb.123.456.ipynb").write_text("{", encoding="utf-8")
        else:
            path.write_text("half", encoding="utf-8")
    left["linked staging"] = year / ".xa-cho-don.staging"  # a link planted at a staging name: removed, not followed
    left["linked staging"].symlink_to(victim)
    return left


def test_what_a_killed_run_left_is_removed_by_the_next_run_that_may(project, tmp_path):
    """Temporary files beside the year's workbook and pages (written under the shared lock of area runs), of the
    shared plotly.js, staging folders of any area or year, a swap's marker: kept while another run writes in the
    tree (they may be its own), removed by the next run that finds no other one as it takes its locks (of any year,
    whole or per area); what is not a run's own stays."""
    from chodon_analysis.runner.tree import hold

    reports = tmp_path / "reports"
    shutil.copytree(project / "areas", reports, symlinks=True)
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "keep.txt").write_text("keep", encoding="utf-8")
    left = _plant(reports, victim)
    mine = [reports / "2025" / ".notes.tmp", reports / "2025" / "xa-nam-cuong" / ".htaccess"]  # a person's files
    for path in mine:
        path.write_text("mine", encoding="utf-8")
    with _held(reports / ".lock", fcntl.LOCK_SH):  # another run writing in the tree: nothing of this is removed
        held = hold(reports, 2025, per_area=True)
        assert held is not None
        held.close()
        assert all(p.exists() or p.is_symlink() for p in left.values())
    held = hold(reports, 2024, per_area=False)  # the next run (here, of another year), alone in the tree
    assert held is not None
    held.close()
    assert [k for k, p in left.items() if p.exists() or p.is_symlink()] == []
    assert (victim / "keep.txt").read_text(encoding="utf-8") == "keep" and all(p.exists() for p in mine)
    assert [p.name for p in reports.rglob("*.tmp")] == [".notes.tmp"]


def test_a_swap_left_half_way_in_another_years_or_areas_folder_is_finished(tmp_path):
    """The fallback swap killed between its two renames, in any folder of the tree: the set is put back."""
    from chodon_analysis.runner.tree import sweep

    for final, complete in ((tmp_path / "2023", True), (tmp_path / "2025" / "xa-nam-cuong", False)):
        staging, old = final.with_name(f".{final.name}.staging"), final.with_name(f".{final.name}.old")
        for folder, text in ((old, "old"), (staging, "new")):
            folder.mkdir(parents=True)
            (folder / "index.html").write_text(text, encoding="utf-8")
        if complete:
            (staging / ".complete").touch()
    sweep(tmp_path)
    assert (tmp_path / "2023" / "index.html").read_text(encoding="utf-8") == "new"
    assert (tmp_path / "2025" / "xa-nam-cuong" / "index.html").read_text(encoding="utf-8") == "old"
    assert sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*")) == [
        "2023", "2023/index.html", "2025", "2025/xa-nam-cuong", "2025/xa-nam-cuong/index.html"]


# ---- item 13: an error line names only files that exist -------------------------------------------------------
def _fake_notebooks(monkeypatch, nbs: Path) -> None:
    """Notebooks `good` and `broken` (its third cell fails), executed without a kernel: papermill's outcome alone."""
    import nbformat
    import papermill
    from test_run import _notebook

    from chodon_analysis.runner import kernels

    _notebook(nbs / "good.ipynb", "print('ok')", params="year = 2024")
    _notebook(nbs / "broken.ipynb", "1 / 0", params="year = 2024")
    monkeypatch.setattr(kernels.KernelRunner, "_kernel", lambda self: None)
    monkeypatch.setattr(kernels.KernelRunner, "warm", lambda self: None)

    def execute(source, output, **_kw):
        nb = nbformat.read(source, as_version=4)
        if Path(source).stem == "broken":
            nb.cells[-1].outputs = [nbformat.v4.new_output("error", ename="ZeroDivisionError",
                                                           evalue="division by zero", traceback=[])]
            nbformat.write(nb, output)
            raise papermill.exceptions.PapermillExecutionError(2, 1, "1 / 0", "ZeroDivisionError",
                                                               "division by zero", [])
        nbformat.write(nb, output)
        return nb

    monkeypatch.setattr(papermill, "execute_notebook", execute)


def _named(lines: list[str]) -> list[Path]:
    return [Path(p.rstrip(".,;")) for line in lines for p in re.findall(r"(?:^|\s)(/[^\s:()]+)", line)]


def test_error_lines_name_only_files_that_exist(project, tmp_path, monkeypatch):
    """A notebook fails, the workbook cannot be written (a file too large), then the disk is full as the folder's
    index is written: the report folder is thrown away, and no line names the partly executed notebook (thrown away
    with it), a staging folder or a temporary file. (When the folder is put in place, the line names the partly
    executed notebook where it is: test_run.py.)"""
    from typer.testing import CliRunner

    from chodon_analysis.cli import app
    from chodon_analysis.report import workbook
    from chodon_analysis.runner import run as run_module

    nbs = tmp_path / "nbs"
    nbs.mkdir()
    _fake_notebooks(monkeypatch, nbs)
    args = ["run", "--year", "2024", "--raw", str(project / "raw"), "--processed", str(project / "processed"),
            "--reports", str(tmp_path / "reports"), "--notebooks", str(nbs), "--jobs", "1"]

    def too_large(path, *_a):
        raise OSError(errno.EFBIG, "File too large", str(path.parent / f".{path.name}.k3j9x_2a.tmp"))

    def full(cfg, area, staging, *a):
        raise OSError(errno.ENOSPC, "No space left on device", str(staging / ".index.html.k3j9x_2a.tmp"))

    monkeypatch.setattr(workbook, "write_workbook", too_large)
    monkeypatch.setattr(run_module, "folder_pages", full)
    p = CliRunner().invoke(app, args)
    errors = sorted(line for line in p.stderr.splitlines() if line.startswith("error:"))
    assert p.exit_code == 1 and len(errors) == 3 and "Traceback" not in p.stderr, p.stderr
    notebook, index, book = (next(e for e in errors if w in e) for w in ("broken.ipynb", "index.html", "workbook"))
    assert "cell 3" in notebook and "saved as" not in notebook
    assert "2024/index.html could not be written: No space left on device" in index
    assert "2024/chi_tieu_2024.xlsx (the workbook) could not be written: File too large" in book
    assert _named(errors) and all(path.exists() for path in _named(errors)), errors
    assert not (tmp_path / "reports" / "2024").exists() and ".tmp" not in p.stderr


# ---- item 14: a report folder that is not the run's own is refused -------------------------------------------
def _system(tmp_path: Path) -> Path:
    """A folder standing for a system one (/etc): not the run's to write."""
    folder = tmp_path / "etc"
    folder.mkdir()
    (folder / "passwd").write_text("root:x:0:0", encoding="utf-8")
    return folder


@pytest.mark.parametrize("kind", ["year link", "year file", "year of other files", "empty year link",
                                  "reports link", "reports of other files", "locks link"])
def test_a_report_folder_that_is_not_the_runs_own_is_refused(project, tmp_path, capsys, kind):
    """Refused with one line naming it and exit status 1 (a folder that cannot be used), before anything is written:
    a link is never followed, a file never moved aside."""
    system = _system(tmp_path)
    reports = tmp_path / "reports"
    reports.mkdir()
    year = reports / "2024"
    if kind == "year link":
        year.symlink_to(system)
    elif kind == "empty year link":
        (tmp_path / "empty").mkdir()
        year.symlink_to(tmp_path / "empty")
    elif kind == "year file":
        year.write_text("a file of the same name", encoding="utf-8")
    elif kind == "year of other files":
        year.mkdir()
        (year / "notes.txt").write_text("mine", encoding="utf-8")
    elif kind == "locks link":
        year.mkdir()
        (year / ".locks").symlink_to(system)
    elif kind == "reports of other files":
        reports = system
    else:
        reports = tmp_path / "link"
        reports.symlink_to(system)
    before = {p: _tree(p) for p in (tmp_path / "reports", system, tmp_path / "empty")}
    assert _run(project, reports) == 1
    errors = _errors(capsys)
    named = reports if kind.startswith("reports") else year / ".locks" if kind == "locks link" else year
    assert len(errors) == 1 and errors[0].startswith(f"error: {'--reports ' if named == reports else ''}{named}: ")
    assert {p: _tree(p) for p in before} == before


@pytest.mark.parametrize("kind", ["link", "file", "folder of other files"])
def test_an_area_folder_that_is_not_the_runs_own_is_refused(project, tmp_path, capsys, kind):
    """Found once the areas are known (after the data step): refused before any area is staged or a page written."""
    system = _system(tmp_path)
    reports = tmp_path / "reports"
    shutil.copytree(project / "areas", reports, symlinks=True)
    area = reports / "2025" / "xa-nam-cuong"
    shutil.rmtree(area)
    if kind == "link":
        area.symlink_to(system)
    elif kind == "file":
        area.write_text("x", encoding="utf-8")
    else:
        area.mkdir()
        (area / "notes.txt").write_text("mine", encoding="utf-8")
    before = {p: _tree(p) for p in (reports, system)}
    assert _run(project, reports, year=2025, area="all") == 1
    errors = _errors(capsys)
    assert len(errors) == 1 and errors[0].startswith(f"error: {area}: "), errors
    assert {p: _tree(p) for p in before} == before


# ---- item 17: a stop at any moment: exit status 130, no file half written ------------------------------------------
STOPS = [("start", signal.SIGTERM, "year"), ("clean", signal.SIGINT, "year"), ("swap", signal.SIGTERM, "year"),
         ("end", signal.SIGHUP, "year"), ("ready", signal.SIGTERM, "year")]  # an area's swap: the same step


def _catches_sigterm(pid: int) -> bool:
    """Whether the process has a handler for SIGTERM yet (its signal mask in /proc)."""
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("SigCgt:"):
                return bool(int(line.split()[1], 16) >> (signal.SIGTERM - 1) & 1)
    return False


def _stop_at(base: Path, i: int, moment: str, sig: signal.Signals, layout: str) -> tuple[int, str, Path]:
    """A run paused at `moment` (the test-only hook, CHODON_TEST_PAUSE) and stopped there by `sig`; `ready`: stopped
    without a pause, as soon as the process catches SIGTERM."""
    from conftest import ENV, spawn

    folder = base / f"{i}-{moment}-{layout}"
    marker = folder / "paused"
    year, area = ("2025", ["--area", "all"]) if layout == "areas" else ("2024", [])
    folder.mkdir(parents=True)
    env = ENV | ({"CHODON_TEST_PAUSE": f"{moment}={marker}"} if moment != "ready" else {})
    proc = spawn([*CHODON, "run", "--year", year, *area, "--raw", str(base / "raw"), "--processed",
                  str(folder / "processed"), "--reports", str(folder / "reports"), "--notebooks", str(base / "nbs")],
                 cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    end = time.monotonic() + 60
    while proc.poll() is None and time.monotonic() < end and not (
            _catches_sigterm(proc.pid) if moment == "ready" else marker.exists()):
        time.sleep(0.005)
    proc.send_signal(sig)
    time.sleep(0.2)
    marker.unlink(missing_ok=True)  # a moment that must not be cut in two goes on, then the stop is said
    _, err = proc.communicate(timeout=60)
    return proc.returncode, err, folder


def stopped_runs(base: Path) -> list[tuple[str, int, str, Path]]:
    """Every stop of STOPS, each on a run of its own (started when the session starts: conftest.py)."""
    from concurrent.futures import ThreadPoolExecutor

    _workbooks(base)

    with ThreadPoolExecutor(len(STOPS)) as pool:
        done = list(pool.map(lambda a: _stop_at(base, *a), [(i, *s) for i, s in enumerate(STOPS)]))
    return [(f"{m} {s.name} {layout}", *d) for (m, s, layout), d in zip(STOPS, done, strict=True)]


def _cut_short(p: Path) -> bool:
    """A page, record or workbook that is not whole."""
    if p.suffix == ".html":
        return not p.read_text(encoding="utf-8").rstrip().endswith("</html>")
    if p.suffix == ".json":
        try:
            json.loads(p.read_text(encoding="utf-8"))
        except ValueError:
            return True
    if p.suffix == ".xlsx":
        return not zipfile.is_zipfile(p) or zipfile.ZipFile(p).testzip() is not None
    return False


def _whole(folder: Path) -> list[str]:
    """What is not whole under `folder`: temporary files, staging folders, markers, pages or records cut short."""
    passing = re.compile(r".*\.(tmp|staging|old)|\.complete|\..+\.\d+\.\d+\.ipynb")
    return [str(p) for p in folder.rglob("*") if passing.fullmatch(p.name) or (p.is_file() and _cut_short(p))]


def test_a_stop_at_any_moment_exits_130_and_leaves_no_half_written_file(background):
    """Ctrl-C, SIGTERM or SIGHUP as the command starts, while it cleans, during a folder's swap, once its work is
    done, or the moment it can catch a signal: exit status 130, one line, no traceback; every file there whole (no
    temporary file, staging folder or marker), and the report folder the previous set or the new one. (Stops while
    notebooks run, of a whole year and of areas: test_run.py.)"""
    for name, status, err, folder in background["stops"].result():
        errors = [line for line in err.splitlines() if line.startswith("error:")]
        assert status == 130 and len(errors) == 1 and "the run was stopped" in errors[0], (name, status, err)
        assert "Traceback" not in err, name
        assert _whole(folder) == [], name
        reports = folder / "reports"
        if name.startswith(("swap", "end")):  # stopped once a set was in place: it stays
            assert list(reports.glob("2025/*/run.json") if "areas" in name else reports.glob("2024/run.json")), name
        if name.startswith(("start", "ready")):
            assert not reports.exists() and "before it started" in errors[0], name
        if name.startswith("clean"):
            assert not (reports / "2024").exists() and "no report folder of 2024 was made" in errors[0], name
