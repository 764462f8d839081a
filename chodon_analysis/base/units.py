"""The units the crosswalk knows, by their names without diacritics: every new unit (from 1 July 2025, with its code
from new_units.csv) and every former one (before), each with its type, its former district and its provinces. A
name several units share gives them all: places.py narrows them by what the text says, or logs a doubt."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache

from . import reform
from .text import fold
from .vocab import derived

_TONES = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook above, dot below


@dataclass(frozen=True)
class Unit:
    """A commune-level unit. `district`: for a former unit its district; for a new one the former district wholly
    containing it ("" when it took in units of several). `districts`, `provinces`: folded, every one it touches.
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
    """Folded name -> every unit of that name: new units first, then the former ones in the crosswalk's order."""
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
        provinces.setdefault(new, {fold(r["new_province"])}).add(fold(r["old_province"]))
        old = (r["old_unit"], r["old_unit_type"], r["old_district"], r["old_province"])
        if r["new_unit"] not in into.setdefault(old, []):
            into[old].append(r["new_unit"])
        later.setdefault(old, set()).add(fold(r["new_province"]))
    out: dict[str, list[Unit]] = {}
    for (name, kind, province), ds in districts.items():
        code = codes.get(reform.unit_key(kind, name, province), "")
        out.setdefault(fold(name), []).append(Unit(name, kind, True, ds[0] if len(ds) == 1 else "",
                                                   frozenset(map(fold, ds)), frozenset(provinces[name, kind, province]),
                                                   (name,), code))
    for old, ns in into.items():
        name, kind, district, province = old
        out.setdefault(fold(name), []).append(Unit(name, kind, False, district, frozenset({fold(district)}),
                                                   frozenset({fold(province), *later[old]}), tuple(ns)))
    return {k: tuple(v) for k, v in out.items()}


@derived
@cache
def joined() -> dict[str, str]:
    """A folded name without its spaces -> the folded name (`namcuong`, as a file name writes it)."""
    return {k.replace(" ", ""): k for k in named()}


@derived
@cache
def longest() -> int:
    """The most words of a name (`Nguyễn Thị Minh Khai`: 4)."""
    return max(len(k.split()) for k in named())


@derived
@cache
def former_districts() -> dict[str, str]:
    """Folded name -> the name of a former district (or district-level town or city) of the crosswalk."""
    return {fold(r["old_district"]): r["old_district"] for r in reform.crosswalk()}


@derived
@cache
def provinces() -> dict[str, str]:
    """Folded name -> the name of a province of the crosswalk, before or after the reform."""
    rows = reform.crosswalk()
    return {fold(r["old_province"]): r["old_province"] for r in rows} | {fold(r["new_province"]): r["new_province"]
                                                                          for r in rows}
