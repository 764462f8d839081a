"""What a tester's workbooks showed the reader getting wrong: the parent of the rows around a `Trong đó:` inside a
group, English names of the catalog, and the row that numbers the columns written `(1) | (2) | (6)=(5)/(4)`. Each
workbook as an office sends it."""

from __future__ import annotations

from conftest import write_xlsx

from chodon_analysis import clean
from chodon_analysis.base import catalog
from chodon_analysis.base.messages import load

HEAD = ["TT", "Chỉ tiêu", "ĐVT", "KH 2025", "TH 2025"]
GRAIN = "Tổng sản lượng lương thực có hạt"


def _parents(result) -> dict[str, str]:
    return dict(zip(result.indicators["indicator"], result.indicators["parent_indicator"], strict=True))


def _codes(result, code: str) -> list:
    return result.issues.loc[result.issues["code"] == code, "row"].tolist()


def test_a_part_with_its_values_under_a_groups_child_and_the_group_after_it(tmp_path):
    """`Trong đó: trâu cái sinh sản` with figures under `2.1 Tổng đàn trâu` in the group `2 Chăn nuôi`: a part of
    2.1 (not of the grain total whose `Trong đó:` came rows before); `2.2`, `2.3` back in the group."""
    result = clean([write_xlsx(tmp_path / "nghia-ta-nong-nghiep-2025.xlsx", [
        ["UBND XÃ NGHĨA TÁ"], ["CHỈ TIÊU NÔNG, LÂM NGHIỆP NĂM 2025"], [], HEAD,
        ["1", GRAIN, "tấn", 4800, 4850.5], ["", "Trong đó:"], ["-", "Thóc", "tấn", 3100, 3120],
        ["-", "Ngô", "tấn", 1700, 1730.5], ["2", "Chăn nuôi"], ["2.1", "Tổng đàn trâu", "con", 1500, 1480],
        ["", "Trong đó: trâu cái sinh sản", "con", 600, 610], ["2.2", "Tổng đàn lợn", "con", 5200, 5350],
        ["2.3", "Tổng đàn gia cầm", "nghìn con", 45, 47.5], ["3", "Lâm nghiệp"],
        ["3.1", "Diện tích trồng rừng mới", "ha", 140, 152], ["3.2", "Tỷ lệ che phủ rừng", "%", 83, 83.2]])])
    assert _parents(result) == {
        GRAIN: "", "Thóc": GRAIN, "Ngô": GRAIN, "Tổng đàn trâu": "Chăn nuôi", "trâu cái sinh sản": "Tổng đàn trâu",
        "Tổng đàn lợn": "Chăn nuôi", "Tổng đàn gia cầm": "Chăn nuôi", "Diện tích trồng rừng mới": "Lâm nghiệp",
        "Tỷ lệ che phủ rừng": "Lâm nghiệp"}
    assert _codes(result, "of_which_label_alone") == []
    # a group's child is an indicator of its own (the catalog's doubt is said); a part is not
    unknown = result.issues.loc[result.issues["code"] == "not_in_catalog", "value"].tolist()
    assert "Tổng đàn gia cầm" in unknown and not {"Thóc", "Ngô", "trâu cái sinh sản"} & set(unknown)


