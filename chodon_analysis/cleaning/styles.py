"""What calamine does not give: which cells carry a percent format, how many decimals a cell's number format
shows, error cells (#N/A) and formulas never calculated, and legacy fonts; from the raw .xlsx/.ods XML or
through xlrd for .xls."""

from __future__ import annotations

import re
import zipfile
from array import array
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from . import bounds
from .book import FormulaCell, ReadError, check_zip

_BUILTIN = {1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%", 37: "#,##0 ;(#,##0)",
            38: "#,##0 ;[Red](#,##0)", 39: "#,##0.00;(#,##0.00)", 40: "#,##0.00;[Red](#,##0.00)"}
_ATTR = re.compile(rb'(\w+)="([^"]*)"')
_DECIMALS = re.compile(r"[0#?]\.([0#?]*)")


@dataclass
class SheetStyles:
    percent: set[tuple[int, int]] = field(default_factory=set)
    decimals: dict[tuple[int, int], int] = field(default_factory=dict)
    errors: dict[tuple[int, int], str] = field(default_factory=dict)
    hidden_rows: set[int] = field(default_factory=set)
    hidden_cols: set[int] = field(default_factory=set)


@dataclass
class Styles:
    sheets: dict[int, SheetStyles] = field(default_factory=dict)  # by sheet index, in workbook order
    font_hint: str | None = None


def format_decimals(code: str) -> int | None:
    """Decimals a number format shows (`#,##0.0` 1, `0%` 0); None for General, text and dates."""
    section = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", code.split(";")[0])
    if not re.search(r"[0#?]", section) or re.search(r"[dmyhs]", section, re.I) or "@" in section:
        return None
    m = _DECIMALS.search(section)
    return len(m.group(1)) if m else 0


def _attrs(tag: bytes) -> dict[bytes, bytes]:
    return dict(_ATTR.findall(tag))


def font_hint(fonts: list[str]) -> str | None:
    """The legacy encoding a workbook's font names reveal (legacy_fonts.csv), or None."""
    from . import vocab

    names = [f.lower() for f in fonts]
    for prefix, encoding in vocab.legacy_fonts():  # in the file's order: a .Vn font wins over a VNI one
        if any(name.startswith(prefix) for name in names):
            return encoding
    return None


def xlsx_styles(path: Path) -> Styles | None:
    """Percent and decimals of formatted cells, error cells and uncalculated formulas per sheet, and fonts."""
    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise ReadError("the workbook is damaged or truncated (its zip directory is missing); "
                        "copy the file again from its source") from None
    try:
        with zf:
            check_zip(path, zf)
            names = set(zf.namelist())
            shared = _shared_lengths(zf.read("xl/sharedStrings.xml")) if "xl/sharedStrings.xml" in names else None
            styles = zf.read("xl/styles.xml") if "xl/styles.xml" in names else b""
            fonts = [m.group(1).decode("utf-8", "replace") for m in
                     re.finditer(rb'<(?:\w+:)?name val="([^"]*)"', styles)]
            numfmts = {int(a[b"numFmtId"]): a.get(b"formatCode", b"").decode("utf-8", "replace") for a in
                       (_attrs(t) for t in re.findall(rb"<(?:\w+:)?numFmt [^>]*>", styles))}
            cellxfs = re.search(rb"<(?:\w+:)?cellXfs[^>]*>(.*?)</(?:\w+:)?cellXfs>", styles, re.S)
            xf: dict[bytes, tuple[bool, int]] = {}  # style index -> (percent, decimals)
            if cellxfs:
                for i, tag in enumerate(re.findall(rb"<(?:\w+:)?xf\b[^>]*>", cellxfs.group(1))):
                    fid = int(_attrs(tag).get(b"numFmtId", b"0"))
                    code = numfmts.get(fid, _BUILTIN.get(fid, ""))
                    d = format_decimals(code.replace("&quot;", '"'))
                    if d is not None:
                        xf[str(i).encode()] = ("%" in code, d)
            out = Styles(font_hint=font_hint(fonts))
            for i, (name, member) in enumerate(_sheet_members(zf, names)):
                if member not in names:
                    continue
                xml = zf.read(member)
                bounds.check_xml_text(xml, f"sheet '{name}'")
                found = out.sheets[i] = SheetStyles()
                _scan_cells(xml, xf, found, name)
                _check_text(xml, shared, name)
                if b't="e"' in xml:
                    found.errors.update(_error_cells(xml))
                if b"<f" in xml:
                    found.errors.update(_unsaved_formulas(xml))
                if b"hidden=" in xml:
                    _hidden(xml, found)
            return out
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as e:
        raise unchecked(e) from None


