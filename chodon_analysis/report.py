"""Helpers the report notebooks call: find the data folders, load everything once, phrase verdicts."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .attainment import load_published
from .cleaner import load_indicators
from .paths import project_root, resolve_dir  # noqa: F401  (resolve_dir is used by notebooks too)
from .trends import PUBLISHED_FILE, Progress, load_provenance

VERDICT_TEXT = {
    "vi": {"target_achieved": "đã đạt mục tiêu", "substantial": "tiến bộ đáng kể", "moderate": "tiến bộ vừa phải",
           "limited": "tiến bộ hạn chế", "deterioration": "đi xuống", "not_assessed": "chưa đánh giá được"},
    "en": {"target_achieved": "target achieved", "substantial": "substantial progress",
           "moderate": "moderate progress", "limited": "limited progress", "deterioration": "moving away",
           "not_assessed": "not assessed"},
}


@dataclass
class Context:
    """What a report reads: the tidy table, the published figures and the provenance of the sample data."""

    indicators: pd.DataFrame
    published: pd.DataFrame
    provenance: pd.DataFrame
    processed_dir: Path
    raw_dir: Path


def load(processed_dir: str | Path = "data/processed", raw_dir: str | Path = "data/raw",
         district: str | None = None) -> Context:
    """Load the processed table (one district if given) with the published figures and provenance."""
    pdir, rdir = resolve_dir(processed_dir), resolve_dir(raw_dir)
    ind = load_indicators(pdir)
    if district is not None:
        ind = ind[ind["district"] == district]
    pub_path = rdir / PUBLISHED_FILE
    published = load_published(pub_path) if pub_path.exists() else load_published_empty()
    return Context(ind, published, load_provenance(rdir), pdir, rdir)


def load_published_empty() -> pd.DataFrame:
    return pd.DataFrame(columns=["area", "year", "figure", "value", "unit", "note", "source", "quote", "op", "number"])


def verdict_sentence(p: Progress, what: str, lang: str = "vi") -> str:
    """One sentence for the notebook: the verdict, the rates and the projection."""
    v = VERDICT_TEXT[lang][p.verdict]
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


YEAR_COLUMNS = ("year", "last_year", "base_year", "latest_year", "target_year", "source_row")


def table(df: pd.DataFrame, precision: int = 1):
    """A table for a report: empty cells blank (not NaN), numbers with thousands separators (not in years),
    no index."""
    years = [c for c in df.columns if c in YEAR_COLUMNS]
    whole = [c for c in df.columns if c not in years and pd.api.types.is_float_dtype(df[c])
             and df[c].dropna().map(float.is_integer).all()]
    style = df.style.format(precision=precision, na_rep="", thousands=",")
    if years:
        style = style.format(lambda v: "" if pd.isna(v) else str(int(v)), subset=years)
    if whole:
        style = style.format(lambda v: "" if pd.isna(v) else f"{v:,.0f}", subset=whole)
    return style.hide(axis="index")
