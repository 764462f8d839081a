"""The steps of a run and how the run speaks: progress on a terminal only, one `error:` line per failure."""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ..base.visible import shown  # what a workbook or a file name says, escaped before the terminal sees it


def say(msg: str) -> None:
    """Progress on a terminal only; logs stay quiet."""
    if sys.stderr.isatty():
        print(shown(msg), file=sys.stderr, flush=True)


def err(msg: str) -> None:
    print(f"error: {shown(msg)}", file=sys.stderr, flush=True)


@dataclass
class Step:
    """One step of a run as run.json records it: `clean`, `derived`, `workbook`, `[area/]notebook:name`."""

    name: str
    status: str  # done, skipped, failed
    seconds: float = 0.0
    key: str = ""
    detail: str = ""
    error: str = field(default="", compare=False)  # a failed notebook's line, said once its folder is settled
    saved: str = field(default="", compare=False)  # the partly executed notebook's file name, beside the reports

    def record(self) -> dict[str, object]:
        """The step as run.json keeps it."""
        return {"name": self.name, "status": self.status, "seconds": round(self.seconds, 3), "key": self.key,
                "detail": self.detail}


def last_line(year_dir: Path, per_area: bool, steps: list[Step], n_folders: int, wrote: bool, seconds: float) -> str:
    """What the run did, in one line: nothing, or the notebooks executed and what failed."""
    if not wrote:
        return f"{year_dir}: nothing changed; no work done (use --force to redo)"
    n_done = sum(s.status == "done" for s in steps if "notebook:" in s.name)
    failed = [s.name for s in steps if s.status == "failed"]
    areas = sorted({name.split("/")[0] for name in failed if "/" in name})  # an area's steps: `slug/notebook:name`
    names = [name.removeprefix("notebook:") for name in failed if "/" not in name]
    return (f"{year_dir}: " + (f"{n_folders} area(s), " if per_area else "")
            + f"{n_done} notebook(s) executed in {seconds:.1f} s"
            + (f"; failed in: {', '.join(areas)}" if areas else "")
            + (f"; failed: {', '.join(names)} (see the error lines above)" if names else ""))


def left_by_stop(year_dir: Path, per_area: bool, done: list[str]) -> str:
    """What a stopped run leaves in its report folder, in words (`done`: the folders it had put in place)."""
    if not year_dir.is_dir():
        return f"no report folder of {year_dir.name} was made"
    if per_area:
        return f"in {year_dir} the areas it had finished are in place, the others as they were before the run"
    if done:
        return f"{year_dir} holds its new reports (they were in place when it was stopped)"
    return f"{year_dir} is left as it was before the run"


_PASSING = (re.compile(r"\.(.+)\.(?:staging|old)"), re.compile(r"\.(.+)\.[a-z0-9_]{8}\.tmp"),
            re.compile(r"\.(.+)\.\d+\.\d+(\.ipynb)"))  # a staging folder, a temporary file, a notebook being run


def where(path: Path | str) -> str:
    """A file the run writes, as `folder: name` naming only what exists: the folder the file goes to as the reports
    show it (never a staging folder or temporary name, thrown away with the run), or the nearest that exists."""
    from ..cleaning.workbooks import shown

    parts = []
    for part in Path(os.fsdecode(path)).absolute().parts:
        m = next((m for p in _PASSING if (m := p.fullmatch(part))), None)
        parts.append("".join(g for g in m.groups() if g) if m else part)
    folder, name = Path(*parts).parent, Path(parts[-1])
    while not folder.is_dir() and folder != folder.parent:
        folder, name = folder.parent, Path(folder.name) / name
    return f"{shown(folder)}: {shown(name)}"


def unwritten(e: OSError, per_area: bool) -> str:
    """A file that could not be written (a full disk, a folder without permission) in one line: where it was going
    (`where`), what the system said and what to do."""
    left = "the areas it had finished are in place, nothing else was replaced" if per_area else "nothing was replaced"
    said = f"{e.strerror or e}; {left} (free some space or fix the folder's permissions, then run again)"
    return f"{where(e.filename)} could not be written: {said}" if e.filename else said
