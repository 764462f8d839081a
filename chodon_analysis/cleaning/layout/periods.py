"""Where a column sits in time: a full year (this, the previous or the next), part of a year, cumulative to
date, or a whole term, from the words of its header (periods.csv)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from ...base import vocab
from ...base.text import fold

# precedence: a cumulative or partial column is never a year's figure, whatever else its header says
_ORDER = ("full_year", "cumulative", "same_period", "partial", "term", "previous_year", "next_year", "this_year")
_OFFSET = {"previous_year": -1, "next_year": 1, "this_year": 0, "same_period": -1}
PERIODS = ("year", "partial", "cumulative", "term")


@dataclass(frozen=True)
class Period:
    """`period` is year, partial, cumulative or term; `offset` the years from the report year when the header
    says it in words (năm trước = -1), else None; `words` the header words that decided it."""

    period: str = "year"
    offset: int | None = None
    words: str = ""


@vocab.derived
@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    words = vocab.periods()
    return {k: re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words[k]) + r")(?!\w)")
            for k in _ORDER if words[k]}


ASIDE = re.compile(r"\([^()]*\)")


@vocab.derived
@lru_cache(maxsize=16384)
def header_period(text: str) -> Period:
    """The period a header names (`Lũy kế 9 tháng` -> cumulative; `Thực hiện năm trước` -> year, offset -1).
    Text in brackets is an aside (`Ước TH năm 2023 (báo cáo tháng 11)` is the year)."""
    f = fold(ASIDE.sub(" ", text)) or fold(text)
    pats = _patterns()
    for kind in _ORDER:
        m = pats[kind].search(f) if kind in pats else None
        if m:
            period = {"cumulative": "cumulative", "same_period": "partial", "partial": "partial",
                      "term": "term"}.get(kind, "year")
            return Period(period, _OFFSET.get(kind), m.group(0))
    return Period()


def names_a_period(text: str) -> bool:
    """True when a header names a period or a relative year (a second header row such as `6 tháng`, `Cả năm`)."""
    return header_period(text) != Period() or bool(re.search(r"(?<!\w)ca nam(?!\w)", fold(text)))
