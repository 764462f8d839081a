"""Shared fixtures: workbooks built with openpyxl as offices send them; the bundled data cleaned once;
one `chodon run` of the bundled data per suite (each report notebook executed once)."""

from __future__ import annotations

import collections
import functools
import importlib
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from hypothesis import settings
from openpyxl import Workbook
from openpyxl.styles import Font

# Property tests check behaviour, not speed: no per-example deadline on a busy CI machine.
settings.register_profile("project", deadline=None, print_blob=True)
settings.load_profile("project")

# Hundreds of tiny cleans: read in the process itself (20 ms saved each); the reader processes' containment is
# tested on its own (test_bad_input.py), without this setting.
os.environ.setdefault("CHODON_READERS", "in-process")
# the environment the session starts with: the background work's processes get it, not what a test in this process
# sets meanwhile (an edited vocabulary, fresh kernels)
ENV = dict(os.environ)

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
CHODON = [sys.executable, "-m", "chodon_analysis.cli"]

HEADER = ["TT", "Chỉ tiêu", "ĐVT", "Kế hoạch năm 2024", "Thực hiện năm 2024", "Đánh giá"]


def write_xlsx(path: Path, rows: list[list[object]], *, sheet: str = "Bieu", before: list[str] = (),
               font: str | None = None, percent_cells: tuple[str, ...] = (), merges: tuple[str, ...] = ()) -> Path:
    """A workbook whose indicator sheet holds `rows` from A1, after optional other sheets `before`."""
    wb = Workbook()
    first = wb.active
    if before:
        first.title = before[0]
        first["A1"] = "Trang bìa / ghi chú"
        for name in before[1:]:
            wb.create_sheet(name)["B2"] = "ghi chú"
        ws = wb.create_sheet(sheet)
    else:
        ws = first
        ws.title = sheet
    for row in rows:
        ws.append(list(row))
    if font:
        for row in ws.iter_rows():
            for cell in row:
                cell.font = Font(name=font)
    for ref in percent_cells:
        ws[ref].number_format = "0.0%"
    for rng in merges:
        ws.merge_cells(rng)
    wb.save(path)
    return path


def cp1258_bytes(text: str) -> bytes:
    """Text in Windows-1258 as Vietnamese Windows writes it: tones as combining marks after the letter."""
    import unicodedata

    tones = "\u0300\u0301\u0303\u0309\u0323"
    data = bytearray()
    for ch in text:
        try:
            data += ch.encode("cp1258")
        except UnicodeEncodeError:
            d = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(c for c in d if c not in tones))
            data += (base + "".join(c for c in d if c in tones)).encode("cp1258")
    return bytes(data)


def table(*body: list[object], header: list[str] = HEADER,
          title: str | None = "BIỂU CHỈ TIÊU NĂM 2024") -> list[list[object]]:
    rows = []
    if title:
        rows += [[title], []]
    return rows + [header, *body]


def chodon(*args: str, cwd: Path = ROOT, **kw) -> subprocess.CompletedProcess:
    """The command line as a user runs it: a new process, its exit status and its words."""
    return subprocess.run([*CHODON, *args], capture_output=True, text=True, cwd=cwd, **kw)


def run_areas(raw: Path, base: Path, year: int = 2025) -> Path:
    """`chodon run --year YEAR --area all` of the workbooks in `raw` with one small notebook (the pages a run writes
    besides the reports' own: indexes, data quality, the workbook, the appendices), into `base`; returns `base`."""
    import json

    nbs = base / "nbs"
    nbs.mkdir(exist_ok=True)
    cells = [{"cell_type": "code", "execution_count": None, "id": "p", "metadata": {"tags": ["parameters"]},
              "outputs": [], "source": "year = 2024\ndistrict = ''\ncommune = ''"},
             {"cell_type": "code", "execution_count": None, "id": "b", "metadata": {}, "outputs": [],
              "source": "print(year)"}]
    (nbs / "trivial.ipynb").write_text(json.dumps({"cells": cells, "metadata": {"kernelspec": {
        "name": "python3", "display_name": "Python 3", "language": "python"}}, "nbformat": 4, "nbformat_minor": 5}),
        encoding="utf-8")
    run = chodon("run", "--year", str(year), "--area", "all", "--raw", str(raw), "--processed", str(base / "processed"),
                 "--reports", str(base / "reports"), "--notebooks", str(nbs), "--jobs", "1", env=ENV)  # background work
    assert run.returncode == 0, run.stderr
    return base


@pytest.fixture
def vocabulary(tmp_path, monkeypatch):
    """An editable copy of the vocabulary (CHODON_VOCABULARY); the package's is checked again after."""
    from chodon_analysis.base import datafiles
    from chodon_analysis.paths import VOCABULARY_DIR

    folder = tmp_path / "vocabulary"
    shutil.copytree(VOCABULARY_DIR, folder)
    monkeypatch.setenv("CHODON_VOCABULARY", str(folder))
    datafiles.check_all()
    yield folder
    monkeypatch.delenv("CHODON_VOCABULARY")
    datafiles.check_all()


