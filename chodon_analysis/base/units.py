"""The units the crosswalk knows, by their names without diacritics (`key`): every new unit (from 1 July 2025, with
its code from new_units.csv) and every former one (before), each with its type, its former district and its
provinces. A name several units share gives them all: places.py narrows them by what the text says, or logs a
doubt."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from . import reform
from .reform import REFORM_YEAR
from .text import fold
from .vocab import derived

_TONES = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook above, dot below
_FINAL_Y = re.compile(r"(?<=[bcdfghklmnpqrstvx])y\b")


def key(text: str) -> str:
    """The key a name is known by: without diacritics (`fold`), a final `y` after a consonant written `i` (`Sỹ Bình`
    and `Sĩ Bình`, `Kỳ` and `Kì` are one name; `Quy`, `Thủy` keep their `y`)."""
    return _FINAL_Y.sub("i", fold(text))


@dataclass(frozen=True)
class Unit:
    """A commune-level unit. `district`: for a former unit its district; for a new one the former district wholly
    containing it ("" when it took in units of several). `districts`, `provinces`: by `key`, every one it touches.
    `into`: the new units a former unit went into (a new unit: itself)."""

    name: str
    kind: str
    new: bool
    district: str
    districts: frozenset[str]
    provinces: frozenset[str]
    into: tuple[str, ...]
    code: str = ""

    def label(self) -> str:
        """`phường Trung Thành [05899]` (a new unit), `phường Trung Thành (Thái Nguyên) → Tích Lương` (a former one)."""
        if self.new:
            return f"{self.kind} {self.name} [{self.code}]"
        return f"{self.kind} {self.name} ({self.district}) → {', '.join(self.into)}"


def spelled(text: str) -> str:
    """Lower case with the diacritics, each word's tone mark moved to its end: `Hoà` (the older placement) and `hòa`
    are one spelling, `Văn Lang` and `Văn Lăng` two."""
    words = []
    for word in unicodedata.normalize("NFD", text.lower()).split():
        words.append(unicodedata.normalize("NFC", "".join(c for c in word if c not in _TONES))
                     + "".join(c for c in word if c in _TONES))
    return " ".join(words)


@derived
@cache
def named() -> dict[str, tuple[Unit, ...]]:
    """A name's `key` -> every unit of that name: new units first, then the former ones in the crosswalk's order."""
    rows = reform.crosswalk()
    codes = reform.codes()
    districts: dict[tuple[str, str, str], list[str]] = {}
    provinces: dict[tuple[str, str, str], set[str]] = {}
    into: dict[tuple[str, str, str, str], list[str]] = {}
    later: dict[tuple[str, str, str, str], set[str]] = {}  # a former unit's province after the reform
    for r in rows:
        new = (r["new_unit"], r["new_unit_type"], r["new_province"])
        districts.setdefault(new, [])
        if r["old_district"] not in districts[new]:
            districts[new].append(r["old_district"])
        provinces.setdefault(new, {key(r["new_province"])}).add(key(r["old_province"]))
        old = (r["old_unit"], r["old_unit_type"], r["old_district"], r["old_province"])
        if r["new_unit"] not in into.setdefault(old, []):
            into[old].append(r["new_unit"])
        later.setdefault(old, set()).add(key(r["new_province"]))
    out: dict[str, list[Unit]] = {}
    for (name, kind, province), ds in districts.items():
        code = codes.get(reform.unit_key(kind, name, province), "")
        out.setdefault(key(name), []).append(Unit(name, kind, True, ds[0] if len(ds) == 1 else "",
                                                   frozenset(map(key, ds)), frozenset(provinces[name, kind, province]),
                                                   (name,), code))
    for old, ns in into.items():
        name, kind, district, province = old
        out.setdefault(key(name), []).append(Unit(name, kind, False, district, frozenset({key(district)}),
                                                   frozenset({key(province), *later[old]}), tuple(ns)))
    return {k: tuple(v) for k, v in out.items()}


@derived
@cache
def joined() -> dict[str, str]:
    """A name's key without its spaces -> the key (`namcuong`, as a file name writes it)."""
    return {k.replace(" ", ""): k for k in named()}


@derived
@cache
def longest() -> int:
    """The most words of a name (`Nguyễn Thị Minh Khai`: 4)."""
    return max(len(k.split()) for k in named())


@derived
@cache
def former_districts() -> dict[str, str]:
    """A name's `key` -> the name of a former district (or district-level town or city) of the crosswalk."""
    return {key(r["old_district"]): r["old_district"] for r in reform.crosswalk()}


@derived
@cache
def provinces() -> dict[str, str]:
    """A name's `key` -> the name of a province of the crosswalk, before or after the reform."""
    rows = reform.crosswalk()
    return {key(r["old_province"]): r["old_province"] for r in rows} | {key(r["new_province"]): r["new_province"]
                                                                          for r in rows}


_KEYS = {"xã": "area.commune", "phường": "area.ward", "thị trấn": "area.town", "đặc khu": "area.special_zone"}


def area_key(name: str, year: int | None = None) -> str:
    """The string-catalog key that names a commune-level area as a reader writes it (`xã Nam Cường`, `phường Phan
    Đình Phùng`, `thị trấn Bằng Lũng`): its type as the crosswalk gives it (a new unit's from `year` 2025 on, or when
    no year is given; a former one's before), `xã` when the crosswalk does not know it or its name is shared by
    units of different types."""
    found = [u for u in named().get(key(name), ()) if u.name == name or len(named()[key(name)]) == 1]
    new = [u for u in found if u.new]
    pick = new if new and (year is None or year >= REFORM_YEAR) else [u for u in found if not u.new] or new
    kinds = {u.kind for u in pick}
    return _KEYS.get(next(iter(kinds)), "area.commune") if len(kinds) == 1 else "area.commune"


def area_label(name: str, level: str, lang: str, year: int | None = None) -> str:
    """An area as a reader names it: `xã Nam Cường`, `phường Phan Đình Phùng`, `huyện Chợ Đồn`, and `huyện Chợ Đồn
    (cũ)` from the reform year on; a level the catalog has no word for: the name alone."""
    from . import i18n
    if level == "commune":
        k = area_key(name, year)
    elif level == "district":  # a city or a town of district level is named as one (thành phố Bắc Kạn)
        kind = {"thành phố": "city", "thị xã": "district_town"}.get(reform.former_districts().get(name, ""), "district")
        k = f"area.former_{kind}" if year is not None and year >= REFORM_YEAR else f"area.{kind}"
    else:
        k = f"area.{level}"
    return i18n.text(k, lang, name=name) if i18n.has(k, lang) else name