def unchecked(e: Exception) -> ReadError:
    """A workbook whose XML cannot be scanned is not handed to the reader unchecked: it could be any size."""
    reason = str(e).splitlines()[0][:120] if str(e) else type(e).__name__
    return ReadError(f"the workbook is damaged ({reason}); open it in Excel or LibreOffice and save it again")


def _sheet_members(zf: zipfile.ZipFile, names: set[str]) -> list[tuple[str, str]]:
    """(name, worksheet XML file) of each sheet in workbook order (chart sheets left out, as calamine does)."""
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
        name = _attrs(tag).get(b"name", b"").decode("utf-8", "replace")
        out.append((name, target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)))
    return out


_REF = re.compile(rb'r="([A-Z]+)(\d+)"')
_STYLE = re.compile(rb's="(\d+)"')
# formula text never holds '<' (XML escapes it): [^<]* keeps each match to its own cell, the scan linear
_ERROR_CELL = re.compile(rb'<(?:\w+:)?c\b([^>]*\bt="e"[^>]*)>(?:<(?:\w+:)?f[^>]*(?:/>|>[^<]*</(?:\w+:)?f>))?'
                         rb'<(?:\w+:)?v>([^<]*)</')
_FORMULA_CELL = re.compile(rb'<(?:\w+:)?c\b([^>]*)>\s*<(?:\w+:)?f\b[^>]*(?:/>|>([^<]*)</(?:\w+:)?f>)\s*'
                           rb'(?:<(?:\w+:)?v\s*/>\s*|<(?:\w+:)?v>\s*</(?:\w+:)?v>\s*)?</(?:\w+:)?c>')


def _cell_ref(attrs: bytes) -> tuple[int, int] | None:
    r = _REF.search(attrs)
    if not r:
        return None
    col = 0
    for ch in r.group(1):
        col = col * 26 + ch - 64
    return int(r.group(2)) - 1, col - 1


_HIDDEN_ROW = re.compile(rb'<(?:\w+:)?row\b[^>]*?\br="(\d+)"[^>]*?\bhidden="(?:1|true)"|'
                         rb'<(?:\w+:)?row\b[^>]*?\bhidden="(?:1|true)"[^>]*?\br="(\d+)"')
_HIDDEN_COL = re.compile(rb'<(?:\w+:)?col\b[^>]*>')


def _hidden(xml: bytes, out: SheetStyles) -> None:
    """Rows and columns the workbook hides (`<row hidden="1">`, `<col hidden="1">`)."""
    for m in _HIDDEN_ROW.finditer(xml):
        out.hidden_rows.add(int(m.group(1) or m.group(2)) - 1)
    for tag in _HIDDEN_COL.findall(xml):
        a = _attrs(tag)
        if a.get(b"hidden") in (b"1", b"true"):
            lo, hi = int(a.get(b"min", b"1")), int(a.get(b"max", b"1"))
            out.hidden_cols.update(range(lo - 1, min(hi, lo + 200)))


def _unsaved_formulas(xml: bytes) -> dict[tuple[int, int], str]:
    """Formula cells with no saved value: calamine reads them as empty; say so instead."""
    return {ref: FormulaCell("=" + (m.group(2) or b"").decode("utf-8", "replace"))
            for m in _FORMULA_CELL.finditer(xml) if (ref := _cell_ref(m.group(1)))}


def _error_cells(xml: bytes) -> dict[tuple[int, int], str]:
    return {ref: m.group(2).decode("utf-8", "replace") for m in _ERROR_CELL.finditer(xml)
            if (ref := _cell_ref(m.group(1)))}


_SI = re.compile(rb"<(?:\w+:)?si\b[^>]*>(.*?)</(?:\w+:)?si>", re.S)
_SHARED_CELL = re.compile(rb'<(?:\w+:)?c\b[^>]*\bt="s"[^>]*>\s*<(?:\w+:)?v>\s*(\d+)\s*<')