def test_of_which_under_a_coded_child_of_a_group_and_the_rows_after_the_parts(tmp_path):
    """A commune's report: `Trong đó:` alone under `1.1` in the group `1 Nông nghiệp` belongs to 1.1 (there is an
    indicator above it); 1.2-1.4 go back to the group, `2` ends it."""
    result = clean([write_xlsx(tmp_path / "bao-cao-ktxh-xa-nam-cuong-2025.xlsx", [
        ["ỦY BAN NHÂN DÂN XÃ NAM CƯỜNG"], ["BÁO CÁO KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU KINH TẾ - XÃ HỘI NĂM 2025"], [],
        ["STT", "Chỉ tiêu", "Đơn vị tính", "Kế hoạch năm 2025", "Ước thực hiện năm 2025", "Ghi chú"],
        [1, 2, 3, 4, 5, 6], ["I", "KINH TẾ"], ["1", "Nông nghiệp"],
        ["1.1", GRAIN, "tấn", "5.120", "5.235,6"], ["", "Trong đó:"], ["-", "Lúa", "tấn", "3.150", "3.210,5"],
        ["-", "Ngô", "tấn", "1.970", "2.025,1"], ["1.2", "Lương thực bình quân đầu người", "kg/người/năm", 620, 634],
        ["1.3", "Diện tích trồng rừng mới", "ha", 150, 162], ["1.4", "Tỷ lệ che phủ rừng", "%", 78, 78.3],
        ["2", "Thu ngân sách nhà nước trên địa bàn", "triệu đồng", "1.250", "1.412"],
        ["II", "VĂN HÓA - XÃ HỘI"], ["1", "Tỷ lệ hộ nghèo", "%", 15, "14,2"]])])
    assert _parents(result) == {
        GRAIN: "Nông nghiệp", "Lúa": GRAIN, "Ngô": GRAIN, "Lương thực bình quân đầu người": "Nông nghiệp",
        "Diện tích trồng rừng mới": "Nông nghiệp", "Tỷ lệ che phủ rừng": "Nông nghiệp",
        "Thu ngân sách nhà nước trên địa bàn": "", "Tỷ lệ hộ nghèo": ""}
    assert _codes(result, "of_which_label_alone") == []
    assert [load(p)["parent"] for p in result.issues.loc[result.issues["code"] == "of_which_label", "params"]] == [
        GRAIN]


def test_nested_and_repeated_parts_each_under_the_indicator_just_above(tmp_path):
    """`Trong đó:` under a part is a part of that part; two `Trong đó: X` lines one after the other are both parts of
    the indicator above them; a part coded like its parent (`-` under `-`) is the parent's sibling."""
    result = clean([write_xlsx(tmp_path / "chi-tieu-2025.xlsx", [
        ["UBND XÃ YÊN PHONG"], ["CHỈ TIÊU NĂM 2025"], HEAD,
        ["1", GRAIN, "tấn", 4800, 4850], ["", "Trong đó:"], ["-", "Lúa", "tấn", 3100, 3120],
        ["", "Trong đó:"], ["+", "Lúa lai", "tấn", 1000, 1100], ["+", "Lúa thuần", "tấn", 2100, 2020],
        ["-", "Ngô", "tấn", 1700, 1730], ["2", "Tổng đàn gia súc", "con", 9000, 9100],
        ["", "Trong đó: trâu", "con", 5000, 4600], ["", "Trong đó: bò", "con", 4000, 4500],
        ["3", "Tỷ lệ che phủ rừng", "%", 83, 83.2]])])
    assert _parents(result) == {
        GRAIN: "", "Lúa": GRAIN, "Lúa lai": "Lúa", "Lúa thuần": "Lúa", "Ngô": GRAIN, "Tổng đàn gia súc": "",
        "trâu": "Tổng đàn gia súc", "bò": "Tổng đàn gia súc", "Tỷ lệ che phủ rừng": ""}
    assert _codes(result, "of_which_parts_unclear") == []


def test_parts_not_marked_apart_from_the_indicators_are_a_doubt(tmp_path):
    """No codes at all: where the parts of `Trong đó:` end is not written. The rows in the total's unit are taken as
    its parts and that is said; the first row in another unit is no part of it."""
    result = clean([write_xlsx(tmp_path / "bieu-2025.xlsx", [
        ["UBND XÃ BẰNG VÂN"], ["CHỈ TIÊU NĂM 2025"], ["Chỉ tiêu", "ĐVT", "Kế hoạch 2025", "Thực hiện 2025"],
        [GRAIN, "tấn", 4800, 4850], ["Trong đó:"], ["Lúa", "tấn", 3100, 3120], ["Ngô", "tấn", 1700, 1730],
        ["Tỷ lệ che phủ rừng", "%", 83, 83.2], ["Dân số trung bình", "người", 10250, 10312]])])
    assert _parents(result) == {GRAIN: "", "Lúa": GRAIN, "Ngô": GRAIN, "Tỷ lệ che phủ rừng": "",
                                "Dân số trung bình": ""}
    doubt = result.issues[result.issues["code"] == "of_which_parts_unclear"]
    assert doubt["row"].tolist() == [5] and load(doubt.iloc[0]["params"]) == {"parent": GRAIN, "first": 6, "last": 7}


