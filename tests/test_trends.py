"""Growth rates, the progress verdict, per-capita arithmetic and series breaks, against hand-worked numbers."""

from __future__ import annotations

import pandas as pd
import pytest

from chodon_analysis.analysis import progress as pg
from chodon_analysis.analysis import trends


def test_cagr_hand_worked():
    assert pg.cagr(100, 121, 2) == pytest.approx(0.10)
    assert pg.cagr(200, 100, 1) == pytest.approx(-0.5)


def test_substantial_progress():
    p = pg.progress(pd.Series({2020: 100.0, 2022: 121.0}), 150, 2025)
    assert p.observed_rate == pytest.approx(0.10)
    assert p.required_rate == pytest.approx(1.5 ** (1 / 5) - 1)  # 8.45 % a year
    assert p.ratio == pytest.approx(0.10 / (1.5 ** 0.2 - 1))
    assert p.verdict == "substantial"
    assert p.projection == pytest.approx(121 * 1.1**3)


@pytest.mark.parametrize(("latest", "verdict"), [(112.0, "moderate"), (102.0, "limited"), (95.0, "deterioration")])
def test_verdict_thresholds(latest, verdict):
    # required: (150/100)^(1/5) - 1 = 8.45 %/yr; observed over 2 years from 100
    assert pg.progress(pd.Series({2020: 100.0, 2022: latest}), 150, 2025).verdict == verdict


def test_thresholds_are_parameters():
    s = pd.Series({2020: 100.0, 2022: 106.0})
    assert pg.progress(s, 150, 2025, thresholds=(0.3, 0.2, 0.0)).verdict == "substantial"


def test_lower_is_better_series():
    p = pg.progress(pd.Series({2020: 20.0, 2023: 16.0}), 10, 2025, direction="lower")
    assert p.observed_rate == pytest.approx(0.8 ** (1 / 3) - 1)
    assert p.required_rate == pytest.approx(0.5 ** (1 / 5) - 1)
    assert p.ratio == pytest.approx((0.8 ** (1 / 3) - 1) / (0.5 ** 0.2 - 1))
    assert p.verdict == "limited"


def test_target_achieved_comes_first_even_for_one_value():
    assert pg.progress(pd.Series({2020: 560.0, 2024: 569.0}), 500, 2025).verdict == "target_achieved"
    assert pg.progress(pd.Series({2024: 569.0}), 500, 2025).verdict == "target_achieved"
    single = pg.progress(pd.Series({2024: 469.0}), 500, 2025)
    assert single.verdict == "not_assessed" and "fewer than two" in single.reason


# Hand-computed cases of the published method (open-sdg docs/progress-methodology.md): R = d·CAGR_i / |CAGR_T|
def test_a_base_that_met_the_target_then_fell_past_it_is_deterioration():
    # 574 kg (2020) against "over 500": by 2024 480. CAGR_i = (480/574)^(1/4) − 1 = −4.37 %,
    # CAGR_T = (500/574)^(1/5) − 1 = −2.72 %, d = +1: R = −1.61 (a ratio without d gave +1.61, "substantial")
    p = pg.progress(pd.Series({2020: 574.0, 2022: 540.0, 2024: 480.0}), 500, 2025)
    assert p.ratio == pytest.approx(((480 / 574) ** 0.25 - 1) / abs((500 / 574) ** 0.2 - 1))
    assert p.ratio == pytest.approx(-1.606, abs=0.001) and p.verdict == "deterioration"


def test_a_target_equal_to_the_base_is_deterioration_once_the_series_moves_away():
    assert pg.progress(pd.Series({2020: 80.5, 2024: 80.1}), 80.5, 2025).verdict == "deterioration"
    assert pg.progress(pd.Series({2020: 80.5, 2024: 80.6}), 80.5, 2025).verdict == "target_achieved"


def test_the_latest_value_counts_after_the_target_year():
    # 100 (2020) → 140 (2026), target 150 in 2025: CAGR_i = 1.4^(1/6) − 1 = 5.77 %, CAGR_T = 1.5^(1/5) − 1 = 8.45 %
    p = pg.progress(pd.Series({2020: 100.0, 2026: 140.0}), 150, 2025)
    assert (p.latest_year, p.verdict) == (2026, "moderate")
    assert p.ratio == pytest.approx((1.4 ** (1 / 6) - 1) / (1.5 ** 0.2 - 1))


