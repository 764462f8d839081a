"""The former district rebuilt from its new communes (from 2025): which communes belong to it (crosswalk.csv) and
how each indicator adds up (aggregation.csv): sums, ratios recomputed from summed components (never averaged),
and rates that cannot be added up, each with the communes it covers (docs/communes.md)."""

from __future__ import annotations

import math

import pandas as pd

from ..base import reform
from ..base.rule import bound_holds
from ..base.text import fold, plain_number

COLUMNS = ["district", "year", "indicator", "unit", "plan_value", "actual_value", "method", "communes", "coverage",
           "scope", "reason"]


def communes_of(crosswalk: tuple[dict[str, str], ...] | list[dict[str, str]],
                district: str) -> tuple[list[str], list[str]]:
    """The new communes that took in units of `district`: (wholly inside it, shared with other districts)."""
    by_new: dict[str, set[str]] = {}
    for r in crosswalk:
        by_new.setdefault(r["new_unit"], set()).add(fold(r["old_district"]))
    ours = [n for n, districts in by_new.items() if fold(district) in districts]
    inside = [n for n in ours if by_new[n] == {fold(district)}]
    return inside, [n for n in ours if n not in inside]


def placed(rows: pd.DataFrame) -> pd.Series:
    """Which commune rows are of a unit the reader placed: from the reform on, a new unit with its code (a name two
    units share, left as written with a doubt, is no commune's figure: never added to a former district on a guess);
    rows without any code (a table built by hand, or cleaned before the codes) are taken as they are."""
    from ..base.reform import REFORM_YEAR

    codes = rows["area_code"].fillna("").astype(str) if "area_code" in rows else None
    if codes is None or not (codes != "").any():  # a table cleaned before the codes: taken as it is
        return pd.Series(True, index=rows.index)
    return (codes != "") | (rows["year"] < REFORM_YEAR)


def reported_districts(crosswalk, commune_rows: pd.DataFrame) -> list[str]:
    """The former districts at least one of whose new communes (wholly inside or shared) reported: those that
    `former_district.csv` rebuilds, in the crosswalk's order."""
    reported = {fold(a) for a in commune_rows.loc[placed(commune_rows), "area"].dropna()}
    return list(dict.fromkeys(r["old_district"] for r in crosswalk if fold(r["new_unit"]) in reported))


def measure_of(name: str, rules: tuple[dict[str, str], ...], unit: str | None = None) -> dict[str, str] | None:
    """The first rule of aggregation.csv whose keyword the indicator name starts with or contains and, when the
    row's unit is given, whose unit it has: `Tỷ lệ xã đạt chuẩn nông thôn mới` (%) is not a count of communes,
    nor grain in kg the sum in tonnes. A name the indicator catalog knows uses the rule its `aggregation` names
    (so every alias adds up alike; none when it names none); the keywords decide for the others."""
    from ..base import catalog

    def in_unit(r: dict[str, str]) -> bool:
        return unit is None or fold(str(unit)) in {fold(u) for u in r["unit"].split("|")}

    entry = catalog.entries().get(catalog.match(name))
    if entry is not None:  # the catalog knows it: its rule, or none (not added up)
        return next((r for r in rules if r["measure"] == entry["aggregation"] and in_unit(r)), None)
    f = fold(name)
    for r in rules:
        named = f.startswith(r["keyword"]) if r["match"] == "starts" else r["keyword"] in f
        if named and in_unit(r):
            return r
    return None


def _measures(rules) -> list[dict[str, str]]:
    """One rule per measure (the first of its lines): a measure may be known by several names."""
    seen: dict[str, dict[str, str]] = {}
    for r in rules:
        seen.setdefault(r["measure"], r)
    return list(seen.values())


def _by_commune(rows: pd.DataFrame, measure: str, rules: tuple[dict[str, str], ...]) -> pd.DataFrame:
    """One row per commune of a measure (in the measure's unit): its plan and actual, each the first value a row
    of that commune gives (a plan-only row of one workbook does not hide the actual of another)."""
    hit = rows[[(m := measure_of(n, rules, u)) is not None and m["measure"] == measure
                for n, u in zip(rows["indicator"], rows["unit"], strict=True)]]
    if hit.empty:  # no commune of the scope in the data (communes of some other district only)
        return pd.DataFrame(columns=["plan_value", "actual_value", "unit"], index=pd.Index([], name="area"))
    return hit.groupby("area", sort=False)[["plan_value", "actual_value", "unit"]].first()


