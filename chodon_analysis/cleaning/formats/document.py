"""What the document formats share (.docx: docx.py, .html: html.py): each table laid out as a spreadsheet shows it,
checked against the limits as it grows (a table is a sheet: bounds.py), and the sheets made of a document's stream
of lines and tables. Above a table's rows go the document's heading (the office: `UBND XÃ NAM CƯỜNG`) and the
lines just above the table (its title: `BIỂU CHỈ TIÊU KINH TẾ - XÃ HỘI NĂM 2024`), one line a row; below them the
signature, date and note lines that follow it. The report's own text, a page's menus and comments are no part of
any sheet (docs/reading.md, "Tables inside documents")."""

from __future__ import annotations

import re

from ...base import vocab
from ...base.text import fold
from . import bounds
from .book import ReadError, Sheet

TITLE_LINES = 8  # lines just above a table kept as its title: the nearest ones
HEAD_LINES = 8  # lines at the top of the document (the office's heading) kept above every table
BELOW_LINES = 30  # lines kept under a table, from its first signature, date or note line
LONG_LINE = 160  # characters: a longer line is the report's text, never a title
SENTENCE_WORDS = 8  # a line of this many words ending with `.` or `;` is the report's text too
_DATE_LINE = re.compile(r"(?<!\w)ngay\b.{0,12}\bthang\b.{0,12}\bnam\b|(?<!\w)(date|dated)\b.{0,4}\d")


class Heading(str):
    """A line that heads a part of the document (a page's `<h2>`): the lines below a table stop before it."""


class Document:
    """The counts across a document's tables: how many were laid out, and their cells together."""

    def __init__(self) -> None:
        self.tables = self.cells = 0


class Grid:
    """One table laid out cell by cell: a merged cell's value in its first cell, the cells it covers empty, its range
    in `merged`, as a spreadsheet reader gives them. Every growth is checked against the limits before it is made."""

    def __init__(self, doc: Document, name: str, rows_in_table: int = bounds.MAX_ROWS) -> None:
        doc.tables += 1
        if doc.tables > bounds.MAX_TABLES:
            raise ReadError("document_too_many_tables", max_tables=bounds.MAX_TABLES)
        self.doc, self.name, self.total = doc, name, rows_in_table
        self.rows: list[list[object]] = []
        self.width = 0
        self.merged: list[tuple[tuple[int, int], tuple[int, int]]] = []
        self.hidden_rows: set[int] = set()
        self.percent: set[tuple[int, int]] = set()
        self.decimals: dict[tuple[int, int], int] = {}
        self.covered: dict[int, int] = {}  # column -> the last row a cell spanning down from above covers there
        self.down: dict[int, list[int]] = {}  # column -> [first row, column, last row, columns] of a merge going down

    def row(self, hidden: bool = False) -> None:
        """A new row, at the bottom."""
        self._grow(len(self.rows) + 1, self.width)
        self.rows.append([])
        if hidden:
            self.hidden_rows.add(len(self.rows) - 1)

    def free(self, col: int) -> int:
        """The first column from `col` on that no cell spanning down from a row above covers in the current row."""
        r = len(self.rows) - 1
        while self.covered.get(col, -1) >= r:
            col += 1
        return col

    def put(self, col: int, value: object, colspan: int = 1, rowspan: int = 1, merged: bool = True) -> None:
        """A cell of the current row at `col`, spanning `colspan` columns and `rowspan` rows (as far as the table
        has rows: a browser shows no more); its range noted in `merged` unless `merged` is False (a Word cell whose
        merge down is followed by `merge_down`)."""
        if colspan > bounds.MAX_COLUMNS or rowspan > bounds.MAX_ROWS:  # declared past the limits: refused unread
            bounds.check_table(self.name, max(rowspan, len(self.rows)), col + colspan)
        r = len(self.rows) - 1
        end, rowspan = col + colspan, max(1, min(rowspan, self.total - r))
        if end > self.width:
            self._grow(len(self.rows), end)
        row = self.rows[r]
        if len(row) < end:
            row.extend([""] * (end - len(row)))
        row[col] = value
        if rowspan > 1:
            for c in range(col, end):
                self.covered[c] = r + rowspan - 1
        if merged and (colspan > 1 or rowspan > 1):
            self._merge((r, col), (r + rowspan - 1, end - 1))

    def merge_down(self, col: int, colspan: int, restart: bool) -> None:
        """A Word cell merged with the cell above it (`restart` False: it continues that merge), or starting a merge
        down (`restart`); called before `put` of the cell."""
        r = len(self.rows) - 1
        open_ = self.down.get(col)
        if not restart and open_ is not None and open_[2] == r - 1:
            open_[2] = r
            return
        self.close(col)
        self.down[col] = [r, col, r, colspan]

    def close(self, col: int) -> None:
        """The merge going down at `col`, if any, ends above the current row."""
        open_ = self.down.pop(col, None)
        if open_ is not None and (open_[2] > open_[0] or open_[3] > 1):
            self._merge((open_[0], open_[1]), (open_[2], open_[1] + open_[3] - 1))

    def _merge(self, first: tuple[int, int], last: tuple[int, int]) -> None:
        self.merged.append((first, last))
        bounds.check_merges(self.name, len(self.merged))

    def _grow(self, rows: int, cols: int) -> None:
        """The table grows to `rows` x `cols`: checked as a sheet, and the document's tables together."""
        bounds.check_table(self.name, rows, cols)
        added = rows * cols - len(self.rows) * self.width
        self.doc.cells += added
        if self.doc.cells > bounds.MAX_CELLS:
            raise ReadError("tables_too_large", max_cells=bounds.MAX_CELLS)
        self.width = cols

    def finish(self) -> Grid:
        """Every merge closed, every row as wide as the table."""
        for col in list(self.down):
            self.close(col)
        for row in self.rows:
            if len(row) < self.width:
                row.extend([""] * (self.width - len(row)))
        return self

    def continued_by(self, other: Grid) -> bool:
        """`other` comes right after this table (nothing but empty lines between) with as many columns: the rest of
        it, as Word and a browser show two such tables, one under the other."""
        return self.width == other.width and not self.frames_text() and not other.frames_text()

    def extend(self, other: Grid) -> None:
        """The rows of `other` added below, with its merges, hidden rows and formats."""
        n = len(self.rows)
        self._grow(n + len(other.rows), self.width)
        self.doc.cells -= len(other.rows) * other.width  # counted once, here
        self.rows += other.rows
        self.merged += [((r0 + n, c0), (r1 + n, c1)) for (r0, c0), (r1, c1) in other.merged]
        bounds.check_merges(self.name, len(self.merged))
        self.hidden_rows |= {r + n for r in other.hidden_rows}
        self.percent |= {(r + n, c) for r, c in other.percent}
        self.decimals |= {(r + n, c): d for (r, c), d in other.decimals.items()}

    def frames_text(self) -> bool:
        """A table of one row or one column, or two columns of at most three rows (the office | the national motto,
        the recipients | the signature): laid out for its looks, its cells are also lines of text to its neighbours."""
        return len(self.rows) <= 1 or self.width <= 1 or (self.width == 2 and len(self.rows) <= 3)

    def lines(self) -> list[str]:
        """Its cells' text, one line a cell, row by row."""
        return [text for row in self.rows for v in row if (text := str(v).strip())]