def test_a_trong_do_with_nothing_above_it_is_still_a_doubt(tmp_path):
    result = clean([write_xlsx(tmp_path / "bieu-2025.xlsx", [
        ["UBND XÃ BẰNG VÂN"], ["CHỈ TIÊU NĂM 2025"], HEAD, ["I", "KINH TẾ"], ["", "Trong đó:"],
        ["-", "Lúa", "tấn", 3100, 3120]])])
    assert _codes(result, "of_which_label_alone") == [5] and _parents(result) == {"Lúa": ""}


def test_english_names_of_the_catalog_find_their_entry(tmp_path):
    """An English workbook names its indicators as the catalog's `name_en`: they join their series; an English name
    the catalog does not know gets the closest entries."""
    result = clean([write_xlsx(tmp_path / "thuong-minh-2025-english.xlsx", [
        ["PEOPLE'S COMMITTEE OF THUONG MINH COMMUNE"], ["REPORT ON SOCIO-ECONOMIC INDICATORS, 2025"], [],
        ["No.", "Indicator", "Unit", "Plan 2025", "Actual 2025"],
        ["1", "Total grain output", "tonnes", "4,250.5", "4,310"], ["2", "Forest cover", "%", "at least 85", 85.3],
        ["3", "POVERTY RATE (HOUSEHOLDS)", "%", "below 20%", 18.75], ["4", "Forest cover rate (%)", "%", 85, 85.3]])])
    ids = dict(zip(result.indicators["indicator"], result.indicators["indicator_id"], strict=True))
    assert ids == {"Total grain output": "grain_output", "Forest cover": "forest_cover",
                   "POVERTY RATE (HOUSEHOLDS)": "poverty_rate", "Forest cover rate (%)": ""}
    (unknown,) = result.issues.loc[result.issues["code"] == "not_in_catalog", "params"]
    assert load(unknown)["closest"].startswith("forest_cover (Tỷ lệ che phủ rừng)")


def test_english_and_vietnamese_names_are_one_name_space():
    assert catalog.match("Forest cover (%)") == catalog.match("Tỷ lệ che phủ rừng") == "forest_cover"
    assert catalog.match("New forest planted") == "new_forest"
    assert "grain_output" in catalog.suggestions("Total grain outputs")


def test_rows_that_number_the_columns_however_written_are_skipped(tmp_path):
    """`(1) | (2) | ... | (6)=(5)/(4)` under a three-row header, `A | B | 1 | 2 | 3=2/1` below the header printed again
    on the next page, `1 | 2 | 3=2/1` in a table without a unit column: none is an indicator."""
    head = [["STT", "Chỉ tiêu", "ĐVT", "Năm 2025", None, None, None], [None, None, None, "Kế hoạch", "Thực hiện",
                                                                       "So sánh (%)", None],
            [None, None, None, None, None, "Với KH", "Với cùng kỳ"]]
    result = clean([write_xlsx(tmp_path / "YenThinh_ChiTieu_2025.xlsx", [
        *head, ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)=(5)/(4)", "(7)"],
        ["1", "Tổng đàn trâu", "con", 1450, 1412, 97.4, 98.1], ["2", "Tổng đàn lợn", "con", 6800, 6950, 102.2, 104.5],
        head[0], ["A", "B", "C", "1", "2", "3=2/1", "4"], ["3", "Tỷ lệ che phủ rừng", "%", 83, 83.2, 100.2, 101],
        ["(1)", "(2)", "(3)", "(4)", "(5)", "(6) = (5) : (4)", "(7)"]]),
        write_xlsx(tmp_path / "xa-yen-phong-2025.xlsx", [
            ["UBND XÃ YÊN PHONG"], ["Chỉ tiêu", "Kế hoạch 2025", "Thực hiện 2025", "So sánh"], ["1", "2", "3=2/1"],
            ["Tổng đàn trâu", 700, 710, 101.4]])])
    assert sorted(result.indicators["indicator"]) == ["Tổng đàn lợn", "Tổng đàn trâu", "Tổng đàn trâu",
                                                      "Tỷ lệ che phủ rừng"]
    skipped = result.issues[result.issues["code"] == "column_number_row"]
    assert sorted(zip(skipped["file"], skipped["row"], strict=True)) == [
        ("YenThinh_ChiTieu_2025.xlsx", 4), ("YenThinh_ChiTieu_2025.xlsx", 8), ("YenThinh_ChiTieu_2025.xlsx", 10),
        ("xa-yen-phong-2025.xlsx", 3)]
    assert _codes(result, "header_repeated") == [7]


