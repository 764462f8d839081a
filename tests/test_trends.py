"""Growth rates, the progress verdict, per-capita arithmetic and series breaks, against hand-worked numbers."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest
from conftest import ROOT

from chodon_analysis import clean, trends
from chodon_analysis.attainment import load_published


def test_cagr_hand_worked():
    assert trends.cagr(100, 121, 2) == pytest.approx(0.10)
    assert trends.cagr(200, 100, 1) == pytest.approx(-0.5)


def test_substantial_progress():
    p = trends.progress(pd.Series({2020: 100.0, 2022: 121.0}), 150, 2025)
    assert p.observed_rate == pytest.approx(0.10)
    assert p.required_rate == pytest.approx(1.5 ** (1 / 5) - 1)  # 8.45 % a year
    assert p.ratio == pytest.approx(0.10 / (1.5 ** 0.2 - 1))
    assert p.verdict == "substantial"
    assert p.projection == pytest.approx(121 * 1.1**3)


@pytest.mark.parametrize(("latest", "verdict"), [(112.0, "moderate"), (102.0, "limited"), (95.0, "deterioration")])
def test_verdict_thresholds(latest, verdict):
    # required: (150/100)^(1/5) - 1 = 8.45 %/yr; observed over 2 years from 100
    assert trends.progress(pd.Series({2020: 100.0, 2022: latest}), 150, 2025).verdict == verdict


def test_thresholds_are_parameters():
    s = pd.Series({2020: 100.0, 2022: 106.0})
    assert trends.progress(s, 150, 2025, thresholds=(0.3, 0.2, 0.0)).verdict == "substantial"


def test_lower_is_better_series():
    p = trends.progress(pd.Series({2020: 20.0, 2023: 16.0}), 10, 2025, direction="lower")
    assert p.observed_rate == pytest.approx(0.8 ** (1 / 3) - 1)
    assert p.required_rate == pytest.approx(0.5 ** (1 / 5) - 1)
    assert p.ratio == pytest.approx((0.8 ** (1 / 3) - 1) / (0.5 ** 0.2 - 1))
    assert p.verdict == "limited"


def test_already_met_single_point_and_zero_base():
    assert trends.progress(pd.Series({2020: 560.0, 2024: 569.0}), 500, 2025).verdict == "target_achieved"
    single = trends.progress(pd.Series({2024: 569.0}), 500, 2025)
    assert single.verdict == "not_assessed" and "fewer than two" in single.reason
    zero = trends.progress(pd.Series({2020: 0.0, 2024: 3.0}), 7, 2025)
    assert zero.verdict == "not_assessed" and "zero" in zero.reason


def test_base_year_is_a_parameter():
    s = pd.Series({2018: 50.0, 2020: 100.0, 2022: 121.0})
    assert trends.progress(s, 150, 2025, base_year=2020).base_value == 100


@pytest.fixture(scope="module")
def bundled():
    r = clean([ROOT / "data" / "raw"])
    raw = ROOT / "data" / "raw"
    return r.indicators, load_published(raw / "published_figures.csv"), trends.load_provenance(raw)


def test_per_capita_arithmetic_and_sources(bundled):
    ind, pub, prov = bundled
    g = trends.grain_per_capita(ind, pub, prov, 2024).set_index("year")
    assert g.loc[2020, "grain_per_capita_kg"] == pytest.approx(round(28650 * 1000 / 49900, 1))
    assert g.loc[2024, "reported_kg"] == 569 and g.loc[2024, "difference_kg"] == pytest.approx(0.4)
    assert g.loc[2024, "source"] == "illustrative"
    assert g.loc[2019, "population"] == 49554 and g.loc[2019, "population_source"] == "published"
    assert g.loc[2025, "plan_kg"] == 500 and g.loc[2025, "plan_output_t"] == 28320
    assert pd.isna(g.loc[2025, "grain_output_t"])  # not interpolated, not invented
    assert 2017 not in g.index and 2018 not in g.index


def test_per_capita_difference_beyond_rounding_is_flagged(bundled):
    ind, pub, prov = bundled
    changed = ind.copy()
    mask = (changed.year == 2022) & (changed.indicator == "Lương thực bình quân đầu người")
    changed.loc[mask, "actual_value"] = 600.0
    g = trends.grain_per_capita(changed, pub, prov, 2024).set_index("year")
    assert "differs from reported" in g.loc[2022, "flag"] and g.loc[2021, "flag"] == ""


def test_series_breaks_flagged(bundled):
    ind, pub, prov = bundled
    g = trends.grain_per_capita(ind, pub, prov, 2024).set_index("year")
    assert "break" in g.loc[2016, "series_break"] and "census" in g.loc[2019, "series_break"]
    f = trends.forest_cover(ind, pub, prov, 2024).set_index("year")
    assert "older forest definition" in f.loc[2009, "series_break"] and ">57" in f.loc[2009, "series_break"]
    assert f.loc[2021, "new_forest_ha"] == 771.9 and f.loc[2021, "new_forest_source"] == "published"
    assert f.loc[2022, "new_forest_source"] == "illustrative"


def test_term_planting_against_published_total(bundled):
    ind, pub, prov = bundled
    f = trends.forest_cover(ind, pub, prov, 2024)
    t = trends.term_planting(f, pub)
    assert t["sum_of_years_ha"] == pytest.approx(3834) and t["published_ha"] == 3834


@pytest.mark.parametrize("name", ["forest_cover", "grain_per_capita"])
def test_trend_notebooks_under_papermill(tmp_path, name):
    processed = tmp_path / "processed"
    subprocess.run([sys.executable, "-m", "chodon_analysis.cli", "clean", str(ROOT / "data" / "raw"), "--out",
                    str(processed)], check=True, capture_output=True, cwd=ROOT)
    out = tmp_path / "out.ipynb"
    p = subprocess.run([sys.executable, "-m", "papermill", f"notebooks/{name}.ipynb", str(out), "-p", "year", "2024",
                        "-p", "processed_dir", str(processed), "-p", "lang", "en", "--no-progress-bar"],
                       capture_output=True, text=True, cwd=ROOT)
    assert p.returncode == 0, p.stderr[-2000:]
    text = out.read_text(encoding="utf-8")
    nb = json.loads(text)
    assert not [o for c in nb["cells"] for o in c.get("outputs", []) if o["output_type"] == "error"]
    assert "target achieved" in text
