"""What calamine does not give: which cells carry a percent format, how many decimals a cell's number format
shows, error cells (#N/A) and formulas never calculated, and legacy fonts. The shared pieces, and the .xls
reading through xlrd; the .xlsx and .ods parts are read by xlsx_scan.py and ods_styles.py."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from . import bounds
from .book import ReadError

BUILTIN_FORMATS = {  # Excel's built-in number formats by id
    1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%", 37: "#,##0 ;(#,##0)",
    38: "#,##0 ;[Red](#,##0)", 39: "#,##0.00;(#,##0.00)", 40: "#,##0.00;[Red](#,##0.00)"}
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


def font_hint(fonts: list[str]) -> str | None:
    """The legacy encoding a workbook's font names reveal (legacy_fonts.csv), or None."""
    from ...base import vocab

    names = [f.lower() for f in fonts]
    for prefix, encoding in vocab.legacy_fonts():  # in the file's order: a .Vn font wins over a VNI one
        if any(name.startswith(prefix) for name in names):
            return encoding
    return None


def unchecked(e: Exception) -> ReadError:
    """A workbook whose XML cannot be scanned is not handed to the reader unchecked: it could be any size."""
    reason = str(e).splitlines()[0][:120] if str(e) else type(e).__name__
    return ReadError(f"the workbook is damaged ({reason}); open it in Excel or LibreOffice and save it again")


def xls_styles(path: Path) -> Styles:
    """Percent and decimals of formatted numeric cells and legacy fonts of a .xls, through xlrd's format records;
    a sheet past the limits is refused here, before calamine reads it."""
    try:
        import xlrd

        book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True, ragged_rows=True)
    except Exception as e:  # not measured, not read: calamine would size its grid by the file unchecked
        raise unchecked(e) from None
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
                        chars = len(sh.cell_value(r, c))
                        if chars > bounds.MAX_CELL_CHARS:
                            raise bounds.cell_too_long(f"sheet '{sh.name}'", chars)
                        text += chars
                    elif types[c] == xlrd.XL_CELL_NUMBER and (fmt := xf.get(sh.cell_xf_index(r, c))):
                        found.decimals[(r, c)] = fmt[1]
                        if fmt[0]:
                            found.percent.add((r, c))
            bounds.check_text(sh.name, text)
            book.unload_sheet(i)
        return out
    except ReadError:
        raise
    except Exception as e:
        raise unchecked(e) from None
    finally:
        book.release_resources()