def test_a_row_of_small_numbers_without_a_name_is_an_indicator_without_a_name_not_column_numbers(tmp_path):
    """Figures of a row whose name was lost (`4 | | | 12 | 15`) do not number the columns: kept, and said."""
    result = clean([write_xlsx(tmp_path / "bieu-2025.xlsx", [
        ["UBND XÃ YÊN PHONG"], ["CHỈ TIÊU NĂM 2025"], HEAD, ["1", "Tổng đàn trâu", "con", 700, 710],
        ["4", "", "", 12, 15]])])
    assert _codes(result, "column_number_row") == [] and _codes(result, "unnamed_indicator") == [5]


def test_a_groups_child_is_a_series_and_two_workbooks_that_disagree_on_it_are_said(tmp_path):
    """`2.1 Tổng đàn trâu` under the heading `2 Chăn nuôi` (a heading, not an indicator) has the group as its parent,
    yet it is a series of its own (history) and two workbooks giving it different actuals are a doubt, as for any
    indicator; `Trâu cái` under `Trong đó:` below it is a part (no series of its own)."""
    from chodon_analysis import clean
    from chodon_analysis.analysis.series import history

    def book(name: str, buffalo: float):
        return write_xlsx(tmp_path / name, [["UBND XÃ NGHĨA TÁ"], ["BÁO CÁO NĂM 2025"],
                                            ["STT", "Chỉ tiêu", "ĐVT", "Kế hoạch năm 2025", "Thực hiện năm 2025"],
                                            ["2", "Chăn nuôi"], ["2.1", "Tổng đàn trâu", "con", 1450, buffalo],
                                            ["", "Trong đó: trâu cái sinh sản", "con", 600, 610]])
    r = clean([book("a.xlsx", 1412), book("b.xlsx", 1500)])
    rows = r.indicators.set_index("indicator")
    assert set(rows.loc["Tổng đàn trâu", "parent_indicator"]) == {"Chăn nuôi"}
    assert set(rows.loc["trâu cái sinh sản", "parent_indicator"]) == {"Tổng đàn trâu"}
    assert "workbooks_disagree" in set(r.issues.code)
    keys = set(history(r.indicators[r.indicators.source_file == "a.xlsx"])["key"])
    assert "buffalo_herd" in keys and not any("trâu cái" in k for k in keys)


def test_a_numbered_row_ends_the_parts_of_an_unnumbered_total_and_like_named_children_stay_apart(tmp_path):
    """`2 Số hộ nghèo` after the `- Dân số nữ` part of an unnumbered total is no part of it; `Diện tích` under
    `1 Cây lúa` and under `2 Cây ngô` (names the catalog does not know) are two things, never one series."""
    from chodon_analysis import clean
    from chodon_analysis.analysis.series import history

    head = [["BÁO CÁO NĂM 2025"], ["STT", "Chỉ tiêu", "ĐVT", "Kế hoạch năm 2025", "Thực hiện năm 2025"]]
    r = clean([write_xlsx(tmp_path / "a.xlsx", [*head, ["", "Dân số trung bình", "người", 10000, 10100],
                                                ["", "Trong đó:"], ["-", "Dân số nữ", "người", 5000, 5050],
                                                ["2", "Số hộ nghèo", "hộ", 100, 90]])])
    parents = dict(zip(r.indicators.indicator, r.indicators.parent_indicator, strict=True))
    assert parents["Dân số nữ"] == "Dân số trung bình" and parents["Số hộ nghèo"] == ""
    r = clean([write_xlsx(tmp_path / "b.xlsx", [*head, ["1", "Cây lúa"], ["-", "Diện tích", "ha", 5000, 5050],
                                                ["2", "Cây ngô"], ["-", "Diện tích", "ha", 1000, 1200]])])
    assert "duplicate_indicator" not in set(r.issues.code)
    assert not any(k.startswith("?Diện tích") for k in history(r.indicators)["key"])
