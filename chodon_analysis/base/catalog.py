"""The indicator catalog (catalog.csv, catalog_aliases.csv, catalog_breaks.csv): a stable id per indicator, the names
offices give it, its definition changes. It links an indicator across years; a name it does not know keeps a series
of its own and is logged with the closest entries as suggestions, never merged on a guess (docs/catalog.md)."""

from __future__ import annotations

import csv
import difflib
import re
import shlex
from functools import cache

from ..paths import vocabulary_dir
from .text import fold
from .visible import as_latin, shown
from .vocab import SERIES, VocabularyError, read_rows

COLUMNS = ("id", "name_vi", "name_en", "unit", "direction", "section", "section_en", "aggregation", "series")
DIRECTIONS = ("higher", "lower")
_ID = re.compile(r"[a-z][a-z0-9_]*")
_BRACKET = re.compile(r"\s*\([^()]*\)\s*$")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what a spreadsheet opening the CSV file would run as a formula


def key(name: str) -> str:
    """A name as the catalog compares it: no diacritics or case, abbreviations spelled out (abbreviations.csv),
    punctuation as spaces, and a unit in brackets at the end dropped (`Tỷ lệ che phủ rừng (%)` and `TỶ LỆ CHE PHỦ
    RỪNG` are one name; `(lũy kế)` or `(theo chuẩn cũ)` are not units: they stay, and the name is another one)."""
    s = fold(str(name))
    while (m := _BRACKET.search(s)) and _is_unit(m.group(0)):
        s = s[: m.start()]
    words = re.sub(r"[^\w/%]+", " ", s).replace("/", " / ").split()
    expand = abbreviations()
    return " ".join(expand.get(w, w) for w in words).replace(" / ", "/")


def _is_unit(bracket: str) -> bool:
    from .vocab import unit_synonyms

    inside = bracket.strip().strip("()").strip()
    return not inside or inside.replace(" ", "") in unit_synonyms() or inside in {"%", "ha", "tan", "nguoi"}


@cache
def abbreviations() -> dict[str, str]:
    """Folded abbreviation -> its folded spelling out (abbreviations.csv), each one word of a name."""
    path = vocabulary_dir() / "abbreviations.csv"
    out: dict[str, str] = {}
    for line, r in read_rows("abbreviations.csv", ("abbreviation", "expansion")):
        k = fold(r["abbreviation"]).replace("-", "")
        if not re.fullmatch(r"\w+", k):
            raise VocabularyError(path, line, f"'{r['abbreviation']}' is not one word; write it as offices do (NTM)")
        if out.setdefault(k, fold(r["expansion"])) != fold(r["expansion"]):
            raise VocabularyError(path, line, f"'{r['abbreviation']}' is spelled out differently on an earlier line")
    return {k: " ".join(re.sub(r"[^\w/%]+", " ", v).split()) for k, v in out.items()}


@cache
def entries() -> dict[str, dict[str, str]]:
    """id -> its line of catalog.csv, in file order; ids unique, choices and references checked (file:line)."""
    from .reform import aggregation_rules

    path = vocabulary_dir() / "catalog.csv"
    rows = read_rows("catalog.csv", COLUMNS, {"direction": DIRECTIONS, "series": SERIES},
                     optional=("aggregation", "series"))
    measures = {r["measure"] for r in aggregation_rules()}
    out: dict[str, dict[str, str]] = {}
    fed: dict[str, str] = {}
    named: dict[str, str] = {}
    for line, r in rows:
        if not _ID.fullmatch(r["id"]):
            raise VocabularyError(path, line, f"'id' is '{r['id']}'; write it in lower-case letters, digits and _")
        if r["id"] in out:
            raise VocabularyError(path, line, f"id '{r['id']}' is already on an earlier line; give each indicator one")
        if problem := name_problem(r["name_vi"]) or name_problem(r["name_en"]):
            raise VocabularyError(path, line, problem)
        for name in (r["name_vi"], r["name_en"]):  # a workbook may name it in either language: one name space
            if (k := key(name)) and named.setdefault(k, r["id"]) != r["id"]:
                raise VocabularyError(path, line, f"'{name}' is a name of '{named[k]}' already; a name belongs to "
                                                  "one indicator")
        if r["aggregation"] and r["aggregation"] not in measures:
            raise VocabularyError(path, line, f"'aggregation' is '{r['aggregation']}'; it must be a measure of "
                                              f"aggregation.csv: {', '.join(sorted(measures))}")
        if r["series"] and fed.setdefault(r["series"], r["id"]) != r["id"]:
            raise VocabularyError(path, line, f"series '{r['series']}' is fed by '{fed[r['series']]}' already")
        out[r["id"]] = r
    return out


