"""What a row of the table is when it is not a plain indicator: a note, a signature or date line, a
`Trong đó:` label; and what an indicator's name carries besides the name: a unit `(ha)`, a footnote mark `(*)`."""

from __future__ import annotations

import re
from functools import lru_cache

from ...base import vocab
from ...base.text import fold

_DATE_LINE = re.compile(r"(?<!\w)ngay\b.{0,12}\bthang\b.{0,12}\bnam\b|(?<!\w)(date|dated)\b.{0,4}\d")
_FOOTNOTE = re.compile(r"\s*(\((?:\*{1,3}|\d{1,2}|[a-z])\)|\*{1,3}|[¹²³⁴⁵⁶⁷⁸⁹])$")
_UNIT_IN_NAME = re.compile(r"\s*[(\[]([^()\[\]]{1,24})[)\]]\s*$")
_SENTENCE_WORDS = 8
_MARK_START = re.compile(r"^\s*(\(\*{1,3}\)|\(\d{1,2}\)|\*{1,3})\s*\S")


def signature_or_date(texts: list[str], skip: int = -1) -> bool:
    """A signature block (`NGƯỜI LẬP BIỂU`, `TM. ỦY BAN NHÂN DÂN`, spread over columns) or a date line; the cell
    `skip` (the note column, where a date is only a note) does not count."""
    return any(_signature_cell(t) for i, t in enumerate(texts) if t and i != skip)


@vocab.derived
@lru_cache(maxsize=65536)
def _signature_cell(text: str) -> bool:
    f = fold(text)
    return f.startswith(vocab.row_openings()["signature"]) or bool(_DATE_LINE.search(f))


def note_row(first: str, name: str, has_values: bool, has_unit: bool, seen_indicator: bool) -> bool:
    """A note or footnote: starts like one (`Ghi chú`, `Số liệu ...`, `(*)`), or, below the indicators, a
    sentence with no value and no unit (`- Số liệu năm 2024 là số ước thực hiện.`)."""
    if has_values:
        return False
    notes = vocab.row_openings()["note"]
    if fold(first).startswith(notes) or fold(name).startswith(notes) or _MARK_START.match(first):
        return True  # `Ghi chú: ...`, `(**) Lũy kế đến cuối năm.`
    if name.startswith("(") and name.rstrip(" .").endswith(")") and len(name.split()) >= 3:
        return True  # `(Số liệu do Chi cục Thống kê cung cấp)`
    if has_unit or not seen_indicator:
        return False
    words = name.split()
    return len(first) > 80 or (len(words) >= _SENTENCE_WORDS and name.rstrip().endswith((".", ";")))


def notes_heading(first: str) -> bool:
    """A line that opens a block of notes: it starts with `Ghi chú`, `Lưu ý`, `Note` ... (not a footnote mark)."""
    return fold(first).startswith(tuple(o for o in vocab.row_openings()["note"] if o[:1].isalpha()))


@vocab.derived
@lru_cache(maxsize=65536)
def of_which(name: str) -> tuple[bool, str]:
    """(True, the rest) when a name is or starts with a `Trong đó:` label; the rest is a child's name, if any."""
    f = fold(name)
    for label in vocab.row_openings()["of_which"]:
        if f == label or f.rstrip(" :") == label:
            return True, ""
        if f.startswith(label) and f[len(label):len(label) + 1] in (":", "-", "–"):
            return True, name[len(label) + 1:].strip(" :-–")
    return False, name


@vocab.derived
@lru_cache(maxsize=65536)
def split_name(name: str, want_unit: bool) -> tuple[str, str, str]:
    """(name, unit written in the name or "", footnote mark or "").

    `Diện tích trồng rừng mới (ha)` gives its unit when `want_unit` (no unit column, or an empty unit cell)
    and the text in brackets is a known unit; `Thu ngân sách (*)` gives the mark `(*)`.
    """
    mark = ""
    if m := _FOOTNOTE.search(name):
        mark, name = m.group(1), name[: m.start()].rstrip()
    unit = ""
    if want_unit and (m := _UNIT_IN_NAME.search(name)):
        inner = fold(m.group(1)).replace(" ", "")
        synonyms = vocab.unit_synonyms()
        if inner in synonyms:
            unit, name = synonyms[inner], name[: m.start()].rstrip(" ,:-")
    return name, unit, mark
