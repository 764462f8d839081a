"""The layouts real offices send (docs/reading.md): relative periods, comparison columns, several years side by
side, English headers, formats, rows that are not indicators; the layout log, `chodon inspect` and layout files."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import chodon, write_ods, write_xlsx

from chodon_analysis import clean
from chodon_analysis.base.issues import row_words
from chodon_analysis.base.messages import load


def one(df: pd.DataFrame, name: str, year: int | None = None) -> pd.Series:
    rows = df[df.indicator.str.contains(name, regex=False)]
    if year is not None:
        rows = rows[rows.year == year]
    assert len(rows) == 1, rows[["indicator", "year", "unit"]]
    return rows.iloc[0]


# ---- relative periods -----------------------------------------------------------------------------------------
PROVINCIAL = ["STT", "Chỉ tiêu", "Đơn vị tính", "Thực hiện năm trước", "Thực hiện cùng kỳ", "Lũy kế cùng kỳ",
              "Kế hoạch năm", "Thực hiện kỳ trước", "Thực hiện kỳ báo cáo", "Lũy kế kỳ báo cáo", "Ước thực hiện năm",
              "Kế hoạch năm sau", "So sánh (%) Ước TH/KH"]


@pytest.fixture(scope="module")
def provincial(tmp_path_factory):
    """A provincial reporting template: periods relative to a report year named only in the file name."""
    path = tmp_path_factory.mktemp("prov") / "Bao cao thang 12 nam 2024.xlsx"
    write_xlsx(path, [
        ["ỦY BAN NHÂN DÂN TỈNH"], ["BÁO CÁO TÌNH HÌNH THỰC HIỆN CÁC CHỈ TIÊU KINH TẾ - XÃ HỘI"], [], PROVINCIAL,
        ["1", "Tổng sản lượng lương thực có hạt", "tấn", 28900, 26100, 26100, 28500, 2200, 2400, 26800, 29210, 28320,
         102.5],
        ["2", "Thu ngân sách nhà nước trên địa bàn", "triệu đồng", 91120, 80100, 80100, 95000, 7000, 8420, 88420,
         88420, 100000, 93.1],
        ["3", "Tỷ lệ hộ nghèo", "%", 16.3, 16.3, 16.3, "giảm 3% (còn 13,5%)", "", "", "", 13.2, "còn 11%", ""],
    ])
    return clean([path])


def test_the_years_actual_is_its_full_year_figure_never_a_part_or_cumulative(provincial):
    df = provincial.indicators
    grain = one(df, "lương thực", 2024)
    assert (grain.plan_value, grain.actual_value, grain.actual_is_estimate) == (28500, 29210, True)
    assert grain.status == "exceeded"
    budget = one(df, "ngân sách", 2024)
    assert (budget.plan_value, budget.actual_value, budget.status) == (95000, 88420, "not_met")
    assert one(df, "hộ nghèo", 2024).status == "exceeded"
    assert one(df, "lương thực", 2025).plan_value == 28320  # `Kế hoạch năm sau`: next year's plan
    last = one(df, "lương thực", 2023)  # `Thực hiện năm trước`: last year's actual, a row of its own year
    assert (last.plan_text, last.actual_value, last.actual_is_estimate) == ("", 28900, False)
    assert set(df.year) == {2023, 2024, 2025}


def test_the_layout_log_says_what_each_column_is_and_why(provincial):
    lay = provincial.layout.set_index("header_text")
    assert lay.loc["Kế hoạch năm", ["role", "year", "use"]].tolist() == ["plan", 2024, "used"]
    assert lay.loc["Ước thực hiện năm", ["role", "year", "period"]].tolist() == ["actual_estimate", 2024, "year"]
    assert "file name" in lay.loc["Ước thực hiện năm", "evidence"]
    for partial in ("Thực hiện cùng kỳ", "Thực hiện kỳ trước", "Thực hiện kỳ báo cáo"):
        assert lay.loc[partial, "period"] == "partial" and lay.loc[partial, "use"].startswith("not used")
    for cumulative in ("Lũy kế cùng kỳ", "Lũy kế kỳ báo cáo"):
        assert lay.loc[cumulative, "period"] == "cumulative" and lay.loc[cumulative, "use"].startswith("not used")
    assert lay.loc["Thực hiện năm trước", ["year", "use"]].tolist() == [2023, "used"]
    assert lay.loc["Kế hoạch năm sau", "year"] == 2025
    assert lay.loc["So sánh (%) Ước TH/KH", "role"] == "comparison"


def test_a_change_target_uses_the_workbooks_own_previous_year(tmp_path):
    path = write_xlsx(tmp_path / "bc 2024.xlsx", [
        ["TT", "Chỉ tiêu", "ĐVT", "Thực hiện năm trước", "Kế hoạch năm nay", "Thực hiện năm nay"],
        ["1", "Tổng đàn bò", "con", 1000, "tăng 5%", 1100]])
    row = one(clean([path]).indicators, "bò", 2024)
    assert row.status == "exceeded"  # +10 % against +5 %


def test_a_two_row_header_with_parts_of_the_year(tmp_path):
    rows = [["BÁO CÁO NĂM 2023"], ["TT", "Chỉ tiêu", "ĐVT", "Kế hoạch", "Thực hiện", None, "Ghi chú"],
            [None, None, None, None, "6 tháng", "Cả năm", None],
            ["1", "Trồng rừng mới", "ha", 500, 260, 540, ""]]
    path = write_xlsx(tmp_path / "x.xlsx", rows, merges=("E2:F2",))
    r = clean([path])
    row = one(r.indicators, "rừng")
    assert (row.year, row.plan_value, row.actual_value, row.status) == (2023, 500, 540, "exceeded")
    assert r.layout.set_index("column").loc["E", "use"].startswith("not used: part of a year")


def test_two_full_year_actuals_the_choice_is_logged(tmp_path):
    path = write_xlsx(tmp_path / "x 2024.xlsx", [
        ["TT", "Chỉ tiêu", "ĐVT", "Kế hoạch năm", "Thực hiện năm", "Ước thực hiện năm"],
        ["1", "Tổng đàn trâu", "con", 100, 98, 101]])
    r = clean([path])
    assert one(r.indicators, "trâu").actual_value == 98
    both = r.issues[r.issues.code == "actual_and_estimate"]
    assert [load(p)["year"] for p in both.params] == [2024]


# ---- comparison columns ----------------------------------------------------------------------------------------
def test_the_workbooks_own_ratio_checks_the_reading(tmp_path):
    header = ["TT", "Chỉ tiêu", "ĐVT", "Kế hoạch 2024", "Thực hiện 2024", "TH/KH (%)"]
    path = write_xlsx(tmp_path / "x.xlsx", [header, ["A", "B", "C", "1", "2", "3=2/1"],
                                             ["1", "Tổng đàn trâu", "con", 100, 120, 120],
                                             ["2", "Tổng đàn bò", "con", 200, 150, "133,3"],  # the columns swapped
                                             ["3", "Tỷ lệ che phủ rừng", "%", "80,5", "80,5", 1]])  # as a fraction
    r = clean([path])
    assert set(r.indicators.plan_value) == {100, 200, 80.5}  # the comparison is never a plan or an actual
    flagged = r.issues[r.issues.code == "ratio_disagrees"]
    assert flagged.row.tolist() == [4]
    assert load(flagged.params.iloc[0]) == {"header": "TH/KH (%)", "ratio": "133,3", "actual": 150, "plan": 200,
                                            "computed": 75}
    assert "150 ÷ 200 = 75%" in flagged.action.iloc[0]
    assert "150 ÷ 200 = 75%" in row_words(flagged.iloc[0], "vi")[1] and "cột TH/KH (%) ghi 133,3" in row_words(
        flagged.iloc[0], "vi")[1]


# ---- several years side by side, term target ------------------------------------------------------------------
def test_several_years_side_by_side_each_with_its_own_assessment_and_a_term_target(tmp_path):
    rows = [["KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU GIAI ĐOẠN 2022-2023"],
            ["TT", "Chỉ tiêu", "ĐVT", "Mục tiêu Nghị quyết đến năm 2025", "Năm 2022", None, None, "Năm 2023", None,
             None],
            [None, None, None, None, "Kế hoạch", "Thực hiện", "Đánh giá", "Kế hoạch", "Thực hiện", "Đánh giá"],
            ["1", "Tỷ lệ che phủ rừng", "%", "80,5", "80,5", "80,5", "Đạt", "80,5", "80,3", "Không đạt"],
            ["2", "Số xã đạt chuẩn nông thôn mới", "xã", "10", 2, 3, "Vượt", 4, 4, "Đạt"]]
    path = write_xlsx(tmp_path / "x.xlsx", rows, merges=("E2:G2", "H2:J2", "A2:A3", "B2:B3", "C2:C3", "D2:D3"))
    r = clean([path])
    df = r.indicators
    assert sorted(set(df.year)) == [2022, 2023]  # no 2025 row: the term target is not an annual plan
    assert one(df, "che phủ", 2022).reported_status == "met" and one(df, "che phủ", 2023).reported_status == "not_met"
    assert one(df, "nông thôn", 2022).reported_status == "exceeded"
    assert one(df, "nông thôn", 2023).actual_value == 4
    row = one(df, "nông thôn", 2023)
    assert (row.term_target_text, row.term_target_year) == ("10", 2025)


# ---- English headers -------------------------------------------------------------------------------------------
def test_english_headers_number_format_and_assessments(tmp_path):
    rows = [["KEY SOCIO-ECONOMIC INDICATORS, CHO DON DISTRICT, 2024"],
            ["No.", "Indicator", "Unit", "Plan 2024", "Actual 2024", "Assessment", "Notes"],
            ["1", "Total grain output", "tonnes", "28,500", "29,210.5", "Exceeded", ""],
            ["2", "Poverty rate", "%", "below 10%", "9.6%", "Achieved", ""],
            ["3", "Budget revenue", "million VND", "95,000", "88,420", "Not achieved", "estimate"]]
    r = clean([write_xlsx(tmp_path / "donor.xlsx", rows)])
    df = r.indicators
    grain = one(df, "grain")
    assert (grain.year, grain.unit, grain.plan_value, grain.actual_value) == (2024, "tấn", 28500, 29210.5)
    assert grain.reported_status == "exceeded" == grain.status
    poverty = one(df, "Poverty")
    assert (poverty.plan_op, poverty.plan_value, poverty.status, poverty.reported_status) == ("<", 10, "met", "met")
    budget = one(df, "Budget")
    assert (budget.unit, budget.reported_status, budget.note) == ("triệu đồng", "not_met", "estimate")


def test_english_estimate_and_target_columns(tmp_path):
    rows = [["No", "Indicator", "Unit", "Target", "Estimate", "Remarks"],
            ["1", "Forest cover", "%", "at least 80%", "80.5%", ""]]
    row = one(clean([write_xlsx(tmp_path / "plan 2023.xlsx", rows)]).indicators, "Forest")
    assert (row.year, row.plan_op, row.actual_value, row.actual_is_estimate, row.status) == (2023, ">=", 80.5, True,
                                                                                             "met")


# ---- formats ---------------------------------------------------------------------------------------------------
HEAD = ["TT", "Chỉ tiêu", "ĐVT", "Kế hoạch năm 2024", "Thực hiện năm 2024"]


def test_percent_fractions_in_ods_as_in_xlsx(tmp_path):
    rows = [HEAD, ["1", "Tỷ lệ che phủ rừng", "%", 0.805, 0.805], ["2", "Tỷ lệ hộ nghèo", "%", 0.1, 0.096]]
    cells = {(1, 3): 1, (1, 4): 1, (2, 3): 0, (2, 4): 1}
    r = clean([write_ods(tmp_path / "x.ods", rows, cells)])
    cover, poverty = one(r.indicators, "che phủ"), one(r.indicators, "hộ nghèo")
    assert (cover.plan_value, cover.actual_value, cover.plan_text) == (80.5, 80.5, "80.5%")
    assert (poverty.plan_value, poverty.actual_value, poverty.status) == (10, 9.6, "met")  # 9.6 is 10 at 0 decimals
    assert (r.issues.code == "percent_fraction_formatted").sum() == 4


def test_the_plans_precision_is_what_the_cell_shows(tmp_path):
    rows = [HEAD, ["1", "Tỷ lệ lao động qua đào tạo", "%", 0.2, 0.1968],
            ["2", "Tỷ lệ trường đạt chuẩn", "%", 0.2, 0.1968]]
    path = write_xlsx(tmp_path / "x.xlsx", rows, percent_cells=("D2", "E2", "E3"))
    from openpyxl import load_workbook

    wb = load_workbook(path)
    wb.active["D3"].number_format = "0%"
    wb.save(path)
    df = clean([path]).indicators
    shown = one(df, "lao động")  # plan shows 20.0%: 19.7 is below it
    assert (shown.plan_text, shown.status) == ("20.0%", "not_met")
    whole = one(df, "trường")  # plan shows 20%: 19.68 rounds to 20
    assert (whole.plan_text, whole.status) == ("20%", "met")


def test_text_fields_carry_no_float_noise(tmp_path):
    r = clean([write_xlsx(tmp_path / "x.xlsx", [HEAD, ["1", "Sản lượng thủy sản", "tấn", 24730.6, 0.1 + 0.2]])])
    row = one(r.indicators, "thủy sản")
    assert (row.plan_text, row.actual_text) == ("24730.6", "0.3")


# ---- rows that are not indicators ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def messy(tmp_path_factory):
    rows = [["UBND HUYỆN CHỢ ĐỒN"], ["BIỂU CHỈ TIÊU KINH TẾ - XÃ HỘI NĂM 2924"], [],
            ["STT", "Nội dung chỉ tiêu", "Kế hoạch", "Thực hiện", "Ghi chú"],
            ["I", "KINH TẾ"],
            ["1", "Tổng sản lượng lương thực có hạt (tấn)", "28.500", "29.210", ""],
            ["", "Trong đó:"],
            ["-", "Lúa (tấn)", "18.000", "18.400", ""],
            ["-", "Ngô (tấn)", "10.500", "10.810", ""],
            ["2", "Diện tích trồng rừng mới (ha) (*)", 500, 760, ""],
            ["3", "Kim ngạch xuất khẩu (tấn)", 1200, 1250, ""],
            ["4", "Kim ngạch xuất khẩu (triệu USD)", "2,5", "2,7", ""],
            ["5", "Tỷ lệ che phủ rừng (%)", "80,5", "80,5", "ước"],
            [],
            ["- Số liệu năm 2024 là số ước thực hiện đến hết tháng 11, chưa có số liệu chính thức."],
            ["Số liệu tính đến ngày 15/12/2024"],
            ["(*) Bao gồm cả rừng trồng phân tán."],
            ["", "", "Chợ Đồn, ngày 20 tháng 12 năm 2024"],
            ["", "NGƯỜI LẬP BIỂU", "", "TM. ỦY BAN NHÂN DÂN"],
            ["", "", "", "KT. CHỦ TỊCH"],
            ["", "Nguyễn Văn A", "", "Trần Văn B"]]
    return clean([write_xlsx(tmp_path_factory.mktemp("messy") / "bieu.xlsx", rows)])


def test_only_indicator_rows_become_indicators(messy):
    df = messy.indicators
    assert sorted(df.source_row) == [6, 8, 9, 10, 11, 12, 13]
    placed = set(df.source_row) | set(messy.issues.row.dropna())
    assert set(range(5, 22)) - {14} <= placed  # nothing lost: every other row is explained in issues.csv
    signed = messy.issues[messy.issues.code == "signature_line"]
    assert sorted(signed.row) == [18, 19, 20, 21]  # the date, the titles and `Nguyễn Văn A`: said, not read


def test_of_which_rows_belong_to_their_parent(messy):
    df = messy.indicators
    assert one(df, "Lúa").parent_indicator == "Tổng sản lượng lương thực có hạt"
    assert one(df, "Ngô").parent_indicator == "Tổng sản lượng lương thực có hạt"
    assert one(df, "trồng rừng").parent_indicator == ""  # `2` is at the parent's level: the group has ended


def test_units_and_footnote_marks_come_off_the_name(messy):
    df = messy.indicators
    forest = one(df, "trồng rừng")
    assert (forest.indicator, forest.unit, forest.note) == ("Diện tích trồng rừng mới", "ha", "(*)")
    assert (one(df, "che phủ").unit, one(df, "che phủ").note) == ("%", "ước")
    exports = df[df.indicator == "Kim ngạch xuất khẩu"]
    assert sorted(exports.unit) == ["triệu USD", "tấn"]  # one indicator in two units: two rows, no doubt
    assert not {"duplicate_indicator", "unit_changes"} & set(messy.issues.code)


def test_a_year_typo_in_the_title_is_corrected_and_logged(messy):
    assert set(messy.indicators.year) == {2024}
    typo = messy.issues[messy.issues.code == "year_typo"]
    assert len(typo) == 1 and load(typo.iloc[0].params) == {"year": 2924, "fixed": 2024, "where": "title"}


# ---- the layout, as a file and in the terminal; a layout file the analyst writes ----------------------------
def test_clean_writes_the_layout_and_inspect_shows_it(provincial, tmp_path):
    src = tmp_path / "Bao cao 2024.xlsx"
    write_xlsx(src, [PROVINCIAL, ["1", "Tổng đàn trâu", "con", 10, 9, 9, 11, 1, 1, 10, 10.5, 12, 95.5]])
    p = chodon("clean", str(src), "--out", str(tmp_path / "out"))
    assert p.returncode == 0, p.stderr
    lay = pd.read_csv(tmp_path / "out" / "layout.csv", encoding="utf-8-sig")
    assert list(lay.columns) == ["file", "sheet", "header_rows", "column", "header_text", "role", "year", "period",
                                 "use", "evidence"]
    assert len(lay) == len(PROVINCIAL)
    shown = chodon("inspect", str(src))
    assert shown.returncode == 0, shown.stderr
    for words in ("Ước thực hiện năm", "actual_estimate", "cumulative", "not used", "Tổng đàn trâu", "10.5"):
        assert words in shown.stdout, words


def test_inspect_says_which_place_each_sheet_is_read_as_in_the_readers_language(tmp_path):
    """A tester's case: `chodon inspect` showed roles and years but not the place the clean gives the rows (a ward
    read as a commune, a district assumed, would pass unseen). It says it now, as the tidy table's area columns have
    it, in Vietnamese by default and in English with --lang en; a sheet whose place was assumed says to check it."""
    from conftest import table as sheet_rows
    from typer.testing import CliRunner

    from chodon_analysis.cli import app

    ward = write_xlsx(tmp_path / "bc-2025.xlsx", [["UBND PHƯỜNG ĐỨC XUÂN"], ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
                                                 ["BÁO CÁO CHỈ TIÊU KINH TẾ - XÃ HỘI NĂM 2025"], [],
                                                 ["TT", "Chỉ tiêu", "ĐVT", "Kế hoạch năm 2025", "Thực hiện năm 2025"],
                                                 ["1", "Dân số trung bình", "người", "25.800", "26.050"]])
    district = write_xlsx(tmp_path / "bieu-2024.xlsx", [["UBND HUYỆN NA RÌ"], ["BIỂU CHỈ TIÊU NĂM 2024"], [],
                                                        ["TT", "Chỉ tiêu", "ĐVT", "Kế hoạch", "Thực hiện"],
                                                        ["1", "Diện tích trồng rừng mới", "ha", 600, 640]])
    nameless = write_xlsx(tmp_path / "bieu.xlsx", sheet_rows(["1", "Tổng đàn trâu", "con", 100, 120]))
    rows = clean([ward, district]).indicators.set_index("source_file")
    assert tuple(rows.loc["bc-2025.xlsx", ["area", "area_level", "area_code"]]) == ("Đức Xuân", "commune", "01840")
    runner = CliRunner()
    vi = runner.invoke(app, ["inspect", str(ward), str(district), str(nameless)])
    assert vi.exit_code == 0, vi.output
    places = [line.strip() for line in vi.stdout.splitlines() if line.strip().startswith("Địa bàn")]
    assert places == [
        "Địa bàn (như khi làm sạch): phường Đức Xuân, cấp xã (area_level: commune); huyện cũ: thành phố Bắc Kạn (cũ);"
        " mã: 01840",
        "Địa bàn (như khi làm sạch): huyện Na Rì, cấp huyện (area_level: district); huyện cũ: huyện Na Rì;"
        " mã: không có",
        "Địa bàn (như khi làm sạch): huyện Chợ Đồn, cấp huyện (area_level: district); huyện cũ: huyện Chợ Đồn;"
        " mã: không có"]
    assert "⚠ Cần kiểm tra địa bàn: tiêu đề biểu không ghi tên địa phương" in vi.stdout  # the assumed one
    en = runner.invoke(app, ["inspect", str(ward), "--lang", "en"])
    assert "Place (as the clean reads it): Đức Xuân ward, commune level (area_level: commune); former district: " \
           "former Bắc Kạn city; code: 01840" in en.stdout
    wrong = runner.invoke(app, ["inspect", str(ward), "--lang", "fr"])
    assert wrong.exit_code == 2 and "'fr' is not a report language" in wrong.stderr


UNREADABLE = [["Biểu số 3"], ["Cột 1", "Cột 2", "Cột 3", "Cột 4", "Cột 5"],
              ["1", "Tổng đàn trâu", "con", 100, 120], ["2", "Tổng đàn bò", "con", 200, 190]]


def test_a_layout_file_reads_what_the_reader_cannot(tmp_path):
    path = write_xlsx(tmp_path / "bieu so 3.xlsx", UNREADABLE, sheet="Bieu3")
    assert clean([path]).failed  # no alias in the header: no table found
    (tmp_path / "bieu so 3.xlsx.layout.csv").write_text(
        "# the columns of Biểu số 3, said by the analyst\nsheet,column,role,year,period\nBieu3,2,header,,\n"
        "Bieu3,A,order,,\nBieu3,B,indicator,,\nBieu3,C,unit,,\nBieu3,D,plan,2024,\nBieu3,E,actual,2024,\n",
        encoding="utf-8")
    r = clean([tmp_path])  # the layout file is not taken for a workbook
    assert not r.failed and [p.name for p in r.files] == ["bieu so 3.xlsx"]
    assert one(r.indicators, "trâu")[["year", "plan_value", "actual_value", "status"]].tolist() == \
        [2024, 100, 120, "exceeded"]
    assert r.layout.set_index("column").loc["D", "evidence"] == "bieu so 3.xlsx.layout.csv line 7"
    assert "layout_file" in set(r.issues.code)


@pytest.mark.parametrize(("line", "says"), [
    ("Bieu3,D,plann,2024,", "role 'plann' is not one of"),
    ("Bieu 3,D,plan,2024,", "no sheet 'Bieu 3' in the workbook"),
    ("Bieu3,D,plan,20244,", "year '20244' is not a year"),
    ("Bieu3,4D,plan,2024,", "column '4D' is not a column letter"),
])
def test_a_bad_layout_file_names_its_line(tmp_path, line, says):
    path = write_xlsx(tmp_path / "b.xlsx", UNREADABLE, sheet="Bieu3")
    (tmp_path / "b.xlsx.layout.csv").write_text(f"sheet,column,role,year,period\nBieu3,2,header,,\n{line}\n",
                                                encoding="utf-8")
    r = clean([path])
    assert len(r.failed) == 1
    assert f"b.xlsx.layout.csv:3: {says}" in r.failed[0][1]
    assert r.failed[0][1].code.startswith("layout_") and r.failed[0][1].params["line"] == 3


def test_the_estimate_stands_in_where_the_actual_is_empty(tmp_path):
    rows = [["BIỂU CHỈ TIÊU NĂM 2024"], ["STT", "Chỉ tiêu", "ĐVT", "KH năm", "TH năm", "Ước TH năm"],
            ["1", "Tổng sản lượng lương thực", "tấn", 28300, 28415, 28410],
            ["2", "Thu ngân sách", "triệu đồng", 95000, None, 101300]]
    df = clean([write_xlsx(tmp_path / "x.xlsx", rows)]).indicators
    assert one(df, "lương thực")[["actual_value", "actual_is_estimate"]].tolist() == [28415, False]
    assert one(df, "ngân sách")[["actual_value", "actual_is_estimate"]].tolist() == [101300, True]


def test_a_header_repeated_mid_table_a_name_merged_over_two_units_and_a_notes_block(tmp_path):
    header = ["STT", "Chỉ tiêu", "ĐVT", "KH năm 2024", "TH năm 2024"]
    rows = [["BIỂU CHỈ TIÊU"], header, ["1", "2", "3", "4", "5"],
            ["1", "Kim ngạch nhập khẩu", "triệu USD", 4.2, 3.9], [None, None, "tấn", 6500, 6120],
            header, ["1", "2", "3", "4", "5"], ["2", "Dân số trung bình", "người", 55700, 55690],
            ["Ghi chú:"], [None, "- Dân số theo số liệu của Chi cục Thống kê"], [None, "(**) Lũy kế đến cuối năm."]]
    r = clean([write_xlsx(tmp_path / "x.xlsx", rows, merges=("A4:A5", "B4:B5"))])
    df = r.indicators
    assert sorted(df[df.indicator == "Kim ngạch nhập khẩu"].unit) == ["triệu USD", "tấn"]
    assert sorted(df.source_row) == [4, 5, 8]
    assert "header_repeated" in set(r.issues.code)
    assert (r.issues.code == "note_row").sum() == 3


def test_a_year_typo_between_the_other_years_of_the_table(tmp_path):
    rows = [["KẾT QUẢ GIAI ĐOẠN 2022-2024"],
            ["TT", "Chỉ tiêu", "ĐVT", "Năm 2022", None, "Năm 2923", None, "Năm 2024", None],
            [None, None, None, "KH", "TH", "KH", "TH", "KH", "TH"], ["1", "Tổng đàn bò", "con", 10, 11, 12, 13, 14, 15]]
    r = clean([write_xlsx(tmp_path / "x.xlsx", rows, merges=("D2:E2", "F2:G2", "H2:I2"))])
    assert one(r.indicators, "bò", 2023)[["plan_value", "actual_value"]].tolist() == [12, 13]
    assert {load(p)["year"] for p in r.issues[r.issues.code == "year_typo"].params} == {2923}  # both columns


def test_details_offices_write(tmp_path):
    """Children numbered under their parent, a note mid-table, a plan shown rounded, `12 tháng` as the year,
    English headers with English thousands."""
    rows = [["BIỂU CHỈ TIÊU NĂM 2024"],
            ["TT", "Chỉ tiêu", "ĐVT", "Kế hoạch năm", "Ước thực hiện 12 tháng", "Thực hiện 6 tháng"],
            ["I", "KINH TẾ"],
            ["1", "Tổng sản lượng lương thực", "tấn", 28300, 28415, 12000],
            ["", "Trong đó:"], ["1.1", "Lúa", "tấn", 18000, 18100, 8000], ["1.2", "Ngô", "tấn", 10300, 10315, 4000],
            ["", "- Số liệu năm 2024 là số ước thực hiện đến hết tháng 11 năm 2024."],
            ["II", "XÃ HỘI"],
            ["2", "Tỷ lệ dân số tham gia bảo hiểm y tế", "%", 95.3, 95.3, 95.0]]
    path = write_xlsx(tmp_path / "x.xlsx", rows)
    from openpyxl import load_workbook

    wb = load_workbook(path)
    wb.active["D10"].number_format = "0"  # the plan shows 95
    wb.save(path)
    df = clean([path]).indicators
    assert one(df, "Lúa").parent_indicator == one(df, "Ngô").parent_indicator == "Tổng sản lượng lương thực"
    assert one(df, "lương thực")[["actual_value", "actual_is_estimate"]].tolist() == [28415, True]
    insurance = one(df, "bảo hiểm")
    assert (insurance.section, insurance.plan_text, insurance.status) == ("XÃ HỘI", "95", "met")  # 95.3 is 95
    english = write_xlsx(tmp_path / "en.xlsx", [["No.", "Indicator", "Unit", "Plan 2024", "Actual 2024"],
                                                ["1", "Grain output", "tonnes", "28,500", "29,210"]])
    grain = one(clean([english]).indicators, "Grain")
    assert (grain.plan_value, grain.actual_value) == (28500, 29210)


def test_a_layout_file_in_excels_semicolon_csv(tmp_path):
    path = write_xlsx(tmp_path / "b.xlsx", UNREADABLE, sheet="Bieu3")
    (tmp_path / "b.xlsx.layout.csv").write_text("sheet;column;role;year;period\nBieu3;2;header;;\nBieu3;B;indicator;;\n"
                                                "Bieu3;D;plan;2024;\nBieu3;E;actual;2024;\nBieu3;C;ignore;;\n",
                                                encoding="utf-8-sig")
    r = clean([path, tmp_path / "b.xlsx.layout.csv"])  # named on the command line too: not read as a workbook
    assert not r.failed and one(r.indicators, "bò")[["unit", "actual_value"]].tolist() == ["", 190]
    assert r.layout.set_index("column").loc["C", "use"] == "not used: the layout file says ignore"


def test_what_the_workbook_hides_is_left_out_and_said(tmp_path):
    from openpyxl import load_workbook

    path = write_xlsx(tmp_path / "x 2024.xlsx", [["UBND HUYỆN NA RÌ"],
                                                   ["TT", "Chỉ tiêu", "ĐVT", "KH giao đầu năm", "KH điều chỉnh",
                                                    "Thực hiện"],
                                                   ["1", "Trồng rừng mới", "ha", 1000, 1200, 1100],
                                                   ["2", "(chỉ tiêu cũ) Trồng cây phân tán", "cây", 5, 5, 5]])
    wb = load_workbook(path)
    ws = wb.active
    ws.column_dimensions["D"].hidden = True
    ws.row_dimensions[4].hidden = True
    draft = wb.create_sheet("Sheet1 (2)")
    for row in (["TT", "Chỉ tiêu", "ĐVT", "Kế hoạch", "Thực hiện"], ["1", "Trồng rừng mới", "ha", 1, 1]):
        draft.append(row)
    draft.sheet_state = "hidden"
    wb.save(path)
    r = clean([path])
    row = one(r.indicators, "Trồng rừng")
    assert (row.district, row.plan_value, row.actual_value, row.status) == ("Na Rì", 1200, 1100, "not_met")
    assert len(r.indicators) == 1
    assert {"hidden_column", "hidden_row", "hidden_sheet"} <= set(r.issues.code)


def test_places_plan_titles_dated_headers_and_years_under_roles(tmp_path):
    en = write_xlsx(tmp_path / "en.xlsx", [["UBND TỈNH BẮC KẠN"], HEAD, ["1", "Tỷ lệ che phủ rừng", "%", 73, 73.4]])
    untitled = write_xlsx(tmp_path / "bare 2024.xlsx", [HEAD, ["1", "Tổng đàn bò", "con", 10, 11]])
    r = clean([en, untitled])
    assert one(r.indicators, "che phủ")[["area", "area_level", "district"]].tolist() == ["Bắc Kạn", "province", ""]
    assert one(r.indicators, "bò")[["area", "area_level", "district"]].tolist() == ["Chợ Đồn", "district", "Chợ Đồn"]
    assert "no_place_in_title" in set(r.issues.code)
    plan = write_xlsx(tmp_path / "kh.xlsx", [["BIỂU KẾ HOẠCH PHÁT TRIỂN KINH TẾ - XÃ HỘI NĂM 2025"],
                                             ["STT", "Chỉ tiêu", "ĐVT", "TH năm trước", "KH năm nay", "Ước TH năm nay",
                                              "KH năm sau"], [1, "Trồng rừng mới", "ha", 1180, 1200, 1240, 1250]])
    df = clean([plan]).indicators
    assert one(df, "rừng", 2024)[["plan_value", "actual_value", "status"]].tolist() == [1200, 1240, "exceeded"]
    assert one(df, "rừng", 2025).plan_value == 1250 and one(df, "rừng", 2023).actual_value == 1180
    dated = write_xlsx(tmp_path / "qd.xlsx", [["TT", "Chỉ tiêu", "ĐVT",
                                               "Kế hoạch năm 2024 (Nghị quyết số 45/NQ-HĐND ngày 15/12/2023)",
                                               "Thực hiện năm 2024"], ["1", "Tổng đàn bò", "con", 10, 11]])
    assert one(clean([dated]).indicators, "bò")[["year", "plan_value"]].tolist() == [2024, 10]
    under = write_xlsx(tmp_path / "u.xlsx", [["TT", "Chỉ tiêu", "ĐVT", "Kế hoạch", None, "Thực hiện", None],
                                             [None, None, None, "Năm 2023", "Năm 2024", "Năm 2023", "Năm 2024"],
                                             ["1", "Tổng đàn bò", "con", 10, 12, 11, 13]], merges=("D1:E1", "F1:G1"))
    df = clean([under]).indicators
    assert one(df, "bò", 2024)[["plan_value", "actual_value"]].tolist() == [12, 13]


def test_headers_rows_and_rounding_offices_write(tmp_path):
    rows = [["BIỂU CHỈ TIÊU NĂM 2024"],
            ["TT", "Chỉ tiêu", "ĐVT", "Kế hoạch", "Ước TH", "So sánh (%)", None,
             "Chỉ tiêu NQ Đại hội nhiệm kỳ 2020-2025"],
            [None, None, None, None, None, "Với KH", "Với cùng kỳ", None],
            ["I", "NÔNG NGHIỆP"], ["1", "Chăn nuôi"], ["1.1", "Tổng đàn trâu", "con", 100, 101, 101, 99, 120],
            ["-", "Tổng đàn bò", "con", 50, 52, 104, 101, 60],
            ["2", "Tỷ lệ hộ", "%", 12, 12.5, "", "", ""], [None, "nghèo đa chiều"],
            ["3", "Tăng tổng đàn lợn", "%", "tăng 10% so với năm 2023", 12, "", "", ""],
            [None, "(Số liệu do Chi cục Thống kê cung cấp)"],
            ["- Số liệu năm 2024 tính đến ngày 15/12/2024 theo báo cáo của các xã"]]
    r = clean([write_xlsx(tmp_path / "x.xlsx", rows)])
    df = r.indicators
    assert sorted(df.source_row) == [6, 7, 8, 10]  # no header, group, note or continuation row became an indicator
    assert one(df, "trâu").parent_indicator == one(df, "bò").parent_indicator == "Chăn nuôi"
    assert one(df, "trâu").term_target_text == "120"
    poverty = one(df, "hộ nghèo")  # a name continued on the next row; 12.5 rounds half up to 13
    assert (poverty.indicator, poverty.status) == ("Tỷ lệ hộ nghèo đa chiều", "not_met")
    assert one(df, "lợn")[["plan_op", "plan_value"]].tolist() == ["change", 10]
    assert r.layout.set_index("column").loc["F", "header_text"] == "So sánh (%) Với KH"


PLAN_HEAD = ["STT", "Chỉ tiêu", "ĐVT", "TH năm trước", "KH năm nay", "Ước TH năm nay", "KH năm sau"]


def test_report_years_a_file_name_a_date_line_and_a_swapped_digit_do_not_shift(tmp_path):
    """A plan title over a next-year column read as the year before the plan year whatever the file name repeats
    (`...-ke-hoach-2026`, `bao-cao-2026`, `2026`); a date line or a resolution's date in the title block never the
    report year; `2205` under a title of 2025 read as 2025, said as a typo."""
    plan = [["UBND XÃ YÊN PHONG"], ["BIỂU KẾ HOẠCH PHÁT TRIỂN KINH TẾ - XÃ HỘI NĂM 2026"], [], PLAN_HEAD,
            [1, "Tổng sản lượng lương thực có hạt", "tấn", 4300, 4420, 4510.8, 4550]]
    for name in ("yen-phong-ke-hoach-2026.xlsx", "bao-cao-2026.xlsx", "2026.xlsx", "kh.2026.xlsx"):
        df = clean([write_xlsx(tmp_path / name, plan)]).indicators
        assert sorted(df.year) == [2024, 2025, 2026], name
        assert one(df, "lương thực", 2025)[["plan_value", "actual_value"]].tolist() == [4420, 4510.8], name
    head = ["STT", "Chỉ tiêu", "ĐVT", "Kế hoạch năm", "Thực hiện năm"]
    dated = [[None, None, None, None, "Nghĩa Tá, ngày 08 tháng 01 năm 2026"],
             ["BÁO CÁO KẾT QUẢ THỰC HIỆN CHỈ TIÊU NĂM 2025"], head, [1, "Tỷ lệ che phủ rừng", "%", 82, 82.4]]
    resolution = [["BÁO CÁO THỰC HIỆN NGHỊ QUYẾT SỐ 15/NQ-HĐND NGÀY 18/12/2024 VỀ CHỈ TIÊU NĂM 2025"], head,
                  [1, "Tỷ lệ che phủ rừng", "%", 82, 82.4]]
    for name, rows in (("dated.xlsx", dated), ("nq.xlsx", resolution)):
        assert clean([write_xlsx(tmp_path / name, rows)]).indicators.year.tolist() == [2025], name
    swapped = [["BÁO CÁO NĂM 2025"], ["STT", "Chỉ tiêu", "ĐVT", "Thực hiện năm 2024", "Chỉ tiêu giao năm 2025",
                                        "Kết quả thực hiện năm 2205"], [1, "Tỷ lệ hộ nghèo", "%", 15.9, 14.5, 14.2]]
    r = clean([write_xlsx(tmp_path / "thuong-minh.xlsx", swapped)])
    assert one(r.indicators, "nghèo", 2025)[["plan_value", "actual_value"]].tolist() == [14.5, 14.2]
    typo = r.issues[r.issues.code == "year_typo"]
    assert len(typo) == 1 and "2205" in typo.params.iloc[0] and "2025" in typo.params.iloc[0]


def test_a_header_year_a_decade_off_the_title_is_a_doubt(tmp_path):
    """`Thực hiện năm 2015` under `BÁO CÁO NĂM 2025`: a plausible year, read as written, but said as a likely typo;
    `Thực hiện năm 2024 | Kế hoạch năm 2025` under the same title is an ordinary plan report: nothing said."""
    head = ["STT", "Chỉ tiêu", "ĐVT", "Kế hoạch năm 2025", "Thực hiện năm 2015"]
    r = clean([write_xlsx(tmp_path / "qb.xlsx", [["BÁO CÁO NĂM 2025"], head, [1, "Tổng đàn trâu", "con", 10, 11]])])
    doubt = r.issues[r.issues.code == "year_far_from_title"]
    assert doubt[["row", "column"]].values.tolist() == [[2, "E"]] and "2025" in doubt.action.iloc[0]
    head = ["STT", "Chỉ tiêu", "ĐVT", "Thực hiện năm 2024", "Kế hoạch năm 2025"]
    r = clean([write_xlsx(tmp_path / "kh.xlsx", [["BÁO CÁO NĂM 2025"], head, [1, "Tổng đàn trâu", "con", 10, 11]])])
    assert "year_far_from_title" not in set(r.issues.code)


def test_column_numbers_in_parentheses_and_formulas_of_them_are_no_indicator(tmp_path):
    """`(1) | (2) | ... | (6)=(5)/(4)` and `1 | 2 | 3 | 4=3/2x100` under a three-row header: skipped as the row that
    numbers the columns, never a nameless indicator with a plan of `(4)`."""
    head = [["STT", "Chỉ tiêu", "ĐVT", "Năm 2025", None, None, None],
            [None, None, None, "Kế hoạch", "Thực hiện", "So sánh (%)", None],
            [None, None, None, None, None, "Với KH", "Với cùng kỳ"]]
    body = [["1", "Tổng đàn trâu", "con", 1450, 1412, 97.4, 98.1]]
    for numbers in (["(1)", "(2)", "(3)", "(4)", "(5)", "(6)=(5)/(4)", "(7)"],
                    ["1", "2", "3", "4", "5", "6=5/4x100", "7"]):
        r = clean([write_xlsx(tmp_path / "yt.xlsx", [["UBND XÃ YÊN THỊNH"], *head, numbers, *body],
                              merges=("D2:G2", "F3:G3"))])
        assert r.indicators.indicator.tolist() == ["Tổng đàn trâu"], numbers
        assert "column_number_row" in set(r.issues.code)
