"""Data quality in view (templates quality.html, quality_summary.html): the files read and failed, the repairs and
doubts of issues.csv counted by code as `chodon inspect` counts them (base/issues.py), every row by file and code."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ..base import i18n
from ..base.issues import DOUBT, FAILED, ISSUE_COLUMNS, REPAIR, ROUTINE, kind_of, row_words, tally
from ..report.pages import render

_ORDER = {FAILED: 0, DOUBT: 1, REPAIR: 2, ROUTINE: 3}  # the groups of a file: what failed, doubts, repairs, notes


def load_issues(processed: Path) -> pd.DataFrame:
    """issues.csv of the last clean (empty when there is none; an older one without codes gets empty codes)."""
    p = processed / "issues.csv"
    if not p.exists():
        return pd.DataFrame(columns=ISSUE_COLUMNS)
    issues = pd.read_csv(p, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    return issues.reindex(columns=list(dict.fromkeys([*ISSUE_COLUMNS, *issues.columns])), fill_value="")


_YEAR_IN_NAME = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


def file_years(processed: Path, issues: pd.DataFrame) -> dict[str, set[int]]:
    """The years of each file of the last clean: those of the columns the reader used (layout.csv); for a file
    without any (one that could not be read), the years its name carries; none when neither tells."""
    years: dict[str, set[int]] = {str(f): set() for f in issues["file"]}
    layout = processed / "layout.csv"
    if layout.exists():
        lay = pd.read_csv(layout, encoding="utf-8-sig", dtype=str, keep_default_na=False,
                          usecols=["file", "year", "use"])
        for f, y, use in zip(lay["file"], lay["year"], lay["use"], strict=True):
            years.setdefault(f, set()).update([int(float(y))] if use == "used" and y else [])
    for f, found in years.items():
        if not found:
            found.update(int(y) for y in _YEAR_IN_NAME.findall(Path(f).name))
    return years


def year_files(processed: Path, issues: pd.DataFrame, year: int) -> set[str]:
    """The files a page of `year` is about: those with figures of `year`, and those whose year cannot be told."""
    return {f for f, years in file_years(processed, issues).items() if year in years or not years}


def area_files(table: pd.DataFrame, issues: pd.DataFrame, name: str, level: str, year: int) -> set[str]:
    """The files of an area's figures of `year`: a commune's own workbooks (and one that could not be read whose
    name names it); a former district's, with those of the communes wholly inside it it is rebuilt from."""
    from ..base.places import place_from_name

    y = table[table["year"] == year]
    own = (y["area"] == name) & (y["area_level"] == level)
    if level == "district":
        own |= (y["area_level"] == "commune") & (y["district"] == name)
    failed = {r["file"] for r in _rows(issues) if kind_of(r["code"]) == FAILED}
    if level == "commune":
        failed = {f for f in failed if (p := place_from_name(Path(f).name)) is not None and p.name == name}
    return set(y.loc[own, "source_file"]) | failed


def only(issues: pd.DataFrame, files: set[str] | None) -> pd.DataFrame:
    """The rows of issues.csv about `files` (all of them for None)."""
    return issues if files is None else issues[issues["file"].isin(files)]


def _rows(issues: pd.DataFrame) -> list[dict]:
    """The issue rows as dicts of text (an empty cell as "")."""
    frame = issues.reindex(columns=ISSUE_COLUMNS)
    return [{c: "" if pd.isna(v) else str(v) for c, v in r.items()} for r in frame.to_dict("records")]


def _reason(row: dict, lang: str) -> str:
    problem, action = row_words(row, lang)
    return f"{problem}; {action}" if action else problem


def files_read(processed: Path, issues: pd.DataFrame, lang: str = "en",
               files: set[str] | None = None) -> tuple[list[str], pd.DataFrame]:
    """The files the last clean read (from its layout log and table), and the failed ones with their reason; of
    `files` only, when given (a year's, an area's)."""
    names: set[str] = set()
    layout = processed / "layout.csv"
    if layout.exists():
        names |= set(pd.read_csv(layout, encoding="utf-8-sig", dtype=str, usecols=["file"])["file"].dropna())
    names = names if files is None else names & files
    issues = only(issues, files)
    failed = pd.DataFrame([{"file": r["file"], "why_failed": _reason(r, lang)} for r in _rows(issues)
                           if kind_of(r["code"]) == FAILED], columns=["file", "why_failed"])
    return sorted(names - set(failed["file"])), failed


def by_kind(issues: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Repairs and doubts counted by code, doubts first, the most frequent first: code, kind (`repair` or
    `doubt`), problem (in the reader's words), count."""
    return pd.DataFrame(tally(_rows(issues), lang), columns=["code", "kind", "problem", "count"])


def summary(processed: Path, issues: pd.DataFrame, lang: str, page: str,
            files: set[str] | None = None) -> dict[str, object]:
    """What the index's data-quality section shows (template quality_summary.html, included by index.html): files
    read, failed files and why, repairs and doubts by kind, the link to the data-quality page; of `files` only,
    when given (the year's, or an area's own)."""
    read, failed = files_read(processed, issues, lang, files)
    return {"read": read, "failed": failed.to_dict("records"),
            "kinds": by_kind(only(issues, files), lang).to_dict("records"), "page": page}


def _by_file(rows: list[dict], lang: str) -> list[dict]:
    """The rows of each file in groups of one code (a row without a code: of its words), each group with its
    problem and every row's action in `lang`: what failed first, then doubts, repairs and routine notes."""
    files: dict[str, dict[tuple[str, str], dict]] = {}
    for r in rows:
        key = (r["code"], "" if r["code"] else r["problem"])
        group = files.setdefault(r["file"], {}).get(key)
        if group is None:
            group = files[r["file"]][key] = {"kind": kind_of(r["code"]), "problem": row_words(r, lang)[0], "rows": []}
        group["rows"].append({**r, "action": row_words(r, lang)[1]})
    return [{"name": name, "count": sum(len(g["rows"]) for g in groups.values()),
             "groups": sorted(groups.values(), key=lambda g: _ORDER[g["kind"]])}
            for name, groups in sorted(files.items())]


def quality_page(issues: pd.DataFrame, lang: str, area: str, year: int, checks: dict | None = None) -> str:
    """data_quality.html: the checks of the year's figures per area (`checks`, report/checks.by_area); every row of
    issues.csv, grouped by file and then by code, with sheet, row, column, value and action; the repairs and doubts
    counted as on the index and by `chodon inspect`."""
    rows = _rows(issues)
    i18n.check_lang(lang)
    checks = checks or {"areas": [], "clean": [], "error": 0, "warning": 0}
    return render("quality.html", lang, area=area, year=year, files=_by_file(rows, lang),
                  kinds=tally(rows, lang), checks=checks)
