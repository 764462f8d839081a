"""The limits a file must stay within to be read, checked before the reader allocates anything for it: a small
file can declare a sheet of 17 billion cells. One plain error refuses that file; the other files go on.
The limits are documented in docs/reading.md ("Limits")."""

from __future__ import annotations

from .book import ReadError, column_letter

MAX_FILE_BYTES = 100 * 1024**2  # a file larger than this is refused unread
MAX_ROWS = 100_000  # rows of one sheet, from its first row to its last used one
MAX_COLUMNS = 1_000  # columns of one sheet, from A to its last used one
MAX_CELLS = 1_000_000  # rows x columns of a sheet's used extent
MAX_CELL_CHARS = 32_767  # characters in one cell (Excel's own limit)
MAX_LINE_CHARS = 1024**2  # characters on one line of a CSV file
MAX_TEXT = 64 * 1024**2  # characters (bytes in .xlsx) of text in one sheet, shared or repeated text counted per cell


def _too_far(sheet: str, rows: int, cols: int, what: str) -> ReadError:
    corner = f"{column_letter(cols - 1)}{rows}"
    return ReadError(f"sheet '{sheet}' {what} cell {corner} ({rows:,} rows x {cols:,} columns), beyond what the "
                     f"reader accepts ({MAX_ROWS:,} rows, {MAX_COLUMNS:,} columns, {MAX_CELLS:,} cells); delete "
                     "the stray cells far from the table (Ctrl+End shows the last one) and save the file again")


def check_extent(sheet: str, rows: int, cols: int, what: str = "reaches") -> None:
    """Refuse a sheet whose used (or declared) extent passes the limits."""
    if rows > MAX_ROWS or cols > MAX_COLUMNS or rows * cols > MAX_CELLS:
        raise _too_far(sheet, rows, cols, what)


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


def check_text(sheet: str, total: int) -> None:
    """Refuse a sheet holding more text than MAX_TEXT once each cell has its own copy (as the reader makes)."""
    if total > MAX_TEXT:
        raise ReadError(f"sheet '{sheet}' holds more than {MAX_TEXT // 1024**2} million characters of text once every "
                        "cell is read (text shared or repeated between cells counts in each), more than the reader "
                        "accepts; keep only the indicator table in the file")


def check_size(size: int) -> None:
    if size > MAX_FILE_BYTES:
        raise ReadError(f"the file is {size / 1024**2:,.0f} MB, more than the {MAX_FILE_BYTES // 1024**2} MB the "
                        "reader accepts; an indicator table is far smaller: delete what is not the table, or split it")


def cell_too_long(where: str, chars: int | None = None) -> ReadError:
    size = f"{chars:,} characters" if chars else f"more than {MAX_CELL_CHARS:,} characters"
    return ReadError(f"{where} holds a cell of {size}, more than the {MAX_CELL_CHARS:,} a spreadsheet cell may "
                     "hold; shorten it (move long notes to a separate document) and save again")


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
            raise ReadError(f"line {line:,} is {longest:,} characters long, more than the {MAX_LINE_CHARS:,} "
                            "the reader accepts; this is not an indicator table (a damaged or generated file?)")
        start, line = end + 1, line + 1
