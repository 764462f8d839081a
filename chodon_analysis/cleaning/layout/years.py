"""The report year of a sheet and the year and period of each column (docs/reading.md, "Years and periods").

Years come from the header (`Kế hoạch năm 2024`), else from words relative to the report year (`năm trước`,
`năm sau`), the report year from the title, the sheet name or the file name. An implausible year (`2924`)
becomes the plausible year one digit away that the rest of the file states; every such repair is logged.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from ...base.issues import Log
from ...base.text import fold
from ..formats.book import column_letter
from .header import VALUE_ROLES, Layout
from .periods import ASIDE, header_period

_YEAR_RE = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_PLAN_WORD = re.compile(r"ke hoach|\bkh\b|\bplan\b|muc tieu|target")
_SPAN = re.compile(r"[^0-9]{0,80}$")
_RESULT_WORDS = re.compile(r"thuc hien|ket qua|danh gia|uoc|bao cao|result|actual")
_WORD_JOINS = re.compile(r"[_.]|(?<=[a-z])-|-(?=[a-z])")  # between words of a file name, not in `2024-2025`


def plausible_year(y: int) -> bool:
    """A report year: not before 1975, not more than ten years ahead."""
    return 1975 <= y <= dt.date.today().year + 10


_DATE = re.compile(r"\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4}|ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}", re.I)
_WHERE = {"the title": "title", "the sheet name": "sheet", "the file name": "file"}  # as issue parameters


def _years_in(text: str) -> list[int]:
    return [int(y) for y in _YEAR_RE.findall(text)]


def _header_years(header: str) -> list[int]:
    """The years a column header names, not those of a date or an aside it cites
    (`Kế hoạch năm 2024 (Nghị quyết số 45/NQ-HĐND ngày 15/12/2023)` is 2024)."""
    return _years_in(ASIDE.sub(" ", _DATE.sub(" ", header))) or _years_in(_DATE.sub(" ", header))


def _one_digit_apart(a: int, b: int) -> bool:
    """One digit mistyped (`2924` for 2024) or two neighbouring digits swapped (`2205` for 2025)."""
    x, y = str(a), str(b)
    if len(x) != len(y):
        return False
    wrong = [i for i, (p, q) in enumerate(zip(x, y, strict=True)) if p != q]
    return len(wrong) == 1 or (len(wrong) == 2 and wrong[1] == wrong[0] + 1 and x[wrong[0]] == y[wrong[1]]
                                and x[wrong[1]] == y[wrong[0]])


def _fix(y: int, plausible: Counter[int]) -> int | None:
    """A plausible year as is; an implausible one as the plausible year one digit away that the file names, else
    the one between the years it names (`Năm 2022 | Năm 2923 | Năm 2024`: 2023), else None."""
    if plausible_year(y):
        return y
    near = [k for k, _ in plausible.most_common() if _one_digit_apart(k, y)]
    if near:
        return near[0]
    if plausible:
        lo, hi = min(plausible), max(plausible)
        between = [k for k in range(lo, hi + 1) if _one_digit_apart(k, y)]
        if len(between) == 1:
            return between[0]
    return None


def _context_years(text: str, plausible: Counter[int]) -> list[tuple[int, int, int]]:
    """(year, as written, rank) of a title, sheet or file name; a year after `kế hoạch` ranks after the others
    (`... NĂM 2024 VÀ KẾ HOẠCH NĂM 2025` reports on 2024); the year of a date only when no other year is named
    (`Nghĩa Tá, ngày 08 tháng 01 năm 2026` above `BÁO CÁO ... NĂM 2025`: 2025)."""
    out = []
    undated = _DATE.sub(" ", text)  # a date line or a resolution's date beside the title names no report year
    folded = _WORD_JOINS.sub(" ", fold(undated if _years_in(undated) else text))  # `bao_cao_KH_2025`, `ke-hoach-2026`
    for m in _YEAR_RE.finditer(folded):
        y = _fix(int(m.group(1)), plausible)
        if y is not None:
            span = _SPAN.search(folded[: m.start()]).group(0)  # `KẾ HOẠCH ... NĂM 2025`, not `THỰC HIỆN KẾ HOẠCH NĂM`
            out.append((y, int(m.group(1)), 1 if _PLAN_WORD.search(span) and not _RESULT_WORDS.search(span) else 0))
    return out


def resolve_years(layout: Layout, file_name: str, sheet: str, log: Log,
                  below: Callable[[], str] = lambda: "") -> int | None:
    """Give each column its year and period and return the report year (the year the actuals belong to).

    `below`: the text under the table (notes, the date line), evidence for correcting a typo, never a source."""
    header_row = layout.header_rows[-1] + 1
    sources = [("the title", layout.title_text), ("the sheet name", sheet), ("the file name", Path(file_name).stem)]
    known = [y for c in layout.columns for y in _header_years(c.header)] + [y for _, t in sources for y in _years_in(t)]
    if any(not plausible_year(y) for y in known):
        known += _years_in(below())  # only a typo needs the text under the table
    plausible = Counter(y for y in known if plausible_year(y))
    for col in layout.columns:
        if col.fixed:  # said by a layout file
            continue
        p = header_period(col.header)
        col.period, col.offset = p.period, p.offset
        if p.words:
            relative = f"{p.offset:+d} year from the report year" if p.offset is not None else ""
            what = {"partial": "part of a year", "cumulative": "cumulative to date", "term": "a target for the term"}
            col.evidence.append(f"'{p.words}': " + what.get(p.period, relative))
        years = _header_years(col.header)
        if not years:
            continue
        y = _fix(years[-1], plausible)
        if y is None:
            log.add(sheet, header_row, column_letter(col.index), col.header, "implausible_year", year=years[-1],
                    where="header")
            continue
        if y != years[-1]:
            log.add(sheet, header_row, column_letter(col.index), col.header, "year_typo", year=years[-1], fixed=y,
                    where="header")
        col.year = y
        col.evidence.append(f"year {y} in the header")
    context: list[tuple[int, int, int, str]] = []
    for where, text in sources:
        for y in _years_in(text):
            if not plausible_year(y) and _fix(y, plausible) is None:
                log.add(sheet, header_row if where == "the title" else None, "", text[:120], "implausible_year",
                        year=y, where=_WHERE[where])
        for y, written, rank in _context_years(text, plausible):
            if y != written:
                log.add(sheet, header_row if where == "the title" else None, "", text[:120], "year_typo",
                        year=written, fixed=y, where=_WHERE[where])
            context.append((rank, len(context), y, where))
    _decade_off(layout, {y for _, _, y, _ in context}, sheet, header_row, log)
    base, how = _report_year(layout, sorted(context), sheet, header_row, log)
    if base is None:
        if any(c.year is None for c in layout.columns if c.role in VALUE_ROLES):
            log.add(sheet, header_row, "", layout.title_text[:80], "no_year")
        return None
    for col in layout.columns:
        if col.year is None and col.period != "term" and col.role in (*VALUE_ROLES, "assessment", "comparison"):
            col.year = base + (col.offset or 0)
            col.evidence.append(f"year {col.year}: {how}" + (f", {col.offset:+d}" if col.offset else ""))
    _log_mixed_years(layout, base, sheet, header_row, log)
    return base


def _decade_off(layout: Layout, named: set[int], sheet: str, header_row: int, log: Log) -> None:
    """A header year a decade or more away from every year the title, sheet or file name gives, by one digit
    (`Thực hiện năm 2015` under `BÁO CÁO NĂM 2025`): plausible, so read as written, but likely a typo: a doubt."""
    for col in layout.columns:
        if col.role in VALUE_ROLES and col.period != "term" and col.year and named and col.year not in named:
            near = [y for y in sorted(named) if abs(y - col.year) >= 10 and _one_digit_apart(y, col.year)]
            if near and all(abs(y - col.year) >= 2 for y in named):
                log.add(sheet, header_row, column_letter(col.index), col.header, "year_far_from_title",
                        year=col.year, named=near[0])


def _report_year(layout: Layout, context: list[tuple[int, int, int, str]], sheet: str, header_row: int,
                 log: Log) -> tuple[int | None, str]:
    """The report year and how it was found: full-year actuals in the header, else the title, sheet or file name,
    else the plans in the header."""
    value_cols = [c for c in layout.columns if c.role in VALUE_ROLES and c.period == "year"]
    actual_years = [c.year for c in value_cols if c.role != "plan" and c.year]
    plan_years = [c.year for c in value_cols if c.role == "plan" and c.year]
    unnamed = any(c.year is None for c in value_cols)
    if actual_years and not any(c.offset for c in value_cols if c.year is None):
        return max(actual_years), "report year from the header"  # `TH 2023 | KH 2024 | Ước TH 2024`: 2024
    if context and (unnamed or not plan_years):
        # the year as its first source names it: `KẾ HOẠCH ... NĂM 2026` in the title stays a plan year when the
        # file name repeats `2026` with no word (`yen-phong-2026.xlsx`, `bao-cao-2026.xlsx`)
        rank, _, year, where = min((c for c in context if c[2] == context[0][2]), key=lambda c: c[1])
        if rank and any(c.offset == 1 for c in value_cols):
            # `KẾ HOẠCH ... NĂM 2025` over `TH năm trước | KH năm nay | KH năm sau`: a plan report written in
            # 2024 for 2025, whose `năm sau` is 2025
            log.add(sheet, header_row, "", year, "next_year_plan_title", year=year, report_year=year - 1,
                    where=_WHERE[where])
            return year - 1, f"report year {year - 1}: the year before the plan year named in {where}"
        others = sorted({y for _, _, y, _ in context} - {year})
        if others:
            log.add(sheet, header_row, "", ", ".join(map(str, [year, *others])), "several_years", year=year,
                    others=", ".join(map(str, others)), where=_WHERE[where])
        return year, f"report year {year} from {where}"
    if plan_years and unnamed and len(set(plan_years)) == 1:
        return min(plan_years) - 1, "the year before the plan year in the header"  # `KH | TH | KH 2025`
    if plan_years:
        return min(plan_years), "report year from the header"
    return None, ""


def _log_mixed_years(layout: Layout, base: int, sheet: str, header_row: int, log: Log) -> None:
    """Years written in the header that differ (`KH 2024 | TH 2023`): a doubt worth a line. Relative words
    (`năm trước`, `năm sau`) say it themselves and are in layout.csv."""
    value_cols = [c for c in layout.columns if c.role in VALUE_ROLES and c.period == "year" and c.offset is None]
    groups = sorted({c.year for c in value_cols if c.year})
    odd = [y for y in groups if y != base and not (y == base + 1 and all(
        c.role == "plan" for c in value_cols if c.year == y))]
    base_has_plan = any(c.role == "plan" and c.year == base for c in value_cols)
    if odd or (len(groups) > 1 and not base_has_plan):
        log.add(sheet, header_row, "", " | ".join(c.header for c in value_cols), "mixed_years",
                years=", ".join(map(str, groups)))
