"""What offices paste from published reports: an assessment column that lost its header, two tables on one sheet,
a transposed commune table, `Tr.đó:` in the order column. Each as a person reading the workbook would write it."""

from __future__ import annotations

from conftest import write_xlsx

from chodon_analysis import clean

HEAD = ["TT", "Chỉ tiêu", "ĐVT", "Kế hoạch năm 2024", "Thực hiện năm 2024"]


def _rows(result, *cols):
    return [tuple(r) for r in result.indicators[list(cols)].itertuples(index=False)]


def test_a_blank_header_over_assessment_words_is_the_offices_assessment(tmp_path):
    """Pasted from a web page: the header of the column right of the actual is blank; its cells say Đạt, Vượt KH,
    Không đạt (one empty). A blank-headed column of numbers beside it is not taken for one."""
    write_xlsx(tmp_path / "dan tu cong thong tin 2024.xlsx", [
        ["BÁO CÁO KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU NĂM 2024 - HUYỆN CHỢ ĐỒN"], [*HEAD, "", ""],
        ["1", "Tổng sản lượng lương thực có hạt", "tấn", 28000, 28500, "Vượt KH", 101.8],
        ["2", "Tỷ lệ che phủ rừng", "%", 80.5, 80.5, "Đạt", 100],
        ["3", "Tổng đàn trâu", "con", 5000, 4600, "Không đạt", 92],
        ["4", "Tổng đàn lợn", "con", 30000, 30100, "", 100.3]])
    result = clean([tmp_path])
    assert _rows(result, "indicator", "reported_status") == [
        ("Tổng sản lượng lương thực có hạt", "exceeded"), ("Tỷ lệ che phủ rừng", "met"),
        ("Tổng đàn trâu", "not_met"), ("Tổng đàn lợn", "")]
    said = result.issues[result.issues["code"] == "assessment_by_content"]
    assert said["column"].tolist() == ["F"]
    assert "assessment" in set(result.layout.loc[result.layout["column"] == "F", "role"])


def test_two_tables_on_one_sheet_are_read_each_by_its_own_header(tmp_path):
    """The 2024 table, then (after a title line) a 2023 table with actual before plan and other header words:
    each row by its own table's columns; the second header is no indicator."""
    write_xlsx(tmp_path / "hai bieu.xlsx", [
        ["UBND HUYỆN CHỢ ĐỒN"], ["Biểu 1: KẾT QUẢ THỰC HIỆN NĂM 2024"], HEAD,
        ["1", "Tổng sản lượng lương thực có hạt", "tấn", 28000, 28500],
        ["2", "Tổng đàn trâu", "con", 5000, 4600],
        [], ["Biểu 2: SO SÁNH VỚI NĂM 2023"],
        ["STT", "Chỉ tiêu", "Đơn vị tính", "Thực hiện năm 2023", "Kế hoạch năm 2023"],
        ["1", "Tổng sản lượng lương thực có hạt", "tấn", 27400, 27000],
        ["2", "Tổng đàn trâu", "con", 4900, 5200]])
    result = clean([tmp_path])
    got = sorted(_rows(result, "year", "indicator", "plan_value", "actual_value", "source_row"))
    assert got == [(2023, "Tổng sản lượng lương thực có hạt", 27000, 27400, 9), (2023, "Tổng đàn trâu", 5200, 4900, 10),
                   (2024, "Tổng sản lượng lương thực có hạt", 28000, 28500, 4), (2024, "Tổng đàn trâu", 5000, 4600, 5)]
    assert result.issues[result.issues["code"] == "new_table"]["row"].tolist() == [8]


def test_a_transposed_commune_table_is_read(tmp_path):
    """A commune's table with the indicators as columns (their units in brackets) and the plan and actual as
    rows: read turned, the commune and year from the title lines."""
    write_xlsx(tmp_path / "bieu xa.xlsx", [
        ["UBND XÃ NAM CƯỜNG"], ["KẾT QUẢ THỰC HIỆN CHỈ TIÊU KINH TẾ - XÃ HỘI NĂM 2025"],
        ["Chỉ tiêu", "Tổng sản lượng lương thực có hạt (tấn)", "Tỷ lệ che phủ rừng (%)", "Tổng đàn trâu (con)"],
        ["Kế hoạch năm 2025", 3000, 85, 500], ["Thực hiện năm 2025", 3100, 85.2, 480]])
    result = clean([tmp_path])
    assert not result.failed
    assert sorted(_rows(result, "area", "year", "indicator", "unit", "plan_value", "actual_value")) == [
        ("Nam Cường", 2025, "Tổng sản lượng lương thực có hạt", "tấn", 3000, 3100),
        ("Nam Cường", 2025, "Tổng đàn trâu", "con", 500, 480),
        ("Nam Cường", 2025, "Tỷ lệ che phủ rừng", "%", 85, 85.2)]
    assert "transposed_table" in set(result.issues["code"])