@cache
def names() -> dict[str, str]:
    """Every name the catalog knows (canonical in Vietnamese and English, and aliases, as `key` compares them) -> its
    id; a name given to two ids is refused (file:line)."""
    known = entries()
    out = {key(e["name_vi"]): i for i, e in known.items()}
    out |= {key(e["name_en"]): i for i, e in known.items() if key(e["name_en"])}  # one name space (entries checks)
    path = vocabulary_dir() / "catalog_aliases.csv"
    for line, r in read_rows("catalog_aliases.csv", ("id", "alias")):
        if r["id"] not in known:
            raise VocabularyError(path, line,
                                  f"id '{r['id']}' is not in catalog.csv; add it there first, or fix the id")
        if problem := name_problem(r["alias"]):
            raise VocabularyError(path, line, problem)
        k = key(r["alias"])
        if out.setdefault(k, r["id"]) != r["id"]:
            raise VocabularyError(path, line, f"'{r['alias']}' is a name of '{out[k]}' already; a name belongs to one "
                                              "indicator")
    return out


def name_problem(name: str) -> str:
    """Why a name cannot be a name of the catalog, or "": it starts like a formula (`=HYPERLINK(...)`, `+`, `-`,
    `@`), which Excel would run when catalog_aliases.csv is opened in it; it holds a control or invisible character
    (a line break, a direction mark, a zero-width joiner); it mixes Latin letters with look-alike letters of another
    script (a Cyrillic `а` in `Tỷ lệ hộ nghèо`), which no workbook's name would match as it reads."""
    if name.startswith(_FORMULA_START):
        return (f"'{shown(name)}' starts with '{shown(name[0])}', which a spreadsheet runs as a formula; write the "
                f"name without it (the catalog compares names without leading signs)")
    if shown(name) != name:
        return f"'{shown(name)}' holds a control or invisible character (shown escaped); type the name again"
    if odd := as_latin(name)[1]:
        return (f"'{name}' mixes Latin letters with letters of another script that look alike ({', '.join(odd)}); "
                "type the name again in Vietnamese")
    return ""


@cache
def breaks() -> tuple[dict[str, str], ...]:
    """Definition changes: from `year` on, the indicator `id` is measured another way (catalog_breaks.csv)."""
    path = vocabulary_dir() / "catalog_breaks.csv"
    rows = read_rows("catalog_breaks.csv", ("id", "year", "reason_vi", "reason_en", "source"))
    for line, r in rows:
        if r["id"] not in entries():
            raise VocabularyError(path, line, f"id '{r['id']}' is not in catalog.csv")
        if not re.fullmatch(r"\d{4}", r["year"]):
            raise VocabularyError(path, line, f"'year' is '{r['year']}'; give the first year of the new definition")
    return tuple(r for _, r in rows)


def match(name: str) -> str:
    """The catalog id of an indicator name (Vietnamese, an alias, or the English name a workbook with English headers
    writes: `Forest cover`), or "" when the catalog does not know it."""
    return names().get(key(name), "")


def parts(frame):
    """Which rows of the tidy table are a part of another row (`Lúa` under `Trong đó:` below `Tổng sản lượng ...`):
    their `parent_indicator` is an indicator of the same sheet. A group heading's children (`Tổng đàn trâu` under
    `2 Chăn nuôi`, a heading with no row of its own) are indicators in their own right, not parts."""
    import pandas as pd

    sheets = list(zip(frame["source_file"].tolist(), frame["source_sheet"].tolist(), strict=True))
    named = set(zip(sheets, frame["indicator"].fillna("").tolist(), strict=True))
    parents = frame["parent_indicator"].fillna("").tolist()
    return pd.Series([p != "" and (s, p) in named for s, p in zip(sheets, parents, strict=True)], index=frame.index,
                     dtype=bool)


