"""What a workbook is once read: sheets of plain cell values, merged ranges and formats; the error a file that
cannot be read raises; and the zip check that refuses damaged archives and zip bombs before inflating them."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

MAX_UNZIPPED = 400 * 1024**2  # bytes a workbook may inflate to
MAX_RATIO = 200  # inflated / compressed size of one member


class FormulaCell(str):
    """A formula whose value was never saved (e.g. written by a script, never opened in Excel)."""


class ReadError(Exception):
    """A file that cannot be read; the message is for the user (what is wrong, what to do)."""


@dataclass
class Sheet:
    """One sheet: its name, a rectangular grid (row 0 = Excel row 1), merged ranges, percent cells."""

    name: str
    grid: list[list[object]]
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    percent_cells: set[tuple[int, int]] = field(default_factory=set)
    decimals: dict[tuple[int, int], int] = field(default_factory=dict)  # decimals a cell's number format shows
    hidden_rows: set[int] = field(default_factory=set)  # rows and columns hidden in the workbook (0-based)
    hidden_cols: set[int] = field(default_factory=set)
    hidden: bool = False  # the whole sheet is hidden


@dataclass
class Workbook:
    path: Path
    sheets: list[Sheet]
    font_hint: str | None = None  # "tcvn3" / "vni" when the styles name legacy fonts


def column_index(letters: str) -> int:
    """`D` -> 3: the 0-based index of a column letter (the inverse of `column_letter`)."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def column_letter(i: int) -> str:
    """3 -> `D`, 16383 -> `XFD`: the letters of a 0-based column index."""
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def check_zip(path: Path, zf: zipfile.ZipFile | None = None) -> None:
    """Refuse truncated archives and zip bombs before anything is inflated."""
    if zf is None:
        try:
            with zipfile.ZipFile(path) as z:
                return check_zip(path, z)
        except zipfile.BadZipFile:
            raise ReadError("the workbook is damaged or truncated (its zip directory is missing); "
                            "copy the file again from its source") from None
    infos = zf.infolist()
    total = sum(i.file_size for i in infos)
    if total > MAX_UNZIPPED or any(i.file_size > MAX_RATIO * max(i.compress_size, 1) and i.file_size > 10**7
                                   for i in infos):
        raise ReadError(f"the workbook would inflate to {total / 1024**2:,.0f} MB (a 'zip bomb'); refused "
                        "for safety. If it is genuine, split it into smaller files")
