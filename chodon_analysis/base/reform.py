"""The 2025 reform as data: the new units with their national codes (new_units.csv), the crosswalk of former units
to new units (crosswalk.csv, keyed to new_units.csv) and how each indicator adds up from communes to the former
district (aggregation.csv); all checked on load like the vocabulary."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from ..paths import vocabulary_dir
from .text import fold
from .vocab import VocabularyError, _unique, derived, read_rows

REFORM_YEAR = 2025  # districts end on 1 July 2025: from this year on, reports come from communes
CROSSWALK_COLUMNS = ("new_unit", "new_unit_type", "new_province", "old_unit", "old_unit_type", "old_district",
                     "old_province", "whole_or_part", "clause", "act", "act_date", "in_force", "source")
NEW_UNIT_COLUMNS = ("new_unit", "new_unit_type", "new_province", "code", "code_list", "code_list_date", "source")
UNIT_TYPES = ("xã", "phường", "thị trấn", "đặc khu")
METHODS = ("sum", "ratio", "not_aggregated")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_CODE = re.compile(r"\d{5}")


def _dated(name: str, rows: list, dates: tuple[str, ...]) -> None:
    """Dates written YYYY-MM-DD and a web address as source, on every line."""
    path = vocabulary_dir() / name
    for line, r in rows:
        for c in dates:
            if not _DATE.fullmatch(r[c]):
                raise VocabularyError(path, line, f"'{c}' is '{r[c]}'; write the date as YYYY-MM-DD")
        if not r["source"].startswith(("http://", "https://")):
            raise VocabularyError(path, line, f"'source' is '{r['source']}'; give the address of the act")


def _key(r: dict[str, str]) -> str:
    """A new unit as the two files name it, with its diacritics (`xã văn lang` of Na Rì is not `xã văn lăng` of
    Đồng Hỷ): `xã nam cường (thái nguyên)`."""
    return unit_key(r["new_unit_type"], r["new_unit"], r["new_province"])


def unit_key(kind: str, name: str, province: str) -> str:
    """`xã nam cường (thái nguyên)`: a unit's type, name and province in lower case, with their diacritics."""
    return unicodedata.normalize("NFC", f"{kind} {name} ({province})".lower())


@cache
def new_units() -> tuple[dict[str, str], ...]:
    """Every line of new_units.csv: a new unit (xã, phường, đặc khu) once, with its province and national code."""
    rows = read_rows("new_units.csv", NEW_UNIT_COLUMNS, {"new_unit_type": UNIT_TYPES})
    _dated("new_units.csv", rows, ("code_list_date",))
    path = vocabulary_dir() / "new_units.csv"
    for line, r in rows:
        if not _CODE.fullmatch(r["code"]):
            raise VocabularyError(path, line, f"'code' is '{r['code']}'; write the five digits of the code list")
    _unique("new_units.csv", rows, lambda r: r["code"], _key)  # one code, one unit
    # one name in a province is one unit: `xã Tân Thành` and `phường Tân Thành` of one province cannot both be new
    _unique("new_units.csv", rows, lambda r: unit_key("", r["new_unit"], r["new_province"]).strip(), _key)
    return tuple(r for _, r in rows)


@cache
def crosswalk() -> tuple[dict[str, str], ...]:
    """Every line of crosswalk.csv: which former unit went (whole or in part) into which new unit, by which act.
    Each new unit is a line of new_units.csv, and each line of new_units.csv has its former units here."""
    rows = read_rows("crosswalk.csv", CROSSWALK_COLUMNS, {"new_unit_type": UNIT_TYPES, "old_unit_type": UNIT_TYPES,
                                                          "whole_or_part": ("whole", "part")})
    _dated("crosswalk.csv", rows, ("act_date", "in_force"))
    whole = [(n, r) for n, r in rows if r["whole_or_part"] == "whole"]  # a whole unit goes into one new unit only
    _unique("crosswalk.csv", whole, lambda r: f"{fold(r['old_unit'])} ({fold(r['old_district'])})",
            lambda r: r["new_unit"])
    units = {_key(r) for r in new_units()}
    for line, r in rows:
        if _key(r) not in units:
            raise VocabularyError(vocabulary_dir() / "crosswalk.csv", line, f"the new unit '{r['new_unit_type']} "
                                  f"{r['new_unit']}' ({r['new_province']}) is not in new_units.csv; add it there "
                                  "with its code")
    formed = {_key(r) for _, r in rows}
    for line, r in read_rows("new_units.csv", NEW_UNIT_COLUMNS):
        if _key(r) not in formed:
            raise VocabularyError(vocabulary_dir() / "new_units.csv", line, f"'{r['new_unit_type']} {r['new_unit']}' "
                                  "has no line in crosswalk.csv; add the former units it was formed from")
    return tuple(r for _, r in rows)


