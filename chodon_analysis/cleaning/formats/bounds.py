"""The limits a file must stay within to be read, checked before the reader allocates anything for it: a small
file can declare a sheet of 17 billion cells, or a zip inflate to gigabytes. One plain error refuses that file;
the other files go on. The limits are documented in docs/reading.md ("Limits")."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .book import ReadError, column_letter

MAX_FILE_BYTES = 100 * 1024**2  # a file larger than this is refused unread
MAX_ROWS = 100_000  # rows of one sheet, from its first row to its last used one
MAX_COLUMNS = 1_000  # columns of one sheet, from A to its last used one
MAX_CELLS = 1_000_000  # rows x columns of a sheet's used extent
MAX_CELL_CHARS = 32_767  # characters in one cell (Excel's own limit)
MAX_LINE_CHARS = 1024**2  # characters on one line of a CSV file
MAX_TEXT = 64 * 1024**2  # characters (bytes in .xlsx) of text in one sheet, shared or repeated text counted per cell
MAX_SHARED = 10_000_000  # shared strings a workbook may declare (calamine reserves room for them all at once)
MAX_MERGES = 10_000  # merged ranges of one sheet (a plan table has a few dozen)
MAX_UNZIPPED = 400 * 1024**2  # bytes a workbook may inflate to
MAX_RATIO = 200  # inflated / compressed size of one member
# documents (.docx, .html): their tables are sheets, within the limits above; and these of the document itself
MAX_ELEMENTS = 1_000_000  # XML elements of a .docx's parts, or tags of a page (a 300-page report has ~200,000)
MAX_TABLES = 1_000  # tables of one document
MAX_NESTING = 8  # tables inside tables inside tables ...: a page laid out with tables nests three or four


def _too_far(sheet: str, rows: int, cols: int, declared: bool) -> ReadError:
    return ReadError("sheet_declares_too_far" if declared else "sheet_too_far", sheet=sheet,
                     cell=f"{column_letter(cols - 1)}{rows}", rows=rows, columns=cols, max_rows=MAX_ROWS,
                     max_columns=MAX_COLUMNS, max_cells=MAX_CELLS)


def check_extent(sheet: str, rows: int, cols: int, declared: bool = False) -> None:
    """Refuse a sheet whose used (or `declared`: an .xlsx `<dimension>`) extent passes the limits."""
    if rows > MAX_ROWS or cols > MAX_COLUMNS or rows * cols > MAX_CELLS:
        raise _too_far(sheet, rows, cols, declared)


class Extent:
    """The used extent of one sheet, grown cell by cell as its XML is scanned; refuses as soon as it is too big."""

    __slots__ = ("sheet", "rows", "cols")

    def __init__(self, sheet: str) -> None:
        self.sheet, self.rows, self.cols = sheet, 0, 0

    def add(self, row: int, col: int, n_rows: int = 1, n_cols: int = 1) -> None:
        """A used cell at 0-based (row, col), repeated over n_rows x n_cols (.ods repeats)."""
        last_row, last_col = row + n_rows, col + n_cols
        if last_row > self.rows or last_col > self.cols:
            self.rows, self.cols = max(self.rows, last_row), max(self.cols, last_col)
            check_extent(self.sheet, self.rows, self.cols)


def check_table(sheet: str, rows: int, cols: int) -> None:
    """Refuse a document's table whose extent, merged cells spread as a spreadsheet shows them, passes the limits
    of a sheet."""
    if rows > MAX_ROWS or cols > MAX_COLUMNS or rows * cols > MAX_CELLS:
        raise ReadError("table_too_large", sheet=sheet, rows=rows, columns=cols, max_rows=MAX_ROWS,
                        max_columns=MAX_COLUMNS, max_cells=MAX_CELLS)


def check_merges(sheet: str, n: int) -> None:
    """Refuse a sheet with more merged ranges than MAX_MERGES (each is looked at by the header search)."""
    if n > MAX_MERGES:
        raise ReadError("sheet_too_many_merges", sheet=sheet, max_merges=MAX_MERGES)


def check_text(sheet: str, total: int) -> None:
    """Refuse a sheet holding more text than MAX_TEXT once each cell has its own copy (as the reader makes)."""
    if total > MAX_TEXT:
        raise ReadError("sheet_too_much_text", sheet=sheet, millions=MAX_TEXT // 1024**2)


def check_size(size: int) -> None:
    if size > MAX_FILE_BYTES:
        raise ReadError("file_too_large", mb=round(size / 1024**2), max_mb=MAX_FILE_BYTES // 1024**2)


def cell_too_long(sheet: str, chars: int) -> ReadError:
    """A cell of `sheet` holding `chars` characters, more than MAX_CELL_CHARS."""
    return ReadError("cell_too_long", sheet=sheet, chars=chars, max_chars=MAX_CELL_CHARS)


def _longest_cr_line(text: str, start: int, end: int) -> int:
    """The longest piece of text[start:end] between lone CRs, found without copying it."""
    longest = 0
    while start < end:
        cr = text.find("\r", start, end)
        cr = end if cr < 0 else cr
        longest, start = max(longest, cr - start), cr + 1
    return longest


def check_lines(text: str) -> None:
    """Refuse CSV text with a line longer than MAX_LINE_CHARS, before the CSV parser builds it; a line ends at
    LF, CRLF or a lone CR (old Mac files). Linear."""
    start, n, line = 0, len(text), 1
    while start < n:
        end = text.find("\n", start)
        end = n if end < 0 else end
        if end - start > MAX_LINE_CHARS and (longest := _longest_cr_line(text, start, end)) > MAX_LINE_CHARS:
            raise ReadError("csv_line_too_long", line=line, chars=longest, max_chars=MAX_LINE_CHARS)
        start, line = end + 1, line + 1


def check_zip(zf: zipfile.ZipFile) -> None:
    """Refuse a zip bomb before anything is inflated: by the sizes its directory declares."""
    infos = zf.infolist()
    seen: set[str] = set()
    for i in infos:  # two members of one name: which one a reader opens is its own choice
        if i.filename in seen:
            raise ReadError("zip_duplicate_names", name=i.filename[:80])
        seen.add(i.filename)
    total = sum(i.file_size for i in infos)
    if total > MAX_UNZIPPED or any(i.file_size > MAX_RATIO * max(i.compress_size, 1) and i.file_size > 10**7
                                   for i in infos):
        raise ReadError("zip_bomb", mb=round(total / 1024**2))


@contextmanager
def open_zip(path: Path) -> Iterator[zipfile.ZipFile]:
    """The workbook's zip, refused when truncated (no zip directory) or a zip bomb, before anything is inflated."""
    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise ReadError("zip_truncated") from None
    with zf:
        check_zip(zf)
        yield zf