def no_series(frame):
    """Rows that are no series of their own: parts, and a group's children the catalog does not know (`Diện tích`
    under `1 Cây lúa` and under `2 Cây ngô` are two things, not one series)."""
    return parts(frame) | ((frame["parent_indicator"].fillna("") != "") & (frame["indicator_id"].fillna("") == ""))


def unknown_rows(frame):
    """Rows of the tidy table whose name the catalog does not know (`Trong đó` parts aside: they are no series)."""
    return frame[(frame["indicator_id"] == "") & (frame["indicator"].fillna("") != "") & ~parts(frame)]


def find(name: str) -> str:
    """The id of an indicator given by its id, its Vietnamese or English name or an alias; "" when the catalog does
    not know it."""
    name = str(name).strip()
    if name in entries():
        return name
    return names().get(key(name), "")


def closest(name: str, n: int = 3) -> list[str]:
    """The ids nearest to a name the catalog does not know: those whose id or any name holds it, then the closest by
    difflib (ids and names without diacritics), best first."""
    k = key(name)
    known = {i: i for i in entries()} | {i.replace("_", " "): i for i in entries()} | names()
    within = [i for name_key, i in known.items() if k and k in name_key]
    close = difflib.get_close_matches(k, list(known), n=n * 3, cutoff=0.5)
    return list(dict.fromkeys([*within, *(known[c] for c in close)]))[:n]


def suggestions(name: str, n: int = 3) -> list[str]:
    """The ids whose names are closest to `name` (difflib on the compared names), best first: what to look at
    before adding an alias, never applied on their own."""
    known = names()  # Vietnamese and English names and aliases: one name space
    close = difflib.get_close_matches(key(name), list(known), n=n * 3, cutoff=0.6)
    return list(dict.fromkeys(known[k] for k in close))[:n]


def add_command(indicator_id: str, name: str) -> str:
    """The command that adds `name` as a name of `indicator_id`, quoted for the shell: in double quotes as people
    type it, in single quotes when the name holds a character the shell acts on inside double quotes."""
    quoted = shlex.quote(name) if re.search(r'[$`\\"!]', name) else f'"{name}"'
    return f"chodon catalog --add {indicator_id} {quoted}"


def add_alias(indicator_id: str, alias: str) -> tuple[str, int]:
    """Append `alias` of `indicator_id` to catalog_aliases.csv (one line, reviewable in git) after the same checks
    as on load; returns (file, line). ValueError with what to do when it cannot be added."""
    if indicator_id not in entries():
        close = difflib.get_close_matches(indicator_id, list(entries()), n=3)
        raise ValueError(f"'{indicator_id}' is not an id of catalog.csv" + (f"; did you mean {', '.join(close)}?"
                                                                           if close else ""))
    alias = " ".join(alias.split())  # one line: a name pasted from a cell may hold line breaks
    if not key(alias):
        raise ValueError("the name is empty")
    if problem := name_problem(alias):  # refused, never written: the file is opened in Excel
        raise ValueError(problem)
    if (owner := names().get(key(alias))) is not None:
        raise ValueError(f"'{alias}' is a name of '{owner}' already" + ("" if owner != indicator_id else
                                                                       " (nothing to add)"))
    path = vocabulary_dir() / "catalog_aliases.csv"
    before = path.read_bytes()
    text = before.decode("utf-8-sig")
    with path.open("a", encoding="utf-8", newline="") as f:
        if text and not text.endswith("\n"):
            f.write("\n")
        csv.writer(f, lineterminator="\n").writerow([indicator_id, alias])
    names.cache_clear()
    try:
        names()  # the file as it is now passes the checks
    except VocabularyError:
        path.write_bytes(before)  # as it was: a refused name never stays in the file
        names.cache_clear()
        raise
    return str(path), text.count("\n") + (1 if text and not text.endswith("\n") else 0) + 1