def _coverage(have: list[str], scope: list[str]) -> tuple[str, str, str]:
    """(communes, `k/n`, reason naming the communes missing)."""
    missing = [c for c in scope if c not in have]
    reason = ("no figure from: " + ", ".join(missing)) if missing else ""
    return ", ".join(c for c in scope if c in have), f"{len([c for c in scope if c in have])}/{len(scope)}", reason


def is_complete(coverage: object) -> bool:
    """`6/6`: every commune in scope gave its figure (only then does a sum stand for the whole former district)."""
    have, _, n = str(coverage).partition("/")
    return bool(n) and have == n


def _sum(values: pd.Series) -> float:
    return float(values.sum()) if values.notna().any() else math.nan


def former_district(rows: pd.DataFrame, crosswalk, rules, district: str, include_shared: bool = False) -> pd.DataFrame:
    """`former_district.csv` from commune rows (columns area, year, indicator, unit, plan_value, actual_value):
    one row per year and measure of aggregation.csv, and one per indicator no rule covers (not aggregated)."""
    inside, shared = communes_of(crosswalk, district)
    scope = inside + (shared if include_shared else [])
    scope_name = "inside_and_shared" if include_shared else "wholly_inside"
    rows = rows[rows["area"].isin(scope) & placed(rows)]
    out = []
    for year, y in rows.groupby("year", sort=True):
        for rule in _measures(rules):
            if (row := _one(int(year), rule, y, rules, scope)) is not None:
                out.append(row | {"scope": scope_name})
        matched = [measure_of(n, rules, u) is not None for n, u in zip(y["indicator"], y["unit"], strict=True)]
        rest = y[[not m for m in matched]]  # no rule for its name in its unit: listed, not added up on a guess
        for (name, unit), g in rest.groupby(["indicator", "unit"], sort=True, dropna=False):
            communes, coverage, _ = _coverage(sorted(set(g["area"])), scope)
            rule = measure_of(name, rules)
            why = (f"the name is that of {rule['label']}, the unit {unit} is not {rule['unit']}" if rule is not None
                   else "no line in aggregation.csv says how it adds up: add one")
            out.append({"year": int(year), "indicator": name, "unit": unit, "plan_value": math.nan,
                        "actual_value": math.nan, "method": "not_aggregated", "communes": communes,
                        "coverage": coverage, "scope": scope_name, "reason": why})
    return pd.DataFrame(out, columns=COLUMNS).assign(district=district)


def _one(year: int, rule: dict[str, str], y: pd.DataFrame, rules, scope: list[str]) -> dict | None:
    """One measure of one year over the communes in scope; None when no commune gives anything of it."""
    base = {"year": year, "indicator": rule["label"], "unit": rule["unit"].split("|")[0], "plan_value": math.nan,
            "actual_value": math.nan, "method": rule["method"]}
    if rule["method"] == "sum":
        c = _by_commune(y, rule["measure"], rules)
        if c.empty:
            return None
        have = list(c.index[c["actual_value"].notna()])  # coverage counts values, not rows
        communes, coverage, reason = _coverage(have, scope)
        plans = c.loc[have, "plan_value"]  # a plan summed only where every commune counted gives one
        return base | {"plan_value": _sum(plans) if plans.notna().all() else math.nan,
                       "actual_value": _sum(c.loc[have, "actual_value"]), "communes": communes,
                       "coverage": coverage, "reason": reason}
    if rule["method"] == "ratio":
        num, den = _by_commune(y, rule["numerator"], rules), _by_commune(y, rule["denominator"], rules)
        both = [a for a in num.index if a in den.index and num.loc[a, "actual_value"] == num.loc[a, "actual_value"]
                and den.loc[a, "actual_value"] == den.loc[a, "actual_value"]]
        communes, coverage, reason = _coverage(both, scope)
        reported = _by_commune(y, rule["measure"], rules)
        if not both and reported.empty and num.empty and den.empty:
            return None
        if not both:
            missing = [m for m, c in ((rule["numerator"], num), (rule["denominator"], den)) if c.empty]
            return base | {"method": "not_aggregated", "communes": "", "coverage": coverage,
                           "reason": f"its components are missing: {', '.join(missing) or 'not from the same communes'}"
                                     f" (a rate is recomputed from them, never averaged)"}
        factor = float(rule["factor"])
        values = {}
        for col in ("plan_value", "actual_value"):
            n, d = num.loc[both, col], den.loc[both, col]
            ok = n.notna() & d.notna()
            values[col] = float(n[ok].sum()) * factor / float(d[ok].sum()) if ok.all() and d[ok].sum() else math.nan
        return base | values | {"communes": communes, "coverage": coverage, "reason": reason}
    reported = _by_commune(y, rule["measure"], rules)
    if reported.empty:
        return None
    communes, coverage, _ = _coverage(list(reported.index), scope)
    return base | {"communes": communes, "coverage": coverage, "reason": rule.get("reason", "")}


