"""The 2025 reform as data: the crosswalk of former units to new communes (crosswalk.csv) and how each indicator
adds up from communes to the former district (aggregation.csv); both checked on load like the vocabulary."""

from __future__ import annotations

import re
from functools import cache

from ..paths import vocabulary_dir
from .text import fold
from .vocab import VocabularyError, _unique, derived, read_rows

CROSSWALK_COLUMNS = ("new_unit", "new_unit_type", "new_province", "old_unit", "old_unit_type", "old_district",
                     "old_province", "whole_or_part", "clause", "act", "act_date", "in_force", "source")
UNIT_TYPES = ("xã", "phường", "thị trấn", "đặc khu")
METHODS = ("sum", "ratio", "not_aggregated")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@cache
def crosswalk() -> tuple[dict[str, str], ...]:
    """Every line of crosswalk.csv: which former unit went (whole or in part) into which new unit, by which act."""
    rows = read_rows("crosswalk.csv", CROSSWALK_COLUMNS, {"new_unit_type": UNIT_TYPES, "old_unit_type": UNIT_TYPES,
                                                          "whole_or_part": ("whole", "part")})
    path = vocabulary_dir() / "crosswalk.csv"
    for line, r in rows:
        for c in ("act_date", "in_force"):
            if not _DATE.fullmatch(r[c]):
                raise VocabularyError(path, line, f"'{c}' is '{r[c]}'; write the date as YYYY-MM-DD")
        if not r["source"].startswith(("http://", "https://")):
            raise VocabularyError(path, line, f"'source' is '{r['source']}'; give the address of the act")
    whole = [(n, r) for n, r in rows if r["whole_or_part"] == "whole"]  # a whole unit goes into one new unit only
    _unique("crosswalk.csv", whole, lambda r: f"{fold(r['old_unit'])} ({fold(r['old_district'])})",
            lambda r: r["new_unit"])
    return tuple(r for _, r in rows)


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
