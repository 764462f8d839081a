"""What calamine does not give: which cells carry a percent format, how many decimals a cell's number format
shows, error cells (#N/A) and formulas never calculated, and legacy fonts; from the raw .xlsx/.ods XML or
through xlrd for .xls."""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from xml.etree.ElementTree import iterparse

from .book import FormulaCell, ReadError, check_zip

_BUILTIN = {1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%", 37: "#,##0 ;(#,##0)",
            38: "#,##0 ;[Red](#,##0)", 39: "#,##0.00;(#,##0.00)", 40: "#,##0.00;[Red](#,##0.00)"}
_ATTR = re.compile(rb'(\w+)="([^"]*)"')
_DECIMALS = re.compile(r"[0#?]\.([0#?]*)")
MAX_REPEAT = 5000  # an .ods cell or row repeated more often is an empty filler, never data


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
            if "xl/styles.xml" not in names:
                return Styles()
            styles = zf.read("xl/styles.xml")
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
            for i, member in enumerate(_sheet_members(zf, names)):
                if member not in names:
                    continue
                xml = zf.read(member)
                found = out.sheets[i] = SheetStyles()
                if xf:
                    _styled_cells(xml, xf, found)
                if b't="e"' in xml:
                    found.errors.update(_error_cells(xml))
                if b"<f" in xml:
                    found.errors.update(_unsaved_formulas(xml))
                if b"hidden=" in xml:
                    _hidden(xml, found)
            return out
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
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
        out.append(target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target))
    return out


_CELL = re.compile(rb'<(?:\w+:)?c\b([^>]*?)/?>')
_REF = re.compile(rb'r="([A-Z]+)(\d+)"')
_STYLE = re.compile(rb's="(\d+)"')
_ERROR_CELL = re.compile(rb'<(?:\w+:)?c\b([^>]*\bt="e"[^>]*)>(?:<(?:\w+:)?f[^>]*(?:/>|>.*?</(?:\w+:)?f>))?'
                         rb'<(?:\w+:)?v>([^<]*)</')
_FORMULA_CELL = re.compile(rb'<(?:\w+:)?c\b([^>]*)>\s*<(?:\w+:)?f\b[^>]*(?:/>|>(.*?)</(?:\w+:)?f>)\s*'
                           rb'(?:<(?:\w+:)?v\s*/>\s*|<(?:\w+:)?v>\s*</(?:\w+:)?v>\s*)?</(?:\w+:)?c>', re.S)


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


def _styled_cells(xml: bytes, xf: dict[bytes, tuple[bool, int]], out: SheetStyles) -> None:
    for m in _CELL.finditer(xml):
        attrs = m.group(1)
        s = _STYLE.search(attrs)
        if s and (fmt := xf.get(s.group(1))) and (ref := _cell_ref(attrs)):
            if fmt[0]:
                out.percent.add(ref)
            out.decimals[ref] = fmt[1]


def xls_styles(path: Path) -> Styles | None:
    """Percent and decimals of formatted numeric cells and legacy fonts of a .xls, through xlrd's format records."""
    try:
        import xlrd

        book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True)
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
            found.hidden_rows = {r for r, info in sh.rowinfo_map.items() if info.hidden}
            found.hidden_cols = {c for c, info in sh.colinfo_map.items() if info.hidden}
            out.sheets[i] = found
            if not xf:
                continue
            for r in range(sh.nrows):
                for c in range(sh.ncols):
                    if sh.cell_type(r, c) == xlrd.XL_CELL_NUMBER and (fmt := xf.get(sh.cell_xf_index(r, c))):
                        found.decimals[(r, c)] = fmt[1]
                        if fmt[0]:
                            found.percent.add((r, c))
        return out
    except Exception:
        return None
    finally:
        book.release_resources()


_NS = {"table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
       "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
       "number": "urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0",
       "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0"}


def _q(prefix: str, name: str) -> str:
    return f"{{{_NS[prefix]}}}{name}"


def ods_styles(path: Path) -> Styles | None:
    """Percent cells (office:value-type="percentage") and the decimals each cell's data style shows, of an .ods."""
    try:
        with zipfile.ZipFile(path) as zf:
            data_styles: dict[str, tuple[bool, int]] = {}
            cell_styles: dict[str, str] = {}
            out = Styles()
            for member in ("styles.xml", "content.xml"):
                if member in zf.namelist():
                    with zf.open(member) as fh:
                        _ods_member(fh, data_styles, cell_styles, out)
            return out
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, SyntaxError):
        return None


def _ods_member(fh, data_styles: dict[str, tuple[bool, int]], cell_styles: dict[str, str], out: Styles) -> None:
    """One pass over an .ods XML part: data styles, cell styles, then the cells of every table."""
    sheet, row, col = -1, 0, 0
    style_name, kind = None, None
    default_styles: list[str | None] = []
    for event, el in iterparse(fh, events=("start", "end")):
        tag = el.tag
        if event == "start":
            if tag in (_q("number", "percentage-style"), _q("number", "number-style")):
                style_name, kind = el.get(_q("style", "name")), tag
            elif tag == _q("number", "number") and style_name:
                data_styles[style_name] = (kind == _q("number", "percentage-style"),
                                           int(el.get(_q("number", "decimal-places"), "0")))
            elif tag == _q("style", "style") and el.get(_q("style", "data-style-name")):
                cell_styles[el.get(_q("style", "name"))] = el.get(_q("style", "data-style-name"))
            elif tag == _q("table", "table"):
                sheet, row, default_styles = sheet + 1, 0, []
                out.sheets[sheet] = SheetStyles()
            elif tag == _q("table", "table-column"):
                n = min(int(el.get(_q("table", "number-columns-repeated"), "1")), MAX_REPEAT)
                if el.get(_q("table", "visibility")) in ("collapse", "filter"):
                    out.sheets[sheet].hidden_cols.update(range(len(default_styles), len(default_styles) + n))
                default_styles += [el.get(_q("table", "default-cell-style-name"))] * n
            elif tag == _q("table", "table-row"):
                col = 0
                if el.get(_q("table", "visibility")) in ("collapse", "filter"):
                    out.sheets[sheet].hidden_rows.add(row)
            continue
        if tag == _q("table", "table-row"):
            row += min(int(el.get(_q("table", "number-rows-repeated"), "1")), MAX_REPEAT)
            el.clear()
        elif tag in (_q("table", "table-cell"), _q("table", "covered-table-cell")) and sheet >= 0:
            n = min(int(el.get(_q("table", "number-columns-repeated"), "1")), MAX_REPEAT)
            value_type = el.get(_q("office", "value-type"))
            if value_type in ("float", "percentage", "currency"):
                style = el.get(_q("table", "style-name")) or (default_styles[col] if col < len(default_styles) else None)
                fmt = data_styles.get(cell_styles.get(style or "", ""))
                for c in range(col, col + min(n, 256)):
                    if value_type == "percentage":
                        out.sheets[sheet].percent.add((row, c))
                    if fmt is not None:
                        out.sheets[sheet].decimals[(row, c)] = fmt[1]
            col += n
            el.clear()
        elif tag in (_q("number", "percentage-style"), _q("number", "number-style")):
            style_name = None
