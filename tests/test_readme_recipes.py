"""The README's scheduling recipes, run as written (cron, systemd, Slurm, GNU parallel, Airflow): each line, after
the unescaping its scheduler does, asks for the year just ended, and from 2025 that run is one per area by itself."""

from __future__ import annotations

import os
import re
import subprocess
from datetime import datetime

import pytest
from conftest import ROOT
from jinja2 import Template

README = (ROOT / "README.md").read_text(encoding="utf-8")
SHIM = '#!/bin/sh\nprintf "%s\\n" "$@" > "$(dirname "$0")/../../args.txt"\n'  # .venv/bin/chodon: records its argv
DATE = '#!/bin/sh\n[ "$1" = "+%Y" ] && echo {year} && exit 0\nexit 1\n'  # `date +%Y` of a fixed year


def _line(pattern: str) -> str:
    found = re.findall(pattern, README, re.M)
    assert len(found) == 1, pattern
    return found[0]


RECIPES = {  # the shell command of each recipe as its scheduler hands it to a shell
    "cron": _line(r"^0 6 15 1 \* (cd /srv/chodon-analysis && \.venv/bin/chodon run .*?) >>").replace("\\%", "%"),
    "systemd": _line(r"^ExecStart=/bin/sh -c '(.*)'$").replace("%%", "%"),
    "slurm": _line(r"^(cd /srv/chodon-analysis && \.venv/bin/chodon run .*\\\n.*)$").replace("\\\n", " "),
    "parallel": _line(r"^(parallel -j 4 .*)$"),
}


def _run_as_written(tmp_path, command: str, this_year: int) -> list[list[str]]:
    """The argv the recipe's line gives `.venv/bin/chodon`, run by sh in a project folder of shims."""
    project = tmp_path / "srv"
    (project / ".venv" / "bin").mkdir(parents=True, exist_ok=True)
    (tmp_path / "bin").mkdir(exist_ok=True)
    for path, text in ((project / ".venv" / "bin" / "chodon", SHIM), (tmp_path / "bin" / "date", DATE)):
        path.write_text(text.format(year=this_year) if path.name == "date" else text, encoding="utf-8")
        path.chmod(0o755)
    command = command.replace("cd /srv/chodon-analysis", f"cd {project}")
    env = {**os.environ, "PATH": f"{tmp_path / 'bin'}:{os.environ['PATH']}", "SLURM_ARRAY_TASK_ID": "2",
           "SLURM_ARRAY_TASK_COUNT": "8", "SLURM_CPUS_PER_TASK": "2"}
    if command.startswith("parallel"):
        command = f"cd {project} && " + command.replace("parallel -j 4 ", "").replace("{}/4 ::: 1 2 3 4", "3/4")
    subprocess.run(["sh", "-c", command], cwd=project, env=env, check=True, timeout=30)
    return (project / "args.txt").read_text(encoding="utf-8").split()


@pytest.mark.parametrize("recipe", sorted(RECIPES))
def test_a_recipe_asks_for_the_year_just_ended_and_from_2025_runs_per_area(tmp_path, monkeypatch, recipe):
    from typer.testing import CliRunner

    from chodon_analysis.cli import app
    from chodon_analysis.runner import run as run_module

    argv = _run_as_written(tmp_path, RECIPES[recipe], 2026)
    assert argv[:3] == ["run", "--year", "2025"], argv
    asked = []
    monkeypatch.setattr(run_module, "run", lambda config: asked.append(config) or 0)
    result = CliRunner().invoke(app, argv)
    assert result.exit_code == 0, result.stderr
    assert asked[0].year == 2025 and asked[0].per_area and asked[0].area == "all"  # the reform: a folder per area
    if recipe in ("slurm", "parallel"):
        assert asked[0].shard == ((2, 8) if recipe == "slurm" else (3, 4))
    before = _run_as_written(tmp_path, RECIPES[recipe], 2025)  # the same line a year earlier: the district's year
    CliRunner().invoke(app, before)
    assert before[:3] == ["run", "--year", "2024"] and (asked[1].per_area == (recipe in ("slurm", "parallel")))


def test_the_airflow_recipes_take_the_year_from_the_schedule():
    """No year written into a scheduled command: Airflow's templates take it from the run's date, the end of its
    data interval (the run of 15 January 2026 reports 2025 on Airflow 2, whose `ds` is the interval's start,
    2025-01-15, as on Airflow 3)."""
    airflow = re.findall(r"```python\n(.*?)```", README, re.S)
    commands = [c for c in airflow if "BashOperator" in c]
    assert len(commands) == 2
    for c in commands:
        assert not re.search(r"--year 20\d\d", c)
        for template in re.findall(r"--year (\{\{.*?\}\})", c):  # rendered as Airflow renders it (Jinja)
            assert Template(template).render(data_interval_end=datetime(2026, 1, 15, 6)) == "2025"
        assert re.findall(r"--year (\{\{.*?\}\})", c)
