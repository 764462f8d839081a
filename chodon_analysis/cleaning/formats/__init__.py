"""Reading a workbook file (.xlsx, .xlsm, .xls, .ods, .csv), or the tables of a document (.docx, .html, .htm), into
plain grids of cell values, safely: every file measured against the limits (bounds.py) before anything is allocated
for it, no formula run, nothing fetched, hostile XML refused.

One module per input format, each behind the same interface (`Format`), declared in `FORMATS`. A new format is
one new module that implements `Format` and one line in `FORMATS`; `read_workbook` picks the module by the file's
extension and content. The shared pieces: book.py (what a workbook is once read; ReadError), bounds.py (the
limits), xml_scan.py (the XML parser that refuses entities), styles.py (the formats calamine does not give),
calamine.py (the value read of the spreadsheet formats), document.py (a document's tables laid out as sheets).
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Protocol

from . import bounds, csv, docx, html, ods, xls, xlsx
from .book import FormulaCell, ReadError, Reason, Sheet, Workbook

__all__ = ["EXTENSIONS", "FORMATS", "Format", "FormulaCell", "ReadError", "Reason", "Sheet", "Workbook",
           "read_workbook"]


class Format(Protocol):
    """What each format module declares (as module-level names)."""

    EXTENSIONS: tuple[str, ...]  # the file names it is read under, lower case: (".xlsx", ".xlsm")
    BY_CONTENT: bool  # a file of this format named otherwise (an .xls saved as .xlsx) is read as it; False for text
    NOT_THIS: str  # the ReadError code (parameter `ext`) for a file named like it that no format recognises

    def recognise(self, head: bytes, members: frozenset[str] | None = None) -> bool:
        """Whether a file starting with `head` (its first HEAD bytes, fewer for a shorter file) is of this format;
        `members`: the names of a zip's members in lower case (None when it is no zip or they cannot be listed)."""
        ...

    def read(self, path: Path) -> Workbook:
        """Every sheet of the file, measured against the limits first (bounds.py), then read, formats included;
        ReadError with a plain reason when it cannot be."""
        ...


FORMATS: tuple[Format, ...] = (xlsx, xls, ods, csv, docx, html)  # in this order when recognised by content
EXTENSIONS = tuple(ext for f in FORMATS for ext in f.EXTENSIONS)
HEAD = 512  # bytes read to recognise a format


def read_workbook(path: Path) -> Workbook:
    """Read every sheet of a workbook; raise ReadError with a plain reason when it cannot be read. The file's
    size is checked before anything else; its format is the one its extension names when its first bytes agree,
    else the one they show (an .xls saved as .xlsx is read as .xls, a web page saved as .xls as a page), else it is
    refused (a text file renamed). A zip's members tell a Word document from a workbook."""
    try:
        size = path.stat().st_size
        if size == 0:
            raise ReadError("file_empty")
        bounds.check_size(size)
        with path.open("rb") as fh:
            head = fh.read(HEAD)
    except OSError as e:
        raise ReadError("cannot_open", detail=e.strerror or str(e)) from None
    return pick(path.suffix.lower(), head, _members(path) if head.startswith(b"PK") else None).read(path)


def _members(path: Path) -> frozenset[str] | None:
    """The lower-case names of a zip's members; None when its directory cannot be read (its format refuses it)."""
    try:
        with zipfile.ZipFile(path) as zf:
            return frozenset(n.lower() for n in zf.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None


def pick(ext: str, head: bytes, members: frozenset[str] | None = None) -> Format:
    """The format of a file named `*{ext}` that starts with `head` (a zip: holding `members`)."""
    named = next((f for f in FORMATS if ext in f.EXTENSIONS), None)
    if named is None:
        raise ReadError("unsupported_type", ext=ext, supported=", ".join(EXTENSIONS))
    if named.recognise(head, members):
        return named
    found = next((f for f in FORMATS if f.BY_CONTENT and f.recognise(head, members)), None)
    if found is None:
        raise ReadError(named.NOT_THIS, ext=ext)
    return found
