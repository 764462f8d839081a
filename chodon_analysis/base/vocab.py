"""The vocabulary experts edit (chodon_analysis/data/*.csv): loaded once, every line checked.

One format for every file: CSV in UTF-8 with a header row; a line whose first cell starts with `# ` is a
comment. A bad line raises VocabularyError naming the file and the line, before any workbook is read
(`datafiles.check_all`, which lists every file and its loader).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path

from ..paths import vocabulary_dir
from .text import fix_mojibake, fold

STATUSES = ("exceeded", "met", "not_met", "not_evaluated")
ROLES = ("comparison", "assessment", "note", "actual_estimate", "actual", "plan", "unit", "indicator", "order")
SERIES = ("forest_cover", "new_forest", "grain_output", "grain_per_capita", "population")
PHRASE_KINDS = ("filler", "at_least", "at_most", "above", "below", "at_least_after", "at_most_after", "increase",
                "decrease", "change_filler", "range_from", "range_to", "down_to")
LABEL_KEYS = {*(f"status.{s}" for s in STATUSES),
              *(f"verdict.{v}" for v in ("target_achieved", "substantial", "moderate", "limited", "deterioration",
                                         "not_assessed")),
              *(f"chart.{c}" for c in ("count", "year", "computed", "reported", "published", "gap", "cover", "plan",
                                       "actual", "planted", "cumulative", "term", "output", "population", "pc",
                                       "pc_computed", "pc_reported", "illustrative", "section"))}
PERIOD_KINDS = ("full_year", "previous_year", "this_year", "next_year", "same_period", "partial", "cumulative", "term")


class VocabularyError(ValueError):
    """A vocabulary file with a bad line: `<file>:<line>: <what is wrong>`."""

    def __init__(self, path: Path, line: int | None, what: str):
        self.path, self.line, self.what = path, line, what
        super().__init__(f"{path}:{line}: {what}" if line else f"{path}: {what}")

    def __reduce__(self):  # rebuilt from its three parts (a process forked by the run hands it back pickled)
        return type(self), (self.path, self.line, self.what)


Row = tuple[int, dict[str, str]]
_DERIVED: list[Callable[[], None]] = []


def derived(fn):
    """Mark a cached function built from the vocabulary: `datafiles.check_all` clears it with the files."""
    _DERIVED.append(fn.cache_clear)
    return fn


def clear_derived() -> None:
    """Forget what was built from the vocabulary (`derived` functions), so that it is built again from the files."""
    for clear in _DERIVED:
        clear()


def read_rows(name: str, columns: tuple[str, ...], choices: dict[str, tuple[str, ...]] | None = None,
              optional: tuple[str, ...] = (), folder: Path | None = None) -> list[Row]:
    """(line number, row) of a vocabulary file (in `folder`, default the vocabulary folder), after checking the
    header, the cell count and the choices."""
    path = (folder or vocabulary_dir()) / name
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise VocabularyError(path, None, "file missing; restore it from the project (git checkout)") from None
    except UnicodeDecodeError as e:
        line = path.read_bytes()[: e.start].count(b"\n") + 1
        raise VocabularyError(path, line, "not UTF-8 text; save the file as 'CSV UTF-8'") from None
    first = next((ln for ln in text.splitlines() if ln.strip() and not ln.lstrip('"').startswith("#")), "")
    delimiter = ";" if first.count(";") > first.count(",") else ","  # Excel's CSV under a Vietnamese locale
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header: list[str] | None = None
    out: list[Row] = []
    end = 0
    for cells in reader:
        line, end = end + 1, reader.line_num
        if any("\n" in c or "\r" in c for c in cells):
            raise VocabularyError(path, line, "a double quote opens a text that is not closed on this line; "
                                              "close it or remove it")
        cells = [c.strip() for c in cells]
        if not any(cells) or cells[0].startswith("# ") or cells[0] == "#":
            continue
        if (bad := next((c for c in cells if fix_mojibake(c)), None)) is not None:
            raise VocabularyError(path, line, f"'{bad}' is garbled (UTF-8 read as ANSI, it reads "
                                              f"'{fix_mojibake(bad)}'); save the file as 'CSV UTF-8'")
        if header is None:
            header = cells
            missing = [c for c in columns if c not in header]
            if missing:
                raise VocabularyError(path, line, f"header should name the columns {', '.join(columns)}; "
                                                  f"missing: {', '.join(missing)}")
            continue
        if len(cells) > len(header) and any(cells[len(header):]):
            raise VocabularyError(path, line, f"{len(cells)} cells where the header has {len(header)}; "
                                              "put a text holding a comma in double quotes")
        row = dict(zip(header, cells + [""] * (len(header) - len(cells)), strict=False))
        for c in columns:
            if not row[c] and c not in optional:
                raise VocabularyError(path, line, f"'{c}' is empty")
        for c, allowed in (choices or {}).items():
            if row[c] and row[c] not in allowed:
                raise VocabularyError(path, line, f"'{c}' is '{row[c]}'; it must be one of: {', '.join(allowed)}")
        out.append((line, row))
    if header is None:
        raise VocabularyError(path, None, f"no header row; the first line should be: {','.join(columns)}")
    return out


def _unique(name: str, rows: list[Row], key: Callable[[dict], str], value: Callable[[dict], str],
            folder: Path | None = None) -> dict[str, str]:
    """key -> value; the same key with two different values is an error at the second line."""
    seen: dict[str, tuple[str, int]] = {}
    for line, row in rows:
        k, v = key(row), value(row)
        if k in seen and seen[k][0] != v:
            raise VocabularyError((folder or vocabulary_dir()) / name, line,
                                  f"'{k}' means '{v}' here but '{seen[k][0]}' on line {seen[k][1]}; "
                                  "keep one of the two")
        seen.setdefault(k, (v, line))
    return {k: v for k, (v, _) in seen.items()}


@cache
def column_aliases() -> list[tuple[str, frozenset[str], tuple[str, ...]]]:
    """(role, folded whole-cell aliases, folded word aliases longest first) in the file's order of roles."""
    rows = read_rows("column_aliases.csv", ("role", "alias", "match"), {"role": ROLES, "match": ("word", "cell")},
                     optional=("match",))
    _unique("column_aliases.csv", rows, lambda r: fold(r["alias"]) + "|" + (r["match"] or "word"), lambda r: r["role"])
    order: list[str] = []
    cells: dict[str, set[str]] = {}
    words: dict[str, set[str]] = {}
    for _, r in rows:
        if r["role"] not in order:
            order.append(r["role"])
        (cells if r["match"] == "cell" else words).setdefault(r["role"], set()).add(fold(r["alias"]))
    return [(role, frozenset(cells.get(role, ())), tuple(sorted(words.get(role, ()), key=len, reverse=True)))
            for role in order]