def test_of_which_in_the_order_column_and_the_parts_dash_is_the_code(tmp_path):
    """`Tr.đó:` (or `Trong đó:`) typed in the order column beside the first part `- Thóc`; `Trong đó: - Trâu` in
    the name column: the parts belong to the indicator above and their dash is their code, never in the name."""
    write_xlsx(tmp_path / "trong do 2024.xlsx", [
        ["BIỂU CHỈ TIÊU NĂM 2024"], HEAD,
        ["1", "Tổng sản lượng lương thực có hạt", "tấn", 28000, 28500],
        ["Tr.đó:", "- Thóc", "tấn", 20000, 20100], ["", "- Ngô", "tấn", 8000, 8400],
        ["2", "Tổng đàn gia súc", "con", 9000, 9100], ["", "Trong đó: - Trâu", "con", 5000, 4600],
        ["Trong đó", "+ Bò", "con", 4000, 4500]])
    got = _rows(clean([tmp_path]), "code", "indicator", "parent_indicator")
    assert got == [("1", "Tổng sản lượng lương thực có hạt", ""), ("-", "Thóc", "Tổng sản lượng lương thực có hạt"),
                   ("-", "Ngô", "Tổng sản lượng lương thực có hạt"), ("2", "Tổng đàn gia súc", ""),
                   ("-", "Trâu", "Tổng đàn gia súc"), ("+", "Bò", "Tổng đàn gia súc")]


def test_tables_on_one_sheet_with_figures_as_text_without_titles_or_with_years_above(tmp_path):
    """The same kind saved as CSV (every figure text): a second table with a title of its own, one without (the
    sheet's year holds), and one whose header has the years above the roles."""
    (tmp_path / "hai bieu.csv").write_text(
        "UBND HUYỆN CHỢ ĐỒN\nBIỂU 1: KẾT QUẢ NĂM 2024\nSTT,Chỉ tiêu,ĐVT,Kế hoạch năm 2024,Thực hiện năm 2024\n"
        "1,Tổng sản lượng lương thực có hạt,tấn,28500,29210\n2,Tổng đàn trâu,con,5000,4600\n\n"
        "BIỂU 2: KẾT QUẢ NĂM 2023\nTT,Nội dung,Đơn vị,Thực hiện năm 2023,Kế hoạch năm 2023\n"
        "1,Tỷ lệ hộ nghèo,%,14.1,14\n", encoding="utf-8")
    (tmp_path / "khong tieu de.csv").write_text(
        "BÁO CÁO CHỈ TIÊU NĂM 2024\nTT,Chỉ tiêu kinh tế,Đơn vị,Kế hoạch,Thực hiện\n1,Tổng đàn trâu,con,5000,4600\n\n"
        "TT,Chỉ tiêu xã hội,Đơn vị,Kế hoạch,Thực hiện\n1,Tỷ lệ hộ nghèo,%,14,13.5\n", encoding="utf-8")
    (tmp_path / "nam tren.csv").write_text(
        "BIỂU CHỈ TIÊU\nSTT,Chỉ tiêu,ĐVT,Năm 2022,,Năm 2023,\n,,,Thực hiện,Kế hoạch,Thực hiện,Kế hoạch\n"
        "1,Tổng đàn trâu,con,600,570,610,620\n\nBIỂU 2 - NĂM 2024\nSTT,Chỉ tiêu,ĐVT,Năm 2024,\n,,,Kế hoạch,Thực hiện\n"
        "1,Tổng đàn trâu,con,650,640\n", encoding="utf-8")
    result = clean([tmp_path])
    got = sorted(_rows(result, "source_file", "year", "indicator", "plan_value", "actual_value"))
    assert got == [("hai bieu.csv", 2023, "Tỷ lệ hộ nghèo", 14, 14.1),
                   ("hai bieu.csv", 2024, "Tổng sản lượng lương thực có hạt", 28500, 29210),
                   ("hai bieu.csv", 2024, "Tổng đàn trâu", 5000, 4600),
                   ("khong tieu de.csv", 2024, "Tổng đàn trâu", 5000, 4600),
                   ("khong tieu de.csv", 2024, "Tỷ lệ hộ nghèo", 14, 13.5),
                   ("nam tren.csv", 2022, "Tổng đàn trâu", 570, 600), ("nam tren.csv", 2023, "Tổng đàn trâu", 620, 610),
                   ("nam tren.csv", 2024, "Tổng đàn trâu", 650, 640)]
    assert "Chỉ tiêu" not in set(result.indicators["indicator"])


