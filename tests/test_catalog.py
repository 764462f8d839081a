"""The indicator catalog: renamed indicators linked across years, definition changes kept apart, unknown names kept
apart with suggestions, `chodon catalog --add`, the persistent shortfalls, and the explorer driven in Chromium."""

from __future__ import annotations

import json

import pytest
from conftest import CHROMIUM, render, write_xlsx

from chodon_analysis import clean
from chodon_analysis.analysis.series import history, shortfalls
from chodon_analysis.base import catalog, datafiles
from chodon_analysis.base.messages import load

HEAD = ["STT", "Chỉ tiêu", "ĐVT", "Kế hoạch năm {y}", "Thực hiện năm {y}"]


def _year(folder, year: int, rows: list[list]) -> None:
    write_xlsx(folder / f"bao-cao-{year}.xlsx", [["UBND HUYỆN CHỢ ĐỒN"], [f"BIỂU CHỈ TIÊU KINH TẾ - XÃ HỘI NĂM {year}"],
                                                [h.format(y=year) for h in HEAD], *rows])


def test_renamed_indicators_are_one_series_across_years(tmp_path):
    """The names the issue gives for new forest, each in another year's workbook (and a unit in brackets)."""
    for year, name in ((2022, "Trồng rừng mới"), (2023, "Diện tích rừng trồng mới tập trung"),
                       (2024, "Diện tích trồng rừng mới (ha)")):
        _year(tmp_path, year, [["1", name, "ha", 500, 520]])
    r = clean([tmp_path])
    assert set(r.indicators["indicator_id"]) == {"new_forest"}
    h = history(r.indicators)
    assert h["key"].nunique() == 1 and list(h["year"]) == [2022, 2023, 2024]
    assert "not_in_catalog" not in set(r.issues["code"])


def test_an_unknown_name_keeps_its_own_series_and_is_logged_with_suggestions(tmp_path):
    _year(tmp_path, 2024, [["1", "Tỷ lệ hộ nghèo theo chuẩn mới", "%", 12, 11.5],
                           ["2", "Tỷ lệ hộ nghèo", "%", 13, 12.8]])
    r = clean([tmp_path])
    ids = dict(zip(r.indicators["indicator"], r.indicators["indicator_id"], strict=True))
    assert ids == {"Tỷ lệ hộ nghèo theo chuẩn mới": "", "Tỷ lệ hộ nghèo": "poverty_rate"}  # never merged on a guess
    logged = r.issues[r.issues["code"] == "not_in_catalog"]
    assert len(logged) == 1 and logged.iloc[0]["value"] == "Tỷ lệ hộ nghèo theo chuẩn mới"
    assert "poverty_rate (Tỷ lệ hộ nghèo)" in load(logged.iloc[0]["params"])["closest"]
    assert "chodon catalog --add" in logged.iloc[0]["action"]
    assert history(r.indicators)["key"].nunique() == 2


@pytest.mark.parametrize(("name", "expected"), [
    ("Số xã đạt chuẩn NTM trong năm", "new_rural"), ("Tỷ lệ dân số tham gia BHYT", "health_insurance"),
    ("Số vụ TNGT", "traffic_accidents"), ("Tỉ lệ che phủ rừng", "forest_cover"),
    ("Số bác sỹ / vạn dân", "doctors_per_10k"),
    ("TỔNG SL LƯƠNG THỰC CÓ HẠT (tấn)", "grain_output"), ("Tỷ lệ hộ nghèo (theo chuẩn đa chiều)", "poverty_rate"),
    # a bracket that is not a unit, or words the indicator does not have, make another indicator: never this one
    ("Số xã đạt chuẩn nông thôn mới (lũy kế)", ""), ("Tỷ lệ hộ nghèo (theo chuẩn cũ)", ""),
    ("Tỷ lệ suy dinh dưỡng trẻ em dưới 5 tuổi (thể thấp còi)", ""), ("Tổng đàn trâu, bò", ""),
    ("Tỷ lệ lao động qua đào tạo (có văn bằng, chứng chỉ)", ""),
])
def test_names_as_offices_write_them(name, expected):
    assert catalog.match(name) == expected