@cache
def unit_synonyms() -> dict[str, str]:
    """Folded, space-free spelling -> canonical unit."""
    rows = read_rows("units.csv", ("unit", "spelling"))
    pairs = [(line, {"k": fold(r[s]).replace(" ", ""), "v": r["unit"]})
             for line, r in rows for s in ("unit", "spelling")]
    return _unique("units.csv", pairs, lambda r: r["k"], lambda r: r["v"])


@cache
def assessment_labels() -> dict[str, str]:
    """Folded label -> status code."""
    rows = read_rows("assessment_labels.csv", ("status", "label"), {"status": STATUSES})
    return _unique("assessment_labels.csv", rows, lambda r: fold(r["label"]).strip(" .;:"), lambda r: r["status"])


@cache
def lower_is_better_keywords() -> tuple[str, ...]:
    """Folded words that make an indicator lower-is-better."""
    return tuple(fold(r["keyword"]) for _, r in read_rows("lower_is_better.csv", ("keyword",)))


@cache
def direction_overrides() -> tuple[tuple[str, str], ...]:
    """(folded name fragment, direction) pairs that override the keyword rule."""
    rows = read_rows("direction_overrides.csv", ("indicator_contains", "direction"),
                     {"direction": ("higher", "lower")})
    _unique("direction_overrides.csv", rows, lambda r: fold(r["indicator_contains"]), lambda r: r["direction"])
    return tuple((fold(r["indicator_contains"]), r["direction"]) for _, r in rows)


@cache
def missing_markers() -> frozenset[str]:
    """Folded cell texts that mean 'no value'."""
    return frozenset(fold(r["marker"]) for _, r in read_rows("missing_markers.csv", ("marker",)))


@cache
def plan_phrases() -> dict[str, tuple[str, ...]]:
    """Kind -> folded phrases, longest first (so `không quá` is tried before `quá`)."""
    rows = read_rows("plan_phrases.csv", ("kind", "phrase"), {"kind": PHRASE_KINDS}, optional=("en",))
    _unique("plan_phrases.csv", [(n, r) for n, r in rows if r.get("en")], lambda r: fold(r["phrase"]),
            lambda r: r["en"])  # one English per phrase
    # a word may have two kinds only where the grammar keeps them apart (`từ` opens a range or says `≥`; `to`)
    _unique("plan_phrases.csv", [(n, r) for n, r in rows if r["kind"] not in ("range_from", "range_to", "down_to")],
            lambda r: fold(r["phrase"]), lambda r: r["kind"])
    out: dict[str, set[str]] = {k: set() for k in PHRASE_KINDS}
    for _, r in rows:
        out[r["kind"]].add(fold(r["phrase"]))
    empty = [k for k in ("increase", "decrease", "range_to") if not out[k]]
    if empty:
        raise VocabularyError(vocabulary_dir() / "plan_phrases.csv", None, f"no phrase of kind {', '.join(empty)}")
    return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in out.items()}


