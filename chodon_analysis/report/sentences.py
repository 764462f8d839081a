"""Sentences for the reports: a progress verdict in words, in Vietnamese or English (labels.csv)."""

from __future__ import annotations

import html

from ..analysis.progress import Progress
from ..cleaning import vocab


def label(key: str, lang: str = "vi") -> str:
    """The words of `key` in labels.csv, in `lang` (vi or en)."""
    return vocab.labels()[lang][key]


_MD = str.maketrans({c: "\\" + c for c in "\\`*_{}[]()#+-.!|<>"})


def safe(text: object) -> str:
    """Text from a workbook (a name, a file name) for a Markdown line: shown as written, never run as HTML or
    read as Markdown (`<img src=x onerror=...>`, `**`)."""
    return html.escape(str(text), quote=True).translate(_MD)


def workbooks_sentence(district: str, year: int, n_indicators: int, files: list[str]) -> str:
    """`**Chợ Đồn, 2024**: 42 indicators in 1 workbook(s): ...` with every name escaped."""
    return (f"**{safe(district)}, {year}**: {n_indicators} indicators in {len(files)} workbook(s): "
            + ", ".join(safe(f) for f in sorted(files)))


def verdict_sentence(p: Progress, what: str, lang: str = "vi") -> str:
    """One sentence for the notebook: the verdict, the rates and the projection."""
    v = label(f"verdict.{p.verdict}", lang)
    if p.verdict == "not_assessed":
        return f"**{what}**: {v} ({p.reason})."
    rates = ""
    if p.observed_rate is not None:
        rates = (f" Tốc độ bình quân {p.observed_rate:+.2%}/năm từ {p.base_year}" if lang == "vi"
                 else f" Observed rate {p.observed_rate:+.2%} a year since {p.base_year}")
        if p.required_rate is not None:
            rates += (f", cần {p.required_rate:+.2%}/năm" if lang == "vi" else f", {p.required_rate:+.2%} required")
        if p.projection is not None:
            rates += (f"; theo xu hướng, năm {p.target_year} đạt khoảng {p.projection:,.1f}" if lang == "vi"
                      else f"; on this trend {p.target_year} reaches about {p.projection:,.1f}")
        rates += "."
    target = (f"mục tiêu {p.target:g} năm {p.target_year}" if lang == "vi" else f"target {p.target:g} in {p.target_year}")
    return f"**{what}** ({target}): {v}.{rates}"