def test_a_unit_change_or_two_names_in_one_year_are_said_not_mixed(tmp_path):
    """Budget revenue in tỷ đồng one year (the catalog's unit is triệu đồng): a series of its own, logged; two rows
    of one indicator in a year under two names: logged, and the series shows the one the catalog names."""
    _year(tmp_path, 2022, [["1", "Thu ngân sách nhà nước trên địa bàn", "triệu đồng", 80000, 85000]])
    _year(tmp_path, 2023, [["1", "Thu ngân sách nhà nước trên địa bàn", "tỷ đồng", 90, 85.5],
                           ["2", "Trồng rừng mới", "ha", 500, 510], ["3", "Diện tích trồng rừng mới", "ha", 500, 530]])
    r = clean([tmp_path])
    codes = r.issues["code"].tolist()
    assert codes.count("unit_differs_from_catalog") == 1 and "several_names_one_indicator" in codes
    h = history(r.indicators)
    assert sorted(h["key"].unique()) == ["budget_revenue", "budget_revenue@tỷ đồng", "new_forest"]
    assert h.loc[h["key"] == "new_forest", "actual_value"].tolist() == [530]  # the catalog's own name


def test_a_change_target_follows_the_catalog_and_stops_at_a_definition_change(tmp_path):
    """`giảm 1%` is judged against last year's actual of the same indicator, whatever its name; not across the 2021
    poverty standard; and a change target is not drawn as a plan level."""
    _year(tmp_path, 2020, [["1", "Tỷ lệ hộ nghèo", "%", 16, 15.5], ["2", "Tỷ lệ hộ cận nghèo", "%", 12, 11.5]])
    _year(tmp_path, 2021, [["1", "Tỷ lệ hộ nghèo", "%", 26, 26.9], ["2", "Tỷ lệ hộ cận nghèo", "%", "giảm 1%", 13.6]])
    _year(tmp_path, 2022, [["1", "Tỷ lệ hộ nghèo theo chuẩn nghèo đa chiều", "%", "giảm 2%", 24.5]])
    r = clean([tmp_path])
    ind = r.indicators.set_index(["indicator_id", "year"])
    assert ind.loc[("near_poverty_rate", 2021), "status"] == "not_evaluated"  # 2020 was the old standard
    assert "change_across_break" in set(r.issues["code"])
    # 26.9 -> 24.5 against `giảm 2%`, found under the other name: −2.4 points of a rate, −2 at the written precision
    assert ind.loc[("poverty_rate", 2022), "status"] == "met"
    h = history(r.indicators)
    assert h.loc[(h["key"] == "poverty_rate") & (h["year"] == 2022), "plan_value"].isna().tolist() == [True]


def test_a_definition_change_is_a_break_never_joined(tmp_path):
    """The 2021 poverty standard: 2019–2020 and 2021–2022 are two segments; the chart draws them as separate traces,
    and two years of shortfall on either side of the change are not a run."""
    from chodon_analysis.report.explorer import selector_chart

    for year, actual in ((2019, 16.0), (2020, 15.5), (2021, 27.0), (2022, 25.0)):
        _year(tmp_path, year, [["1", "Tỷ lệ hộ nghèo", "%", 15.0 if year < 2021 else 24.0, actual]])
    h = history(clean([tmp_path]).indicators)
    assert list(h["segment"]) == [0, 0, 1, 1] and h.loc[h["year"] == 2021, "break_reason"].iloc[0].startswith("chuẩn")
    fig = selector_chart(h, "vi")
    actual_traces = [t for t in fig.data if t.mode == "lines+markers" and t.line.dash is None]
    assert sorted(tuple(t.x) for t in actual_traces) == [(2019, 2020), (2021, 2022)]  # no line across 2020–2021
    assert [s.x0 for s in fig.layout.shapes] == [2020.5]  # the change marked
    # not met in 2020 (15.5 > 15.0) and 2021 (27 > 24): one on each side, so not "two years running"
    assert shortfalls(h, 2021).empty
    found = shortfalls(h, 2022)  # 2021 and 2022 (25 > 24), both on the new standard: a run
    assert (found["key"].tolist(), found["years"].tolist()) == (["poverty_rate"], ["2021–2022"])


