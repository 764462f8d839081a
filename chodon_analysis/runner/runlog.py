"""run.json, the record a report folder keeps of the run that wrote it: the one module that reads and writes it.

Its step fingerprints decide what the next run skips (docs/yearly-run.md#what-is-redone-and-what-is-skipped)."""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..base.files import write_text_atomic
from .steps import Step

FILE = "run.json"
KEPT = ("done", "skipped")  # a step whose output is in the folder: its fingerprint counts; a failed one never


@dataclass(frozen=True)
class RunLog:
    """What the previous run of a report folder recorded: the code it ran and each step's fingerprint."""

    keys: Mapping[str, str] = field(default_factory=dict)  # step name -> fingerprint, for steps done or skipped
    code: str = ""

    def key(self, step: str) -> str:
        """The fingerprint `step` was last made from; "" when it failed or never ran."""
        return self.keys.get(step, "")


def exists(folder: Path) -> bool:
    """Whether a run wrote `folder` as one report set (an area's folder, or a whole year's)."""
    return (folder / FILE).exists()


def read(folder: Path) -> RunLog:
    """The record in `folder`; an empty one when there is none, or it cannot be read (then everything is redone)."""
    try:
        data = json.loads((folder / FILE).read_text(encoding="utf-8"))
        steps = [s for s in data.get("steps", []) if s.get("status") in KEPT]
        return RunLog({s["name"]: s.get("key", "") for s in steps}, str(data.get("code", "")))
    except (OSError, ValueError, AttributeError, KeyError, TypeError):
        return RunLog()


def write(folder: Path, head: Mapping[str, object], steps: list[Step], code: str, seconds: float) -> dict:
    """Record this run in `folder`: `head` (the year, an area's name and level), when it ended, the code, how long it
    took, whether a step failed, and each step with its status, seconds, fingerprint and detail."""
    log = {**head, "finished": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "code": code, "seconds": round(seconds, 3),
           "failed": any(s.status == "failed" for s in steps),
           "steps": [s.record() for s in steps]}
    write_text_atomic(folder / FILE, json.dumps(log, ensure_ascii=False, indent=2))
    return log