def test_of_which_written_every_way_offices_write_it(tmp_path):
    """`Trong đó:` alone in the order column over `- Thóc`; `Tr.đó: -` | `Trâu`; `Tr.đó` | `-Thu thuế` (no space);
    an en dash `– Ngô`; `TĐ:` | `- Lợn nái`: each part under the indicator above, its dash as its code."""
    write_xlsx(tmp_path / "trong do 2024.xlsx", [
        ["BIỂU CHỈ TIÊU NĂM 2024"], HEAD,
        ["1", "Tổng sản lượng lương thực có hạt", "tấn", 28000, 28500], ["Trong đó:", "", "", "", ""],
        ["", "- Thóc", "tấn", 20000, 20100], ["", "– Ngô", "tấn", 8000, 8400],
        ["2", "Tổng đàn gia súc", "con", 9000, 9100], ["Tr.đó: -", "Trâu", "con", 5000, 4600],
        ["3", "Thu ngân sách", "triệu đồng", 100, 110], ["Tr.đó", "-Thu thuế", "triệu đồng", 50, 55],
        ["4", "Tổng đàn lợn", "con", 100, 110], ["TĐ:", "- Lợn nái", "con", 50, 55]])
    got = [r for r in _rows(clean([tmp_path]), "code", "indicator", "parent_indicator") if r[2]]
    assert got == [("-", "Thóc", "Tổng sản lượng lương thực có hạt"), ("-", "Ngô", "Tổng sản lượng lương thực có hạt"),
                   ("-", "Trâu", "Tổng đàn gia súc"), ("-", "Thu thuế", "Thu ngân sách"),
                   ("-", "Lợn nái", "Tổng đàn lợn")]


def test_transposed_tables_with_another_corner_and_a_unit_row(tmp_path):
    """The corner says `Năm` (a unit row and two years of plan and actual below) or nothing; a sheet that names
    plan and actual rows but cannot be read turned is refused as transposed, with what to do."""
    write_xlsx(tmp_path / "nam.xlsx", [
        ["UBND XÃ NAM CƯỜNG - BÁO CÁO CHỈ TIÊU"], ["Năm", "Tổng sản lượng lương thực có hạt", "Trồng rừng mới"],
        ["ĐVT", "tấn", "ha"], ["Kế hoạch 2024", 3000, 40], ["Thực hiện 2024", 3100, 42],
        ["Kế hoạch 2023", 2900, 35], ["Thực hiện 2023", 2950, 36]])
    write_xlsx(tmp_path / "trong.xlsx", [["UBND XÃ YÊN PHONG"], ["KẾT QUẢ NĂM 2025"],
                                         ["", "Tổng đàn trâu (con)", "Tổng đàn lợn (con)"],
                                         ["Kế hoạch", 500, 900], ["Thực hiện", 480, 950]])
    write_xlsx(tmp_path / "le.xlsx", [["UBND XÃ YÊN PHONG"], ["Kế hoạch", "x"], ["Thực hiện", "y"]])
    result = clean([tmp_path])
    assert {p.name: getattr(r, "code", "") for p, r in result.failed} == {"le.xlsx": "table_transposed"}
    assert sorted(_rows(result, "area", "year", "indicator", "unit", "plan_value", "actual_value")) == [
        ("Nam Cường", 2023, "Trồng rừng mới", "ha", 35, 36),
        ("Nam Cường", 2023, "Tổng sản lượng lương thực có hạt", "tấn", 2900, 2950),
        ("Nam Cường", 2024, "Trồng rừng mới", "ha", 40, 42),
        ("Nam Cường", 2024, "Tổng sản lượng lương thực có hạt", "tấn", 3000, 3100),
        ("Yên Phong", 2025, "Tổng đàn lợn", "con", 900, 950), ("Yên Phong", 2025, "Tổng đàn trâu", "con", 500, 480)]