def test_persistent_shortfalls_on_known_cases(tmp_path):
    """Plans of 100 where more is better. A: not met 2022–2024 (gaps −10, −20, −15: narrowing at the end);
    B: met, then not met 2023–2024 with the gap widening (−5, −12); C: not met, met, not met; D: not met in 2022 and
    2024 with no figure in 2023 (not consecutive)."""
    names = {"A": "Tổng đàn trâu", "B": "Thu ngân sách nhà nước trên địa bàn", "C": "Tổng đàn lợn",
             "D": "Số lao động được tạo việc làm mới"}
    units = {"A": "con", "B": "triệu đồng", "C": "con", "D": "lao động"}
    actuals = {2022: {"A": 90, "B": 100, "C": 90, "D": 90}, 2023: {"A": 80, "B": 95, "C": 100},
               2024: {"A": 85, "B": 88, "C": 95, "D": 90}}
    for year, values in actuals.items():
        _year(tmp_path, year, [[str(i), names[k], units[k], 100, v] for i, (k, v) in enumerate(values.items(), 1)])
    found = shortfalls(history(clean([tmp_path]).indicators), 2024)
    got = {r.key: (r.kind, r.years, round(r.latest_gap_pct)) for r in found.itertuples()}
    assert got == {"buffalo_herd": ("not_met_running", "2022–2024", -15),
                   "budget_revenue": ("not_met_running+gap_widening", "2023–2024", -12)}
    assert shortfalls(history(clean([tmp_path]).indicators), 2023).set_index("key")["kind"].to_dict() == {
        "buffalo_herd": "not_met_running+gap_widening"}


def test_chodon_catalog_adds_an_alias_in_one_line(vocabulary, tmp_path):
    from typer.testing import CliRunner

    from chodon_analysis.cleaning.cleaner import write_outputs
    from chodon_analysis.cli import app

    raw = tmp_path / "raw"
    raw.mkdir()
    _year(raw, 2024, [["1", "Tỷ lệ hộ nghèo theo chuẩn mới", "%", 12, 11.5]])
    write_outputs(clean([raw]), tmp_path / "out")
    listed = CliRunner().invoke(app, ["catalog", "--processed", str(tmp_path / "out")])
    assert listed.exit_code == 0
    assert 'chodon catalog --add poverty_rate "Tỷ lệ hộ nghèo theo chuẩn mới"' in listed.stdout
    before = (vocabulary / "catalog_aliases.csv").read_text(encoding="utf-8").splitlines()
    added = CliRunner().invoke(app, ["catalog", "--add", "poverty_rate", "Tỷ lệ hộ nghèo theo chuẩn mới"])
    assert added.exit_code == 0, added.stderr
    after = (vocabulary / "catalog_aliases.csv").read_text(encoding="utf-8").splitlines()
    assert after == [*before, "poverty_rate,Tỷ lệ hộ nghèo theo chuẩn mới"]  # one line, reviewable in git
    assert f"catalog_aliases.csv:{len(after)}:" in added.stdout
    datafiles.check_all()
    assert clean([raw]).indicators["indicator_id"].tolist() == ["poverty_rate"]
    again = CliRunner().invoke(app, ["catalog", "--add", "new_forest", "Tỷ lệ hộ nghèo theo chuẩn mới"])
    assert again.exit_code == 2 and "is a name of 'poverty_rate' already" in again.stderr
    wrong = CliRunner().invoke(app, ["catalog", "--add", "povrty_rate", "x"])
    assert wrong.exit_code == 2 and "did you mean poverty_rate" in wrong.stderr