@derived
@cache
def codes() -> dict[str, str]:
    """`xã nam cường (thái nguyên)` (`unit_key`) -> the new unit's national code."""
    return {_key(r): r["code"] for r in new_units()}


@cache
def aggregation_rules() -> tuple[dict[str, str], ...]:
    """aggregation.csv in file order; a ratio names two summed measures and a factor, a non-aggregated rate says
    why."""
    rows = read_rows("aggregation.csv", ("measure", "method", "match", "keyword", "label", "unit"),
                     {"method": METHODS, "match": ("starts", "contains")},
                     optional=())
    path = vocabulary_dir() / "aggregation.csv"
    # a measure may have several lines (other names for it), all saying the same of it
    _unique("aggregation.csv", rows, lambda r: r["measure"],
            lambda r: "|".join(r.get(c, "") for c in ("method", "label", "unit", "numerator", "denominator", "factor")))
    _unique("aggregation.csv", rows, lambda r: fold(r["keyword"]), lambda r: r["measure"])
    summed = {r["measure"] for _, r in rows if r["method"] == "sum"}
    for line, r in rows:
        if r["method"] == "ratio":
            for c in ("numerator", "denominator"):
                if r.get(c, "") not in summed:
                    raise VocabularyError(path, line, f"'{c}' is '{r.get(c, '')}'; a ratio is recomputed from two "
                                                      f"summed measures: one of {', '.join(sorted(summed))}")
            try:
                float(r.get("factor", ""))
            except ValueError:
                raise VocabularyError(path, line, f"'factor' is '{r.get('factor', '')}'; give a number (1000 for "
                                                  "kg from tonnes, 100 for a percent)") from None
        if r["method"] == "not_aggregated" and not r.get("reason"):
            raise VocabularyError(path, line, "'reason' is empty; say why the communes' figures cannot be added up")
    return tuple({**r, "keyword": fold(r["keyword"])} for _, r in rows)



@derived
@cache
def made_of() -> dict[str, tuple[str, ...]]:
    """measure -> the measures a former district's figure of it is made of: a ratio's numerator and denominator
    (recomputed from them, aggregation.csv), a sum's itself."""
    return {r["measure"]: (r["numerator"], r["denominator"]) if r["method"] == "ratio" else (r["measure"],)
            for r in aggregation_rules()}


DISTRICT_TYPES = ("huyện", "thị xã", "thành phố")


@cache
def former_districts() -> dict[str, str]:
    """former_districts.csv: each district-level unit before the reform -> its type (`thành phố` for Bắc Kạn);
    every former district the crosswalk names has its line."""
    rows = read_rows("former_districts.csv", ("district", "district_type", "province", "source"),
                     {"district_type": DISTRICT_TYPES})
    path = vocabulary_dir() / "former_districts.csv"
    _unique("former_districts.csv", rows, lambda r: fold(r["district"]), lambda r: r["district_type"])
    for line, r in rows:
        if not r["source"].startswith(("http://", "https://")):
            raise VocabularyError(path, line, f"'source' is '{r['source']}'; give the address of the list")
    out = {r["district"]: r["district_type"] for _, r in rows}
    missing = sorted({r["old_district"] for r in crosswalk()} - set(out))
    if missing:
        raise VocabularyError(path, rows[-1][0] if rows else 1, f"no line for the former district(s) "
                              f"{', '.join(missing)} of crosswalk.csv; add one each (district,district_type,province,"
                              "source)")
    return out
