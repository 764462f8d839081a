"""The steps of a run and how the run speaks: progress on a terminal only, one `error:` line per failure."""

from __future__ import annotations

import sys
from dataclasses import dataclass

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