DRIVE = """<script>
window.addEventListener("load", () => setTimeout(() => {
  const box = document.querySelector(".chodon-explorer"), gd = box.querySelector(".js-plotly-plot");
  const find = box.querySelector("input[type=search]"), list = box.querySelector("select");
  const out = document.createElement("pre"); out.id = "drive"; document.body.appendChild(out);
  const names = [...list.options].map(o => o.text);
  find.value = "ho ngheo"; find.dispatchEvent(new Event("input"));  // part of a name, typed without marks
  const matching = [...list.options].filter(o => !o.hidden).map(o => o.text);
  list.value = [...list.options].find(o => o.text === "Tỷ lệ hộ nghèo").value;
  list.dispatchEvent(new Event("change"));
  setTimeout(() => {
    const shown = gd._fullData.filter(t => t.visible === true).map(t => [Array.from(t.x), Array.from(t.y)]);
    out.textContent = JSON.stringify({names, matching, count: box.querySelector(".count").textContent,
                                      tag: list.tagName, rows: list.size, unit: gd.layout.yaxis.title.text,
                                      title: gd.layout.title.text, shown});
  }, 500);
}, 500));
</script>"""


def drive_explorer(base, profiles) -> dict | None:
    """The explorer page of a run with DRIVE added, opened in Chromium with networking off: what the script saw
    (None without Chromium). Started in the background when the run has finished (conftest.py)."""
    page = base / "reports" / "2024" / "indicators.html"
    driven = page.with_name("indicators-driven.html")
    driven.write_text(page.read_text(encoding="utf-8").replace("</body>", DRIVE + "</body>"), encoding="utf-8")
    if CHROMIUM is None:
        return None
    dom, _log = render({"explorer": driven}, profiles)["explorer"]
    return json.loads(dom.split('<pre id="drive">')[1].split("</pre>")[0].replace("&quot;", '"'))


@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine")
def test_the_explorer_list_reaches_every_indicator_offline(explorer_driven, bundled):
    """The explorer page of the 2024 run, in Chromium with networking off: the browser's own list (keyboard and
    mouse, scrolls) holds every indicator of the bundled data by its full name; typing part of a name without marks
    keeps the matching ones; picking the poverty rate draws that one alone."""
    result = explorer_driven
    district = bundled.indicators[(bundled.indicators["area_level"] == "district")
                                  & (bundled.indicators["year"] <= 2024)]
    names = {catalog.entries()[i]["name_vi"] for i in district["indicator_id"].unique()}
    assert result["tag"] == "SELECT" and result["rows"] > 1  # a list box, not plotly's dropdown of 13 entries
    assert sorted(result["names"]) == sorted(names) and len(names) == 42
    assert result["matching"] == ["Tỷ lệ hộ cận nghèo", "Tỷ lệ hộ nghèo"] and result["count"] == "2/42 chỉ tiêu khớp"
    assert result["title"] == "Tỷ lệ hộ nghèo" and result["unit"] == "%"
    years = [y for xs, _ in result["shown"] for y in xs]
    assert years and set(years) <= set(range(2020, 2025)) and len(result["shown"]) == 4  # plan, actual x 2 segments


