"""Find the indicator table of a sheet: its header row(s) and the role of each column (docs/reading.md)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache

from ...base import vocab
from ...base.text import fold, normalize
from ..formats import Sheet
from ..rows.parse import parse_number
from .periods import header_period, names_a_period

HEADER_SCAN_ROWS = 40
VALUE_ROLES = ("plan", "actual", "actual_estimate")
_DIGITS_PUNCT = re.compile(r"[\d()\[\]:.,*]+")
_NAM = re.compile(r"\b(nam|năm)\b")


@dataclass
class Column:
    """A column of the indicator table: its role (plan, actual, ...), header text, year and period, and the
    evidence for each (for layout.csv and `chodon inspect`)."""

    index: int
    role: str
    header: str
    year: int | None = None
    period: str = "year"
    offset: int | None = None
    evidence: list[str] = field(default_factory=list)
    used: str = ""  # what the reader did with it: "" (used) or why not
    fixed: bool = False  # role, year and period said by a layout file, not guessed


@dataclass
class Layout:
    """The header row(s) (0-based), the recognised columns, the text above the header and every header cell."""

    header_rows: tuple[int, ...]
    columns: list[Column]
    title_text: str
    header_texts: list[str] = field(default_factory=list)

    def first(self, role: str) -> Column | None:
        return next((c for c in self.columns if c.role == role), None)



@vocab.derived
@cache
def _role_patterns() -> list[tuple[str, frozenset[str], re.Pattern[str] | None]]:
    out = []
    for role, cells, words in vocab.column_aliases():
        rx = re.compile(r"(?<![\w/])(?:" + "|".join(re.escape(a) for a in words) + r")(?![\w/])") if words else None
        out.append((role, cells, rx))
    return out


_FORMULA = re.compile(r"(?<![\w.])\(?\d{1,2}\)?\s*=\s*\(?\d{1,2}\)?\s*[/:x*]\s*\(?\d{1,2}\)?(?![\w.])")


@vocab.derived
@lru_cache(maxsize=16384)
def header_match(text: str) -> tuple[str, str] | None:
    """(role, the alias that decided it) of a header cell (`Kế hoạch năm 2024` -> plan, `kế hoạch`)."""
    f = fold(text)
    if not f:
        return None
    if m := _FORMULA.search(f):  # `3=2/1`: a column computed from two others
        return "comparison", m.group(0)
    bare = _NAM.sub(" ", _DIGITS_PUNCT.sub(" ", f)).strip()
    for role, cells, rx in _role_patterns():
        if cells and (f.strip(" .:") in cells or bare in cells):
            return role, f.strip(" .:")
        if rx is not None and (m := rx.search(f)):
            return role, m.group(0)
    return None


def header_role(text: str) -> str | None:
    """The role of a header cell (`Kế hoạch năm 2024` -> plan), by column_aliases.csv."""
    m = header_match(text)
    return m[0] if m else None


def cell_text(v: object) -> str:
    """A cell as text, the way a spreadsheet shows it (no `.0` on whole numbers)."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float):  # no binary noise: 24730.6, not 24730.600000000002
        return str(int(v)) if v.is_integer() and abs(v) < 1e15 else f"{v:.15g}"  # 1e27: no digits of binary noise
    if isinstance(v, dt.datetime | dt.date | dt.time):
        return v.isoformat()
    return str(v)


def row_texts(row: list[object]) -> list[str]:
    """Cells as text; text cells are already repaired and normalized by `repair_sheet_text`."""
    return [v if type(v) is str else "" if v is None else _number_text(v) if type(v) is float else cell_text(v)
            for v in row]


def _number_text(v: float) -> str:
    """A float cell as a spreadsheet shows it (the common case of `cell_text`, fast)."""
    return str(int(v)) if v.is_integer() and abs(v) < 1e15 else f"{v:.15g}"  # 1e27: no digits of binary noise


def _merged_row(sheet: Sheet, r: int, width: int) -> dict[int, str]:
    """Column -> the text of the merge that covers row `r` there from another cell (the first merge listed wins):
    one pass over the merges per row, whatever their number (at most bounds.MAX_MERGES)."""
    out: dict[int, str] = {}
    for (r0, c0), (r1, c1) in sheet.merged:
        if not r0 <= r <= r1 or c0 >= width or len(out) >= width:
            continue
        inside = r0 < len(sheet.grid) and c0 < len(sheet.grid[r0])
        text = normalize(cell_text(sheet.grid[r0][c0])) if inside else None
        for c in range(max(c0, 0), min(c1, width - 1) + 1):
            if (r0, c0) != (r, c) and c not in out:
                out[c] = text
    return out