def test_zero_counts_as_0_001_and_both_signs_are_not_assessed():
    # base 0 → 0.001: CAGR_i = (3/0.001)^(1/4) − 1, CAGR_T = (7/0.001)^(1/5) − 1
    p = pg.progress(pd.Series({2020: 0.0, 2024: 3.0}), 7, 2025)
    assert p.ratio == pytest.approx((3000 ** 0.25 - 1) / (7000 ** 0.2 - 1)) and p.verdict == "substantial"
    mixed = pg.progress(pd.Series({2020: -5.0, 2024: 3.0}), 7, 2025)
    assert mixed.verdict == "not_assessed" and "both signs" in mixed.reason


def test_all_negative_values_flip_the_direction():
    # −100 → −50 toward −20 (higher is better): |x| 100 → 50 toward 20 with d flipped to −1
    p = pg.progress(pd.Series({2020: -100.0, 2024: -50.0}), -20, 2025)
    assert p.ratio == pytest.approx(-(0.5 ** 0.25 - 1) / abs(0.2 ** 0.2 - 1)) and p.verdict == "limited"


def test_base_year_is_a_parameter():
    s = pd.Series({2018: 50.0, 2020: 100.0, 2022: 121.0})
    assert pg.progress(s, 150, 2025, base_year=2020).base_value == 100


@pytest.fixture(scope="module")
def data(bundled, published, provenance):
    return bundled.indicators, published, provenance


def test_per_capita_arithmetic_and_sources(data):
    ind, pub, prov = data
    g = trends.grain_per_capita(ind, pub, prov, 2024).set_index("year")
    assert g.loc[2020, "grain_per_capita_kg"] == pytest.approx(round(28650 * 1000 / 49900, 1))
    assert g.loc[2024, "reported_kg"] == 569 and g.loc[2024, "difference_kg"] == pytest.approx(0.4)
    assert g.loc[2024, "source"] == "illustrative"
    assert g.loc[2019, "population"] == 49554 and g.loc[2019, "population_source"] == "published"
    assert g.loc[2025, "plan_kg"] == 500 and g.loc[2025, "plan_output_t"] == 28320
    assert pd.isna(g.loc[2025, "grain_output_t"])  # not interpolated, not invented
    assert {2016, 2019} <= set(g.index) and 2017 not in g.index and 2018 not in g.index  # the gap between stays


def test_per_capita_difference_beyond_rounding_is_flagged(data):
    ind, pub, prov = data
    changed = ind.copy()
    mask = (changed.year == 2022) & (changed.indicator == "Lương thực bình quân đầu người")
    changed.loc[mask, "actual_value"] = 600.0
    g = trends.grain_per_capita(changed, pub, prov, 2024).set_index("year")
    assert "differs from reported" in g.loc[2022, "flag"] and g.loc[2021, "flag"] == ""


def test_series_breaks_flagged(data):
    ind, pub, prov = data
    g = trends.grain_per_capita(ind, pub, prov, 2024).set_index("year")
    assert "break" in g.loc[2016, "series_break"] and "census" in g.loc[2019, "series_break"]
    f = trends.forest_cover(ind, pub, prov, 2024).set_index("year")
    assert "older forest definition" in f.loc[2009, "series_break"] and ">57" in f.loc[2009, "series_break"]
    assert f.loc[2021, "new_forest_ha"] == 771.9 and f.loc[2021, "new_forest_source"] == "published"
    assert f.loc[2022, "new_forest_source"] == "illustrative"


def test_trends_take_their_rows_by_catalog_id_whatever_the_workbook_calls_them(data):
    """Renamed rows of forest cover and grain output are still found by their `indicator_id`; rows the catalog does
    not know (no id) are never taken for them, even under the catalog's own name."""
    ind, pub, _ = data
    none = pd.DataFrame(columns=["file", "year", "indicator", "field", "origin", "address"])  # provenance names rows
    f, g = trends.forest_cover(ind, pub, none, 2024), trends.grain_per_capita(ind, pub, none, 2024)
    assert (f.set_index("year").loc[2022, "forest_cover_pct"], g.set_index("year").loc[2022, "grain_output_t"]) == (
        80.5, 29380)
    renamed = ind.copy()
    renamed.loc[renamed.indicator_id == "forest_cover", "indicator"] = "Độ che phủ của rừng"
    renamed.loc[renamed.indicator_id == "grain_output", "indicator"] = "SL lương thực"
    pd.testing.assert_frame_equal(trends.forest_cover(renamed, pub, none, 2024), f)
    pd.testing.assert_frame_equal(trends.grain_per_capita(renamed, pub, none, 2024), g)
    unknown = ind.assign(indicator_id=ind.indicator_id.replace({"forest_cover": "", "grain_output": ""}))
    forest = trends.forest_cover(unknown, pub, none, 2024).set_index("year").loc[2022]
    assert pd.isna(forest.forest_cover_pct) and forest.source == "" and forest.new_forest_ha == 790
    assert pd.isna(trends.grain_per_capita(unknown, pub, none, 2024).set_index("year").loc[2022, "grain_output_t"])


