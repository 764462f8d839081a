"""What a row of the table is: the tests of the rule table (rows/walk.py) that tell a signature or date line, a
repeated header, a column-number row, a name continued, a `Trong đó:` label, a note, a group or section heading
from an indicator, with the row and the state they read; and what an indicator's name carries besides the name:
a unit `(ha)`, a footnote mark `(*)`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ...base import vocab
from ...base.text import fold
from ..formats import Sheet
from ..layout.header import VALUE_ROLES, Column, Layout, row_texts
from .parse import parse_target

_DATE_LINE = re.compile(r"(?<!\w)ngay\b.{0,12}\bthang\b.{0,12}\bnam\b|(?<!\w)(date|dated)\b.{0,4}\d")
_FOOTNOTE = re.compile(r"\s*(\((?:\*{1,3}|\d{1,2}|[a-z])\)|\*{1,3}|[¹²³⁴⁵⁶⁷⁸⁹])$")
_UNIT_IN_NAME = re.compile(r"\s*[(\[]([^()\[\]]{1,24})[)\]]\s*$")
_SENTENCE_WORDS = 8
_MARK_START = re.compile(r"^\s*(\(\*{1,3}\)|\(\d{1,2}\)|\*{1,3})\s*\S")
_ROMAN = re.compile(r"^(?=[IVXLC]+$)M*(C[MD]|D?C{0,3})(X[CL]|L?X{0,3})(I[XV]|V?I{0,3})$")
# an order code before a name: `1.`, `a)`, `1.2` then a space; a bullet (`-`, `+`, an en dash) with or without one
_CODE_IN_NAME = re.compile(r"^\s*(?:((?:[IVXLC]+|[A-Z]|\d+(?:\.\d+)*|[a-zđ])[.)]|\d+(?:\.\d+)+)\s+(?=\S)"
                           r"|([-+*•–—])\s*(?=[^\W\d_]))")
_LETTER_CODE = re.compile(r"[A-Z]\.?")
# a column's number or letter, in brackets or not, alone or as a formula of others: `3`, `(6)=(5)/(4)`, `C=B-A`
_COLNUM_OPERAND = r"\(?\s*(?:\d{1,3}|[a-z])\s*\)?"
_COLNUM_TOKEN = re.compile(rf"^\(?\s*(\d{{1,2}}|[a-z])\s*\)?(?:\s*[=*/+\-x:×]\s*{_COLNUM_OPERAND})*$")
_LEVEL_CODE = re.compile(r"^(\d+(\.\d+)*\.?|[IVXLC]+\.?|[A-Z]\.?)$")


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
            return True, name[len(label) + 1:].strip(" :")  # `- Thóc` keeps its dash: the walk makes it the code
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


def is_heading(code: str, name: str) -> bool:
    """`I`, `II`, `A` in the order column, or a name in capitals without a code: a section heading."""
    if _ROMAN.match(code.rstrip(".")) or _LETTER_CODE.fullmatch(code):
        return True
    letters = [ch for ch in name if ch.isalpha()]
    return not code and len(letters) > 3 and all(ch.isupper() for ch in letters)


def level_code(code: str) -> bool:
    """A code of a level of the table (`2`, `1.2`, `II`, `B`), not a bullet (`-`, `+`, `a`)."""
    return bool(_LEVEL_CODE.match(code))


def _is_colnum_row(texts: list[str]) -> bool:
    """`A | B | C | 1 | 2 | 3=2/1`, `(1) | (2) | (6)=(5)/(4)`: three or more cells, each a column's number or letter
    (or a formula of them) no greater than the column's place (`4 | | 12 | 15`, the figures of a row without a
    name, number no columns)."""
    marks = []
    for i, t in enumerate(texts):  # every row passes here: the first cell that is no column number ends it
        if t:
            if len(t) > 30 or not (m := _COLNUM_TOKEN.match(fold(t))):
                return False
            marks.append((i, m.group(1)))
    return len(marks) >= 3 and all((int(k) if k.isdigit() else ord(k) - ord("a") + 1) <= i + 1 for i, k in marks)


def _child_code(code: str, parent: str) -> bool:
    """`2.1` under `2`, or a bullet (`-`, `+`, `a`): the code of a row that belongs to the row above it."""
    return code.startswith(parent.rstrip(".") + ".") or code in ("-", "+", "*", "•") or \
        (len(code) == 1 and code.islower())


def _value_like(text: str) -> bool:
    """A cell that reads as a value: a number, a plan phrase or a missing-value marker (not a name or a date line)."""
    return bool(text) and (parse_target(text) is not None or fold(text) in vocab.missing_markers())


def _code_in_name(name: str) -> tuple[str, str]:
    """(order code, the rest) of a name that starts with one (`1. Tổng ...`, `- Tỷ lệ ...`), else ("", name)."""
    if not (m := _CODE_IN_NAME.match(name)):
        return "", name
    if m.group(2):  # a bullet: an en or em dash is the dash offices mean
        return ("-" if m.group(2) in "–—" else m.group(2)), name[m.end():]
    return m.group(1).rstrip(".)"), name[m.end():]


def _merged_down(sheet: Sheet, cols: list[Column], start: int) -> dict[tuple[int, int], str]:
    """(row, column) -> text of cells of the order, name and unit columns covered by a merge from a row above
    (rows from `start` on: merges of the header are not data)."""
    wanted = {c.index for c in cols}
    out = {}
    for (r0, c0), (r1, c1) in sheet.merged:
        if r0 >= start and c0 in wanted and c0 == c1 and r1 > r0 and r0 < len(sheet.grid) and c0 < len(sheet.grid[r0]):
            text = row_texts([sheet.grid[r0][c0]])[0]
            out.update({(r, c0): text for r in range(r0 + 1, min(r1, r0 + 50) + 1)})
    return out


@dataclass(frozen=True)
class Table:
    """What the rules read of a sheet's table besides the row: its grid, its key columns (and where the name and
    note columns are, -1 without one), its header (folded) and the names merged down over several rows."""

    sheet: Sheet
    c_order: Column | None
    c_name: Column | None
    c_unit: Column | None
    c_note: Column | None
    name_at: int
    note_at: int
    value_idx: list[int]  # the plan, actual, estimate ... columns
    header: list[str]
    header_name: str | None  # the header's text over the name column
    merged_names: dict[tuple[int, int], str]
    merged_cols: list[int]

    @classmethod
    def of(cls, sheet: Sheet, layout: Layout) -> Table:
        """The table of `sheet` as `layout` finds it."""
        c_order, c_name, c_unit, c_note = (layout.first(role) for role in ("order", "indicator", "unit", "note"))
        header = [fold(t) for t in row_texts(sheet.grid[layout.header_rows[0]])]
        name_at = c_name.index if c_name is not None else -1
        keys = [c for c in (c_order, c_name, c_unit) if c is not None]
        merged = _merged_down(sheet, keys, layout.header_rows[-1] + 1)
        return cls(sheet, c_order, c_name, c_unit, c_note, name_at, c_note.index if c_note is not None else -1,
                   [c.index for c in layout.columns if c.role in VALUE_ROLES], header,
                   header[name_at] if 0 <= name_at < len(header) else None, merged, sorted({c for _, c in merged}))

    def next_code(self, r: int) -> str:
        """The order code of the next non-empty row (written in the order column, or at the start of the name)."""
        for row in self.sheet.grid[r + 1: r + 4]:
            texts = row_texts(row)
            if any(texts):
                c_order, c_name = self.c_order, self.c_name
                code = texts[c_order.index] if c_order is not None and c_order.index < len(texts) else ""
                name = texts[c_name.index] if c_name is not None and c_name.index < len(texts) else ""
                return code or _code_in_name(name)[0]
        return ""


class Row:
    """One row of the table as the rules see it: its texts (a name merged down filled in), whether its plan and
    actual cells hold anything, and its order code, name and unit (a code written in the name moved out)."""

    def __init__(self, t: Table, r: int, texts: list[str]) -> None:
        for c in t.merged_cols:  # a name merged down over two rows (one per unit)
            if c < len(texts) and not texts[c] and (r, c) in t.merged_names:
                texts[c] = t.merged_names[(r, c)]
        raw, width = t.sheet.grid[r], len(texts)
        self.r, self.excel_row, self.texts, self._value_idx = r, r + 1, texts, t.value_idx
        self.has_values = any(texts[i] for i in t.value_idx if i < width)
        self.numeric = self.has_values and all(isinstance(raw[i], int | float)
                                               for i in t.value_idx if i < width and texts[i])
        self.first = next(x for x in texts if x)
        self.unit_text = self.get(t.c_unit)
        code, name = self.get(t.c_order), self.get(t.c_name)
        if code and not name and len(code.split()) > 3:  # a note typed in the order column
            code, name = "", code
        label, after = of_which(code) if code else (False, "")
        label_as_code = label and after in ("", "-", "+", "–", "—")  # `Tr.đó:` (or `Tr.đó: -`) in the order column
        if label_as_code:
            code = after
        if not code and name:
            code, name = _code_in_name(name)
        if not name and not self.has_values:
            name = next((x for i, x in enumerate(texts) if x and (t.c_order is None or i != t.c_order.index)), "")
        self.label, self.rest = of_which(name)  # `Trong đó:`, and a child's name after it
        if label_as_code and not self.label:  # the label alone opens the parts below; with a name, it is the first
            self.label, self.rest = True, name
        if self.label and self.rest and not code:  # `Trong đó: - Thóc`: the part's dash is its code, as anywhere
            code, self.rest = _code_in_name(self.rest)
        self.code, self.name = code, name

    def get(self, col: Column | None) -> str:
        """The text of `col` in this row; "" without such a column or past the row's end."""
        return self.texts[col.index] if col is not None and col.index < len(self.texts) else ""

    def reads_as_value(self) -> bool:
        """Its plan and actual cells read as values (numbers, plan phrases, `-`), not as a name or a date line."""
        return self.numeric or (self.has_values and any(_value_like(self.texts[i]) for i in self._value_idx
                                                        if i < len(self.texts)))