TARGET_COLUMNS = ["indicator", "unit", "plan_text", "plan_value", "actual_value", "status", "method", "coverage",
                  "communes", "reason"]


def rebuilt_attainment(district_rows: pd.DataFrame, rebuilt: pd.DataFrame, rules, year: int,
                       scope: str = "wholly_inside") -> pd.DataFrame:
    """The district's own targets of `year` (set before the reform) against the former district rebuilt from its
    communes: the status by the attainment rule, with the method and coverage beside every number. Where some of
    its units went into communes shared with another former district, its true figure lies between the two scopes
    (wholly inside; with the shared communes): a status stands only where both scopes give it."""
    mine = _judged(district_rows, rebuilt, rules, year, scope)
    other = "inside_and_shared" if scope == "wholly_inside" else "wholly_inside"
    shared = len(mine) and communes_of(reform.crosswalk(), str(district_rows["area"].iloc[0]))[1]
    if not shared or not (rebuilt["scope"] == other).any():
        return mine
    theirs = _judged(district_rows, rebuilt, rules, year, other).drop_duplicates("indicator").set_index("indicator")
    side = "with" if other == "inside_and_shared" else "without"
    better = dict(zip(district_rows["indicator"], district_rows["direction"], strict=True))
    for i, r in mine[mine["status"] != "not_evaluated"].iterrows():
        t = theirs.loc[r["indicator"]] if r["indicator"] in theirs.index else None
        if (t is not None and t["status"] == r["status"]) or \
                bound_holds(r["method"], r["status"], better.get(r["indicator"]), scope == "wholly_inside"):
            continue
        unknown = t is None or t["status"] == "not_evaluated"  # nothing tells the two apart: judged, and said
        mine.loc[i, "reason"] = (r["reason"] + "; " if r["reason"] else "") + (
            "judged without the shared communes, which gave no figure" if unknown else
            f"depends on the shared communes: {plain_number(t['actual_value'])} ({t['status']}) {side} them: "
            "not judged")
        mine.loc[i, "status"] = r["status"] if unknown else "not_evaluated"
    return mine


