"""Which area a workbook is about: the place its heading or title names (a commune, a district, a province; the
most local wins), else its file name (`bao-cao-xa-na-phac-2025.xlsx`). Communes are known from the crosswalk: the
new units of the province and the former communes, wards and towns, with or without diacritics. A name several
units share is narrowed by what the text says (its type word, its spelling, a district or province it names, the
report's year); what is still shared is a doubt, never a guess. A name is read as the letters it shows: look-alike
letters of another script as the Latin ones they pass for, direction marks and zero-width characters left out; the
place then says so, for a doubt (docs/reading.md)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from functools import lru_cache

from . import units
from .reform import REFORM_YEAR
from .text import fold
from .units import Unit, spelled
from .visible import as_latin, shown
from .vocab import derived

LEVELS = ("commune", "district", "province")
_AREA = re.compile(r"(?i)\b(?:huyện|thị xã|thành phố|tỉnh)\s+(?:ủy\s+|uỷ\s+)?(\w+(?:\s+\w+)?)|"
                   r"\b(\w+\s+\w+)\s+(?:district|province|city)\b")
_NOT_A_NAME = {"năm", "về", "chỉ", "báo", "biểu", "kế", "thực", "kết", "và", "giai", "nam"}
_OFFICE = re.compile(r"(?i)^\s*(?:ủy ban nhân dân|uỷ ban nhân dân|ubnd|hđnd|hội đồng nhân dân|đảng ủy|đảng uỷ|"
                     r"huyện ủy|huyện uỷ|tỉnh ủy|tỉnh uỷ)\b")
_HEADING = re.compile(r"(?i)(?:ủy ban nhân dân|uỷ ban nhân dân|ubnd|hđnd|hội đồng nhân dân|đảng ủy|đảng uỷ)\s+"
                      r"(?:xã|phường|thị trấn|đặc khu)\s+(?!hội\b)(\w+(?:\s+\w+)?)")
# the type words as written (each word of it, with its marks, or without any) and as the crosswalk writes them
_TYPES = {("xa",): ("xã",), ("phuong",): ("phường",), ("thi", "tran"): ("thị", "trấn"), ("dac", "khu"): ("đặc", "khu")}
_TOKEN = re.compile(r"[^\W_]+")
_DISTRICT_WORDS = {"huyen", "tp", "thi xa", "thanh pho"}  # before a former district (or town, or city) in a text
_NOT_A_PROVINCE = {"uy", "hinh", "nam", "ve", "chi", "bao", "bieu", "ke", "thuc", "ket", "va", "giai", "trong", "tren"}


@dataclass(frozen=True)
class Place:
    """An area: its name as written in the crosswalk (or the title), its level, and the district it belonged to
    before the 2025 reform ("" for a commune shared between former districts, not in the crosswalk, or a name
    several units share)."""

    name: str
    level: str
    district: str
    # when the text it was read from held look-alike letters of another script or invisible characters: that text
    # as written (escaped), where it was (`title`, `sheet`, `file`) and the odd characters, described
    written: str = field(default="", compare=False)
    where: str = field(default="", compare=False)
    odd: str = field(default="", compare=False)
    code: str = field(default="", compare=False)  # a new unit's national code (new_units.csv)
    # the units of the crosswalk the name may still be after what the text says (`settle` chooses by the year), and
    # when it cannot: those it could be, described (the doubt `place_ambiguous`)
    options: tuple[Unit, ...] = field(default=(), compare=False)
    shared: str = field(default="", compare=False)


@dataclass(frozen=True)
class _Hints:
    """What the whole text says besides the name: the former districts and the provinces it names (folded)."""

    districts: frozenset[str] = frozenset()
    provinces: frozenset[str] = frozenset()


def _tokens(text: str) -> list[tuple[str, str]]:
    """(its `key`, as written) of each word of a text."""
    return [(units.key(w), w) for w in _TOKEN.findall(unicodedata.normalize("NFC", text))]


def _hints(texts: list[str]) -> _Hints:
    known = units.former_districts()
    districts, provinces = set(), set()
    for text in texts:
        tokens = _tokens(text)
        words = [f for f, _ in tokens]
        for i, (folded, written) in enumerate(tokens):
            for n in (1, 2):
                if " ".join(words[i:i + n]) in _DISTRICT_WORDS:
                    rest = words[i + n + (words[i + n:i + n + 1] == ["uy"]):]  # `huyện ủy Chợ Đồn`
                    districts.update(k for k in (" ".join(rest[:2]), " ".join(rest[:1])) if k in known)
            # `tỉnh Bắc Ninh` (never `tình hình`: `tinh` without marks only in a text without any)
            if folded == "tinh" and (spelled(written) == spelled("tỉnh") or text.isascii()) and \
                    words[i + 1:i + 2] and words[i + 1] not in _NOT_A_PROVINCE:
                provinces.add(" ".join(words[i + 1:i + 3]))
    return _Hints(frozenset(districts), frozenset(provinces))


def _type_at(tokens: list[tuple[str, str]], i: int) -> tuple[str, int] | None:
    """The crosswalk's type word at token i and the number of its words, when one is written there: `xã`, `XA`
    (never `Xá` of `Tràng Xá`, nor `thị xã`, `hợp tác xã`, `xã hội`)."""
    for folded, marked in _TYPES.items():
        got = tokens[i:i + len(folded)]
        if tuple(f for f, _ in got) == folded and all(w.isascii() or spelled(w) == spelled(m)
                                                      for (_, w), m in zip(got, marked, strict=True)):
            before = [f for f, _ in tokens[max(0, i - 2):i]]
            after = tokens[i + len(folded)][0] if i + len(folded) < len(tokens) else ""
            if folded == ("xa",) and (before[-1:] == ["thi"] or before == ["hop", "tac"] or after == "hoi"):
                return None
            return " ".join(marked), len(folded)
    return None


def _names_at(tokens: list[tuple[str, str]], start: int) -> list[tuple[str, str]]:
    """(folded name, as written) of every name of the crosswalk starting at `start`, the longest first: as written,
    then without spaces (`NamCuong`; `Cư ờng`, where a zero-width space stood inside a word)."""
    named, joined, out = units.named(), units.joined(), []
    spans = [tokens[start:start + n] for n in range(units.longest(), 0, -1) if start + n <= len(tokens)]
    for span in spans:
        if (key := " ".join(f for f, _ in span)) in named:
            out.append((key, " ".join(w for _, w in span)))
    for span in spans:
        if (key := joined.get("".join(f for f, _ in span), "")) and key != " ".join(f for f, _ in span):
            out.append((key, " ".join(w for _, w in span)))
    return out


def _narrowed(options: tuple[Unit, ...], kind: str, written: str, hints: _Hints) -> tuple[Unit, ...]:
    """The units a name may be, by its type word, its spelling with diacritics (`Văn Lăng` is not `Văn Lang`), the
    former district the text names; none when the text names only other provinces (a namesake)."""
    for keep in (lambda u: u.kind == kind, lambda u: not written.isascii() and spelled(u.name) == spelled(written),
                 lambda u: bool(u.districts & hints.districts)):
        options = tuple(u for u in options if keep(u)) or options
    return tuple(u for u in options if u.provinces & hints.provinces) if hints.provinces else options


def _choose(options: tuple[Unit, ...], year: int | None) -> tuple[Unit | None, tuple[Unit, ...]]:
    """(the unit, or None, and the units the year leaves): after the reform year the new units, before it the former
    ones; a new unit wins over former units of its name that went into it (`Nam Cường`, `Gia Sàng`)."""
    pool = options
    if year is not None and year != REFORM_YEAR:  # in the reform year both report (the first half, the second)
        pool = tuple(u for u in options if u.new == (year > REFORM_YEAR)) or options
    new = [u for u in pool if u.new]
    if len(new) == 1 and all(new[0].name in u.into for u in pool if not u.new):
        return new[0], pool
    return (pool[0] if len(pool) == 1 else None), pool


def settle(place: Place, year: int | None) -> Place:
    """The place once the report's year is known: a name several units share, chosen by the year where it can be;
    else left with no district and `shared` naming the units it could be."""
    if not place.options:
        return place
    unit, pool = _choose(place.options, year)
    if unit is not None:
        return replace(place, name=unit.name, district=unit.district, code=unit.code, shared="")
    names, districts = {u.name for u in pool}, {u.district for u in pool}
    return replace(place, name=names.pop() if len(names) == 1 else place.name, code="",
                   district=districts.pop() if len(districts) == 1 else "", shared="; ".join(u.label() for u in pool))


def narrowed_by(place: Place, text: str, year: int | None) -> Place:
    """A place its title left shared, narrowed by the former district or province another text names (the file
    name `bao-cao-xa-van-lang-huyen-na-ri.xlsx`), then settled by the year; as it was when that text names the
    district of none of its units."""
    hints = _hints([text])
    if place.shared and not hints.districts:  # `Trung Thanh - Pho Yen 2025.xlsx`: a candidate's district, bare
        words = " " + " ".join(k for k, _ in _tokens(text)) + " "
        hints = replace(hints, districts=frozenset(d for u in place.options for d in u.districts
                                                   if f" {units.key(d)} " in words))
    if not place.shared or not (hints.districts or hints.provinces):
        return place
    options = tuple(u for u in place.options if (not hints.districts or u.districts & hints.districts) and
                    (not hints.provinces or u.provinces & hints.provinces))
    return settle(replace(place, options=options), year) if options else place


def _commune(key: str, kind: str, written: str, hints: _Hints) -> Place:
    options = units.named()[key]
    narrowed = _narrowed(options, kind, written, hints)
    if not narrowed:  # `UBND TỈNH BẮC NINH` above `UBND XÃ YÊN PHONG`: not the crosswalk's Yên Phong
        return Place(options[0].name, "commune", "")
    names = {u.name for u in narrowed}
    return settle(Place(names.pop() if len(names) == 1 else _title(written), "commune", "", options=narrowed), None)


def _title(name: str) -> str:
    return " ".join(w.capitalize() for w in name.split())


def _commune_in(text: str, hints: _Hints) -> Place | None:
    """`UBND XÃ NAM CƯỜNG`, `phường Phan Đình Phùng`, `UBND XA NA PHAC`: a unit of the crosswalk named after its type
    word; a commune not in the crosswalk only in an office heading (`ỦY BAN NHÂN DÂN XÃ ...`), where `xã hội` cannot
    be meant."""
    tokens = _tokens(text)
    for i in range(len(tokens)):
        if typed := _type_at(tokens, i):
            for key, written in _names_at(tokens, i + typed[1]):
                return _commune(key, typed[0], written, hints)
    if m := _HEADING.search(text):
        return Place(_title(m.group(1)), "commune", "")
    return None


@derived
@lru_cache(maxsize=4096)  # a workbook's title is asked for by the workbook, then by its sheet
def place_from_title(title: str) -> Place | None:
    """The place a title names. The office that issues the report decides (`UBND HUYỆN CHỢ ĐỒN`, `ỦY BAN NHÂN
    DÂN XÃ NAM CƯỜNG`; of several, the most local); without one, the most local place named anywhere (a commune,
    then a district, then a province). None when it names none. A line read with look-alike letters or invisible
    characters (`XÃ NАM CƯỜNG`, a Cyrillic `А`) is noted on the place when it names it, or changed what was found."""
    written = title.split(" | ")
    read = [as_latin(line) for line in written]
    place = _place_in([text for text, _ in read])
    if place is None or not any(odd for _, odd in read):
        return place
    name = units.key(place.name)
    odd = [(w, o) for w, (text, o) in zip(written, read, strict=True) if o and name in units.key(text)]
    if not odd and _place_in(written) != place:
        odd = [(w, o) for w, (_, o) in zip(written, read, strict=True) if o]
    if not odd:
        return place
    known = units.former_districts() | units.provinces()
    if place.level != "commune" and (found := known.get(units.key(place.name))):  # `CHỢ ĐОN`, a Cyrillic О
        place = replace(place, name=found, district=found if place.level == "district" else "")
    return replace(place, written=shown(" | ".join(w for w, _ in odd)), where="title",
                   odd=", ".join(dict.fromkeys(c for _, o in odd for c in o)))


def _place_in(lines: list[str]) -> Place | None:
    offices = [line for line in lines if _OFFICE.match(line)]
    hints = _hints(lines)
    for group in ([offices] if offices else []) + [lines]:
        if place := _most_local(group, hints):
            return place
    return None


def _most_local(lines: list[str], hints: _Hints) -> Place | None:
    for part in lines:
        if commune := _commune_in(part, hints):
            return commune
    found = []
    known = units.former_districts()
    for part in lines:
        for m in _AREA.finditer(part):
            name = m.group(1) or m.group(2)
            if name.split()[0].lower() not in _NOT_A_NAME:
                said = fold(m.group(0))  # `thành phố Sông Công` is a former district-level city, `tỉnh` a province
                province = said.startswith("tinh") or "province" in said or (
                    said.startswith("thanh pho") and units.key(name) not in known)
                found.append((province, len(found), name if province else known.get(units.key(name), name)))
    found += [(False, len(found) + i, name) for i, name in enumerate(_plain_districts(lines, known))]
    if not found:
        return None
    province, _, name = min(found)
    level = "province" if province else "district"
    return Place(_title(name), level, _title(name) if level == "district" else "")


_PLAIN_DISTRICT = re.compile(r"\b(?:huyen|thi xa|thanh pho|tp)\s+(?:uy\s+)?(\w+(?:\s+\w+){0,2})")


def _plain_districts(lines: list[str], known: dict[str, str]) -> list[str]:
    """The former districts a text names without its marks (`UBND HUYEN NA RI`, `THANH PHO SONG CONG`): only names
    of the crosswalk, as it writes them (a text without marks names no place it does not know)."""
    out = []
    for part in lines:
        for m in _PLAIN_DISTRICT.finditer(fold(part)):
            words = m.group(1).split()
            name = next((known[k] for n in (3, 2, 1) if (k := units.key(" ".join(words[:n]))) in known), None)
            if name is not None:
                out.append(name)
    return out


def place_from_name(file_name: str, where: str = "file") -> Place | None:
    """A commune named in a file or sheet name (`where`) after `xa`, `phuong` or `thi tran`
    (`bao-cao-xa-na-phac-2025.xlsx`, `BC_phuong_Phan_Dinh_Phung_2026.xlsx`), or by a name of two words or more that
    is no district's (`NamCuong_2025.xlsx`). A name read with look-alike letters or invisible characters (also as
    `shown` escapes them: `\\u202e`) is noted on the place."""
    text, odd = as_latin(_ESCAPED.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), file_name))
    place = _commune_named(text)
    return replace(place, written=shown(file_name), where=where, odd=", ".join(odd)) if place and odd else place


_ESCAPED = re.compile(r"\\u([0-9a-f]{4})|\\U([0-9a-f]{8})")  # a character `visible.shown` escaped


def _commune_named(file_name: str) -> Place | None:
    tokens = _tokens(file_name)
    hints = _hints([file_name])
    for i in range(len(tokens)):
        if (typed := _type_at(tokens, i)) and (names := _names_at(tokens, i + typed[1])):
            key, written = names[0]
            return _commune(key, typed[0], written, hints)
    # without a type word: a name of two words or more that is no district's name (`NamCuong_2025`, `nam-cuong`),
    # never one that takes a word of what the file is (the `cao` of `bao-cao-tan-ky` is not xã Cao Tân's)
    districts = units.former_districts()
    taken = _report_words([f for f, _ in tokens])
    for i in range(len(tokens)):
        for key, written in _names_at(tokens, i):
            if " " in key and key not in districts and len(written.split()) in (1, len(key.split())) and \
                    taken.isdisjoint(range(i, i + len(written.split()))):
                return _commune(key, "", written, hints)
    return None


# what a file is, in its name (without marks): `bao-cao`, `BC`, `bieu`, `chi-tieu`, `KTXH`, `ke-hoach`, `UBND`
_REPORT_WORDS = (("bao", "cao"), ("bc",), ("bieu",), ("chi", "tieu"), ("ktxh",), ("kt", "xh"), ("kinh", "te"),
                 ("xa", "hoi"), ("ke", "hoach"), ("kh",), ("thuc", "hien"), ("ubnd",), ("uy", "ban"), ("nhan", "dan"))


def _report_words(words: list[str]) -> set[int]:
    """The positions of the words of a file name that say what the file is (_REPORT_WORDS), not where."""
    out: set[int] = set()
    for phrase in _REPORT_WORDS:
        for i in range(len(words) - len(phrase) + 1):
            if tuple(words[i:i + len(phrase)]) == phrase:
                out.update(range(i, i + len(phrase)))
    return out
