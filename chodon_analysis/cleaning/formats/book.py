"""What a workbook is once read (sheets of plain cell values, merged ranges and formats), and why a file cannot
be read: the `ReadError` a reader raises, with a stable code and parameters, and the `Reason` a failed file
carries to the cleaner (and across processes)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ...base import messages


class FormulaCell(str):
    """A formula whose value was never saved (e.g. written by a script, never opened in Excel)."""


@dataclass
class Sheet:
    """One sheet: its name, a rectangular grid (row 0 = Excel row 1), merged ranges, percent cells."""

    name: str
    grid: list[list[object]]
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    percent_cells: set[tuple[int, int]] = field(default_factory=set)
    decimals: dict[tuple[int, int], int] = field(default_factory=dict)  # decimals a cell's number format shows
    hidden_rows: set[int] = field(default_factory=set)  # rows and columns hidden in the workbook (0-based)
    hidden_cols: set[int] = field(default_factory=set)
    hidden: bool = False  # the whole sheet is hidden


@dataclass
class Workbook:
    path: Path
    sheets: list[Sheet]
    font_hint: str | None = None  # "tcvn3" / "vni" when the styles name legacy fonts


def column_index(letters: str) -> int:
    """`D` -> 3: the 0-based index of a column letter (the inverse of `column_letter`)."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def column_letter(i: int) -> str:
    """3 -> `D`, 16383 -> `XFD`: the letters of a 0-based column index."""
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


# ---- why a file cannot be read ------------------------------------------------------------------------------
_CODE = re.compile(r"[a-z][a-z0-9_]*")
UNCODED = "file_unreadable"  # the code of a sentence raised without one: its text is the parameter `reason`


def english(code: str, params: Mapping[str, object] | None = None) -> str:
    """`problem; action` in English: the sentence users see (the CLI's `error:` line, CleanResult.failed). A
    vocabulary folder without the code's lines (an old copy in CHODON_VOCABULARY) gives the code and parameters
    rather than stopping the clean."""
    values = params or {}
    try:
        return messages.english(code, values)
    except KeyError:
        return f"{code} ({', '.join(f'{k}: {v}' for k, v in values.items())}); strings.csv has no words for it"


class ReadError(Exception):
    """A file that cannot be read: `ReadError(code, **params)`, its words in strings.csv as
    `issue.<code>.problem` and `issue.<code>.action` ({name} filled from params). `str(e)` is the English
    sentence; `.code` and `.params` are kept for the issue log. A plain sentence instead of a code (code not
    yet given one) is kept as it is, under the code `file_unreadable`."""

    def __init__(self, code: str, /, **params: object) -> None:
        if params or _CODE.fullmatch(code):
            text = english(code, params)
        else:
            text, code, params = code, UNCODED, {"reason": code}
        super().__init__(text)
        self.code, self.params = code, params

    def __reduce__(self):  # the sentence, code and parameters as they are, not rebuilt from a changed catalog
        return _rebuilt, (str(self), self.code, self.params)

    @property
    def reason(self) -> Reason:
        return Reason(str(self), self.code, self.params)


def _rebuilt(text: str, code: str, params: dict[str, object]) -> ReadError:
    e = ReadError.__new__(ReadError)
    Exception.__init__(e, text)
    e.code, e.params = code, params
    return e


class Reason(str):
    """Why a file gave no rows, as `CleanResult.failed` shows it: the English sentence, carrying the `code` and
    `params` of its words for the issue log. It pickles whole (the reader processes send it back)."""

    code: str
    params: dict[str, object]

    def __new__(cls, text: str, code: str, params: Mapping[str, object] | None = None) -> Reason:
        self = super().__new__(cls, text)
        self.code, self.params = code, dict(params or {})
        return self

    def __reduce__(self):
        return Reason, (str(self), self.code, self.params)

    @classmethod
    def of(cls, code: str, **params: object) -> Reason:
        """The reason of `code` (its English words from strings.csv)."""
        return cls(english(code, params), code, params)
