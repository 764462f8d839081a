"""Reading a workbook file (.xlsx, .xlsm, .xls, .ods, .csv) into plain grids of cell values, safely: every file
measured against the limits (bounds.py) before anything is allocated for it, no formula run, hostile XML refused.

One module per input format, each behind the same interface (`Format`), declared in `FORMATS`. A new format is
one new module that implements `Format` and one line in `FORMATS`; `read_workbook` picks the module by the file's
extension and content. The shared pieces: book.py (what a workbook is once read; ReadError), bounds.py (the
limits), xml_scan.py (the XML parser that refuses entities), styles.py (the formats calamine does not give),
calamine.py (the value read of the spreadsheet formats).
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from . import bounds, csv, ods, xls, xlsx
from .book import FormulaCell, ReadError, Reason, Sheet, Workbook

__all__ = ["EXTENSIONS", "FORMATS", "Format", "FormulaCell", "ReadError", "Reason", "Sheet", "Workbook",
           "read_workbook"]


class Format(Protocol):
    """What each format module declares (as module-level names)."""

    EXTENSIONS: tuple[str, ...]  # the file names it is read under, lower case: (".xlsx", ".xlsm")
    BY_CONTENT: bool  # a file of this format named otherwise (an .xls saved as .xlsx) is read as it; False for text
    NOT_THIS: str  # the ReadError code (parameter `ext`) for a file named like it that no format recognises

    def recognise(self, head: bytes) -> bool:
        """Whether a file starting with `head` (its first HEAD bytes, fewer for a shorter file) is of this format."""
        ...

    def read(self, path: Path) -> Workbook:
        """Every sheet of the file, measured against the limits first (bounds.py), then read, formats included;
        ReadError with a plain reason when it cannot be."""
        ...


FORMATS: tuple[Format, ...] = (xlsx, xls, ods, csv)  # in this order when recognised by content
EXTENSIONS = tuple(ext for f in FORMATS for ext in f.EXTENSIONS)
HEAD = 512  # bytes read to recognise a format


def read_workbook(path: Path) -> Workbook:
    """Read every sheet of a workbook; raise ReadError with a plain reason when it cannot be read. The file's
    size is checked before anything else; its format is the one its extension names when its first bytes agree,
    else the one they show (an .xls saved as .xlsx is read as .xls), else it is refused (a text or HTML file
    renamed)."""
    try:
        size = path.stat().st_size
        if size == 0:
            raise ReadError("file_empty")
        bounds.check_size(size)
        with path.open("rb") as fh:
            head = fh.read(HEAD)
    except OSError as e:
        raise ReadError("cannot_open", detail=e.strerror or str(e)) from None
    return pick(path.suffix.lower(), head).read(path)


def pick(ext: str, head: bytes) -> Format:
    """The format of a file named `*{ext}` that starts with `head`."""
    named = next((f for f in FORMATS if ext in f.EXTENSIONS), None)
    if named is None:
        raise ReadError("unsupported_type", ext=ext, supported=", ".join(EXTENSIONS))
    if named.recognise(head):
        return named
    found = next((f for f in FORMATS if f.BY_CONTENT and f.recognise(head)), None)
    if found is None:
        raise ReadError(named.NOT_THIS, ext=ext)
    return found
