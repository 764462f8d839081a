"""Attainment per indicator, the summary, the disagreements, the published reconciliation, next year's targets."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import HEADER, table, write_xlsx

from chodon_analysis import Rule, clean
from chodon_analysis.analysis import attainment


@pytest.fixture
def small(tmp_path):
    header = [*HEADER, "KH năm 2025"]
    path = write_xlsx(tmp_path / "x.xlsx", table(
        ["I", "KINH TẾ"],
        ["1", "Tổng đàn trâu", "con", 100, 120, "Vượt", 130],
        ["2", "Hệ số sử dụng đất", "lần", "1,78", "1,77", "Đạt", "1,80"],
        ["II", "XÃ HỘI"],
        ["1", "Tỷ lệ hộ nghèo", "%", "dưới 10%", "12%", "Không đạt", None],
        ["2", "Tỷ lệ che phủ rừng", "%", "80,5", "chưa có số liệu", "Chưa đánh giá", None],
        header=header))
    return clean([path]).indicators


def test_ratio_and_gap(small):
    t = attainment.attainment_table(small[small.year == 2024]).set_index("indicator")
    assert t.loc["Tổng đàn trâu", "ratio"] == pytest.approx(1.2)
    assert t.loc["Tổng đàn trâu", "gap"] == 20 and t.loc["Tổng đàn trâu", "gap_pct"] == pytest.approx(20)
    poverty = t.loc["Tỷ lệ hộ nghèo"]  # lower is better: plan / actual, gap negative = behind
    assert poverty.ratio == pytest.approx(10 / 12) and poverty.gap == pytest.approx(-2)
    assert poverty.rule == "actual 12 misses the target (below 10) → Not met"  # `dưới 10%`: below, not at most


def test_summary_counts_every_status_for_every_year(small):
    s = attainment.summary(small)
    assert set(s.year) == {2024, 2025} and len(s) == 8
    y = s[s.year == 2024].set_index("status")
    assert y.computed.to_dict() == {"exceeded": 1, "met": 0, "not_met": 2, "not_evaluated": 1}
    assert y.reported.to_dict() == {"exceeded": 1, "met": 1, "not_met": 1, "not_evaluated": 1}


def test_disagreements_name_both_values_and_the_rule(small):
    d = attainment.disagreements(small)
    assert d.indicator.tolist() == ["Hệ số sử dụng đất"]
    row = d.iloc[0]
    assert (row.reported_status, row.status) == ("met", "not_met")
    assert "point target 1.78, rounded to 2 decimal place(s) as the plan is written" in row.rule  # `1,78` as written


def test_reclassify_with_a_tolerance(small):
    loose = attainment.reclassify(small, Rule(rel_tol=0.01))
    assert loose.set_index(["year", "indicator"]).loc[(2024, "Hệ số sử dụng đất"), "status"] == "met"


def test_next_year_targets(small):
    t = attainment.next_year_targets(small, 2024).set_index("indicator")
    assert t.loc["Tổng đàn trâu", "last_actual"] == 120 and t.loc["Tổng đàn trâu", "change_needed"] == 10
    assert t.loc["Hệ số sử dụng đất", "change_needed"] == pytest.approx(0.03)
    assert not t.loc["Tổng đàn trâu", "already_met"]


def test_reconciliation_with_the_published_counts(bundled, published):
    r, pub = bundled, published
    rec = attainment.reconcile_published(r.indicators, pub)
    assert rec.set_index("status").published.to_dict() == {"total": 42, "exceeded": 10, "met": 22, "not_met": 8,
                                                            "not_evaluated": 2}
    assert rec.reported_matches.all() and rec.computed_matches.all()
    # the comparison is computed, not assumed: drop one row and it no longer matches
    fewer = r.indicators.drop(r.indicators[(r.indicators.year == 2024) & (r.indicators.status == "met")].index[:1])
    assert not attainment.reconcile_published(fewer, pub).computed_matches.all()


def test_workbook_text_is_escaped_in_report_tables_and_sentences():
    from chodon_analysis.report.sentences import workbooks_sentence
    from chodon_analysis.report.tables import table

    payload = '<img src=x onerror="alert(1)">'
    page = table(pd.DataFrame({payload: [f"<script>alert(1)</script>{payload}"], "n": [1.5]})).to_html()
    assert "<script>" not in page and "<img" not in page  # neither run nor drawn: shown as text, header and cell
    assert page.count("&lt;script&gt;") == 1 and page.count("&lt;img") == 2
    line = workbooks_sentence("Chợ Đồn", 2024, 1, [f"{payload}.xlsx", "**bold**.xlsx"])
    assert "<img" not in line and "&lt;img" in line and "\\*\\*bold" in line
