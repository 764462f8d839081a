"""Reading rules of docs/reading.md on fixture workbooks built here."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import HEADER, table, write_xlsx

from chodon_analysis import clean
from chodon_analysis.base.messages import load


def one(df: pd.DataFrame, name: str, year: int | None = None) -> pd.Series:
    rows = df[df.indicator.str.contains(name, regex=False)]
    if year is not None:
        rows = rows[rows.year == year]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_title_rows_cover_sheet_and_header_found(tmp_path):
    path = write_xlsx(tmp_path / "bc.xlsx", [
        ["ỦY BAN NHÂN DÂN HUYỆN CHỢ ĐỒN"],
        ["(Kèm theo Báo cáo số 123/BC-UBND ngày 10/12/2024)"],
        [],
        ["BIỂU CHỈ TIÊU"],
        *table(["1", "Tổng sản lượng lương thực có hạt", "tấn", 28500, 29210, "Vượt KH"], title=None),
    ], before=["Bia", "Ghi chu"])
    r = clean([path])
    row = one(r.indicators, "lương thực")
    assert (row.year, row.plan_value, row.actual_value, row.status, row.reported_status) == \
        (2024, 28500, 29210, "exceeded", "exceeded")
    assert (row.source_sheet, row.source_row) == ("Bieu", 6)


def test_two_row_merged_header_and_percent_fractions(tmp_path):
    rows = [
        ["KẾT QUẢ THỰC HIỆN CHỈ TIÊU"], [],
        ["STT", "Nội dung", "Đơn vị tính", "Năm 2022", None, "Ghi chú"],
        [None, None, None, "Kế hoạch", "Thực hiện", None],
        [1, "Tỷ lệ che phủ rừng", "%", 0.805, 0.805, ""],
        [2, "Tỷ lệ dân số tham gia bảo hiểm y tế", "%", 0.95, 0.962, ""],
    ]
    path = write_xlsx(tmp_path / "x.xlsx", rows, merges=("D3:E3", "A3:A4", "B3:B4", "C3:C4", "F3:F4"),
                      percent_cells=("D5", "E5", "D6", "E6"))
    r = clean([path])
    cover = one(r.indicators, "che phủ")
    assert (cover.year, cover.plan_value, cover.actual_value, cover.status) == (2022, 80.5, 80.5, "met")
    assert one(r.indicators, "bảo hiểm").actual_value == pytest.approx(96.2)
    assert (r.issues.code == "percent_fraction_formatted").sum() == 4


def test_columns_recognised_without_diacritics_any_case_any_order(tmp_path):
    header = ["DON VI TINH", "chi tieu", "stt", "th 2023", "kh 2023", "danh gia"]
    path = write_xlsx(tmp_path / "x.xlsx", [header, ["tấn", "Sản lượng lương thực", "1", "29.050", "29.000", "Vượt"]])
    row = one(clean([path]).indicators, "lương thực")
    assert (row.year, row.code, row.unit, row.plan_value, row.actual_value) == (2023, "1", "tấn", 29000, 29050)
    assert row.reported_status == "exceeded"


def test_year_from_title_then_file_name(tmp_path):
    header = ["TT", "Chỉ tiêu", "ĐVT", "Kế hoạch", "Thực hiện"]
    body = [["1", "Tổng đàn trâu", "con", 10000, 10100]]
    from_title = write_xlsx(tmp_path / "a.xlsx", table(*body, header=header, title="CHỈ TIÊU NĂM 2021"))
    from_name = write_xlsx(tmp_path / "bao cao 2019.xlsx", table(*body, header=header, title="BIỂU CHỈ TIÊU"))
    assert one(clean([from_title]).indicators, "trâu").year == 2021
    assert one(clean([from_name]).indicators, "trâu").year == 2019


def test_implausible_year_corrected_and_logged(tmp_path):
    header = ["TT", "Chỉ tiêu", "ĐVT", "Kế hoạch năm 2024", "Ước thực hiện năm 2924"]
    path = write_xlsx(tmp_path / "x.xlsx", table(["1", "Tổng đàn trâu", "con", 10000, 10100], header=header))
    r = clean([path])
    row = one(r.indicators, "trâu")
    assert row.year == 2024 and row.actual_is_estimate
    issue = r.issues[r.issues.code == "year_typo"]
    assert len(issue) == 1 and load(issue.iloc[0].params)["fixed"] == 2024


def test_implausible_year_not_corrected_without_agreement(tmp_path):
    header = ["TT", "Chỉ tiêu", "ĐVT", "Kế hoạch năm 2924", "Thực hiện năm 2924"]
    path = write_xlsx(tmp_path / "bao cao.xlsx", table(["1", "Tổng đàn trâu", "con", 10, 11], header=header,
                                                       title="BIỂU"))
    r = clean([path])
    assert [load(p)["year"] for p in r.issues[r.issues.code == "implausible_year"].params] == [2924, 2924]
    assert r.indicators.year.isna().all()


def test_sections_codes_and_trailing_notes(tmp_path):
    path = write_xlsx(tmp_path / "x.xlsx", table(
        ["I", "CHỈ TIÊU VỀ KINH TẾ"],
        ["1", "Tổng đàn trâu", "con", 10000, 10100, "Đạt"],
        ["II", "CHỈ TIÊU VỀ XÃ HỘI"],
        [None, "2. Tỷ lệ hộ nghèo", "%", "giảm 2% (còn 13,5%)", "13,2%", "Vượt"],
        [],
        ["Ghi chú: số liệu năm 2024 là số ước."],
    ))
    r = clean([path])
    assert list(r.indicators.section) == ["CHỈ TIÊU VỀ KINH TẾ", "CHỈ TIÊU VỀ XÃ HỘI"]
    poverty = one(r.indicators, "hộ nghèo")
    assert (poverty.code, poverty.indicator, poverty.direction, poverty.status) == ("2", "Tỷ lệ hộ nghèo", "lower",
                                                                                    "exceeded")
    assert "note_row" in set(r.issues.code)


@pytest.mark.parametrize(("grain", "ratio"), [(("28.320", "29.210"), ("1,78", "1,75")),  # Vietnamese
                                              (("28,320", "29,210"), ("1.78", "1.75"))], ids=["vi", "en"])
def test_an_ambiguous_number_is_decided_by_the_unambiguous_ones_of_the_file(tmp_path, grain, ratio):
    alone = clean([write_xlsx(tmp_path / "alone.xlsx", table(["1", "Sản lượng lương thực", "tấn", *grain, "Vượt"]))])
    # alone, `28.320` or `28,320` could be either
    assert {"ambiguous_number", "ambiguous_number_assumed"} & set(alone.issues.code)
    path = write_xlsx(tmp_path / "x.xlsx", table(["1", "Sản lượng lương thực", "tấn", *grain, "Vượt"],
                                                ["2", "Hệ số sử dụng đất", "lần", *ratio, "Không đạt"]))
    r = clean([path])
    assert one(r.indicators, "lương thực")[["plan_value", "actual_value"]].tolist() == [28320, 29210]
    assert one(r.indicators, "Hệ số").actual_value == 1.75
    assert not {"ambiguous_number", "ambiguous_number_assumed"} & set(r.issues.code)  # `1,78` elsewhere decides


def test_a_file_that_writes_numbers_both_ways_leaves_each_ambiguous_number_a_doubt(tmp_path):
    """`4.850` tấn in a column whose other numbers are `80.5` and `12.5`, beside a `TH/KH (%)` column of `101,3`:
    read by the column's majority (as before) but never silently: each number that reads either way is a doubt;
    the same column in a file that writes every number one way says nothing."""
    header = ["STT", "Chỉ tiêu", "ĐVT", "Kế hoạch năm 2025", "Thực hiện năm 2025", "TH/KH (%)"]
    mixed = [["1", "Tổng sản lượng lương thực có hạt", "tấn", "4.850", "4.912", "101,3"],
             ["2", "Tỷ lệ che phủ rừng", "%", "80.5", "80.7", "100,2"],
             ["3", "Tỷ lệ hộ nghèo", "%", "12.5", "11.8", None]]
    r = clean([write_xlsx(tmp_path / "mixed.xlsx", table(*mixed, header=header, title="BÁO CÁO NĂM 2025"))])
    doubts = r.issues[r.issues.code == "ambiguous_number"]
    assert sorted(zip(doubts.row, doubts.column, strict=True)) == [(4, "D"), (4, "E")]
    assert "both ways" in doubts.problem.iloc[0]
    plain = [[*row[:5], row[5] and row[5].replace(",", ".")] for row in mixed]
    r = clean([write_xlsx(tmp_path / "plain.xlsx", table(*plain, header=header, title="BÁO CÁO NĂM 2025"))])
    assert "ambiguous_number" not in set(r.issues.code)


def test_ambiguous_number_alone_is_logged(tmp_path):
    path = write_xlsx(tmp_path / "x.xlsx", table(["1", "Dân số", "người", "khoảng 51.300", 51300, "Đạt"]))
    r = clean([path])
    assert one(r.indicators, "Dân số").plan_value == 51300
    assert "ambiguous_number_assumed" in set(r.issues.code)


def test_missing_markers_and_excel_errors(tmp_path):
    rows = [["1", f"Chỉ tiêu {i}", "%", 90, v, ""] for i, v in
            enumerate(["-", "—", "x", "chưa có số liệu", "Chưa đánh giá", "#N/A", "#DIV/0!", "#REF!", "#VALUE!", None])]
    path = write_xlsx(tmp_path / "x.xlsx", table(*rows))
    r = clean([path])
    assert len(r.indicators) == 10
    assert r.indicators.actual_value.isna().all()
    assert set(r.indicators.status) == {"not_evaluated"}
    assert (r.issues.code == "excel_error").sum() == 4


def test_unreadable_value_is_kept_empty_and_logged(tmp_path):
    path = write_xlsx(tmp_path / "x.xlsx", table(["1", "Tỷ lệ che phủ rừng", "%", "80,5", "8o,5", "Đạt"]))
    r = clean([path])
    row = one(r.indicators, "che phủ")
    assert row.actual_text == "8o,5" and pd.isna(row.actual_value)
    issue = r.issues[r.issues.code == "unreadable_number"].iloc[0]
    assert (issue.value, issue.column, issue.row) == ("8o,5", "E", 4)


@pytest.mark.parametrize(("label", "status"), [
    ("Vượt", "exceeded"), ("Vượt KH", "exceeded"), ("Vượt kế hoạch", "exceeded"), ("VUOT KE HOACH", "exceeded"),
    ("Đạt", "met"), ("Đạt KH", "met"), ("dat", "met"), ("Không đạt", "not_met"), ("Chưa đạt", "not_met"),
    ("khong dat", "not_met"), ("Chưa đánh giá", "not_evaluated"),
])
def test_assessment_labels(tmp_path, label, status):
    path = write_xlsx(tmp_path / "x.xlsx", table(["1", "Tổng đàn trâu", "con", 100, 100, label]))
    assert one(clean([path]).indicators, "trâu").reported_status == status


def test_next_year_plan_gives_rows_with_empty_actual(tmp_path):
    header = [*HEADER, "KH năm 2025"]
    path = write_xlsx(tmp_path / "x.xlsx", table(
        ["1", "Lương thực bình quân đầu người", "kg/người/năm", "trên 500", "569", "Đạt", "trên 500"],
        ["2", "Tổng đàn trâu", "con", 100, 100, "Đạt", None],
        header=header))
    df = clean([path]).indicators
    nxt = df[df.year == 2025]
    assert len(nxt) == 1
    row = nxt.iloc[0]
    assert (row.plan_op, row.plan_value, row.status, row.reported_status) == (">", 500, "not_evaluated", "")
    assert pd.isna(row.actual_value)


def test_tcvn3_workbook_with_vntime_fonts(tmp_path):
    rows = [["BIÓU CHØ TI£U N¡M 2021"], [],
            ["STT", "Néi dung", "§¬n vÞ tÝnh", "KH n¨m 2021", "TH n¨m 2021"],
            [1, "Tæng s¶n l\xadîng l\xad¬ng thùc cã h¹t", "tÊn", 28500, 29120],
            [2, "Tû lÖ che phñ rõng", "%", 80.5, 80.5]]
    path = write_xlsx(tmp_path / "tcvn3.xlsx", rows, font=".VnTime")
    r = clean([path])
    assert list(r.indicators.indicator) == ["Tổng sản lượng lương thực có hạt", "Tỷ lệ che phủ rừng"]
    assert list(r.indicators.unit) == ["tấn", "%"]
    assert r.indicators.year.tolist() == [2021, 2021]
    assert "text_tcvn3" in set(r.issues.code)


def test_units_canonical(tmp_path):
    path = write_xlsx(tmp_path / "x.xlsx", table(
        ["1", "Lương thực bình quân", "Kg/người", 500, 569, ""],
        ["2", "Thu ngân sách", "Tr.đồng", 100, 100, ""],
        ["3", "Chỉ số lạ", "thứ gì đó", 1, 1, ""]))
    r = clean([path])
    assert list(r.indicators.unit) == ["kg/người/năm", "triệu đồng", "thứ gì đó"]
    assert (r.issues.code == "unknown_unit").sum() == 1


def test_indicator_names_are_nfc_single_spaced(tmp_path):
    import unicodedata

    name = unicodedata.normalize("NFD", "Tỷ lệ  hộ\nnghèo\u00a0")
    path = write_xlsx(tmp_path / "x.xlsx", table(["1", name, "%", 10, 9, ""]))
    assert clean([path]).indicators.indicator.tolist() == ["Tỷ lệ hộ nghèo"]


def test_change_target_uses_last_years_actual(tmp_path):
    h23 = ["TT", "Chỉ tiêu", "ĐVT", "Kế hoạch năm 2023", "Thực hiện năm 2023"]
    a = write_xlsx(tmp_path / "a.xlsx", table(["1", "Số vụ tai nạn giao thông", "vụ", 22, 20], header=h23))
    b = write_xlsx(tmp_path / "b.xlsx", table(["1", "Số vụ tai nạn giao thông", "vụ", "giảm 5%", 17, "Vượt"]))
    df = clean([a, b]).indicators
    assert one(df, "tai nạn", 2024).status == "exceeded"  # -15% against a target of -5%
    r = clean([b])
    assert one(r.indicators, "tai nạn").status == "not_evaluated"
    assert "change_without_last_actual" in set(r.issues.code)


def test_percent_fraction_without_a_percent_format_beside_a_whole_percent(tmp_path):
    # .ods and .xls exports often lose the percent format: 0.92 beside a plan of 90 is 92 %
    path = write_xlsx(tmp_path / "x.xlsx", table(["1", "Tỷ lệ chất thải được thu gom", "%", 90, 0.92, "Đạt"],
                                                ["2", "Tỷ lệ tăng dân số", "%", 0.9, 0.85, "Đạt"]))
    r = clean([path])
    waste = one(r.indicators, "chất thải")
    assert (waste.actual_value, waste.status) == (92, "exceeded")
    assert "percent_fraction_unformatted" in set(r.issues.code)
    small = one(r.indicators, "dân số")  # both below 1: a genuine 0.85 %, left alone
    assert (small.plan_value, small.actual_value) == (0.9, 0.85)
    typed = write_xlsx(tmp_path / "typed.xlsx", table(["1", "Tỷ lệ che phủ rừng", "%", "80,5%", "0,81", "Đạt"]))
    r = clean([typed])  # a fraction typed as text with a decimal comma beside a plan written in percent
    assert one(r.indicators, "che phủ")[["actual_value", "status"]].tolist() == [81, "exceeded"]
    assert "percent_fraction_unformatted" in set(r.issues.code)
