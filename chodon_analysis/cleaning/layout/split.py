"""Several tables on one sheet: a header row that differs from the table's own (other years, other columns) starts a
new table with its own layout, never read with the first table's columns and never an indicator. Each table is a
view of the sheet (the other tables' rows blank, so row numbers stay those Excel shows), found before the layout."""

from __future__ import annotations

from dataclasses import replace

from ...base.issues import Log
from ...base.text import fold
from ..formats import Sheet
from .header import VALUE_ROLES, find_layout, header_role, row_texts


def header_like(row: list[object]) -> list[str] | None:
    """The row's texts when it reads as a header (a name column and a plan or actual column named, no figure but a
    year), else None."""
    if any(isinstance(v, int | float) and not isinstance(v, bool) and not 1900 <= v <= 2200 for v in row):
        return None
    texts = row_texts(row)
    roles = [header_role(t) for t in texts if t]
    if "indicator" in roles and any(r in VALUE_ROLES for r in roles):
        return texts
    return None


def _starts(sheet: Sheet) -> list[tuple[int, int]]:
    """(first row, header row) of each table after the first: it begins after the last row holding a figure above
    its header (its title lines go with it)."""
    layout = find_layout(sheet)
    if layout is None:
        return []
    current = [fold(t) for t in row_texts(sheet.grid[layout.header_rows[0]])]
    starts, last_figure = [], layout.header_rows[-1]
    for r in range(layout.header_rows[-1] + 1, len(sheet.grid)):
        row = sheet.grid[r]
        if any(isinstance(v, int | float) and not isinstance(v, bool) for v in row):
            last_figure = r
            continue
        texts = header_like(row)
        if texts is None or [fold(t) for t in texts] == current:
            continue  # the same header again (a table over two pages) is the walk's to skip
        starts.append((last_figure + 1, r))
        current, last_figure = [fold(t) for t in texts], r
    return starts


def _view(sheet: Sheet, lo: int, hi: int) -> Sheet:
    """The sheet with only rows lo..hi-1 (the others blank: row numbers unchanged)."""
    grid = [row if lo <= r < hi else [None] * len(row) for r, row in enumerate(sheet.grid)]
    merged = [m for m in sheet.merged if lo <= m[0][0] < hi]
    return replace(sheet, grid=grid, merged=merged)


def tables(sheet: Sheet, log: Log) -> list[Sheet]:
    """The tables of a sheet, each as a view of it; the start of every table after the first is logged."""
    starts = _starts(sheet)
    if not starts:
        return [sheet]
    bounds = [0, *(lo for lo, _ in starts), len(sheet.grid)]
    for _lo, header in starts:
        log.add(sheet.name, header + 1, "", " | ".join(t for t in row_texts(sheet.grid[header]) if t)[:120],
                "new_table")
    return [_view(sheet, bounds[i], bounds[i + 1]) for i in range(len(bounds) - 1)]


def transposed(sheet: Sheet) -> Sheet | None:
    """A table with the indicators as columns and the plan and actual (or years) as rows, turned the usual way
    round (the title lines above it kept on top); None when it does not read as a table that way either."""
    grid = sheet.grid
    first = next((r for r, row in enumerate(grid) if sum(v not in (None, "") for v in row) >= 3), None)
    if first is None:
        return None
    block = grid[first:]
    width = max(len(row) for row in block)
    turned = [[row[c] if c < len(row) else None for row in block] for c in range(width)]
    wide = max(len(turned[0]), *(len(row) for row in grid[:first])) if first else len(turned[0])
    title = [list(row) + [None] * (wide - len(row)) for row in grid[:first]]
    view = Sheet(sheet.name, title + [row + [None] * (wide - len(row)) for row in turned])
    return view if find_layout(view) is not None else None
