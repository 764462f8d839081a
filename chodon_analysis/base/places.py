"""Which area a workbook is about: the place its heading or title names (a commune, a district, a province; the
most local wins), else its file name (`bao-cao-xa-nam-cuong-2025.xlsx`). Communes are known from the crosswalk.
A name is read as the letters it shows: look-alike letters of another script as the Latin ones they pass for,
direction marks and zero-width characters left out; the place then says so, for a doubt (docs/reading.md)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache

from . import reform
from .text import fold
from .visible import as_latin, shown
from .vocab import derived

LEVELS = ("commune", "district", "province")
REFORM_YEAR = 2025  # districts end on 1 July 2025: from this year on, reports come from communes
_AREA = re.compile(r"(?i)\b(?:huyện|thị xã|thành phố|tỉnh)\s+(?:ủy\s+|uỷ\s+)?(\w+(?:\s+\w+)?)|"
                   r"\b(\w+\s+\w+)\s+(?:district|province|city)\b")
_NOT_A_NAME = {"năm", "về", "chỉ", "báo", "biểu", "kế", "thực", "kết", "và", "giai", "nam"}
# every place a type word opens (a lookahead: `XÃ HỘI XÃ NAM CƯỜNG` is tried at both `XÃ`); never `xã hội`
# nor `hợp tác xã`
_COMMUNE = re.compile(r"(?i)(?<!tác )(?=\b(?:xã|phường|thị trấn|đặc khu)\s+(?!hội\b)(\w+(?:\s+\w+){0,2}))")
_OFFICE = re.compile(r"(?i)^\s*(?:ủy ban nhân dân|uỷ ban nhân dân|ubnd|hđnd|hội đồng nhân dân|đảng ủy|đảng uỷ|"
                     r"huyện ủy|huyện uỷ|tỉnh ủy|tỉnh uỷ)\b")
_PLAIN_HEADING = re.compile(r"\b(?:ubnd|uy ban nhan dan|hdnd|hoi dong nhan dan|dang uy)"
                            r"\s+xa\s+(?!hoi\b)(\w+(?:\s+\w+){0,2})")
_PROVINCE = re.compile(r"(?i)\btỉnh\s+(?!ủy|uỷ)(\w+(?:\s+\w+)?)")
_HEADING = re.compile(r"(?i)(?:ủy ban nhân dân|uỷ ban nhân dân|ubnd|hđnd|hội đồng nhân dân|đảng ủy|đảng uỷ)\s+"
                      r"(?:xã|phường|thị trấn|đặc khu)\s+(?!hội\b)(\w+(?:\s+\w+)?)")


@dataclass(frozen=True)
class Place:
    """An area: its name as written in the crosswalk (or the title), its level, and the district it belonged to
    before the 2025 reform ("" for a commune shared between former districts, or not in the crosswalk)."""

    name: str
    level: str
    district: str
    # when the text it was read from held look-alike letters of another script or invisible characters: that text
    # as written (escaped), where it was (`title`, `sheet`, `file`) and the odd characters, described
    written: str = field(default="", compare=False)
    where: str = field(default="", compare=False)
    odd: str = field(default="", compare=False)


@derived
@cache
def _communes() -> dict[str, tuple[str, str]]:
    """Folded commune name -> (name, the former district wholly containing it, or ""): the new communes, and the
    former ones (a report of a year before the reform), a new commune winning a shared name."""
    districts: dict[str, set[str]] = {}
    for r in reform.crosswalk():
        districts.setdefault(r["new_unit"], set()).add(r["old_district"])
    known = {fold(r["old_unit"]): (r["old_unit"], r["old_district"]) for r in reform.crosswalk()}
    known |= {fold(n): (n, next(iter(d)) if len(d) == 1 else "") for n, d in districts.items()}
    return known


@derived
@cache
def _provinces() -> dict[str, set[str]]:
    """Folded commune name -> the folded provinces it lies in, before and after the reform."""
    out: dict[str, set[str]] = {}
    for r in reform.crosswalk():
        for name in (r["new_unit"], r["old_unit"]):
            out.setdefault(fold(name), set()).update({fold(r["new_province"]), fold(r["old_province"])})
    return out


@derived
@cache
def _districts() -> dict[str, str]:
    """Folded name -> the name of a former district or a province of the crosswalk: what a district or province named
    with look-alike letters (and so without some of its marks) is read as."""
    out = {fold(r["old_province"]): r["old_province"] for r in reform.crosswalk()}
    return out | {fold(r["old_district"]): r["old_district"] for r in reform.crosswalk()}


@derived
@cache
def _joined() -> dict[str, str]:
    """A folded commune name without its spaces -> the name."""
    return {k.replace(" ", ""): k for k in _communes()}


def _title(name: str) -> str:
    return " ".join(w.capitalize() for w in name.split())


def _commune_in(text: str) -> Place | None:
    """`UBND XÃ NAM CƯỜNG`, `xã Nam Cường`: a commune of the crosswalk named after its type word; a commune not
    in the crosswalk only in an office heading (`ỦY BAN NHÂN DÂN XÃ ...`), where `xã hội` cannot be meant."""
    known = _communes()
    spans = [m.group(1) for m in _COMMUNE.finditer(text)]
    if m := _PLAIN_HEADING.search(fold(text)):  # `UBND XA QUANG BACH`: an office heading typed without diacritics
        spans.append(m.group(1))
    joined = _joined()
    for span in spans:
        words = fold(span).split()
        # as written, then without the spaces (`NamCường`; `Cư ờng`, where a zero-width space stood inside a word)
        for key in [" ".join(words[:n]) for n in (3, 2, 1)] + [joined.get("".join(words[:n]), "") for n in (3, 2, 1)]:
            if key in known:
                name, district = known[key]
                return Place(name, "commune", district)
    if m := _HEADING.search(text):
        return Place(_title(m.group(1)), "commune", "")
    return None


def _checked(place: Place, lines: list[str]) -> Place:
    """A commune of the crosswalk under a heading naming another province (`UBND TỈNH BẮC NINH`) is a namesake:
    not the former district's."""
    named = {fold(m.group(1)) for line in lines for m in _PROVINCE.finditer(line)}
    if place.level == "commune" and place.district and named and not named & _provinces().get(fold(place.name), set()):
        return replace(place, district="")
    return place


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
    name = fold(place.name)
    odd = [(w, o) for w, (text, o) in zip(written, read, strict=True) if o and name in fold(text)]
    if not odd and _place_in(written) != place:
        odd = [(w, o) for w, (_, o) in zip(written, read, strict=True) if o]
    if not odd:
        return place
    if place.level != "commune" and (known := _districts().get(fold(place.name))):  # `CHỢ ĐОN`, a Cyrillic О
        place = replace(place, name=known, district=known if place.level == "district" else "")
    return replace(place, written=shown(" | ".join(w for w, _ in odd)), where="title",
                   odd=", ".join(dict.fromkeys(c for _, o in odd for c in o)))