@derived
@cache
def plan_words() -> dict[str, tuple[str, str]]:
    """Folded Vietnamese phrase of plan_phrases.csv -> (kind, its English), longest first: a plan as written,
    in an English report (a phrase with no `en` is not translated; checked with the file by `plan_phrases`)."""
    rows = read_rows("plan_phrases.csv", ("kind", "phrase", "en"), {"kind": PHRASE_KINDS}, optional=("en",))
    pairs = {fold(r["phrase"]): (r["kind"], r["en"]) for _, r in rows if r["en"]}
    return dict(sorted(pairs.items(), key=lambda kv: len(kv[0]), reverse=True))


@cache
def heading_words() -> frozenset[str]:
    """Folded words a section heading may add around a section's name (heading_words.csv)."""
    return frozenset(w for _, r in read_rows("heading_words.csv", ("word",)) for w in fold(r["word"]).split())


@cache
def unit_words() -> dict[str, str]:
    """Canonical unit -> its English (unit_words.csv), for the unit column of an English report."""
    rows = read_rows("unit_words.csv", ("unit", "en"))
    return _unique("unit_words.csv", rows, lambda r: r["unit"], lambda r: r["en"])


@cache
def periods() -> dict[str, tuple[str, ...]]:
    """Kind -> folded header words that place a column in time (periods.csv), longest first."""
    rows = read_rows("periods.csv", ("kind", "phrase"), {"kind": PERIOD_KINDS})
    _unique("periods.csv", rows, lambda r: fold(r["phrase"]), lambda r: r["kind"])
    out: dict[str, set[str]] = {k: set() for k in PERIOD_KINDS}
    for _, r in rows:
        out[r["kind"]].add(fold(r["phrase"]))
    return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in out.items()}


@cache
def row_openings() -> dict[str, tuple[str, ...]]:
    """`note`, `signature` and `of_which` -> folded openings of rows that are not indicators."""
    kinds = ("note", "signature", "of_which")
    rows = read_rows("row_openings.csv", ("kind", "opening"), {"kind": kinds})
    _unique("row_openings.csv", rows, lambda r: fold(r["opening"]), lambda r: r["kind"])
    return {k: tuple(sorted((fold(r["opening"]) for _, r in rows if r["kind"] == k), key=len, reverse=True))
            for k in kinds}


@cache
def legacy_fonts() -> tuple[tuple[str, str], ...]:
    """(lower-case font-name prefix, encoding) pairs."""
    rows = read_rows("legacy_fonts.csv", ("encoding", "font_prefix"), {"encoding": ("tcvn3", "vni")})
    _unique("legacy_fonts.csv", rows, lambda r: r["font_prefix"].lower(), lambda r: r["encoding"])
    return tuple((r["font_prefix"].lower(), r["encoding"]) for _, r in rows)


@cache
def strings() -> dict[str, dict[str, str]]:
    """Language -> key -> words shown to readers (strings.csv, the string catalog): every key in both languages,
    with the same `{placeholders}`, so that a report never shows a missing or half-filled sentence."""
    rows = read_rows("strings.csv", ("key", "vi", "en"))
    _unique("strings.csv", rows, lambda r: r["key"], lambda r: r["vi"] + "|" + r["en"])
    path = vocabulary_dir() / "strings.csv"
    for line, r in rows:
        if not r["vi"] or not r["en"]:
            raise VocabularyError(path, line, f"'{r['key']}' needs words in both languages (vi and en)")
        vi, en = (set(_PLACEHOLDER.findall(r[lang])) for lang in ("vi", "en"))
        if vi != en:
            raise VocabularyError(path, line, f"'{r['key']}': the placeholders differ between vi {sorted(vi)} and "
                                              f"en {sorted(en)}; use the same {{names}} in both")
    keys = {r["key"] for _, r in rows}
    for line, r in rows:  # an issue code needs both its problem and its action (docs/vocabulary.md)
        if (m := _ISSUE_KEY.fullmatch(r["key"])) and f"issue.{m[1]}.{_OTHER[m[2]]}" not in keys:
            raise VocabularyError(path, line, f"'{r['key']}' has no line 'issue.{m[1]}.{_OTHER[m[2]]}'; "
                                              "every issue code needs its problem and its action")
    missing = sorted(LABEL_KEYS - keys)
    if missing:
        raise VocabularyError(path, None, f"the reports need the keys {', '.join(missing)}; "
                                          "add a line for each (key,vi,en)")
    return {lang: {r["key"]: r[lang] for _, r in rows} for lang in ("vi", "en")}


_PLACEHOLDER = re.compile(r"\{(\w*)\}")
_ISSUE_KEY = re.compile(r"issue\.(\w+)\.(problem|action)")
_OTHER = {"problem": "action", "action": "problem"}
