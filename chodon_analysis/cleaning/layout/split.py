"""Several tables on one sheet: a header row that differs from the table's own (other years, other columns) starts a
new table with its own layout, never read with the first table's columns and never an indicator. Each table is a
view of the sheet (the other tables' rows blank, so row numbers stay those Excel shows), found before the layout."""

from __future__ import annotations

import re
from dataclasses import replace

from ...base.issues import Log
from ...base.text import fold
from ..formats import Sheet
from ..rows.parse import parse_number
from .header import VALUE_ROLES, find_layout, header_role, row_texts

_YEAR = re.compile(r"(?<!\d)(19|20)\d{2}(?!\d)")


def _figure(v: object) -> bool:
    """A figure of the table: a number, or a number written as text (a CSV, a web page), not a year alone."""
    if isinstance(v, bool) or v is None:
        return False
    if isinstance(v, int | float):
        return not (isinstance(v, int) and 1900 <= v <= 2200)
    text = str(v).strip()
    return bool(text) and not _YEAR.fullmatch(text) and parse_number(text) is not None


def _roles(row: list[object]) -> list[str | None]:
    return [header_role(t) for t in row_texts(row) if t]


def header_start(grid: list[list[object]], r: int) -> bool:
    """Row `r` opens a header: no figure in it, and it names a name column with a plan or actual column in it or
    in the row below (years above the roles: `Năm 2022` over `Thực hiện | Kế hoạch`)."""
    if any(_figure(v) for v in grid[r]):
        return False
    roles = _roles(grid[r])
    if "indicator" not in roles:
        return False
    below = _roles(grid[r + 1]) if r + 1 < len(grid) and not any(_figure(v) for v in grid[r + 1]) else []
    return any(x in VALUE_ROLES for x in (*roles, *below))


def _starts(sheet: Sheet) -> list[tuple[int, int]]:
    """(first row, header row) of each table after the first: it begins after the last row holding a figure above
    its header (its title lines go with it). The same header again is a new table only under a title line of its
    own that names a year (else a table over two pages: the walk skips it)."""
    layout = find_layout(sheet)
    if layout is None:
        return []
    grid = sheet.grid
    current = [fold(t) for t in row_texts(grid[layout.header_rows[0]])]
    starts, last_figure, r = [], layout.header_rows[-1], layout.header_rows[-1] + 1
    while r < len(grid):
        if any(_figure(v) for v in grid[r]):
            last_figure, r = r, r + 1
            continue
        if header_start(grid, r):  # the rarer test first: a row with no figure is most often a heading or a note
            texts = [fold(t) for t in row_texts(grid[r])]
            if texts != current or any(_YEAR.search(t) for row in grid[last_figure + 1:r] for t in row_texts(row) if t):
                starts.append((last_figure + 1, r))
                current, last_figure = texts, r
        r += 1
    return starts


def _view(sheet: Sheet, lo: int, header: int, hi: int, titles: int) -> Sheet:
    """The sheet with only rows lo..hi-1 (the others blank: row numbers unchanged); the sheet's own title lines
    (rows before `titles`) kept too when the table's own title lines (lo..header-1) name no year (its year is then
    the sheet's)."""
    own_year = lo == 0 or any(_YEAR.search(t) for row in sheet.grid[lo:header] for t in row_texts(row) if t)
    keep = [r for r in range(len(sheet.grid)) if lo <= r < hi or (not own_year and r < titles)]
    kept = set(keep)
    grid = [row if r in kept else [None] * len(row) for r, row in enumerate(sheet.grid)]
    merged = [m for m in sheet.merged if m[0][0] in kept]
    return replace(sheet, grid=grid, merged=merged)


def tables(sheet: Sheet, log: Log) -> list[Sheet]:
    """The tables of a sheet, each as a view of it; the start of every table after the first is logged."""
    starts = _starts(sheet)
    if not starts:
        return [sheet]
    first_header = find_layout(sheet).header_rows[0]
    heads = [(0, first_header), *starts]
    bounds = [lo for lo, _ in heads] + [len(sheet.grid)]
    for _lo, header in starts:
        log.add(sheet.name, header + 1, "", " | ".join(t for t in row_texts(sheet.grid[header]) if t)[:120],
                "new_table")
    return [_view(sheet, lo, header, bounds[i + 1], first_header) for i, (lo, header) in enumerate(heads)]


def transposed(sheet: Sheet) -> Sheet | None:
    """A table with the indicators as columns and the plan and actual (or years) as rows, turned the usual way
    round (the title lines above it kept on top); None when it does not read as a table that way either."""
    grid = sheet.grid
    first = turned_block(grid)
    if first is None:
        return None
    block = grid[first:]
    width = max(len(row) for row in block)
    turned = [[row[c] if c < len(row) else None for row in block] for c in range(width)]
    wide = max(len(turned[0]), *(len(row) for row in grid[:first])) if first else len(turned[0])
    title = [list(row) + [None] * (wide - len(row)) for row in grid[:first]]
    if header_role(str(turned[0][0] or "")) != "indicator":  # the corner says `Năm` or nothing: the names' column
        turned[0][0] = INDICATOR_CORNER
    view = Sheet(sheet.name, title + [row + [None] * (wide - len(row)) for row in turned])
    return view if find_layout(view) is not None else None


def _filled(row: list[object]) -> int:
    return sum(v not in (None, "") for v in row)


def turned_block(grid: list[list[object]]) -> int | None:
    """The first row of a turned table: above its first plan or actual row, the rows of two filled cells or more
    (the names, a unit row); else the first row of three filled cells. The lines above it are its title."""
    plan_rows = [r for r, row in enumerate(grid) if _filled(row) >= 2 and header_role(row_texts(row[:1])[0] or "-")
                 in VALUE_ROLES]  # `Kế hoạch 2024` with figures beside it (a title saying `Kết quả` is none)
    if not plan_rows:
        return next((r for r, row in enumerate(grid) if _filled(row) >= 3), None)
    first = plan_rows[0]
    while first > 0 and _filled(grid[first - 1]) >= 2:
        first -= 1
    return first if first < plan_rows[0] else None


INDICATOR_CORNER = "Chỉ tiêu"  # the header of the names' column of a turned table, whatever its corner said


def looks_transposed(sheet: Sheet) -> bool:
    """A sheet whose first column names plan and actual rows (`Kế hoạch 2024`, `Thực hiện 2024`): a table turned
    on its side, even when it does not read that way."""
    roles = [header_role(t) for row in sheet.grid for t in row_texts(row[:1]) if t]
    return sum(r in VALUE_ROLES for r in roles) >= 2


def turned(sheet: Sheet, log: Log) -> Sheet:
    """A sheet with no table the usual way round but one with the indicators as columns: read turned, and said."""
    if find_layout(sheet) is not None or (view := transposed(sheet)) is None:
        return sheet
    titles = turned_block(sheet.grid) or 0
    log.add(sheet.name, None, "", "", "transposed_table", row=titles + 2)  # the turned row of column B
    return view