def _place_in(lines: list[str]) -> Place | None:
    offices = [line for line in lines if _OFFICE.match(line)]
    for group in ([offices] if offices else []) + [lines]:
        if place := _most_local(group):
            return _checked(place, lines)
    return None


def _most_local(lines: list[str]) -> Place | None:
    for part in lines:
        if commune := _commune_in(part):
            return commune
    found = []
    for part in lines:
        for m in _AREA.finditer(part):
            name = m.group(1) or m.group(2)
            if name.split()[0].lower() not in _NOT_A_NAME:
                province = fold(m.group(0)).startswith(("tinh", "thanh pho")) or "province" in m.group(0).lower()
                found.append((province, len(found), name))
    if not found:
        return None
    province, _, name = min(found)
    level = "province" if province else "district"
    return Place(_title(name), level, _title(name) if level == "district" else "")


def place_from_name(file_name: str, where: str = "file") -> Place | None:
    """A commune named in a file or sheet name (`where`) after `xa` (`bao-cao-xa-nam-cuong-2025.xlsx`). A name read
    with look-alike letters or invisible characters (also as `shown` escapes them: `\\u202e`) is noted on the place."""
    text, odd = as_latin(_ESCAPED.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), file_name))
    place = _commune_named(text)
    return replace(place, written=shown(file_name), where=where, odd=", ".join(odd)) if place and odd else place


_ESCAPED = re.compile(r"\\u([0-9a-f]{4})|\\U([0-9a-f]{8})")  # a character `visible.shown` escaped


def _commune_named(file_name: str) -> Place | None:
    words = re.sub(r"[^a-z0-9]+", " ", fold(file_name)).split()
    known = _communes()
    for i, w in enumerate(words[:-1]):
        if w == "xa":
            for n in (3, 2, 1):
                key = " ".join(words[i + 1:i + 1 + n])
                if key in known:
                    name, district = known[key]
                    return Place(name, "commune", district)
    # without `xa`: a name of two words or more that is no district's name (`NamCuong_2025`, `nam-cuong 2025`)
    districts = {fold(r["old_district"]) for r in reform.crosswalk()}
    joined = {k.replace(" ", ""): k for k in known if " " in k and k not in districts}
    for i in range(len(words)):
        for n in (3, 2, 1):
            key = " ".join(words[i:i + n])
            k = key if key in joined.values() else joined.get(key.replace(" ", "")) if n == 1 else None
            if k:
                name, district = known[k]
                return Place(name, "commune", district)
    return None