@pytest.fixture(scope="session")
def bundled():
    """The bundled workbooks of data/raw, cleaned once for the whole suite."""
    from chodon_analysis import clean

    return clean([ROOT / "data" / "raw"])


@pytest.fixture(scope="session")
def published():
    from chodon_analysis.analysis.context import load_published

    return load_published(ROOT / "data" / "external" / "published_figures.csv")


@pytest.fixture(scope="session")
def provenance():
    from chodon_analysis.analysis.trends import load_provenance

    return load_provenance(ROOT / "data" / "external")


class Background:
    """The result of work done by other processes (a run, a browser), waited for by the first test that needs it."""

    def __init__(self, work) -> None:
        self.work, self.value, self.error, self.done = work, None, None, threading.Event()

    def run(self) -> None:
        try:
            self.value = self.work()
        except BaseException as e:  # raised in the test that asks for the result
            self.error = e
        finally:
            self.done.set()

    def result(self):
        if not self.done.wait(timeout=600):
            raise TimeoutError("the background work did not end within 10 minutes")
        if self.error is not None:
            raise self.error
        return self.value


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
REPORTS = ("attainment", "forest_cover", "grain_per_capita", "indicators")


def render(pages: dict[str, Path], profiles: Path) -> dict[str, tuple[str, str]]:
    """Each page opened in headless Chromium with networking off (all at once): (its DOM after scripts ran, the
    browser's log); {} without Chromium."""
    if CHROMIUM is None:
        return {}
    procs = {}
    for name, page in pages.items():
        procs[name] = spawn(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={profiles / name}", "--proxy-server=http://127.0.0.1:9",
             "--proxy-bypass-list=<-loopback>", "--virtual-time-budget=20000", "--dump-dom", page.as_uri()],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return {name: p.communicate(timeout=120) for name, p in procs.items()}


