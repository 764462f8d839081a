"""A layout file next to a workbook (`<workbook>.layout.csv`) in which an analyst says what the reader could not
guess: the header row(s), and the role, year and period of columns. It overrides the reader's guess."""

from __future__ import annotations

import csv
import io
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from ...base.issues import Log
from ..formats import ReadError, Sheet
from ..formats.book import column_index, column_letter
from .header import Column, Layout, header_match, row_texts

SUFFIX = ".layout.csv"
ROLES = ("header", "order", "indicator", "unit", "plan", "actual", "actual_estimate", "comparison", "assessment",
         "note", "ignore")
PERIODS = ("year", "partial", "cumulative", "term")
_LETTERS = re.compile(r"^[A-Z]{1,3}$")
_ROWS = re.compile(r"^(\d{1,5})(?:\s*-\s*(\d{1,5}))?$")
MAX_LAYOUT_BYTES = 256 * 1024  # a layout file has a few lines
MAX_HEADER_ROWS = 10  # rows one header may span


@dataclass
class SheetOverride:
    header_rows: tuple[int, ...] | None = None  # 0-based
    # column index -> role, year, period, line of the layout file
    columns: dict[int, tuple[str, int | None, str, int]] = field(default_factory=dict)


@dataclass
class Override:
    path: Path
    sheets: dict[str, SheetOverride]



def load_override(workbook: Path, sheet_names: list[str]) -> Override | None:
    """The layout file of `workbook`, checked line by line; None when there is none."""
    path = workbook.with_name(workbook.name + SUFFIX)
    if not path.exists() and not path.is_symlink():
        return None

    def bad(line: int, code: str, **params: object) -> ReadError:
        """A line of the layout file the reader cannot use: the file's name and line, and what is wrong there."""
        return ReadError(code, file=path.name, line=line, **params)

    try:
        text = _read_layout(path).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise bad(1, "layout_not_utf8") from None
    first = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text), delimiter=";" if first.count(";") > first.count(",") else ",")
    header = None
    sheets: dict[str, SheetOverride] = {}
    for cells in reader:
        line, cells = reader.line_num, [c.strip() for c in cells]
        if not any(cells) or cells[0].startswith("#"):
            continue
        if header is None:
            header = cells
            if header[:3] != ["sheet", "column", "role"]:
                raise bad(line, "layout_bad_header")
            continue
        row = dict(zip(header, cells + [""] * (len(header) - len(cells)), strict=False))
        sheet, column, role = row["sheet"], row["column"].upper(), row["role"]
        if sheet != "*" and sheet not in sheet_names:
            raise bad(line, "layout_no_such_sheet", sheet=sheet, sheets=", ".join(sheet_names))
        if role not in ROLES:
            raise bad(line, "layout_bad_role", role=role, roles=", ".join(ROLES))
        year = row.get("year", "")
        if year and not (year.isdigit() and 1975 <= int(year) <= 2200):
            raise bad(line, "layout_bad_year", value=year)
        period = row.get("period", "")
        if period and period not in PERIODS:
            raise bad(line, "layout_bad_period", period=period, periods=", ".join(PERIODS))
        entry = sheets.setdefault(sheet, SheetOverride())
        if role == "header":
            m = _ROWS.match(column)
            if not m:
                raise bad(line, "layout_bad_header_rows", column=column)
            lo, hi = int(m.group(1)), int(m.group(2) or m.group(1))
            if not 1 <= lo <= hi < lo + MAX_HEADER_ROWS:
                raise bad(line, "layout_bad_header_rows", column=column)
            entry.header_rows = tuple(range(lo - 1, hi))
            continue
        if not _LETTERS.match(column):
            raise bad(line, "layout_bad_column", column=column)
        entry.columns[column_index(column)] = (role, int(year) if year else None, period, line)
    if header is None:
        raise bad(1, "layout_empty")
    return Override(path, sheets)


def _read_layout(path: Path) -> bytes:
    """The bytes of a layout file, read as a workbook is: a regular file (not a pipe, a device, a folder or a broken
    link, which would hang or never end) of at most MAX_LAYOUT_BYTES."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # a pipe opened without waiting for a writer
    except OSError:
        raise ReadError("layout_not_a_file", file=path.name) from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise ReadError("layout_not_a_file", file=path.name)
    with os.fdopen(fd, "rb") as fh:
        data = fh.read(MAX_LAYOUT_BYTES + 1)
    if len(data) > MAX_LAYOUT_BYTES:
        raise ReadError("layout_too_large", file=path.name, max_kb=MAX_LAYOUT_BYTES // 1024)
    return data


def apply_override(sheet: Sheet, layout: Layout | None, override: Override | None, log: Log) -> Layout | None:
    """The sheet's layout with the layout file's lines applied (header rows, then each column's role, year, period)."""
    if override is None or not (entry := override.sheets.get(sheet.name) or override.sheets.get("*")):
        return layout
    rows = entry.header_rows or (layout.header_rows if layout else None)
    if rows is None:
        raise ReadError("layout_no_header", file=override.path.name, sheet=sheet.name)
    if rows[-1] >= len(sheet.grid):
        raise ReadError("layout_header_outside", file=override.path.name, sheet=sheet.name, row=rows[-1] + 1,
                        rows=len(sheet.grid))
    if layout is None or rows != layout.header_rows:
        texts = [" ".join(x for x in parts if x) for parts in
                 zip(*[row_texts(sheet.grid[r]) + [""] * 200 for r in rows], strict=False)]
        texts = texts[: max(len(sheet.grid[r]) for r in rows)]
        cols = [Column(i, m[0], t, evidence=[f"'{m[1]}' in the header"]) for i, t in enumerate(texts)
                if t and (m := header_match(t))]
        title = " | ".join(" ".join(x for x in row_texts(sheet.grid[i]) if x) for i in range(rows[0]))
        layout = Layout(tuple(rows), cols, title, texts)
    by_index = {c.index: c for c in layout.columns}
    for index, (role, year, period, line) in sorted(entry.columns.items()):
        col = by_index.get(index) or Column(index, role, layout.header_texts[index]
                                            if index < len(layout.header_texts) else "")
        col.role, col.fixed = role, True
        col.evidence = [f"{override.path.name} line {line}"]
        col.year, col.period = year, period or "year"
        by_index[index] = col
    layout.columns = sorted(by_index.values(), key=lambda c: c.index)
    for c in layout.columns:
        if c.role == "ignore":
            c.used = "not used: the layout file says ignore"
    log.add(sheet.name, rows[-1] + 1, "", override.path.name, "layout_file",
            columns=", ".join(column_letter(i) for i in sorted(entry.columns)))
    return layout