_YEAR_CELL = re.compile(r"(?<!\d)(19|20)\d{2}(?!\d)")


def _header_word(text: str) -> bool:
    """A cell of a second header row: a role, a period (`6 tháng`) or a year (`Năm 2023` under `Kế hoạch`)."""
    return bool(header_role(text) or names_a_period(text) or _YEAR_CELL.search(text))


def _continued(sheet: Sheet, rows: tuple[int, ...], texts: list[str], roles: dict) -> tuple[tuple[int, ...], list[str]]:
    """A third header row (`Với KH | Với cùng kỳ` under `So sánh (%)`) joins the header: no name, no numbers,
    header words only."""
    nxt = rows[-1] + 1
    if nxt >= len(sheet.grid):
        return rows, texts
    below = row_texts(sheet.grid[nxt])
    name_at = next((c for c, role in roles.items() if role == "indicator"), None)
    words = [b for b in below if b]
    if not words or (name_at is not None and name_at < len(below) and below[name_at]) or \
            sum(parse_number(b) is not None for b in words) >= 1 or not all(_header_word(b) for b in words):
        return rows, texts
    width = max(len(texts), len(below))
    texts = texts + [""] * (width - len(texts))
    below = below + [""] * (width - len(below))
    return (*rows, nxt), [" ".join(x for x in (texts[c], below[c]) if x) for c in range(width)]


def find_layout(sheet: Sheet) -> Layout | None:
    """The header row(s) and column roles of a sheet, or None when it holds no indicator table; found once per
    sheet (the table split, the turned view and the walk all ask: a view of a sheet is a sheet of its own)."""
    if "_layout" not in sheet.__dict__:
        sheet.__dict__["_layout"] = _find_layout(sheet)
    return sheet.__dict__["_layout"]


def _find_layout(sheet: Sheet) -> Layout | None:
    grid = sheet.grid
    for r in range(min(len(grid), HEADER_SCAN_ROWS)):
        top = row_texts(grid[r])
        roles = {c: header_role(t) for c, t in enumerate(top) if t}
        if "indicator" not in roles.values() or len(roles) < 2:
            continue  # a title line such as `BIỂU CHỈ TIÊU` names no other column
        best: tuple[tuple[int, ...], list[str]] | None = None
        if any(v in VALUE_ROLES for v in roles.values()):
            best = ((r,), top)
        if r + 1 < len(grid):
            bottom = row_texts(grid[r + 1])
            width = max(len(top), len(bottom))
            top = top + [""] * (width - len(top))
            bottom = bottom + [""] * (width - len(bottom))
            filled, last = [], ""
            merged = _merged_row(sheet, r, width) if sheet.merged else {}
            for c in range(width):
                t = top[c] or (merged.get(c) or "")
                if not t and bottom[c] and last and header_role(last) in (None, *VALUE_ROLES):
                    t = last
                filled.append(t)
                if top[c]:
                    last = top[c]
                elif not bottom[c]:
                    last = ""
            combined = [" ".join(x for x in (filled[c], bottom[c]) if x) for c in range(width)]
            n_two = sum(header_role(t) in VALUE_ROLES for t in combined)
            n_one = sum(v in VALUE_ROLES for v in roles.values())
            numbers = sum(parse_number(b) is not None for b in bottom if b)
            if any(bottom) and numbers < 2 and any(_header_word(b) for b in bottom if b) and \
                    n_two >= max(n_one, 1) and \
                    (n_two > n_one or any(not top[c] and bottom[c] for c in range(width))):
                best = ((r, r + 1), combined)
        if best is None:
            continue
        rows, texts = _continued(sheet, *best, roles)
        columns = []
        seen_indicator = False
        for c, t in enumerate(texts):
            match = header_match(t) if t else None
            if match and match[0] == "indicator" and (seen_indicator or header_period(t).period == "term"):
                # `Chỉ tiêu NQ Đại hội nhiệm kỳ 2020-2025` beside the names: a target, not a second name column
                match = ("plan", f"{match[1]} {header_period(t).words}".strip())
            if match:
                seen_indicator |= match[0] == "indicator"
                columns.append(Column(c, match[0], t, evidence=[f"'{match[1]}' in the header"]))
            elif t and header_period(t).period in ("partial", "cumulative"):
                columns.append(Column(c, "actual", t, evidence=[f"no role word; '{header_period(t).words}': "
                                                                 "values of part of a period"]))
        title = " | ".join(p for p in (" ".join(x for x in row_texts(grid[i]) if x) for i in range(r)) if p)
        return Layout(rows, columns, title, list(texts))
    return None
