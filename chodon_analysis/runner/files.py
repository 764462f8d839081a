"""Text written under a temporary name."""

from __future__ import annotations

from pathlib import Path

from ..cleaning.write import write_atomic


def write_text_atomic(path: Path, text: str) -> None:
    """Write UTF-8 text through a temporary file moved into place."""
    write_atomic(path, lambda p: p.write_text(text, encoding="utf-8"))
