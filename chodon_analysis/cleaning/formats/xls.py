"""`.xls` (Excel 97-2003, an OLE compound file): refused when it is a password-protected workbook, measured
against the limits and its styles read through xlrd's records (percent cells, decimals shown, hidden rows and
columns, legacy fonts), then its values read by calamine. A password-protected `.xlsx` is an OLE file too."""

from __future__ import annotations

from pathlib import Path

from . import bounds
from .book import ReadError, Workbook
from .calamine import read_values
from .styles import SheetStyles, Styles, font_hint, format_decimals, unchecked

EXTENSIONS = (".xls",)
BY_CONTENT = True
NOT_THIS = "not_an_xls"
OLE = b"\xd0\xcf\x11\xe0"  # the first bytes of an OLE compound file


def recognise(head: bytes, members: frozenset[str] | None = None) -> bool:
    return head.startswith(OLE)


def read(path: Path) -> Workbook:
    if _is_encrypted(path):
        raise ReadError("password_protected")
    return read_values(path, ".xls", xls_styles(path))


def _is_encrypted(path: Path) -> bool:
    """An encrypted .xlsx (ECMA-376) is an OLE file holding the streams EncryptionInfo and EncryptedPackage."""
    with path.open("rb") as fh:
        data = fh.read(1 << 16)
    return "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data


def xls_styles(path: Path) -> Styles:
    """Percent and decimals of formatted numeric cells and legacy fonts of a .xls, through xlrd's format records;
    a sheet past the limits is refused here, before calamine reads it."""
    try:
        import xlrd

        book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True, ragged_rows=True)
    except Exception as e:  # not measured, not read: calamine would size its grid by the file unchecked
        if "encrypted" in str(e).lower():  # an .xls saved with a password (RC4)
            raise ReadError("password_protected") from None
        raise unchecked(e) from None
    try:
        xf = {}
        for i, x in enumerate(book.xf_list):
            code = getattr(book.format_map.get(x.format_key), "format_str", "")
            if (d := format_decimals(code)) is not None:
                xf[i] = ("%" in code, d)
        out = Styles(font_hint=font_hint([f.name for f in book.font_list]))
        for i in range(book.nsheets):
            out.sheets[i] = _sheet_styles(book.sheet_by_index(i), xf)
            book.unload_sheet(i)
        return out
    except ReadError:
        raise
    except Exception as e:
        raise unchecked(e) from None
    finally:
        book.release_resources()


def _sheet_styles(sh, xf: dict[int, tuple[bool, int]]) -> SheetStyles:
    """One sheet measured (extent, each cell's text and the sheet's) and its styles."""
    import xlrd

    found = SheetStyles()
    bounds.check_extent(sh.name, sh.nrows, max((sh.row_len(r) for r in range(sh.nrows)), default=0))
    found.hidden_rows = {r for r, info in sh.rowinfo_map.items() if info.hidden}
    found.hidden_cols = {c for c, info in sh.colinfo_map.items() if info.hidden}
    text = 0
    for r in range(sh.nrows):
        types = sh.row_types(r)
        for c in range(len(types)):
            if types[c] == xlrd.XL_CELL_TEXT:
                chars = len(sh.cell_value(r, c))
                if chars > bounds.MAX_CELL_CHARS:
                    raise bounds.cell_too_long(sh.name, chars)
                text += chars
            elif types[c] == xlrd.XL_CELL_NUMBER and (fmt := xf.get(sh.cell_xf_index(r, c))):
                found.decimals[(r, c)] = fmt[1]
                if fmt[0]:
                    found.percent.add((r, c))
    bounds.check_text(sh.name, text)
    return found
