"""The validation rules of the figures (rules.csv): a part never exceeds its total, a ratio equals its components,
a share lies within 0-100, a count is whole and not negative; each on indicators of the catalog by id, checked on
load like the vocabulary (docs/data-quality.md)."""

from __future__ import annotations

from functools import cache

from ..paths import vocabulary_dir
from . import catalog
from .vocab import VocabularyError, read_rows

COLUMNS = ("check", "indicator", "total", "numerator", "denominator", "factor", "low", "high", "tolerance", "severity")
CHECKS = ("part_of", "ratio", "range", "whole")
SEVERITIES = ("error", "warning")
ANY_PART = "*"  # part_of: every row written under the total's `Trong đó:`
_NEEDS = {"part_of": ("total",), "ratio": ("numerator", "denominator", "factor"), "range": ("low",), "whole": ()}
_NUMBERS = ("factor", "low", "high", "tolerance")


@cache
def rules() -> tuple[dict, ...]:
    """Every line of rules.csv, numbers as floats (None when empty); ids must be in catalog.csv (file:line)."""
    path = vocabulary_dir() / "rules.csv"
    rows = read_rows("rules.csv", COLUMNS, {"check": CHECKS, "severity": SEVERITIES},
                     optional=tuple(c for c in COLUMNS if c not in ("check", "indicator", "severity")))
    known = catalog.entries()
    out: list[dict] = []
    seen: dict[tuple, int] = {}
    for line, r in rows:
        for c in _NEEDS[r["check"]]:
            if not r[c]:
                raise VocabularyError(path, line, f"'{c}' is empty; a {r['check']} rule needs "
                                                  f"{', '.join(_NEEDS[r['check']])}")
        ids = [("indicator", r["indicator"])] + [(c, r[c]) for c in ("total", "numerator", "denominator") if r[c]]
        for c, i in ids:
            if i not in known and not (c == "indicator" and i == ANY_PART and r["check"] == "part_of"):
                raise VocabularyError(path, line, f"'{c}' is '{i}', not an id of catalog.csv; add the indicator "
                                                  "there first, or fix the id")
        rule = dict(r)
        for c in _NUMBERS:
            try:
                rule[c] = float(r[c].replace(",", ".")) if r[c] else None
            except ValueError:
                raise VocabularyError(path, line, f"'{c}' is '{r[c]}'; give a number") from None
        if rule["low"] is not None and rule["high"] is not None and rule["low"] > rule["high"]:
            raise VocabularyError(path, line, f"'low' {r['low']} is above 'high' {r['high']}")
        if r["check"] == "ratio" and not rule["factor"]:
            raise VocabularyError(path, line, "'factor' is 0; give the number the ratio is multiplied by (1000, 100)")
        k = (r["check"], r["indicator"], r["total"])
        if k in seen:
            raise VocabularyError(path, line, f"the same {r['check']} rule of '{r['indicator']}' is on line "
                                              f"{seen[k]} already; keep one")
        seen[k] = line
        out.append({**rule, "tolerance": rule["tolerance"] or 0.0, "line": line})
    return tuple(out)

