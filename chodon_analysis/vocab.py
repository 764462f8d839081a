"""Load the expert-edited vocabulary files of `chodon_analysis/data/` (aliases, units, keywords)."""

from __future__ import annotations

import csv
import tomllib
from functools import cache
from importlib.resources import files

from .text import fold

_DATA = files("chodon_analysis") / "data"


def _lines(name: str) -> list[str]:
    """Non-comment, non-blank lines of a data file."""
    text = (_DATA / name).read_text(encoding="utf-8")
    return [s.strip() for s in text.splitlines() if s.strip() and not s.lstrip().startswith("# ")]


@cache
def column_aliases() -> list[tuple[str, bool, tuple[str, ...]]]:
    """(role, exact, folded aliases) in priority order, from column_aliases.toml."""
    data = tomllib.loads((_DATA / "column_aliases.toml").read_text(encoding="utf-8"))
    out = []
    for role, spec in data.items():
        aliases = tuple(sorted({fold(a) for a in spec["aliases"]}, key=len, reverse=True))
        out.append((role, bool(spec.get("exact", False)), aliases))
    return out


@cache
def unit_synonyms() -> dict[str, str]:
    """Folded, space-free spelling -> canonical unit, from units.toml."""
    data = tomllib.loads((_DATA / "units.toml").read_text(encoding="utf-8"))
    out: dict[str, str] = {}
    for canonical, spellings in data.items():
        for s in [canonical, *spellings]:
            out[fold(s).replace(" ", "")] = canonical
    return out


@cache
def assessment_labels() -> dict[str, str]:
    """Folded label -> status code, from assessment_labels.toml."""
    data = tomllib.loads((_DATA / "assessment_labels.toml").read_text(encoding="utf-8"))
    return {fold(label): status for status, labels in data.items() for label in labels}


@cache
def lower_is_better_keywords() -> tuple[str, ...]:
    """Folded keywords that make an indicator lower-is-better."""
    return tuple(fold(s) for s in _lines("lower_is_better.txt"))


@cache
def direction_overrides() -> tuple[tuple[str, str], ...]:
    """(folded name fragment, direction) pairs that override the keyword rule."""
    with (_DATA / "direction_overrides.csv").open(encoding="utf-8") as fh:
        return tuple((fold(r["indicator_contains"]), r["direction"].strip()) for r in csv.DictReader(fh))


@cache
def missing_markers() -> frozenset[str]:
    """Folded cell texts that mean 'no value'."""
    return frozenset(fold(s) for s in _lines("missing_markers.txt"))


@cache
def series_keywords() -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
    """Series name -> (folded `starts` keywords, folded `contains` keywords), from series.toml."""
    data = tomllib.loads((_DATA / "series.toml").read_text(encoding="utf-8"))
    return {k: (tuple(fold(x) for x in v.get("starts", [])), tuple(fold(x) for x in v.get("contains", [])))
            for k, v in data.items()}
