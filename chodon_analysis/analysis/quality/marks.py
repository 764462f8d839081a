"""Which figures the findings are about, for the reports (docs/data-quality.md): a finding is shown on the row of
the tidy table it names (its workbook and row), and on a former district's figure added up from communes one of
which has a finding on that indicator; a report marks such a figure ⚠ with the finding, never shows it as clean."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from ...base import reform
from ...base.units import area_label
from .common import COLUMNS, FILE

MARK = "⚠"


def load(folder: Path | str) -> pd.DataFrame:
    """`data_quality.csv` of the processed folder (no rows when the checks have not run there yet)."""
    from ..stamped import read

    p = Path(folder) / FILE
    if not p.exists():
        return pd.DataFrame(columns=COLUMNS)
    return read(p.absolute(), _read)


def _read(p: Path) -> pd.DataFrame:
    found = pd.read_csv(p, encoding="utf-8-sig", dtype=str, keep_default_na=False)  # texts as written, "" if none
    for c in ("value", "expected", "threshold", "score"):
        found[c] = pd.to_numeric(found[c], errors="coerce").astype(float)
    for c in ("year", "source_row"):
        found[c] = pd.to_numeric(found[c], errors="coerce").astype("Int64")
    return found


def of_area(found: pd.DataFrame, year: int, area: str, level: str, communes: Iterable[str] = ()) -> pd.DataFrame:
    """The findings of `year` about an area, and about the `communes` its figures are added up from."""
    y = found[found["year"] == year]
    own = (y["area"] == area) & (y["area_level"] == level)
    return y[own | ((y["area_level"] == "commune") & y["area"].isin(list(communes)))]


def counts(found: pd.DataFrame) -> dict[str, int]:
    """{"error": n, "warning": m} of the findings given."""
    return {s: int((found["severity"] == s).sum()) for s in ("error", "warning")}


def _texts(found: pd.DataFrame, by_area: bool, lang: str) -> dict[tuple, list[str]]:
    out: dict[tuple, list[str]] = {}
    for r in found.to_dict("records"):
        if by_area:
            if not r["indicator_id"]:
                continue
            key = (int(r["year"]), r["indicator_id"])
            text = area_label(r["area"], "commune", lang, int(r["year"])) + ": " + r["message"]
        else:
            if not r["source_file"] or pd.isna(r["source_row"]):
                continue
            key = (r["area"], r["area_level"], int(r["year"]), r["source_file"], int(r["source_row"]))
            text = r["message"]
        if text not in out.get(key, []):
            out.setdefault(key, []).append(text)
    return out


def mark(rows: pd.DataFrame, found: pd.DataFrame | None, lang: str = "vi",
         communes: Iterable[str] = ()) -> pd.DataFrame:
    """`rows` with a `finding` column: `⚠` and the findings on each row ("" when it has none); a figure added up
    from communes (its `coverage` said) carries the findings of those `communes` on its indicator that year, or on
    its numerator and denominator for a ratio recomputed from them (aggregation.csv)."""
    out = rows.assign(finding="")
    if found is None or found.empty or rows.empty:
        return out
    own = _texts(found, False, lang)
    communes = list(communes)
    added = _texts(found[(found["area_level"] == "commune") & found["area"].isin(communes)], True, lang)
    coverage = rows["coverage"].fillna("").astype(str) if "coverage" in rows else pd.Series("", index=rows.index)
    ids = rows["indicator_id"].fillna("").astype(str) if "indicator_id" in rows else pd.Series("", index=rows.index)
    parts = reform.made_of()
    texts = []
    for r, cov, iid in zip(rows[["area", "area_level", "year", "source_file", "source_row"]].itertuples(index=False),
                           coverage, ids, strict=True):
        said: list[str] = []
        if not (pd.isna(r.year) or pd.isna(r.source_row)):
            said += own.get((r.area, r.area_level, int(r.year), str(r.source_file), int(r.source_row)), [])
        if cov and not pd.isna(r.year):  # a ratio is recomputed from its components: theirs are what count
            said += [t for part in parts.get(iid, (iid,)) for t in added.get((int(r.year), part), [])]
        texts.append(f"{MARK} " + "; ".join(said) if said else "")
    out["finding"] = texts
    return out


def on_rebuilt(targets: pd.DataFrame, picture: pd.DataFrame, rows: pd.DataFrame, found: pd.DataFrame | None,
               year: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The former district's rebuilt figures (communes.rebuilt_attainment) with the findings its marked `rows` carry,
    and each commune's contribution (communes.by_commune) with that commune's findings on the measure; a
    `finding` column only where one has a finding."""
    y = rows[rows["year"] == year] if "finding" in rows else rows.iloc[0:0]
    said = y[y["finding"] != ""].drop_duplicates("indicator").set_index("indicator")["finding"]
    if len(said) and len(targets):
        targets = targets.assign(finding=targets["indicator"].map(said).fillna(""))
    if found is None or found.empty or picture.empty:
        return targets, picture
    measure = {r["label"]: r["measure"] for r in reform.aggregation_rules()}
    mine = found[(found["year"] == year) & (found["area_level"] == "commune")]
    texts: dict[tuple[str, str], list[str]] = {}
    for area, iid, message in zip(mine["area"], mine["indicator_id"], mine["message"], strict=True):
        texts.setdefault((area, iid), []).append(message)
    notes = [f"{MARK} " + "; ".join(texts[k]) if (k := (a, measure.get(n, ""))) in texts else ""
             for a, n in zip(picture["area"], picture["indicator"], strict=True)]
    return targets, picture.assign(finding=notes) if any(notes) else picture


def on_districts(rebuilt: pd.DataFrame, found: pd.DataFrame | None, lang: str = "vi") -> list[str]:
    """For each row of former_district.csv (a district's measure of a year, added up from `communes`): `⚠` and the
    findings of those communes on the measure (on its numerator and denominator for a ratio), "" when none."""
    if found is None or found.empty or rebuilt.empty:
        return [""] * len(rebuilt)
    measure = {r["label"]: r["measure"] for r in reform.aggregation_rules()}
    parts = reform.made_of()
    added = _texts(found[found["area_level"] == "commune"], True, lang)
    out = []
    for year, name, communes in zip(rebuilt["year"], rebuilt["indicator"], rebuilt["communes"].fillna(""),
                                    strict=True):
        iid = measure.get(name, "")
        named = {area_label(c.strip(), "commune", lang, int(year)) + ": " for c in str(communes).split(",")
                 if c.strip()}
        said = [t for part in parts.get(iid, (iid,)) for t in added.get((int(year), part), [])
                if iid and any(t.startswith(n) for n in named)]
        out.append(f"{MARK} " + "; ".join(said) if said else "")
    return out