def _shared_lengths(xml: bytes) -> array:
    """The size in bytes of each shared string (an upper bound on its characters); refuses one too long."""
    bounds.check_xml_text(xml, "the workbook")
    return array("Q", (len(m.group(1)) for m in _SI.finditer(xml)))


def _check_text(xml: bytes, shared: array | None, sheet: str) -> None:
    """Refuse a sheet whose cells, each with its own copy of the shared strings it shows, hold too much text."""
    if not shared:
        bounds.check_text(sheet, len(xml))
        return
    cells = xml.count(b't="s"')
    if len(xml) + cells * max(shared) <= bounds.MAX_TEXT:
        return  # the common case: no need to look at each cell
    total = len(xml)
    for m in _SHARED_CELL.finditer(xml):
        i = int(m.group(1))
        total += shared[i] if i < len(shared) else 0
        if total > bounds.MAX_TEXT:
            break
    bounds.check_text(sheet, total)


_TAG = re.compile(rb'<(?:\w+:)?(row|c)\b([^>]*?)/?>')
_ROW_NUMBER = re.compile(rb'\br="(\d+)"')
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\b[^>]*\bref="(?:[A-Z]+\d+:)?([A-Z]+)(\d+)"')


def _scan_cells(xml: bytes, xf: dict[bytes, tuple[bool, int]], out: SheetStyles, sheet: str) -> None:
    """One linear pass over a sheet's rows and cells: refuse it past the limits (its declared extent, then each
    cell, empty or not, as calamine sizes its grid by them), and note the percent and decimals of styled cells."""
    head = xml[:max(xml.find(b"sheetData"), 0)]
    if (dim := _DIMENSION.search(head)) and (ref := _cell_ref(b'r="' + dim.group(1) + dim.group(2) + b'"')):
        bounds.check_extent(sheet, ref[0] + 1, ref[1] + 1, "declares its last")
    extent = bounds.Extent(sheet)
    row, col = -1, -1
    for m in _TAG.finditer(xml):
        attrs = m.group(2)
        if m.group(1) == b"row":
            n = _ROW_NUMBER.search(attrs)
            row, col = (int(n.group(1)) - 1 if n else row + 1), -1
            continue
        ref = _cell_ref(attrs)
        row, col = ref if ref else (max(row, 0), col + 1)
        if row >= extent.rows or col >= extent.cols:
            extent.add(row, col)
        if xf and (s := _STYLE.search(attrs)) and (fmt := xf.get(s.group(1))):
            if fmt[0]:
                out.percent.add((row, col))
            out.decimals[(row, col)] = fmt[1]


def xls_styles(path: Path) -> Styles | None:
    """Percent and decimals of formatted numeric cells and legacy fonts of a .xls, through xlrd's format records;
    a sheet past the limits is refused here, before calamine reads it."""
    try:
        import xlrd

        book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True, ragged_rows=True)
    except Exception:
        return None
    try:
        xf = {}
        for i, x in enumerate(book.xf_list):
            code = getattr(book.format_map.get(x.format_key), "format_str", "")
            if (d := format_decimals(code)) is not None:
                xf[i] = ("%" in code, d)
        out = Styles(font_hint=font_hint([f.name for f in book.font_list]))
        for i in range(book.nsheets):
            sh, found = book.sheet_by_index(i), SheetStyles()
            bounds.check_extent(sh.name, sh.nrows, max((sh.row_len(r) for r in range(sh.nrows)), default=0))
            found.hidden_rows = {r for r, info in sh.rowinfo_map.items() if info.hidden}
            found.hidden_cols = {c for c, info in sh.colinfo_map.items() if info.hidden}
            out.sheets[i] = found
            text = 0
            for r in range(sh.nrows):
                types = sh.row_types(r)
                for c in range(len(types)):
                    if types[c] == xlrd.XL_CELL_TEXT:
                        text += len(sh.cell_value(r, c))
                    elif types[c] == xlrd.XL_CELL_NUMBER and (fmt := xf.get(sh.cell_xf_index(r, c))):
                        found.decimals[(r, c)] = fmt[1]
                        if fmt[0]:
                            found.percent.add((r, c))
            bounds.check_text(sh.name, text)
            book.unload_sheet(i)
        return out
    except ReadError:
        raise
    except Exception:
        return None
    finally:
        book.release_resources()
