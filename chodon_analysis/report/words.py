"""Codes and logged English remarks of the derived tables in the reader's words: one place for the report tables,
the charts' hover text and the Excel workbook."""

from __future__ import annotations

import re

from ..base import i18n


def source_word(value: object, lang: str) -> str:
    """`published` / `illustrative` / `plan` in words; a file name or an address stays as it is."""
    v = "" if value is None or value != value else str(value)
    return i18n.text(f"source.{v}", lang) if v and i18n.has(f"source.{v}", lang) else v


SOURCE_COLUMNS = ("source", "new_forest_source", "population_source")  # of the forest and grain tables


def sample_sources(frame, years: frozenset[int], columns: tuple[str, ...] = SOURCE_COLUMNS):
    """A derived table (forest_cover, grain_per_capita) whose values rebuilt from the communes in `years` (those of
    illustrative figures: trends.illustrative_years) say so: `rebuilt_illustrative`, *tính lại từ các xã, minh họa*;
    a sum of sample figures is a sample too."""
    out = frame.copy()
    for col in (c for c in columns if c in out):
        out.loc[(out[col] == "rebuilt") & out["year"].isin(years), col] = "rebuilt_illustrative"
    return out


_BOUND = re.compile(r"published as '([^']*)'")
_DIFFERS = re.compile(r"computed ([-\d.]+) kg differs from reported ([-\d.]+) kg")


def remark(value: object, lang: str) -> str:
    """A series break, flag or note of the trend tables (logged in English) in the reader's words; a remark
    the catalog does not know is shown as logged."""
    if value is None or value != value or not str(value):
        return ""
    out = []
    for part in str(value).split("; "):
        low = part.lower()
        if m := _DIFFERS.search(part):
            out.append(i18n.text("flag.differs", lang, computed=i18n.number(float(m[1]), lang),
                                 reported=i18n.number(float(m[2]), lang)))
        elif m := _BOUND.search(part):
            out.append(i18n.text("note.bound" if low.startswith("output") else "break.bound", lang,
                                 value=bound(m[1], lang)))
        elif part == "reform":
            out.append(i18n.text("break.reform", lang))
        elif "forest definition" in low:
            out.append(i18n.text("break.definition", lang))
        elif "against the 2019 census" in low or "atlas" in low:
            out.append(i18n.text("break.census", lang))
        elif "census" in low:
            out.append(i18n.text("break.census_year", lang))
        else:
            out.append(part)
    return "; ".join(dict.fromkeys(out))


_OP = re.compile(r"\s*(>=|<=|≥|≤|>|<)\s*(.+)")
_OPS = {"≥": ">=", "≤": "<="}


def bound(text: str, lang: str) -> str:
    """A bound as published (`>24300`, `>=57%`) in words and the reader's number format: `trên 24.300` (vi),
    `above 24,300` (en); any other text as it is."""
    m = _OP.fullmatch(text)
    if m is None:
        return text
    return f"{i18n.text(f'op.{_OPS.get(m[1], m[1])}', lang)} {as_written(m[2], lang)}"


def as_written(text: object, lang: str) -> str:
    """A plan or actual as the office wrote it, in the reader's number format when it is a plain number
    (`88.420` -> `88,420` in English; `1.78` from a numeric cell -> `1,78` in Vietnamese); a phrase stays as is."""
    from ..cleaning.rows.parse import parse_number

    if text is None or text != text:
        return ""
    n = parse_number(str(text))
    if n is None:
        return str(text)
    return i18n.number(n.value, lang, n.decimals) + ("%" if n.percent else "")


_WHY = [(re.compile(r"no commune reports it"), "why.no_commune", ()),
        (re.compile(r"no line in aggregation\.csv says how it adds up.*"), "why.no_rule", ()),
        (re.compile(r"no figure from: (.+)"), "why.missing", ("communes",)),
        (re.compile(r"its components are missing: (.+?) \(a rate.*"), "why.components", ("what",)),
        (re.compile(r"the target is in (.+), the communes' figures in (.+): not compared"), "why.units",
         ("target", "communes")),
        (re.compile(r"the name is that of (.+), the unit (.+) is not (.+)"), "why.unit_name",
         ("label", "unit", "want")),
        (re.compile(r"a change target needs last year's figure of the same communes: not judged"), "why.change", ()),
        (re.compile(r"partial coverage: not judged"), "why.partial", ()),
        (re.compile(r"judged without the shared communes, which gave no figure"), "why.shared_none", ()),
        (re.compile(r"depends on the shared communes: (.+) \((\w+)\) (with|without) them: not judged"),
         "why.shared", ("value", "status", "with"))]


def why(text: object, lang: str) -> str:
    """Why a figure of the former district is missing or partial (analysis/communes.py), in the reader's words;
    a reason written in aggregation.csv is shown as written."""
    t = "" if text is None or text != text else str(text)
    return "; ".join(_why_one(part, lang) for part in t.split("; ")) if t else ""


def _why_one(t: str, lang: str) -> str:
    for pattern, key, names in _WHY:
        if m := pattern.fullmatch(t):
            found = dict(zip(names, m.groups(), strict=True))
            if key == "why.shared":  # the figure and status the other scope gives, in the reader's words
                found |= {"value": as_written(found["value"], lang), "status": i18n.status(found["status"],
                          lang), "with": i18n.text(f"why.shared_{found['with']}", lang)}
                return i18n.text(key, lang, **found)
            return i18n.text(key, lang, **{n: units(v, lang) for n, v in found.items()})
    if lang != "vi":  # a reason of aggregation.csv, written in Vietnamese: its `reason_en`
        from ..base.reform import aggregation_rules

        return next((r["reason_en"] for r in aggregation_rules() if r.get("reason") == t and r.get("reason_en")), t)
    return t


def units(text: str, lang: str) -> str:
    """Units that aggregation.csv gives as alternatives (`đảng viên|người`) in words: `đảng viên hoặc người`."""
    return f" {i18n.text('why.or', lang)} ".join(u.strip() for u in text.split("|")) if "|" in text else text
