"""The value read every spreadsheet format shares: python-calamine (fast, no formulas run, no external entities)
reads each sheet's grid of values and its merged ranges, always as the format the file was measured as, and the
style pass's findings (styles.py) are put on the sheets. Run only after the format module has measured the file
against the limits (bounds.py): calamine sizes its grids by what the file says."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from . import bounds
from .book import ReadError, Sheet, Workbook
from .styles import Styles


def read_values(path: Path, ext: str, styles: Styles | None) -> Workbook:
    """Every sheet of `path` read as a file of extension `ext` (`.xlsx`, `.xls`, `.ods`: the format measured),
    chart sheets left out, with the styles put on the sheets."""
    with _named(path, ext) as name:
        book = _open(name)
        try:
            sheets = _sheets(book)
        finally:
            book.close()
    if styles is None:
        return Workbook(path, sheets)
    for i, sheet in enumerate(sheets):
        if (found := styles.sheets.get(i)) is not None:
            sheet.percent_cells, sheet.decimals = found.percent, found.decimals
            sheet.hidden_rows, sheet.hidden_cols = found.hidden_rows, found.hidden_cols
            for (r, c), err in found.errors.items():
                if r < len(sheet.grid) and c < len(sheet.grid[r]) and sheet.grid[r][c] in ("", None):
                    sheet.grid[r][c] = err
    return Workbook(path, sheets, styles.font_hint)


@contextmanager
def _named(path: Path, ext: str) -> Iterator[str]:
    """A name of `path` ending in `ext`. calamine picks its reader by the extension of the name it is given, in
    lower case, and by content for any other name, trying formats this reader never measures (.xlsb): so a file
    named otherwise (an .xls saved as .xlsx, `BAO CAO.XLSX`), or whose name is not UTF-8 (an old Windows name),
    is given to it as a link named `workbook<ext>` in a folder of its own."""
    if path.suffix == ext or (ext == ".xlsx" and path.suffix == ".xlsm"):
        try:
            str(path).encode("utf-8")
        except UnicodeEncodeError:
            pass
        else:
            yield str(path)
            return
    with tempfile.TemporaryDirectory(prefix="chodon-") as folder:
        link = Path(folder) / f"workbook{ext}"
        try:
            os.symlink(path.absolute(), link)
        except OSError:  # no links here (some Windows accounts): a copy
            shutil.copyfile(path, link)
        yield str(link)


def _open(name: str):
    import python_calamine as pc

    try:
        return pc.CalamineWorkbook.from_path(name)
    except Exception as e:  # calamine raises its own error types for damaged files
        raise ReadError("not_a_spreadsheet", detail=_short(e)) from None


def _sheets(book) -> list[Sheet]:
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
                raise ReadError("xml_entity", sheet=meta.name) from None
            raise ReadError("sheet_unreadable", sheet=meta.name, detail=_short(e)) from None
        bounds.check_merges(meta.name, len(merged))  # .xls: the measuring pass does not count them
        sheets.append(Sheet(meta.name, grid, merged, hidden="hidden" in str(getattr(meta, "visible", "")).lower()))
    return sheets


def _short(e: Exception) -> str:
    msg = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
    return msg[:160]
