"""Read a workbook (.xlsx, .xlsm, .xls, .ods, .csv) into plain grids of cell values, safely.

Values come from python-calamine (fast, no formulas run, no external entities). The formats are scanned
too (styles.py): which cells carry a percent format and how many decimals each shows (.xlsx, .xls, .ods),
and whether legacy fonts are used.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections import Counter
from pathlib import Path

from . import bounds
from .book import FormulaCell, ReadError, Sheet, Workbook, check_zip

EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")
__all__ = ["EXTENSIONS", "FormulaCell", "ReadError", "Sheet", "Workbook", "check_zip", "read_workbook"]


def read_workbook(path: Path) -> Workbook:
    """Read every sheet of a workbook; raise ReadError with a plain reason when it cannot be read."""
    ext = path.suffix.lower()
    try:
        size = path.stat().st_size
    except OSError as e:
        raise ReadError(f"cannot open the file ({e.strerror or e})") from None
    if size == 0:
        raise ReadError("the file is empty (0 bytes); export it again from the spreadsheet program")
    bounds.check_size(size)
    with path.open("rb") as fh:
        head = fh.read(8)
    if ext == ".csv":
        return Workbook(path, [Sheet(path.stem, read_csv_grid(path))])
    if ext in (".xlsx", ".xlsm", ".ods"):
        if head.startswith(b"\xd0\xcf\x11\xe0"):
            if _is_encrypted_ole(path):
                raise ReadError("the workbook is password-protected; open it in Excel, remove the password "
                                "(File > Info > Protect Workbook) and save it again")
            ext = ".xls"  # an old .xls saved under a new name: read it as what it is
        elif not head.startswith(b"PK"):
            raise ReadError(f"this is not a {ext} workbook (it does not start like one; is it a text or "
                            "HTML file renamed?); save it from the spreadsheet program as .xlsx")
    elif ext == ".xls" and not head.startswith(b"\xd0\xcf\x11\xe0"):
        if head.startswith(b"PK"):
            check_zip(path)  # an .xlsx named .xls: calamine reads it by content
        else:
            raise ReadError("this is not an Excel .xls workbook; save it from the spreadsheet program as .xlsx")
    from .ods import ods_styles
    from .styles import xls_styles
    from .xlsx import xlsx_styles

    if head.startswith(b"PK") and ext != ".ods":
        styles = xlsx_styles(path)  # checks the zip (truncated, zip bomb) before anything is inflated
    elif head.startswith(b"PK"):
        check_zip(path)
        styles = ods_styles(path)
    elif head.startswith(b"\xd0\xcf\x11\xe0"):
        styles = xls_styles(path)
    else:
        styles = None
    import python_calamine as pc

    try:
        try:
            str(path).encode("utf-8")
            book = pc.CalamineWorkbook.from_path(str(path))
        except UnicodeEncodeError:  # a name that is not UTF-8 (an old Windows name): give the reader the bytes
            with path.open("rb") as fh:
                book = pc.CalamineWorkbook.from_filelike(io.BytesIO(fh.read()))
    except Exception as e:  # calamine raises its own error types for damaged files
        raise ReadError(f"the workbook is damaged or not a spreadsheet ({_short(e)}); open and save it again "
                        "in Excel or LibreOffice") from None
    sheets = []
    for meta in book.sheets_metadata:
        if str(meta.typ).endswith("ChartSheet"):
            continue
        try:
            s = book.get_sheet_by_name(meta.name)
            grid = s.to_python(skip_empty_area=False)
            merged = list(s.merged_cell_ranges or [])
        except Exception as e:
            if "entity" in str(e).lower():
                raise ReadError(f"sheet '{meta.name}' refers to an XML entity (a known way to attack XML readers); "
                                "refused. Open and save the workbook in Excel or LibreOffice") from None
            raise ReadError(f"sheet '{meta.name}' cannot be read ({_short(e)})") from None
        sheets.append(Sheet(meta.name, grid, merged, hidden="hidden" in str(getattr(meta, "visible", "")).lower()))
    if styles is not None:
        for i, sheet in enumerate(sheets):
            found = styles.sheets.get(i)
            if found is None:
                continue
            sheet.percent_cells, sheet.decimals = found.percent, found.decimals
            sheet.hidden_rows, sheet.hidden_cols = found.hidden_rows, found.hidden_cols
            for (r, c), err in found.errors.items():
                if r < len(sheet.grid) and c < len(sheet.grid[r]) and sheet.grid[r][c] in ("", None):
                    sheet.grid[r][c] = err
        return Workbook(path, sheets, styles.font_hint)
    return Workbook(path, sheets)


def _short(e: Exception) -> str:
    msg = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
    return msg[:160]


def _is_encrypted_ole(path: Path) -> bool:
    with path.open("rb") as fh:
        data = fh.read(1 << 16)
    return "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data


# ---- CSV ---------------------------------------------------------------------------------------
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
        raise ReadError("this is not a text CSV file (it holds binary data); export it again as CSV UTF-8")
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
            raise bounds.cell_too_long(f"line {reader.line_num:,}") from None
        raise ReadError(f"line {reader.line_num:,} cannot be read as CSV ({e}); export the file again as CSV UTF-8") \
            from None
    bounds.check_extent(path.stem, len(grid), cols)
    return grid