def test_units_and_fuller_rows_decide_before_names(tmp_path):
    """A change target is never judged against last year's figure in another unit; of two rows of one indicator in a
    year the one with plan and actual is the series' (not a bare repeat under the catalog's own name); a definition
    change is marked even when its first year has no figure."""
    from chodon_analysis.report.explorer import _new_definitions

    _year(tmp_path, 2022, [["1", "Thu ngân sách nhà nước trên địa bàn", "tỷ đồng", 85, 86.9],
                           ["2", "Trồng rừng mới", "ha", 500, 520]])
    _year(tmp_path, 2023, [["1", "Thu ngân sách nhà nước trên địa bàn", "triệu đồng", "tăng 10%", 91120],
                           ["2", "Diện tích trồng rừng mới", "ha", "", 510], ["3", "Trồng rừng mới", "ha", 500, 530]])
    r = clean([tmp_path])
    budget = r.indicators[(r.indicators["indicator_id"] == "budget_revenue") & (r.indicators["year"] == 2023)]
    assert budget["status"].tolist() == ["not_evaluated"]  # 86.9 tỷ đồng is not last year's figure in triệu đồng
    h = history(r.indicators)
    assert h.loc[(h["key"] == "new_forest") & (h["year"] == 2023), "actual_value"].tolist() == [530]
    (tmp_path / "p").mkdir()
    for year, actual in ((2019, 16.0), (2020, 15.5), (2022, 25.0)):
        _year(tmp_path / "p", year, [["1", "Tỷ lệ hộ nghèo", "%", 15.0 if year < 2021 else 24.0, actual]])
    poverty = history(clean([tmp_path / "p"]).indicators)
    assert _new_definitions(poverty) == [2022]  # no row in 2021: the change is marked where the new series begins


def test_the_explorer_grows_in_proportion_to_the_indicators():
    """Twice the indicators, about twice the page (not four times: no per-indicator list of every trace), and the
    overview a plain table of one row per indicator. `make bench` times 2,000 indicators."""
    import pandas as pd

    from chodon_analysis.analysis.series import HISTORY_COLUMNS
    from chodon_analysis.report.explorer import explorer, overview

    def page(n: int) -> int:
        rows = [{"key": f"?chỉ tiêu {i}", "year": y, "name": f"Chỉ tiêu số {i}", "unit": "ha", "section": "Kinh tế",
                 "plan_value": 100.0, "actual_value": 90.0 + i % 20, "status": "met", "segment": 0,
                 "indicator_id": "", "break_reason": ""} for i in range(n) for y in range(2020, 2025)]
        hist = pd.DataFrame(rows).reindex(columns=HISTORY_COLUMNS)
        assert len(overview(hist)) == n
        return len(explorer(hist).html())

    small, large = page(150), page(300)
    assert 1.8 < large / small < 2.2


def test_a_workbook_in_english_finds_the_catalog_by_its_english_names(tmp_path):
    """`Forest cover`, `Total grain output`, `Poverty rate (households)` are catalog.csv's English names: a sheet with
    English headers reaches the same series as a Vietnamese one (poverty lower is better); a near miss in English is
    not taken, but its closest entry is named."""
    rows = [["THUONG MINH COMMUNE PEOPLE'S COMMITTEE"], ["REPORT ON SOCIO-ECONOMIC INDICATORS, YEAR 2025"], [],
            ["No.", "Indicator", "Unit", "Plan 2025", "Actual 2025"],
            ["1", "Total grain output", "tonnes", 3200, 3350], ["2", "Forest cover", "%", 80.5, 80.6],
            ["3", "Poverty rate (households)", "%", 12.0, 11.5], ["4", "Forest covers", "%", 80.5, 80.6]]
    r = clean([write_xlsx(tmp_path / "thuong-minh-2025-english.xlsx", rows, sheet="Indicators")])
    got = dict(zip(r.indicators.indicator, r.indicators.indicator_id, strict=True))
    assert (got["Total grain output"], got["Forest cover"]) == ("grain_output", "forest_cover")
    assert got["Poverty rate (households)"] == "poverty_rate" and got["Forest covers"] == ""
    assert r.indicators.set_index("indicator").loc["Poverty rate (households)", "status"] == "met"  # higher: not_met
    unknown = r.issues[r.issues.code == "not_in_catalog"]
    assert unknown.value.tolist() == ["Forest covers"] and "forest_cover" in unknown.params.iloc[0]
