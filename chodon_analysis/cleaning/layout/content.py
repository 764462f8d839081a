"""Columns known by what they hold when their header says nothing: a table pasted from a web page often loses a
header cell, and the column right of the actual then holds `Đạt`, `Không đạt`, `Vượt` under a blank header. A
column whose cells are assessment words (assessment_labels.csv) is the office's assessment, whatever its header."""

from __future__ import annotations

from ...base import vocab
from ...base.issues import Log
from ...base.text import fold
from ..formats import Sheet
from ..formats.book import column_letter
from .header import Column, Layout, row_texts

SHARE = 0.8  # of a column's filled cells that must be assessment words
LEAST = 2  # filled cells, at the least


def _assessment_share(sheet: Sheet, start: int, c: int) -> tuple[int, int]:
    """(assessment words, filled cells) of column `c` below the header."""
    labels = vocab.assessment_labels()
    words = filled = 0
    for row in sheet.grid[start:]:
        text = row_texts(row[c:c + 1])[0] if c < len(row) else ""
        if text:
            filled += 1
            words += fold(text).strip(" .;:") in labels
    return words, filled


def assessment_by_content(sheet: Sheet, layout: Layout | None, log: Log) -> None:
    """Add the office's assessment column to a layout that has none, where a column with a blank header holds
    assessment words; say so in the log."""
    if layout is None or any(c.role == "assessment" for c in layout.columns):
        return
    taken = {c.index for c in layout.columns}
    start = layout.header_rows[-1] + 1
    width = max((len(r) for r in sheet.grid[start:]), default=0)
    for c in range(width):
        if c in taken or (c < len(layout.header_texts) and layout.header_texts[c]):
            continue
        words, filled = _assessment_share(sheet, start, c)
        if filled >= LEAST and words >= SHARE * filled:
            layout.columns.append(Column(c, "assessment", "", evidence=[
                f"no header; {words} of its {filled} cells are assessment words (assessment_labels.csv)"]))
            layout.columns.sort(key=lambda col: col.index)
            log.add(sheet.name, start, column_letter(c), "", "assessment_by_content", words=words, cells=filled)
            return
