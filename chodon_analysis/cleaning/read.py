"""Read a workbook (.xlsx, .xlsm, .xls, .ods, .csv) into plain grids of cell values, safely.

Values come from python-calamine (fast, no formulas run, no external entities). For .xlsx/.xlsm the
styles are scanned too: which cells carry a percent format, and whether legacy fonts are used.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

EXTENSIONS = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")
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


@dataclass
class Workbook:
    path: Path
    sheets: list[Sheet]
    font_hint: str | None = None  # "tcvn3" / "vni" when the styles name legacy fonts


def read_workbook(path: Path) -> Workbook:
    """Read every sheet of a workbook; raise ReadError with a plain reason when it cannot be read."""
    ext = path.suffix.lower()
    try:
        size = path.stat().st_size
    except OSError as e:
        raise ReadError(f"cannot open the file ({e.strerror or e})") from None
    if size == 0:
        raise ReadError("the file is empty (0 bytes); export it again from the spreadsheet program")
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
            _check_zip(path)  # an .xlsx named .xls: calamine reads it by content
        else:
            raise ReadError("this is not an Excel .xls workbook; save it from the spreadsheet program as .xlsx")
    if head.startswith(b"PK") and ext != ".ods":
        styles = _xlsx_styles(path)  # checks the zip (truncated, zip bomb) before anything is inflated
    elif head.startswith(b"PK"):
        _check_zip(path)
        styles = None
    elif head.startswith(b"\xd0\xcf\x11\xe0"):
        styles = _xls_styles(path)
    else:
        styles = None
    import python_calamine as pc

    try:
        book = pc.CalamineWorkbook.from_path(str(path))
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
        sheets.append(Sheet(meta.name, grid, merged))
    if styles is not None:
        percent_by_sheet, errors_by_sheet, hint = styles
        for i, sheet in enumerate(sheets):
            sheet.percent_cells = percent_by_sheet.get(i, set())
            for (r, c), err in errors_by_sheet.get(i, {}).items():
                if r < len(sheet.grid) and c < len(sheet.grid[r]) and sheet.grid[r][c] in ("", None):
                    sheet.grid[r][c] = err
        return Workbook(path, sheets, hint)
    return Workbook(path, sheets)


def _short(e: Exception) -> str:
    msg = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
    return msg[:160]


def _is_encrypted_ole(path: Path) -> bool:
    with path.open("rb") as fh:
        data = fh.read(1 << 16)
    return "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data


def _check_zip(path: Path, zf: zipfile.ZipFile | None = None) -> None:
    """Refuse truncated archives and zip bombs before anything is inflated."""
    if zf is None:
        try:
            with zipfile.ZipFile(path) as z:
                return _check_zip(path, z)
        except zipfile.BadZipFile:
            raise ReadError("the workbook is damaged or truncated (its zip directory is missing); "
                            "copy the file again from its source") from None
    infos = zf.infolist()
    total = sum(i.file_size for i in infos)
    if total > MAX_UNZIPPED or any(i.file_size > MAX_RATIO * max(i.compress_size, 1) and i.file_size > 10**7
                                   for i in infos):
        raise ReadError(f"the workbook would inflate to {total / 1024**2:,.0f} MB (a 'zip bomb'); refused "
                        "for safety. If it is genuine, split it into smaller files")


# ---- .xlsx styles: percent formats and legacy fonts ----------------------------------------------
_BUILTIN_PERCENT = {9, 10}
_ATTR = re.compile(rb'(\w+)="([^"]*)"')


def _attrs(tag: bytes) -> dict[bytes, bytes]:
    return dict(_ATTR.findall(tag))


Styles = tuple[dict[int, set[tuple[int, int]]], dict[int, dict[tuple[int, int], str]], str | None]


def _xlsx_styles(path: Path) -> Styles | None:
    """Percent-formatted cells and error cells (#N/A ...) per sheet index, and a legacy-font hint,
    from the raw XML of an .xlsx (calamine gives neither)."""
    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise ReadError("the workbook is damaged or truncated (its zip directory is missing); "
                        "copy the file again from its source") from None
    try:
        with zf:
            _check_zip(path, zf)
            names = set(zf.namelist())
            if "xl/styles.xml" not in names:
                return {}, {}, None
            styles = zf.read("xl/styles.xml")
            fonts = [m.group(1).decode("utf-8", "replace") for m in
                     re.finditer(rb'<(?:\w+:)?name val="([^"]*)"', styles)]
            hint = _font_hint(fonts)
            numfmts = {int(a[b"numFmtId"]): a.get(b"formatCode", b"") for a in
                       (_attrs(t) for t in re.findall(rb"<(?:\w+:)?numFmt [^>]*>", styles))}
            cellxfs = re.search(rb"<(?:\w+:)?cellXfs[^>]*>(.*?)</(?:\w+:)?cellXfs>", styles, re.S)
            percent_xf: set[bytes] = set()
            if cellxfs:
                for i, tag in enumerate(re.findall(rb"<(?:\w+:)?xf\b[^>]*>", cellxfs.group(1))):
                    fid = int(_attrs(tag).get(b"numFmtId", b"0"))
                    if fid in _BUILTIN_PERCENT or b"%" in numfmts.get(fid, b""):
                        percent_xf.add(str(i).encode())
            percent: dict[int, set[tuple[int, int]]] = {}
            errors: dict[int, dict[tuple[int, int], str]] = {}
            for i, member in enumerate(_sheet_members(zf, names)):
                if member not in names:
                    continue
                xml = zf.read(member)
                if percent_xf:
                    percent[i] = _percent_cells(xml, percent_xf)
                if b't="e"' in xml:
                    errors[i] = _error_cells(xml)
                if b"<f" in xml:
                    errors.setdefault(i, {}).update(_unsaved_formulas(xml))
            return percent, errors, hint
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        return None


def _font_hint(fonts: list[str]) -> str | None:
    """The legacy encoding a workbook's font names reveal (legacy_fonts.csv), or None."""
    from . import vocab

    prefixes = vocab.legacy_fonts()
    for name in (f.lower() for f in fonts):
        for prefix, encoding in prefixes:
            if name.startswith(prefix):
                return encoding
    return None


def _sheet_members(zf: zipfile.ZipFile, names: set[str]) -> list[str]:
    """The worksheet XML files in workbook order (chart sheets left out, as calamine does)."""
    wb = zf.read("xl/workbook.xml")
    rels = zf.read("xl/_rels/workbook.xml.rels") if "xl/_rels/workbook.xml.rels" in names else b""
    targets = {}
    for tag in re.findall(rb"<(?:\w+:)?Relationship\b[^>]*>", rels):
        a = _attrs(tag)
        targets[a.get(b"Id", b"")] = (a.get(b"Target", b"").decode(), a.get(b"Type", b""))
    out = []
    for tag in re.findall(rb"<(?:\w+:)?sheet\b[^>]*>", wb):
        rid = re.search(rb'r:id="([^"]*)"|\bid="([^"]*)"', tag)
        key = (rid.group(1) or rid.group(2)) if rid else b""
        target, typ = targets.get(key, ("", b""))
        if typ.endswith(b"/chartsheet"):
            continue
        p = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
        out.append(p)
    return out


_CELL = re.compile(rb'<(?:\w+:)?c\b([^>]*?)/?>')
_REF = re.compile(rb'r="([A-Z]+)(\d+)"')
_STYLE = re.compile(rb's="(\d+)"')


_ERROR_CELL = re.compile(rb'<(?:\w+:)?c\b([^>]*\bt="e"[^>]*)>(?:<(?:\w+:)?f[^>]*(?:/>|>.*?</(?:\w+:)?f>))?'
                         rb'<(?:\w+:)?v>([^<]*)</')


def _cell_ref(attrs: bytes) -> tuple[int, int] | None:
    r = _REF.search(attrs)
    if not r:
        return None
    col = 0
    for ch in r.group(1):
        col = col * 26 + ch - 64
    return int(r.group(2)) - 1, col - 1


_FORMULA_CELL = re.compile(rb'<(?:\w+:)?c\b([^>]*)>\s*<(?:\w+:)?f\b[^>]*(?:/>|>(.*?)</(?:\w+:)?f>)\s*'
                           rb'(?:<(?:\w+:)?v\s*/>\s*|<(?:\w+:)?v>\s*</(?:\w+:)?v>\s*)?</(?:\w+:)?c>', re.S)


def _unsaved_formulas(xml: bytes) -> dict[tuple[int, int], str]:
    """Formula cells with no saved value: calamine reads them as empty; say so instead."""
    out = {}
    for m in _FORMULA_CELL.finditer(xml):
        ref = _cell_ref(m.group(1))
        if ref:
            out[ref] = FormulaCell("=" + (m.group(2) or b"").decode("utf-8", "replace"))
    return out


def _error_cells(xml: bytes) -> dict[tuple[int, int], str]:
    out = {}
    for m in _ERROR_CELL.finditer(xml):
        ref = _cell_ref(m.group(1))
        if ref:
            out[ref] = m.group(2).decode("utf-8", "replace")
    return out


def _percent_cells(xml: bytes, percent_xf: set[bytes]) -> set[tuple[int, int]]:
    out = set()
    for m in _CELL.finditer(xml):
        attrs = m.group(1)
        s = _STYLE.search(attrs)
        if s and s.group(1) in percent_xf and (ref := _cell_ref(attrs)):
            out.add(ref)
    return out


def _xls_styles(path: Path) -> Styles | None:
    """Percent-formatted numeric cells and legacy fonts of a legacy .xls, through xlrd's format records."""
    try:
        import xlrd

        book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True)
    except Exception:
        return None
    try:
        fonts = [f.name for f in book.font_list]
        percent_xf = {i for i, xf in enumerate(book.xf_list)
                      if "%" in getattr(book.format_map.get(xf.format_key), "format_str", "")}
        out: dict[int, set[tuple[int, int]]] = {}
        if percent_xf:
            for i in range(book.nsheets):
                sh = book.sheet_by_index(i)
                out[i] = {(r, c) for r in range(sh.nrows) for c in range(sh.ncols)
                          if sh.cell_type(r, c) == xlrd.XL_CELL_NUMBER and sh.cell_xf_index(r, c) in percent_xf}
        return out, {}, _font_hint(fonts)
    except Exception:
        return None
    finally:
        book.release_resources()


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
    """A CSV file as a grid of strings, its delimiter (`,` `;` tab) sniffed."""
    text = decode_bytes(path.read_bytes())
    if "\x00" in text:
        raise ReadError("this is not a text CSV file (it holds binary data); export it again as CSV UTF-8")
    delimiter = sniff_delimiter(text[:20000])
    return [list(r) for r in csv.reader(io.StringIO(text), delimiter=delimiter)]
