"""What the value reader does not give, in the pieces every format's style pass shares: which cells carry a
percent format, how many decimals a cell's number format shows, error cells (#N/A) and formulas never
calculated, hidden rows and columns, and the legacy fonts a workbook names. Each format module fills them from
its own file (xlsx.py, xls.py, ods.py); calamine.py puts them on the sheets read."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .book import ReadError

BUILTIN_FORMATS = {  # Excel's built-in number formats by id
    1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%", 37: "#,##0 ;(#,##0)",
    38: "#,##0 ;[Red](#,##0)", 39: "#,##0.00;(#,##0.00)", 40: "#,##0.00;[Red](#,##0.00)"}
_DECIMALS = re.compile(r"[0#?]\.([0#?]*)")


@dataclass
class SheetStyles:
    percent: set[tuple[int, int]] = field(default_factory=set)
    decimals: dict[tuple[int, int], int] = field(default_factory=dict)
    errors: dict[tuple[int, int], str] = field(default_factory=dict)
    hidden_rows: set[int] = field(default_factory=set)
    hidden_cols: set[int] = field(default_factory=set)


@dataclass
class Styles:
    sheets: dict[int, SheetStyles] = field(default_factory=dict)  # by sheet index, in workbook order
    font_hint: str | None = None


def format_decimals(code: str) -> int | None:
    """Decimals a number format shows (`#,##0.0` 1, `0%` 0); None for General, text and dates."""
    section = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", code.split(";")[0])
    if not re.search(r"[0#?]", section) or re.search(r"[dmyhs]", section, re.I) or "@" in section:
        return None
    m = _DECIMALS.search(section)
    return len(m.group(1)) if m else 0


def font_hint(fonts: list[str]) -> str | None:
    """The legacy encoding a workbook's font names reveal (legacy_fonts.csv), or None."""
    from ...base import vocab

    names = [f.lower() for f in fonts]
    for prefix, encoding in vocab.legacy_fonts():  # in the file's order: a .Vn font wins over a VNI one
        if any(name.startswith(prefix) for name in names):
            return encoding
    return None


def unchecked(e: Exception) -> ReadError:
    """A workbook whose XML cannot be scanned is not handed to the reader unchecked: it could be any size."""
    return ReadError("damaged", detail=str(e).splitlines()[0][:120] if str(e) else type(e).__name__)