def _full_run(base: Path):
    """The run of the bundled data."""
    args = ["run", "--year", "2024", "--raw", str(ROOT / "data" / "raw"), "--processed", str(base / "processed"),
            "--reports", str(base / "reports"), "--jobs", "1"]  # one kernel: the suite's cores are busy
    proc = spawn([*CHODON, *args], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = proc.communicate()
    return base, args, subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def _area_run(base: Path):
    """`chodon run --year 2025 --area "xã Nam Cường"` on the bundled data, its attainment page drawn in Chromium."""
    args = ["run", "--year", "2025", "--area", "xã Nam Cường", "--raw", str(ROOT / "data" / "raw"),
            "--processed", str(base / "processed"), "--reports", str(base / "reports"), "--jobs", "1"]
    proc = spawn([*CHODON, *args], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = proc.communicate()
    page = base / "reports" / "2025" / "xa-nam-cuong" / "attainment.html"
    rendered = render({"attainment": page}, base / "profiles") if page.exists() else {}
    return base, subprocess.CompletedProcess(proc.args, proc.returncode, out, err), rendered


_BACKGROUND: dict[str, Background] = {}
_QUEUE: collections.deque[Background] = collections.deque()  # the jobs not started yet
_CHILDREN: list[subprocess.Popen] = []  # every process the background work started: stopped when the session ends
# one job at a time beside the tests of this process: each side has a core; all at once, the tests waited for a share
WORKERS = 1
# the background work a fixture waits on, and the tests that wait on their own (their runs wait on processes)
NEEDS = {"full_run": ("full_run",), "explorer_driven": ("full_run", "explorer"), "area_run": ("area_run",),
         "hostile_run": ("hostile",), "province": ("province",), "slipped": ("slipped",)}
OWN = {"test_every_error_ends_the_run_within_seconds_and_shuts_its_kernels": "errors",
       "test_what_changed_is_redone_and_nothing_else": "what_changed",
       "test_a_failing_notebook_a_second_run_refused_and_killed_or_stopped_runs": "failing",
       "test_a_stop_at_any_moment_exits_130_and_leaves_no_half_written_file": "stops",
       "test_papermill_ends_a_refused_parameter_with_its_one_line": "papermill",
       "test_bundled_workbooks_are_what_the_script_builds": "sample_data",
       "test_cli_exit_codes_and_outputs": "cli",
       "test_output_files_are_written_safely_and_one_writer_at_a_time": "writers"}
WORK = {"hostile": ("test_hostile_reports", "hostile_run_and_render"),
        "province": ("test_province_reports", "province_run"), "slipped": ("test_quality_in_reports", "slipped_run"),
        "errors": ("test_run", "error_runs"), "what_changed": ("test_run", "what_changed"),
        "failing": ("test_run", "failing_and_stopped"), "stops": ("test_run_safety", "stopped_runs"),
        "papermill": ("test_what_a_reader_notices", "papermill_refusal"),
        "sample_data": ("test_bundled_data", "sample_workbooks"), "cli": ("test_formats", "cli_runs"),
        "writers": ("test_formats", "parallel_writers")}


def spawn(cmd: list[str], **kw) -> subprocess.Popen:
    """A process of the background work, in its own group (its kernels and browsers with it), in the session's
    environment (ENV) unless told."""
    proc = subprocess.Popen(cmd, **({"start_new_session": True, "env": ENV} | kw))
    _CHILDREN.append(proc)
    return proc


def _needs(item) -> list[str]:
    """The background work `item` waits on."""
    keys = [key for name in getattr(item, "fixturenames", ()) for key in NEEDS.get(name, ())]
    return keys + ([OWN[item.name]] if item.name in OWN else [])


def _work(key: str):
    """What the background does for `key`, given a folder of its own."""
    if key == "full_run":
        return _full_run
    if key == "area_run":
        return _area_run
    if key == "explorer":  # the full run's page
        from test_catalog import drive_explorer

        return lambda profiles: drive_explorer(_BACKGROUND["full_run"].result()[0], profiles)
    module, name = WORK[key]
    return getattr(importlib.import_module(module), name)


def _serve() -> None:
    while True:
        try:
            job = _QUEUE.popleft()
        except IndexError:
            return  # no thread left behind: a run of the tests' own may fork its kernels (runner/launch.can_fork)
        job.run()


@pytest.hookimpl(trylast=True)  # after -k, -m and --deselect: the work of the tests that will run, no other
def pytest_collection_modifyitems(session, config, items) -> None:
    """The tests that wait on background work come last (the others keep both cores busy meanwhile); the work they
    wait on (runs of the report notebooks, pages in Chromium, runs that are stopped) starts now, in their order."""
    items[:] = sorted(items, key=lambda item: bool(_needs(item)))
    keys = [] if config.option.collectonly else list(dict.fromkeys(key for item in items for key in _needs(item)))
    factory = config._tmp_path_factory
    for key in keys:  # the folders made here, not in the threads: two threads creating pytest's base folder race
        _BACKGROUND[key] = Background(functools.partial(_work(key), factory.mktemp(key)))
    _QUEUE.extend(_BACKGROUND[key] for key in keys)
    for _ in range(min(WORKERS, len(keys))):
        threading.Thread(target=_serve, daemon=True).start()


def pytest_sessionfinish(session, exitstatus) -> None:
    """No run or browser of the suite outlives it (an interrupted or partial session included)."""
    import contextlib
    import os
    import signal

    _QUEUE.clear()  # no job starts now
    for proc in _CHILDREN:
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@pytest.fixture(scope="session")
def background() -> dict[str, Background]:
    return _BACKGROUND


@pytest.fixture(scope="session")
def full_run(background):
    """`chodon run --year 2024` on the bundled data: every report notebook executed once, then reused."""
    return background["full_run"].result()


@pytest.fixture(scope="session")
def explorer_driven(background):
    """The explorer page of the bundled run, its list and search box driven in Chromium (test_catalog.py)."""
    return background["explorer"].result()


@pytest.fixture(scope="session")
def area_run(background):
    """One area's run of 2025 (test_areas.py)."""
    return background["area_run"].result()


@pytest.fixture(scope="session")
def hostile_run(background):
    """`chodon run --param lang=en` on a workbook carrying script payloads, its pages drawn in Chromium
    (test_hostile_reports.py, test_language.py)."""
    return background["hostile"].result()


def write_ods(path: Path, rows: list[list[object]], percent: dict[tuple[int, int], int] = None,
              sheet: str = "Bieu") -> Path:
    """An .ods as LibreOffice writes it; `percent` maps (row, col) (0-based) to the decimals of a percent style."""
    from odf.number import Number, PercentageStyle, Text
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.style import Style
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    styles = {}
    for d in sorted(set((percent or {}).values())):
        ps = PercentageStyle(name=f"N{d}")
        ps.addElement(Number(decimalplaces=d, minintegerdigits=1))
        ps.addElement(Text(text="%"))
        doc.automaticstyles.addElement(ps)
        st = Style(name=f"ce{d}", family="table-cell", datastylename=f"N{d}")
        doc.automaticstyles.addElement(st)
        styles[d] = st
    table = Table(name=sheet)
    for r, row in enumerate(rows):
        tr = TableRow()
        for c, v in enumerate(row):
            if (r, c) in (percent or {}):
                cell = TableCell(valuetype="percentage", value=v, stylename=styles[percent[(r, c)]])
                cell.addElement(P(text=f"{v * 100:.{percent[(r, c)]}f}%"))
            elif isinstance(v, (int, float)) and not isinstance(v, bool):
                cell = TableCell(valuetype="float", value=v)
                cell.addElement(P(text=str(v)))
            elif v is None or v == "":
                cell = TableCell()
            else:
                cell = TableCell(valuetype="string")
                cell.addElement(P(text=str(v)))
            tr.addElement(cell)
        table.addElement(tr)
    doc.spreadsheet.addElement(table)
    doc.save(str(path))
    return path
