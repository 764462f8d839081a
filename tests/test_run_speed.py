"""What the yearly run leaves out to be faster (issue 27): the plain command line read without typer, the work done
beside the run in a forked process, the source notebook read once, the page exported without a copy."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_only_the_plain_run_line_is_read_without_typer():
    """speed.plain_run: `run --year Y` with options once each as `--name VALUE`; anything else is typer's."""
    from chodon_analysis.speed import plain_run

    assert plain_run(["run", "--year", "2024"]) == {"year": 2024, "jobs": 0}
    assert plain_run(["run", "--year", "2024", "--force", "--raw", "r", "--jobs", "1", "-p", "lang=en",
                      "--param", "rel_tol=0.1", "--show-code"]) == {
        "year": 2024, "jobs": 1, "force": True, "raw": Path("r"), "param": ["lang=en", "rel_tol=0.1"],
        "show_code": True}
    assert plain_run(["run", "--year", "2025", "--lang", "en"]) == {"year": 2025, "jobs": 0, "lang": "en"}
    for line in (["run"], ["run", "--year", "abc"], ["run", "--year", "1800"], ["run", "--year=2024"],
                 ["run", "--year", "2024", "--year", "2025"], ["run", "--year", "2024", "--force", "--force"],
                 ["run", "--year", "2024", "--raw"], ["run", "--year", "2024", "--raw", ""],
                 ["run", "--year", "2024", "--area", "-x"], ["run", "--year", "2024", "--jobs", "-1"],
                 ["run", "--year", "2024", "--help"], ["run", "--year", "2024", "extra"], ["clean"], []):
        assert plain_run(line) is None, line


def test_work_goes_on_beside_the_run_after_its_answer():
    """aside.fork_beside: the first answer while the run goes on, the second (or its error) when asked; a failed
    first piece of work starts no second. Checked in a process without threads (the suite's own runs some)."""
    code = ("import os\nfrom chodon_analysis.runner.aside import fork_beside\n"
            "value, later = fork_beside(lambda a: a * 2, (21,), lambda: None, lambda: os.getpid())\n"
            "assert value == 42 and later.result() != os.getpid() and later.result() == later.pid\n"
            "value, later = fork_beside(lambda: 1, (), lambda: None, lambda: 1 / 0)\n"
            "try:\n    later.result()\nexcept ZeroDivisionError:\n    print('second failed')\n"
            "try:\n    fork_beside(lambda: {}['x'], (), lambda: None, lambda: 1)\nexcept KeyError:\n"
            "    print('first failed')\n"
            "value, later = fork_beside(lambda: 1, (), lambda: None, lambda: __import__('time').sleep(30))\n"
            "later.kill()\nprint('killed')\n")
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert p.returncode == 0 and p.stdout.split() == ["second", "failed", "first", "failed", "killed"], p.stderr


def test_a_source_notebook_is_read_once_and_copied(tmp_path):
    """execute.source: the notebook as papermill reads it, one read while the file stays the same, a copy each."""
    from chodon_analysis.runner.execute import _SOURCES, source

    nb = tmp_path / "a.ipynb"
    nb.write_text((ROOT / "notebooks" / "grain_per_capita.ipynb").read_text(encoding="utf-8"), encoding="utf-8")
    first, second = source(nb), source(nb)
    assert first == second and first is not second and first.cells[0] is not second.cells[0]
    assert sum(1 for key in _SOURCES if key[0] == str(nb)) == 1
    assert "papermill" in first.metadata


def test_run_takes_the_reports_language_as_check_does(tmp_path):
    """A tester's case: `chodon run --lang en` was `no such option` (only `--param lang=en` was known), while
    `chodon check` takes `--lang`; a language the reports do not speak is refused as `--param lang=fr` is."""
    from typer.testing import CliRunner

    from chodon_analysis.cli import app

    refused = CliRunner().invoke(app, ["run", "--year", "2024", "--lang", "fr", "--reports", str(tmp_path)])
    assert refused.exit_code == 2 and "lang: 'fr' is not a report language; use one of: vi, en" in refused.stderr
    assert not any(tmp_path.iterdir())  # nothing written
