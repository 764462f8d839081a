"""Every data file of chodon_analysis/data/ with the function that loads (and so checks) it: the one list that
`check_all` goes through before any workbook is read (docs/vocabulary.md). A new file gets its line here."""

from __future__ import annotations

from typing import Protocol

from ..paths import vocabulary_dir
from . import catalog, issues, reform, table, validation, vocab


class Loader(Protocol):
    """A cached function that reads one data file, checking every line."""

    def __call__(self) -> object: ...

    def cache_clear(self) -> None: ...


FILES: dict[str, Loader] = {
    "column_aliases.csv": vocab.column_aliases,
    "units.csv": vocab.unit_synonyms,
    "assessment_labels.csv": vocab.assessment_labels,
    "lower_is_better.csv": vocab.lower_is_better_keywords,
    "direction_overrides.csv": vocab.direction_overrides,
    "missing_markers.csv": vocab.missing_markers,
    "plan_phrases.csv": vocab.plan_phrases,
    "unit_words.csv": vocab.unit_words,
    "heading_words.csv": vocab.heading_words,
    "periods.csv": vocab.periods,
    "row_openings.csv": vocab.row_openings,
    "legacy_fonts.csv": vocab.legacy_fonts,
    "strings.csv": vocab.strings,
    "columns.csv": table.table_columns,
    "abbreviations.csv": catalog.abbreviations,
    "catalog.csv": catalog.entries,
    "catalog_aliases.csv": catalog.names,
    "catalog_breaks.csv": catalog.breaks,
    "new_units.csv": reform.new_units,
    "crosswalk.csv": reform.crosswalk,
    "former_districts.csv": reform.former_districts,
    "aggregation.csv": reform.aggregation_rules,
    "rules.csv": validation.rules,
}
CHECKS: tuple[Loader, ...] = (issues.issue_words,)  # checks across files, once every file has loaded
_loaded: list[tuple] = []  # what the caches were loaded from: folder, and each file's size and time


def check_all() -> None:
    """Load (and so check) every data file; raises VocabularyError at the first bad line. Files unchanged
    since the last check are not read again; an edit takes effect at the next check."""
    folder = vocabulary_dir()
    stamp = (str(folder), *((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(folder.glob("*.csv"))))
    if _loaded == [stamp]:
        return
    _loaded.clear()
    vocab.clear_derived()
    for load in (*FILES.values(), *CHECKS):
        load.cache_clear()
    for load in (*FILES.values(), *CHECKS):
        load()
    _loaded.append(stamp)
