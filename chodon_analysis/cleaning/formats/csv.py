"""`.csv` text: decoded (UTF-8 with or without BOM, UTF-16, else Windows-1258, the legacy Vietnamese code page),
measured against the limits (line length, text, extent) before it is split, its separator (`,` `;` tab)
sniffed, and read as one sheet of strings named after the file. Text has no signature: a file is read as CSV
only under its own extension, and carries no formats."""

from __future__ import annotations

import codecs
import csv
import io
from collections import Counter
from pathlib import Path

from . import bounds
from .book import ReadError, Sheet, Workbook

EXTENSIONS = (".csv",)
BY_CONTENT = False  # any bytes may be text: never chosen for a file named otherwise
NOT_THIS = "csv_binary"  # (never raised: a .csv is always read as text)


def recognise(head: bytes, members: frozenset[str] | None = None) -> bool:
    return True


def read(path: Path) -> Workbook:
    return Workbook(path, [Sheet(path.stem, read_csv_grid(path))])


def decode_bytes(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 (BOM), else Windows-1258, the legacy Vietnamese code page."""
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(enc)
    if len(data) >= 4 and data[1:4:2] == b"\x00\x00" and data[0] and data[2]:
        return data.decode("utf-16-le", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1258", errors="replace")


def sniff_delimiter(sample: str) -> str:
    """`,` `;` or tab: the one that splits the most lines into the same number of fields."""
    lines = [ln for ln in sample.splitlines()[:50] if ln.strip()]
    best, best_score = ",", -1
    for d in (",", ";", "\t"):
        counts = [ln.count(d) for ln in lines if ln.count(d)]
        if not counts:
            continue
        modal = Counter(counts).most_common(1)[0][0]
        score = sum(c == modal for c in counts) * (1 + modal / 100)
        if score > best_score:
            best, best_score = d, score
    return best


def read_csv_grid(path: Path) -> list[list[object]]:
    """A CSV file as a grid of strings, its delimiter (`,` `;` tab) sniffed; refused past the limits of bounds.py."""
    text = decode_bytes(path.read_bytes())
    if "\x00" in text:
        raise ReadError("csv_binary")
    bounds.check_lines(text)
    bounds.check_text(path.stem, len(text))
    delimiter = sniff_delimiter(text[:20000])
    csv.field_size_limit(bounds.MAX_CELL_CHARS)
    grid: list[list[object]] = []
    cols = 0
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        for row in reader:
            if len(row) > cols:
                cols = len(row)
            grid.append(row)
            if len(grid) % 1024 == 0 or cols > bounds.MAX_COLUMNS:
                bounds.check_extent(path.stem, len(grid), cols)
    except csv.Error as e:
        if "field limit" in str(e):
            raise ReadError("csv_cell_too_long", line=reader.line_num, max_chars=bounds.MAX_CELL_CHARS) from None
        raise ReadError("csv_bad_line", line=reader.line_num, detail=str(e)) from None
    bounds.check_extent(path.stem, len(grid), cols)
    return grid