def _judged(district_rows: pd.DataFrame, rebuilt: pd.DataFrame, rules, year: int, scope: str) -> pd.DataFrame:
    """rebuilt_attainment within one scope."""
    from ..base.rule import status_for
    from .attainment import written_decimals

    plans = district_rows[(district_rows["year"] == year) & district_rows["plan_value"].notna()]
    got = rebuilt[(rebuilt["year"] == year) & (rebuilt["scope"] == scope)]
    if "district" in got and len(plans):  # former_district.csv holds every former district: this one's
        got = got[got["district"].map(fold) == fold(str(plans["area"].iloc[0]))]
    got = got.sort_values("method", key=lambda m: m == "not_aggregated", kind="stable")  # the rule's row first
    got = got.drop_duplicates("indicator").set_index("indicator")
    out = []
    for _, r in plans.iterrows():
        rule = measure_of(r["indicator"], rules)
        row = {"indicator": r["indicator"], "unit": r["unit"], "plan_text": r["plan_text"],
               "plan_value": r["plan_value"], "actual_value": math.nan, "status": "not_evaluated",
               "method": "", "coverage": "", "communes": "", "reason": ""}
        if rule is None or rule["label"] not in got.index:
            row["reason"] = ("no line in aggregation.csv says how it adds up" if rule is None
                             else "no commune reports it")
        else:
            g = got.loc[rule["label"]]
            row |= {"method": g["method"], "coverage": g["coverage"], "communes": g["communes"], "reason": g["reason"]}
            if fold(str(r["unit"])) != fold(str(g["unit"])):
                row["reason"] = f"the target is in {r['unit']}, the communes' figures in {g['unit']}: not compared"
            elif g["method"] != "not_aggregated":
                row["actual_value"] = g["actual_value"]
                if r["plan_op"] == "change":
                    row["reason"] = "a change target needs last year's figure of the same communes: not judged"
                elif not is_complete(g["coverage"]):  # part of the district against the whole one's target: not judged
                    row["reason"] = (g["reason"] + "; " if g["reason"] else "") + "partial coverage: not judged"
                else:
                    row["status"] = status_for(r["plan_op"], r["plan_value"], r["plan_value_high"],
                                               written_decimals(r["plan_text"]), g["actual_value"], r["direction"])
        out.append(row)
    return pd.DataFrame(out, columns=TARGET_COLUMNS)


def by_commune(commune_rows: pd.DataFrame, rules, year: int, scope: list[str] | None = None) -> pd.DataFrame:
    """The per-commune picture of `year`: each summed measure's actual per commune and its share of the total. With
    the former district's communes (`scope`), the coverage beside each (`2/6`), and no share where some of them gave
    no figure: a share of the communes that reported is not a share of the district (one commune alone is not 100 %
    of it)."""
    rows = commune_rows[commune_rows["year"] == year]
    out = []
    for rule in (r for r in _measures(rules) if r["method"] == "sum"):
        c = _by_commune(rows, rule["measure"], rules)
        total = _sum(c["actual_value"])
        coverage = _coverage(list(c.index[c["actual_value"].notna()]), scope)[1] if scope else ""
        whole = not scope or is_complete(coverage)
        for area, v in c["actual_value"].items():
            unit = c.loc[area, "unit"]  # the unit of the commune's row (the rule may allow several: `đảng viên|người`)
            unit = unit if isinstance(unit, str) and unit else rule["unit"].split("|")[0]
            out.append({"indicator": rule["label"], "unit": unit, "area": area, "actual_value": v,
                        "share_pct": v / total * 100 if whole and total and v == v else math.nan, "coverage": coverage})
    picture = pd.DataFrame(out, columns=["indicator", "unit", "area", "actual_value", "share_pct", "coverage"])
    return picture if scope else picture.drop(columns="coverage")


