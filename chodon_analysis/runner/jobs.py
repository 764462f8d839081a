"""The notebooks a run executes: their parameters checked once, then a Job per notebook and report folder, unless
its output is there and was made from the same inputs (then a skipped step)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .areas import Area
from .config import RunConfig
from .params import Notebook, check_params
from .runlog import RunLog
from .stamps import folder_fingerprint, hash_files
from .steps import Step, err

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class Runnable:
    """A report notebook whose parameters passed the checks, with those parameters."""

    notebook: Notebook
    params: Mapping[str, object]


@dataclass(frozen=True)
class Target:
    """Where a notebook's outputs go: the folder written (a staging folder), the one named in messages (which the
    staging folder becomes), plotly.js relative to the pages, and the step names' prefix (an area's `slug/`)."""

    out_dir: Path
    shown: Path
    plotly_src: str | None
    label: str = ""


@dataclass(frozen=True)
class Job:
    """One notebook execution: the notebook, its parameters, the fingerprint of its inputs, where it goes."""

    notebook: Notebook
    params: Mapping[str, object]
    key: str
    target: Target

    @property
    def step_name(self) -> str:
        return f"{self.target.label}notebook:{self.notebook.name}"


def check_notebooks(nbs: list[Notebook], cfg: RunConfig) -> list[Runnable] | None:
    """Every notebook with its parameters (the run's and the `--param`s it declares); None when a value is refused
    or a `--param` is declared by no notebook, each problem said once."""
    refused = False
    for name in cfg.params:
        if nbs and not any(name in nb.params for nb in nbs):
            err(f"--param {name}: unknown parameter '{name}': no report notebook of {cfg.notebooks} declares it "
                f"(they declare: {', '.join(sorted({p for nb in nbs for p in nb.params}))})")
            refused = True
    runnable, said = [], set()
    for nb in nbs:
        params = {k: v for k, v in (cfg.base_params() | dict(cfg.params)).items() if k in nb.params}
        problems = check_params(nb, params)
        for p in problems:
            if p not in said:  # the same refused value in every notebook: said once
                err(p)
                said.add(p)
        refused |= bool(problems)
        runnable.append(Runnable(nb, params))
    return None if refused else runnable


def notebook_key(data_key: str, nb: Notebook, params: Mapping[str, object], show_code: bool) -> str:
    """What a notebook's output is made from: the data, the notebook file, its parameters and the HTML option."""
    return hashlib.sha256(json.dumps([data_key, hash_files([nb.path]), dict(params), show_code], sort_keys=True,
                                     default=str).encode()).hexdigest()


def area_data_key(area: Area | None, table: pd.DataFrame | None, data_key: str, cfg: RunConfig, code: str) -> str:
    """What a report folder's notebooks read: a commune's own rows (a change in another commune's workbook does not
    redo it), the reference data, the code and the year; the whole year or a district read the whole table."""
    if area is None or area.level != "commune" or table is None:
        return data_key
    import pandas as pd

    rows = table[(table["area"] == area.name) & (table["area_level"] == "commune")].drop(columns=["source_row"],
                                                                                       errors="ignore")
    digest = hashlib.sha256(pd.util.hash_pandas_object(rows.astype(str), index=False).values.tobytes()).hexdigest()
    return hashlib.sha256(f"{digest}|{folder_fingerprint(cfg.external)}|{code}|{cfg.year}".encode()).hexdigest()


def plan(runnable: list[Runnable], area: Area | None, target: Target, previous: RunLog, data_key: str,
         cfg: RunConfig) -> tuple[list[Job], list[Step]]:
    """The folder's notebooks: a Job for each to execute, a skipped Step for each unchanged since the run that wrote
    `previous` (both files there). A notebook with no `commune` parameter is a district report: not for a commune."""
    jobs, skipped = [], []
    for r in runnable:
        if area is not None and area.level == "commune" and "commune" not in r.notebook.params:
            continue
        params = dict(r.params) | {k: v for k, v in (area.params() if area else {}).items() if k in r.notebook.params}
        job = Job(r.notebook, params, notebook_key(data_key, r.notebook, params, cfg.show_code), target)
        name = r.notebook.name
        there = (target.out_dir / f"{name}.html").exists() and (target.out_dir / f"{name}.ipynb").exists()
        if not cfg.force and there and previous.key(job.step_name) == job.key:
            skipped.append(Step(job.step_name, "skipped", 0.0, job.key, "unchanged"))
        else:
            jobs.append(job)
    return jobs, skipped