def narrative(line: str) -> bool:
    """The report's own text, not a title line: long, or a sentence."""
    return len(line) > LONG_LINE or (line.rstrip().endswith((".", ";")) and len(line.split()) >= SENTENCE_WORDS)


def closing(line: str) -> bool:
    """A line that a spreadsheet keeps under its table: a signature, a date line or a note (row_openings.csv)."""
    f = fold(line)
    openings = vocab.row_openings()
    return f.startswith(openings["signature"]) or f.startswith(openings["note"]) or bool(_DATE_LINE.search(f))


def sheets_of(blocks: list[str | Grid]) -> list[Sheet]:
    """A sheet for each table of the stream: the document's heading and the table's title lines above its rows, the
    closing lines below them. A table that frames text is a sheet too, and its cells are lines to its neighbours."""
    stream: list[str | Grid] = []
    for b in blocks:
        if isinstance(b, Grid) and b.frames_text():
            stream += [b, *b.lines()]  # its lines follow it: read above the next table, below the one before
        elif isinstance(b, Grid) and stream and isinstance(stream[-1], Grid) and stream[-1].continued_by(b):
            stream[-1].extend(b)  # a table split in two by an empty paragraph (a page break): one table, as shown
        elif not isinstance(b, str) or b.strip():
            stream.append(b)
    at = [i for i, b in enumerate(stream) if isinstance(b, Grid)]
    if not at:
        raise ReadError("document_no_table")
    head = _run(stream, range(len(stream)), HEAD_LINES)
    sheets = []
    for i in at:
        grid = stream[i]
        assert isinstance(grid, Grid)
        top = sorted({j for j in head if j < i} | set(_run(stream, range(i - 1, -1, -1), TITLE_LINES)))
        below: list[int] = []
        if not grid.frames_text():  # the lines up to the next table that is no frame, from the first closing one
            end = next((j for j in at if j > i and not stream[j].frames_text()), len(stream))  # type: ignore[union-attr]
            lines = [j for j in range(i + 1, end) if isinstance(stream[j], str)]
            lines = lines[:next((n for n, j in enumerate(lines) if isinstance(stream[j], Heading)), len(lines))]
            first = next((n for n, j in enumerate(lines) if closing(str(stream[j]))), len(lines))
            below = lines[first:first + BELOW_LINES]
        sheets.append(_sheet(grid, [str(stream[j]) for j in top], [str(stream[j]) for j in below]))
    return sheets


def _run(stream: list[str | Grid], order: range, most: int) -> list[int]:
    """The lines met in `order` until a table that is no frame, a line of the report's text, or `most` of them; the
    document's date line (`Nam Cường, ngày 05 tháng 01 năm 2025`) left out: the day it was signed, not the year it
    reports on."""
    out: list[int] = []
    for j in order:
        b = stream[j]
        if isinstance(b, Grid):
            if b.frames_text():
                continue
            break
        if narrative(b) or len(out) >= most:
            break
        if not _DATE_LINE.search(fold(b)):
            out.append(j)
    return out


def _sheet(grid: Grid, top: list[str], below: list[str]) -> Sheet:
    """The sheet of `grid`: the lines above, its rows, the lines below, each line one cell in the first column."""
    width = max(grid.width, 1)
    n = len(top)
    bounds.check_table(grid.name, n + len(grid.rows) + len(below), width)
    pad = [""] * (width - 1)
    rows = [[t, *pad] for t in top] + grid.rows + [[t, *pad] for t in below]
    return Sheet(grid.name, rows, [((r0 + n, c0), (r1 + n, c1)) for (r0, c0), (r1, c1) in grid.merged],
                 {(r + n, c) for r, c in grid.percent}, {(r + n, c): d for (r, c), d in grid.decimals.items()},
                 {r + n for r in grid.hidden_rows})
