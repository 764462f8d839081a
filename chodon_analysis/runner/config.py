"""What one `chodon run` is asked to do, as one frozen value, and the refusals said before anything starts."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple

from ..cleaning.workbooks import DEFAULT_DISTRICT
from ..paths import EXTERNAL, NOTEBOOKS, PROCESSED, RAW, REPORTS, project_dir, project_root
from . import runlog, tree
from .reportset import LOCKS as AREA_LOCKS  # in reports/Y/ of a run per area: its locks (the mark of that layout)

USAGE = 2  # the exit status of wrong usage (options, parameters, an area that is not one): never worth a retry


@dataclass(frozen=True)
class RunConfig:
    """The options of `chodon run`: the year, the folders, the workers, the notebook parameters and, for a report
    folder per area, which areas (`area`: `all` or one name; None for the whole year in one folder)."""

    year: int
    raw: Path = RAW
    processed: Path = PROCESSED
    reports: Path = REPORTS
    notebooks: Path | None = None  # None: the installed project's notebooks
    external: Path = EXTERNAL
    jobs: int = 0  # notebooks run in parallel; 0: one per processor core
    force: bool = False
    show_code: bool = False
    params: Mapping[str, object] = field(default_factory=dict)  # --param name=value
    area: str | None = None
    shard: tuple[int, int] | None = None  # (K, N): the K-th of N slices of the areas

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))  # frozen all the way down

    def resolved(self) -> RunConfig:
        """The same run with every folder absolute (the run prints and passes them to notebooks in full); the report
        folder as given, not through a link (a link there is refused: tree.refusal)."""
        nbs = self.notebooks or (project_root() or project_dir()) / NOTEBOOKS  # from any folder: the project's
        return replace(self, raw=self.raw.resolve(), processed=self.processed.resolve(),
                       reports=Path(os.path.abspath(self.reports)), notebooks=nbs.resolve(),
                       external=self.external.resolve())

    @property
    def per_area(self) -> bool:
        """A report folder per area under reports/Y/ (`--area`), rather than the whole year in reports/Y/."""
        return self.area is not None

    @property
    def year_dir(self) -> Path:
        return self.reports / str(self.year)

    @property
    def lang(self) -> str:
        return str(self.params.get("lang", "vi"))

    @property
    def district(self) -> str:
        return str(self.params.get("district", DEFAULT_DISTRICT))

    def base_params(self) -> dict[str, object]:
        """What every notebook that declares them gets from the run itself."""
        return {"year": self.year, "processed_dir": str(self.processed), "external_dir": str(self.external)}


class Refusal(NamedTuple):
    """Why a run cannot start, in one line, and the exit status it gives (docs/yearly-run.md#exit-status)."""

    message: str
    status: int = 1  # 2: the options do not make sense together (wrong usage)


OWN_PARAMS = {"year": "--year", "processed_dir": "--processed", "external_dir": "--external"}  # set by the run


def refusal(cfg: RunConfig) -> Refusal | None:
    """The first reason `cfg` (resolved) cannot run, checked before any lock is taken or file written."""
    return usage_refusal(cfg) or state_refusal(cfg)


def state_refusal(cfg: RunConfig) -> Refusal | None:
    """What the folders do not allow: one missing, a file given for a folder, a report folder that is a link, a file
    or a folder of files no run wrote, a report folder of the other layout."""
    if refused := _folder_refusal(cfg):
        return refused
    if problem := tree.refusal(cfg.reports, cfg.year_dir):
        return Refusal(problem)
    return _layout_refusal(cfg)


def usage_refusal(cfg: RunConfig) -> Refusal | None:
    """Options that cannot go together, said before anything else (exit status 2: a scheduler must not retry them).
    The area is chosen by `--area`, never by a parameter; the run's own parameters come from its options; a shard is
    a slice of the areas."""
    if cfg.area is not None and not cfg.area.strip():
        return Refusal("--area is empty; give an area's name or folder (`chodon areas --year Y`), or all", USAGE)
    if cfg.shard is not None and not cfg.per_area:
        return Refusal("--shard slices the areas of --area; give --area all (or one area) with it", USAGE)
    if cfg.shard is not None and not 1 <= cfg.shard[0] <= cfg.shard[1]:
        k, n = cfg.shard
        return Refusal(f"--shard {k}/{n}: give K/N with 1 ≤ K ≤ N, e.g. --shard 2/4 for the second of four slices",
                       USAGE)
    if own := sorted(set(OWN_PARAMS) & set(cfg.params)):
        return Refusal(f"--param {own[0]}: the run sets it from {OWN_PARAMS[own[0]]}; give {OWN_PARAMS[own[0]]} "
                       "instead", USAGE)
    if cfg.per_area and (chosen_by := sorted({"district", "commune"} & set(cfg.params))):
        return Refusal(f"--param {chosen_by[0]}: with --area the area is chosen by --area; leave out --param "
                       f"{chosen_by[0]}", USAGE)
    if not cfg.per_area and "commune" in cfg.params:
        return Refusal("--param commune: a commune's reports go to their own folder; use --area NAME instead", USAGE)
    return None


def _folder_refusal(cfg: RunConfig) -> Refusal | None:
    """A folder argument that cannot work."""
    if not cfg.raw.exists():
        return Refusal(f"--raw {cfg.raw}: no such file or folder")
    if cfg.notebooks is None or not cfg.notebooks.is_dir():
        return Refusal(f"--notebooks {cfg.notebooks}: no such folder of report notebooks")
    if cfg.processed.exists() and not cfg.processed.is_dir():
        return Refusal(f"--processed {cfg.processed}: this is a file, not a folder; give a folder (it is created if "
                       "missing)")
    return None


def _layout_refusal(cfg: RunConfig) -> Refusal | None:
    """One layout per report folder: the whole year in it, or a folder per area."""
    if cfg.per_area and runlog.exists(cfg.year_dir):
        return Refusal(f"{cfg.year_dir} holds a whole-year run's reports (without --area); give another --reports "
                       "folder, or remove that one first")
    if not cfg.per_area and (cfg.year_dir / AREA_LOCKS).is_dir():
        return Refusal(f"{cfg.year_dir} holds reports per area (from `chodon run --area`); run with --area all, or "
                       "give another --reports folder")
    return None