@dataclass
class Frame:
    """A group (`group`) or the parts of an indicator (`of_which`): its name and code, the unit of the indicator whose
    parts it holds, the Excel row that opened it, and what its parts were."""

    kind: str
    name: str
    code: str
    unit: str
    row: int
    labelled: bool = False  # opened by a part written with its label (`Trong đó: trâu cái`), not by a label alone
    part_kind: str | None = None  # the kind of code of its first part
    first: int = 0  # the Excel rows of its first and last parts
    last: int = 0
    unclear: bool = False  # a part was told from the others by its unit only


@dataclass
class State:
    """What the rows read so far say about the next one."""

    section: str = ""  # the section heading above
    frames: list[Frame] = field(default_factory=list)  # the groups and `Trong đó` parts open above (rows/parents.py)
    above: tuple[str, str, str] | None = None  # the indicator just above (name, code, unit): a `Trong đó` is its
    above_label: bool = False  # and whether it was a part written with its label (`Trong đó: trâu cái`)
    last_records: list[dict] = field(default_factory=list)  # the last indicator row's: a name continued joins them
    seen_indicator: bool = False
    ended: bool = False  # a signature or date line was read: the table is over
    in_notes: bool = False  # a `Ghi chú:` line below the indicators opened a block of notes


def ends_table(t: Table, s: State, row: Row) -> bool:
    """A signature or date line, unless its plan and actual cells read as values, and every row after one."""
    return s.ended or (not row.numeric and signature_or_date(row.texts, skip=t.note_at) and not row.reads_as_value())


