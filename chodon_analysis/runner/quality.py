"""Data quality in view: which files were read and which failed, the repairs and doubts of issues.csv by kind,
and the data-quality page listing them by file and problem (static HTML in the report's language, no script)."""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd

from ..base import i18n
from ..base.issues import ISSUE_COLUMNS

FAILED = "file could not be read"
PAGE_STYLE = ("body{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em}"
              "td,th{padding:.2em .6em;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}"
              "table{border-collapse:collapse;margin:.5em 0 1.5em}")


def load_issues(processed: Path) -> pd.DataFrame:
    """issues.csv of the last clean (empty when there is none)."""
    p = processed / "issues.csv"
    if not p.exists():
        return pd.DataFrame(columns=ISSUE_COLUMNS)
    return pd.read_csv(p, encoding="utf-8-sig", dtype=str, keep_default_na=False)


def files_read(processed: Path, issues: pd.DataFrame) -> tuple[list[str], pd.DataFrame]:
    """The files the last clean read (from its layout log and table), and the failed ones with their reason."""
    names: set[str] = set()
    layout = processed / "layout.csv"
    if layout.exists():
        names |= set(pd.read_csv(layout, encoding="utf-8-sig", dtype=str, usecols=["file"])["file"].dropna())
    failed = issues[issues["problem"] == FAILED][["file", "action"]].rename(columns={"action": "why_failed"})
    return sorted(names - set(failed["file"])), failed.reset_index(drop=True)


def by_kind(issues: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Repairs and doubts counted by kind of problem (in the reader's words), most frequent first."""
    rest = issues[issues["problem"] != FAILED]
    kinds = rest["problem"].map(lambda p: i18n.problem(p, lang))
    return kinds.value_counts().rename_axis("kind").reset_index(name="count")


def _table(rows: pd.DataFrame, columns: list[str], lang: str) -> str:
    head = "".join(f"<th>{html.escape(i18n.text(f'col.{c}', lang))}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(r[c]))}</td>" for c in columns) + "</tr>"
                   for _, r in rows.iterrows())
    return f"<table><tr>{head}</tr>{body}</table>"


def summary_html(processed: Path, issues: pd.DataFrame, lang: str, page: str) -> str:
    """The index's data-quality section: files read, failed files and why, repairs and doubts by kind."""
    read, failed = files_read(processed, issues)
    out = [f"<h2>{html.escape(i18n.text('index.quality', lang))}</h2>",
           f"<p>{html.escape(i18n.text('index.files_read', lang, n=len(read), files=', '.join(read)))}</p>"]
    if len(failed):
        out.append(f"<p>{html.escape(i18n.text('index.files_failed', lang, n=len(failed)))}</p>"
                   + _table(failed, ["file", "why_failed"], lang))
    else:
        out.append(f"<p>{html.escape(i18n.text('index.no_failed', lang))}</p>")
    kinds = by_kind(issues, lang)
    if len(kinds):
        out.append(f"<h3>{html.escape(i18n.text('index.by_kind', lang, n=int(kinds['count'].sum())))}</h3>"
                   + _table(kinds, ["kind", "count"], lang))
    link = f'<a href="{html.escape(page)}">{html.escape(i18n.text("report.data_quality", lang))}</a>'
    out.append("<p>" + html.escape(i18n.text("index.see_quality", lang, link="\0")).replace("\0", link) + "</p>")
    return "\n".join(out)


def quality_page(issues: pd.DataFrame, lang: str, area: str, year: int) -> str:
    """data_quality.html: every row of issues.csv, grouped by file and then by problem, with sheet, row, column."""
    title = html.escape(i18n.text("quality.title", lang))
    out = [f"<h1>{title}</h1>", f"<p>{html.escape(area)}, {year}. {html.escape(i18n.text('quality.intro', lang))}</p>"]
    if issues.empty:
        out.append(f"<p>{html.escape(i18n.text('quality.none', lang))}</p>")
    for file, rows in issues.groupby("file", sort=True):
        out.append(f"<h2>{html.escape(i18n.text('quality.file', lang, file=file, n=len(rows)))}</h2>")
        for problem, group in rows.groupby("problem", sort=False):
            out.append(f"<h3>{html.escape(i18n.problem(problem, lang))} ({len(group)})</h3>")
            out.append(_table(group, ["sheet", "row", "column", "value", "action"], lang))
    return (f'<!doctype html>\n<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>'
            f"<style>{PAGE_STYLE}</style></head><body>\n" + "\n".join(out) + "\n</body></html>\n")