def test_term_planting_against_published_total(data):
    ind, pub, prov = data
    f = trends.forest_cover(ind, pub, prov, 2024)
    t = trends.term_planting(f, pub)
    assert t["sum_of_years_ha"] == pytest.approx(3834) and t["published_ha"] == 3834


@pytest.mark.parametrize(("lang", "words"), [("vi", "đã đạt mục tiêu"), ("en", "target achieved")])
def test_verdict_sentence_speaks_the_report_language(lang, words):
    from chodon_analysis.report.sentences import verdict_sentence

    p = pg.progress(pd.Series({2020: 560.0, 2024: 569.0}), 500, 2025)
    assert words in verdict_sentence(p, "X", lang)


def test_a_missing_year_of_a_trend_is_said():
    from chodon_analysis.report.sentences import missing_years

    assert missing_years([2020, 2021, 2023, 2024], 2020, 2024, "tỷ lệ che phủ rừng") == (
        "Không có số liệu tỷ lệ che phủ rừng các năm: 2022 (để trống trên biểu đồ, không nội suy).")
    assert missing_years([2020, 2021, 2022], 2020, 2022, "x") == "" and missing_years([], 2020, 2022, "x") == ""
    assert "2021, 2022" in missing_years([2020], 2020, 2022, "grain output", "en")



def test_provenance_marks_only_the_sample_workbooks_themselves_not_a_commune_s_own_of_the_same_name(tmp_path, bundled):
    """A tester's case: a commune's own `bao-cao-xa-nam-cuong-2025.xlsx` (the name the docs show) was reported as
    illustrative sample values because provenance.csv named the bundled sample so; it names it by its digest."""
    from conftest import ROOT, write_xlsx

    from chodon_analysis import clean
    from chodon_analysis.analysis import trends

    own = tmp_path / "bao-cao-xa-nam-cuong-2025.xlsx"
    write_xlsx(own, [["ỦY BAN NHÂN DÂN XÃ NAM CƯỜNG"], ["BÁO CÁO CHỈ TIÊU KINH TẾ - XÃ HỘI NĂM 2025"], [],
                     ["TT", "Chỉ tiêu", "ĐVT", "Kế hoạch năm 2025", "Thực hiện năm 2025"],
                     ["1", "Tổng sản lượng lương thực có hạt", "tấn", "4.100", "4.250"]])
    theirs = clean([own]).indicators
    assert len(theirs) == 1 and len(theirs["source_sha256"].iloc[0]) == 64
    external = ROOT / "data" / "external"
    assert trends.origins(trends.load_provenance(external, theirs), theirs, 2025) == {"published": 0,
                                                                                      "illustrative": 0}
    ours = bundled.indicators  # the sample itself, by its bytes: still illustrative
    assert trends.origins(trends.load_provenance(external, ours), ours, 2025)["illustrative"] > 20
    assert trends.origins(trends.load_provenance(external), theirs, 2025)["illustrative"] == 2  # by name alone


def test_a_value_rebuilt_from_sample_figures_says_it_is_illustrative():
    """The former district's 2025 cover, added up from communes whose workbooks are samples: *tính lại từ các xã,
    minh họa* in the table and the hover; a year of real workbooks stays *tính lại từ các xã*; the chart draws both
    as rebuilt (diamonds)."""
    from chodon_analysis.report import plots
    from chodon_analysis.report.words import sample_sources, source_word

    forest = pd.DataFrame({"year": [2024, 2025, 2026], "forest_cover_pct": [80.7, 80.8, 80.9],
                           "source": ["illustrative", "rebuilt", "rebuilt"], "plan_pct": [80.5] * 3,
                           "new_forest_source": ["published", "rebuilt", ""], "series_break": ["", "", ""]})
    marked = sample_sources(forest, frozenset({2025}))
    assert marked["source"].tolist() == ["illustrative", "rebuilt_illustrative", "rebuilt"]
    assert marked["new_forest_source"].tolist() == ["published", "rebuilt_illustrative", ""]
    assert source_word("rebuilt_illustrative", "vi") == "tính lại từ các xã, minh họa"
    fig = plots.forest_cover_chart(marked, "vi")
    diamonds = [t for t in fig.data if t.marker.symbol == "diamond"]
    assert len(diamonds) == 1 and list(diamonds[0].x) == [2025, 2026]
    assert list(diamonds[0].customdata) == ["tính lại từ các xã, minh họa", "tính lại từ các xã"]