def repeats_header(t: Table, s: State, row: Row) -> bool:
    """The header printed again inside the table (a table over two pages)."""
    texts = row.texts
    return t.header_name is not None and t.name_at < len(texts) and fold(texts[t.name_at]) == t.header_name and \
        [fold(x) for x in texts[: len(t.header)]] == t.header[: len(texts)]


def numbers_columns(t: Table, s: State, row: Row) -> bool:
    """The row that numbers the columns (`A | B | 1 | 2 | 3=2/1`, `(1) | (2) | (6)=(5)/(4)`), wherever it stands."""
    return _is_colnum_row(row.texts)


def continues_name(t: Table, s: State, row: Row) -> bool:
    """Only a name in lower case (no code, unit, values or label) under an indicator: the end of its name."""
    return not row.code and not row.has_values and not row.unit_text and row.name[:1].islower() and \
        bool(s.last_records) and not row.label


def of_which_label(t: Table, s: State, row: Row) -> bool:
    """`Trong đó:` alone, without values: the rows below are parts of the indicator above."""
    return row.label and not row.rest and not row.has_values


def is_note(t: Table, s: State, row: Row) -> bool:
    """A note or footnote; in a block of notes, any row without a unit that is no heading and holds no value."""
    return note_row(row.first, row.name, row.has_values, bool(row.unit_text), s.seen_indicator) or \
        (s.in_notes and not row.unit_text and not is_heading(row.code, row.name) and not row.reads_as_value())


def heads_group(t: Table, s: State, row: Row) -> bool:
    """A level code without values or unit over a row coded under it (`2 Chăn nuôi` over `2.1 ...`, `- ...`)."""
    return not row.has_values and not row.unit_text and level_code(row.code) and \
        not is_heading(row.code, row.name) and _child_code(t.next_code(row.r), row.code)


def heads_section(t: Table, s: State, row: Row) -> bool:
    """A section heading without values or unit (`II`, `CHỈ TIÊU VỀ KINH TẾ`)."""
    return not row.has_values and not row.unit_text and is_heading(row.code, row.name)