def fill_from_communes(district_rows: pd.DataFrame, commune_rows: pd.DataFrame | None, district: str, year: int,
                       include_shared: bool = False, rebuilt: pd.DataFrame | None = None,
                       provenance: pd.DataFrame | None = None) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The district's rows with the actuals of `year` rebuilt from its communes where the district reports none
    (after the reform), marked in a `coverage` column; the rebuilt targets and the per-commune picture. `rebuilt`:
    the former district already rebuilt (former_district.csv), else it is rebuilt here. With `provenance`, a rebuilt
    actual says whether it is made of illustrative figures (`actual_origin`, origin_of_rebuilt)."""
    rules = reform.aggregation_rules()
    out = district_rows.copy() if "coverage" in district_rows else district_rows.assign(coverage="")  # other years
    if commune_rows is None or commune_rows.empty or not (commune_rows["year"] == year).any():
        return out, pd.DataFrame(columns=TARGET_COLUMNS), pd.DataFrame()
    if rebuilt is None:  # both scopes: a status stands only where both give it (rebuilt_attainment)
        rebuilt = rebuilt_for(commune_rows[commune_rows["year"] == year], district, both=True)
    scope = "inside_and_shared" if include_shared else "wholly_inside"
    targets = rebuilt_attainment(district_rows, rebuilt, rules, year, scope)
    got = targets.drop_duplicates("indicator").set_index("indicator")
    for i, r in out[(out["year"] == year) & out["actual_value"].isna()].iterrows():
        if r["indicator"] in got.index and got.loc[r["indicator"], "status"] != "not_evaluated":
            t = got.loc[r["indicator"]]
            v = float(t["actual_value"])
            out.loc[i, ["actual_value", "actual_text", "coverage"]] = [v, plain_number(v), t["coverage"]]
    in_scope = commune_rows[commune_rows["area"].isin(scope_of(district, include_shared)) & placed(commune_rows)]
    if provenance is not None:
        out = origin_of_rebuilt(out, in_scope, provenance)
    return out, targets, by_commune(in_scope, rules, year, scope_of(district, include_shared))


def fill_years(district_rows: pd.DataFrame, commune_rows: pd.DataFrame | None, district: str | None,
               last_year: int | None = None, include_shared: bool = False,
               provenance: pd.DataFrame | None = None) -> pd.DataFrame:
    """The district's rows with the actuals of every year its communes report (up to `last_year`) rebuilt from them,
    as fill_from_communes does for one year: a series over the years, the reform's years included. A commune's own
    report (`district` None) is left as it is."""
    if district is None or commune_rows is None or commune_rows.empty:
        return district_rows
    years = sorted(int(y) for y in commune_rows["year"].dropna().unique() if last_year is None or y <= last_year)
    rebuilt = rebuilt_for(commune_rows[commune_rows["year"].isin(years)], district, both=True)  # all years at once
    for year in years:
        district_rows = fill_from_communes(district_rows, commune_rows, district, year, include_shared, rebuilt,
                                           provenance=provenance)[0]
    return district_rows


def origin_of_rebuilt(rows: pd.DataFrame, communes: pd.DataFrame, provenance: pd.DataFrame) -> pd.DataFrame:
    """`rows` with `actual_origin` for an actual added up from `communes` (its `coverage` said): `illustrative` when
    one of the communes' figures it is made of (a ratio's: its components') is illustrative, `published` when all
    are published (provenance.csv), "" otherwise: a sum of sample figures is not official either."""
    rules = reform.aggregation_rules()
    listed = {(r.file, int(r.year), r.indicator): r.origin for r in provenance[provenance["field"] == "actual"]
              .itertuples()}
    origins: dict[tuple[int, str], set[str]] = {}
    for r in communes[communes["actual_value"].notna() & communes["year"].notna()].itertuples():
        rule = measure_of(r.indicator, rules, r.unit)
        if rule is not None:
            origins.setdefault((int(r.year), rule["measure"]), set()).add(
                listed.get((r.source_file, int(r.year), r.indicator), ""))
    out = []
    for name, unit, year, coverage in zip(rows["indicator"], rows["unit"], rows["year"], rows["coverage"].fillna(""),
                                          strict=True):
        rule = measure_of(name, rules, unit) if coverage else None
        found = set().union(*(origins.get((int(year), m), set()) for m in reform.made_of()[rule["measure"]])) \
            if rule else set()
        out.append("illustrative" if "illustrative" in found else "published" if found == {"published"} else "")
    return rows.assign(actual_origin=out)


def scope_of(district: str | None, include_shared: bool = False) -> list[str]:
    """The communes the former district is rebuilt from: wholly inside it, and the shared ones if asked (none for
    a commune's own report, `district` None)."""
    if district is None:
        return []
    inside, shared = communes_of(reform.crosswalk(), district)
    return inside + (shared if include_shared else [])


def rebuilt_for(commune_rows: pd.DataFrame | None, district: str, include_shared: bool = False,
                both: bool = False) -> pd.DataFrame:
    """The former district rebuilt from its communes for every year they report (empty before the reform); `both`:
    in both scopes (wholly inside, and with the shared communes), as rebuilt_attainment compares them."""
    if commune_rows is None or commune_rows.empty:
        return pd.DataFrame(columns=COLUMNS)
    return pd.concat([former_district(commune_rows, reform.crosswalk(), reform.aggregation_rules(), district, s)
                      for s in ((False, True) if both else (include_shared,))], ignore_index=True)
