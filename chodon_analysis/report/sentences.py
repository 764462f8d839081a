"""Sentences and headings of the reports, from the string catalog (data/strings.csv) in the reader's language."""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

from ..analysis.progress import Progress
from ..base import i18n

if TYPE_CHECKING:
    import pandas as pd

_MD = str.maketrans({c: "\\" + c for c in "\\`*_{}[]()#+-.!|<>"})


_URL = re.compile(r"https?://[A-Za-z0-9.-]+(?:/[A-Za-z0-9._~%/?#&=+:;,@!$*-]*)?")


def safe(text: object) -> str:
    """Text from a workbook (a name, a file name) for a Markdown line: shown as written, never run as HTML or
    read as Markdown (`<img src=x onerror=...>`, `**`). A plain web address becomes a working link."""
    t = str(text)
    if _URL.fullmatch(t):
        return f"<{t}>"  # a Markdown autolink: only these characters, so nothing can break out of it
    return html.escape(t, quote=True).translate(_MD)


_NUMBER = re.compile(r"[-+]?\d[\d.,]*%?")


def say(key: str, lang: str = "vi", **values: object) -> str:
    """A catalog sentence as Markdown; the values are escaped (they may come from a workbook), formatted numbers
    (`28.320`, `+1,5%`) are kept as they are."""
    return i18n.text(key, lang, **{k: v if isinstance(v, str) and _NUMBER.fullmatch(v) else safe(v)
                                   for k, v in values.items()})


def per_capita_agreement(grain: pd.DataFrame, lang: str = "vi") -> str:
    """That computed and reported grain per head agree in every year both are known; never said when no year has
    both (a ward without population: nothing was compared)."""
    both = grain["grain_per_capita_kg"].notna() & grain["reported_kg"].notna()
    return say("grain.pc_agree" if both.any() else "grain.pc_none", lang)


def heading(key: str, lang: str = "vi", level: int = 2, note: str | None = None, **values: object) -> str:
    """`## heading` from the catalog, with an optional sentence (another key) below it."""
    out = "#" * level + " " + say(key, lang, **values)
    return out + ("\n\n" + say(note, lang, **values) if note else "")


def workbooks_sentence(district: str, year: int, n_indicators: int, files: list[str], lang: str = "vi") -> str:
    """`**Chợ Đồn, năm 2024**: 42 chỉ tiêu trong 1 biểu: ...` with every name escaped."""
    return i18n.text("att.workbooks", lang, area=safe(district), year=year, n=i18n.number(n_indicators, lang),
                     n_files=len(files), files=", ".join(safe(f) for f in sorted(files)))


def _with_unit(text: str, unit: str) -> str:
    return text + unit if unit in ("", "%") else f"{text} {unit}"


def verdict_sentence(p: Progress, what: str, lang: str = "vi", unit: str = "") -> str:
    """One sentence for the notebook: the verdict, the rates and the projection, values with their `unit`."""
    verdict = i18n.text(f"verdict.{p.verdict}", lang)
    if p.verdict == "not_assessed" and p.code:
        reason = i18n.text(f"reason.{p.code}", lang, n=1 if p.latest_value is not None else 0)
        return i18n.text("progress.not_assessed", lang, what=safe(what), verdict=verdict, reason=reason)
    rates = ""
    if p.observed_rate is not None:
        rates = i18n.text("progress.rates", lang, observed=i18n.rate(p.observed_rate, lang), base_year=p.base_year)
        if p.required_rate is not None:
            rates += i18n.text("progress.required", lang, required=i18n.rate(p.required_rate, lang))
        if p.projection is not None:
            rates += i18n.text("progress.projection", lang, target_year=p.target_year,
                               projection=_with_unit(i18n.number(p.projection, lang, 1), unit))
        rates += "."
    return i18n.text("progress.sentence", lang, what=safe(what), target=_with_unit(i18n.number(p.target, lang), unit),
                     target_year=p.target_year, verdict=verdict, rates=rates)


def missing_years(years_with_values: list[int], first: int, last: int, what: str, lang: str = "vi") -> str:
    """`Không có số liệu tỷ lệ che phủ rừng năm 2022.` when a year of the span has no figure (drawn as a gap, never
    filled in); "" when none is missing."""
    have = {int(y) for y in years_with_values}
    gaps = [y for y in range(first, last + 1) if y not in have]
    if not have or not gaps:
        return ""
    return i18n.text("trend.missing_years", lang, what=safe(what), years=", ".join(map(str, gaps)))


def summary_sentence(counts: dict[str, int], lang: str = "vi") -> str:
    """The results in the district report's own sentence: `Trong tổng 42 chỉ tiêu đã có 10 chỉ tiêu vượt kế hoạch,
    22 chỉ tiêu đạt kế hoạch, 08 chỉ tiêu không đạt kế hoạch, 02 chỉ tiêu chưa đánh giá.` (a count under ten with
    two digits, as the report writes it; in English plain numbers)."""
    n = {s: int(counts.get(s, 0)) for s in ("exceeded", "met", "not_met", "not_evaluated")}
    shown = {k: (f"{v:02d}" if lang == "vi" else str(v)) for k, v in {**n, "total": sum(n.values())}.items()}
    return i18n.text("att.summary_sentence", lang, **shown)
