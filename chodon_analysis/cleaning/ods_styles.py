"""Percent cells and decimals of an .ods (office:value-type, data styles) and its limits, in one streaming pass
over its XML: a table whose repeated cells would expand past the limits is refused before calamine reads it."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree.ElementTree import iterparse

from . import bounds
from .styles import SheetStyles, Styles, unchecked

MAX_REPEAT = 5000  # an .ods cell or row repeated more often is an empty filler, never data

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
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, SyntaxError) as e:
        raise unchecked(e) from None


def _ods_member(fh, data_styles: dict[str, tuple[bool, int]], cell_styles: dict[str, str], out: Styles) -> None:
    """One pass over an .ods XML part: data styles, cell styles, then the cells of every table, each table refused
    as soon as its used cells (repeats expanded, as calamine expands them) pass the limits."""
    sheet, row, col, rows_repeated, text = -1, 0, 0, 1, 0
    style_name, kind, extent = None, None, bounds.Extent("")
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
                out.sheets[sheet], extent = SheetStyles(), bounds.Extent(el.get(_q("table", "name"), ""))
                text = 0
            elif tag == _q("table", "table-column"):
                n = min(int(el.get(_q("table", "number-columns-repeated"), "1")), MAX_REPEAT)
                if el.get(_q("table", "visibility")) in ("collapse", "filter"):
                    out.sheets[sheet].hidden_cols.update(range(len(default_styles), len(default_styles) + n))
                default_styles += [el.get(_q("table", "default-cell-style-name"))] * n
            elif tag == _q("table", "table-row"):
                col, rows_repeated = 0, max(1, int(el.get(_q("table", "number-rows-repeated"), "1")))
                if el.get(_q("table", "visibility")) in ("collapse", "filter"):
                    out.sheets[sheet].hidden_rows.add(row)
            continue
        if tag == _q("table", "table-row"):
            row += rows_repeated
            el.clear()
        elif tag in (_q("table", "table-cell"), _q("table", "covered-table-cell")) and sheet >= 0:
            n = max(1, int(el.get(_q("table", "number-columns-repeated"), "1")))
            value_type = el.get(_q("office", "value-type"))
            if value_type or len(el):
                extent.add(row, col, rows_repeated, n)
                chars = sum(map(len, el.itertext()))
                if chars > bounds.MAX_CELL_CHARS:
                    raise bounds.cell_too_long(f"sheet '{extent.sheet}'", chars)
                text += chars * n * rows_repeated
                bounds.check_text(extent.sheet, text)
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
