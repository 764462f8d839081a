"""The year's Excel workbook, read back with openpyxl: the office layout, statuses and their colours, notes,
number formats, counts, issues, the English workbook, and hostile text kept as text."""

from __future__ import annotations

import dataclasses
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from chodon_analysis import write_outputs
from chodon_analysis.analysis import attainment, context
from chodon_analysis.report.style import STATUS_COLORS
from chodon_analysis.report.workbook import counts_table, write_workbook

ROOT = Path(__file__).resolve().parents[1]
HEADER = 3  # the header row, 1-based as openpyxl counts
WORDS = {"Vượt kế hoạch": "exceeded", "Đạt kế hoạch": "met", "Không đạt": "not_met",
         "Chưa đánh giá": "not_evaluated"}
HOSTILE = '=HYPERLINK("http://x","y")'


@pytest.fixture(scope="module")
def data(bundled, tmp_path_factory):
    """The bundled workbooks cleaned in-process (conftest's `bundled`), written out, loaded as a report does."""
    out = tmp_path_factory.mktemp("workbook")
    write_outputs(bundled, out / "processed")
    ctx = context.load(out / "processed", ROOT / "data" / "external", "Chợ Đồn")
    issues = pd.read_csv(out / "processed" / "issues.csv", dtype=str, keep_default_na=False)
    return out, ctx, issues


@pytest.fixture(scope="module")
def books(data):
    """Each workbook written once: Vietnamese 2024 and 2023 (it has disagreements), English 2024, hostile."""
    out, ctx, issues = data
    ind = ctx.indicators.copy()
    first = ind.index[ind["year"] == 2024][0]
    ind.loc[first, ["indicator", "unit"]] = [HOSTILE, "=1+1"]
    hostile = dataclasses.replace(ctx, indicators=ind)
    bad_issues = pd.concat([issues, pd.DataFrame([{"file": HOSTILE, "sheet": "@x", "row": "1", "column": "A",
                                                   "value": "+cmd|' /C calc'!A0", "problem": "-2+3",
                                                   "action": "=1"}])])
    paths = {"vi": write_workbook(out / "vi.xlsx", 2024, ctx, issues),
             "vi2023": write_workbook(out / "vi2023.xlsx", 2023, ctx, issues),
             "en": write_workbook(out / "en.xlsx", 2024, ctx, issues, lang="en"),
             "hostile": write_workbook(out / "hostile.xlsx", 2024, hostile, bad_issues)}
    return {k: load_workbook(p) for k, p in paths.items()}


def body(ws) -> list[tuple]:
    """The cells below the header, one tuple a row."""
    return list(ws.iter_rows(min_row=HEADER + 1, max_row=ws.max_row))


def indicator_rows(ws) -> list[tuple]:
    return [r for r in body(ws) if isinstance(r[0].value, int)]


def test_sheet_names_in_vietnamese(books):
    names = ["Kết quả 2024", "Tổng hợp", "Che phủ rừng", "Lương thực", "Vấn đề dữ liệu"]
    assert books["vi"].sheetnames == names


def test_attainment_header_title_and_layout(books):
    ws = books["vi"]["Kết quả 2024"]
    assert ws["A1"].value == "KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU KẾ HOẠCH NĂM 2024" and ws["A1"].font.b
    assert "A1:I1" in {str(r) for r in ws.merged_cells.ranges}
    assert ws["A2"].value.startswith("Chợ Đồn.")
    assert [c.value for c in ws[HEADER]] == [
        "STT", "Chỉ tiêu", "ĐVT", "Kế hoạch năm 2024", "Thực hiện năm 2024", "TH/KH (%)",
        "Đánh giá (tính theo quy tắc)", "Đánh giá của cơ quan", "Ghi chú"]
    assert ws.freeze_panes == "C4"
    assert ws.auto_filter.ref == f"A{HEADER}:I{ws.max_row}"
    assert ws.page_setup.orientation == "landscape" and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == f"${HEADER}:${HEADER}"
    assert ws.column_dimensions["B"].width <= 61 and ws["B5"].alignment.wrap_text


def test_sections_in_roman_numerals_and_indicators_numbered(books):
    rows = body(books["vi"]["Kết quả 2024"])
    sections = [r for r in rows if isinstance(r[0].value, str)]
    assert [r[0].value for r in sections] == ["I", "II", "III", "IV"]
    assert sections[0][1].value == "CHỈ TIÊU VỀ KINH TẾ" and sections[0][1].font.b
    numbers, n = [], 0
    for r in rows:
        n = 0 if isinstance(r[0].value, str) else n + 1
        numbers.append(r[0].value == n or isinstance(r[0].value, str))
    assert all(numbers)


def test_every_indicator_of_the_year_once(books, data):
    primary = attainment.primary_rows(data[1].indicators.query("year == 2024"))
    names = Counter(r[1].value for r in indicator_rows(books["vi"]["Kết quả 2024"]))
    assert len(primary) == 42  # the published total
    assert names == Counter(primary["indicator"]) and sum(names.values()) == 42


def test_status_cells_words_and_colours(books):
    rows = indicator_rows(books["vi"]["Kết quả 2024"])
    for r in rows:
        for cell in (r[6], r[7]):
            assert cell.value in WORDS
            assert cell.fill.fgColor.rgb == "FF" + STATUS_COLORS[WORDS[cell.value]].lstrip("#").upper()
    assert Counter(r[6].value for r in rows) == {"Đạt kế hoạch": 22, "Vượt kế hoạch": 10, "Không đạt": 8,
                                                  "Chưa đánh giá": 2}


def test_plan_and_actual_numbers_and_texts(books):
    rows = {r[1].value: r for r in indicator_rows(books["vi"]["Kết quả 2024"])}
    grain = rows["Tổng sản lượng lương thực có hạt"]
    assert (grain[3].value, grain[4].value) == (28500, 29210)
    assert grain[3].number_format == "[$-42A]#,##0" and "#,##0" in grain[4].number_format
    assert grain[5].value == pytest.approx(102.5) and grain[5].number_format.endswith("#,##0.0")
    assert rows["Lương thực bình quân đầu người"][3].value == "trên 500"
    assert rows["Dân số trung bình"][3].value == "khoảng 51.300"
    assert rows["Hệ số sử dụng đất nông nghiệp"][3].number_format.endswith("#,##0.00")
    missing = rows["Số xã đạt chuẩn nông thôn mới kiểu mẫu"]
    assert missing[4].value == "chưa có số liệu" and missing[5].value is None


def test_notes_disagreement_and_illustrative(books, data):
    ws = books["vi2023"]["Kết quả 2023"]
    rows = {r[1].value: r for r in indicator_rows(ws)}
    note = rows["Hệ số sử dụng đất nông nghiệp"][8].value
    assert "Cơ quan đánh giá “Đạt kế hoạch”, số liệu cho “Không đạt”" in note and "số liệu minh họa" in note
    disagree = attainment.disagreements(data[1].indicators.query("year == 2023"))
    assert len(disagree) == 1
    assert all("Cơ quan đánh giá" in rows[name][8].value for name in disagree["indicator"])
    vi = {r[1].value: r for r in indicator_rows(books["vi"]["Kết quả 2024"])}
    assert vi["Tổng đàn trâu"][8].value == "số liệu minh họa"


def test_counts_sheet(books):
    ws = books["vi"]["Tổng hợp"]
    assert [c.value for c in ws[HEADER]] == ["Mức độ hoàn thành", "Tính theo quy tắc", "Cơ quan tự đánh giá", "Công bố"]
    rows = [[c.value for c in r] for r in body(ws)]
    assert [r[0] for r in rows] == [*WORDS, "Tổng số"]
    for col in (1, 2, 3):
        assert rows[-1][col] == sum(r[col] for r in rows[:-1])
    assert rows[-1][1:] == [42, 42, 42] and rows[0][1:] == [10, 10, 10]
    assert ws["A4"].fill.fgColor.rgb == "FF" + STATUS_COLORS["exceeded"].lstrip("#").upper()
    assert ws.auto_filter.ref == f"A{HEADER}:D{ws.max_row}" and ws.freeze_panes == "B4"


def test_counts_blank_where_the_office_gave_no_assessment(data):
    counts = counts_table(data[1], 2021, "Chợ Đồn")  # the 2021 workbook has no assessment column
    assert counts["reported"].isna().all() and counts["computed"].iloc[-1] == 17


def test_forest_and_grain_sheets(books):
    forest = books["vi"]["Che phủ rừng"]
    assert forest[HEADER][0].value == "Năm" and forest[HEADER][9].value == "Đứt gãy chuỗi"
    assert forest[HEADER][4].value == "Chi tiết nguồn"  # the workbook, address or communes, as on the HTML page
    years = [r[0] for r in body(forest)]
    assert [c.value for c in years] == [2009, 2020, 2021, 2022, 2023, 2024, 2025]
    assert all(isinstance(c.value, int) and c.number_format == "0" for c in years)
    assert {r[3].value for r in body(forest)} == {"công bố", "kế hoạch"}  # the plan year says so
    assert {r[7].value for r in body(forest)} == {"công bố", "minh họa", None}
    assert "đứt gãy chuỗi" in body(forest)[0][9].value
    assert body(forest)[-1][9].value is None  # the plan year: no point, no break (not the reform of its communes)
    grain = books["vi"]["Lương thực"]
    assert [c.value for c in grain[HEADER]][:3] == ["Năm", "Sản lượng lương thực (tấn)", "Dân số (người)"]
    row_2024 = next(r for r in body(grain) if r[0].value == 2024)
    assert (row_2024[1].value, row_2024[2].value, row_2024[3].value) == (29210, 51300, pytest.approx(569.4))
    for ws in (forest, grain):
        assert ws.auto_filter.ref.startswith(f"A{HEADER}:") and ws.freeze_panes == "B4"


def test_issues_sheet(books, data):
    ws = books["vi"]["Vấn đề dữ liệu"]
    headers = ["Tệp", "Trang tính", "Dòng", "Cột", "Giá trị", "Vấn đề", "Cách xử lý"]
    assert [c.value for c in ws[HEADER]] == headers
    assert len(body(ws)) == len(data[2]) and ws.auto_filter.ref == f"A{HEADER}:G{ws.max_row}"
    assert "dòng tiêu đề lĩnh vực" in {r[5].value for r in body(ws)}  # the problem in Vietnamese
    assert "dùng làm lĩnh vực cho các dòng bên dưới" in {r[6].value for r in body(ws)}  # and the action
    assert not {r[5].value for r in body(ws)} & set(data[2]["problem"])  # no English left


def test_no_nan_anywhere(books):
    for wb in books.values():
        for ws in wb:
            shown = {str(c.value).lower() for row in ws.iter_rows() for c in row if c.value is not None}
            assert not shown & {"nan", "<na>", "none", "nat"}
    plan_year = next(r for r in body(books["vi"]["Che phủ rừng"]) if r[0].value == 2025)
    assert plan_year[1].value is None  # a NaN of the table (no cover in the plan year) is a blank cell


def test_english_workbook(books):
    wb = books["en"]
    assert wb.sheetnames == ["Attainment 2024", "Summary", "Forest cover", "Grain", "Data issues"]
    words = {r[6].value for r in indicator_rows(wb["Attainment 2024"])}
    assert {"Met", "Exceeded"} <= words <= {"Met", "Exceeded", "Not met", "Not evaluated"}
    assert wb["Attainment 2024"]["D3"].value == "Plan 2024"
    grain = indicator_rows(wb["Attainment 2024"])[0][3]
    assert grain.value == 28500 and grain.number_format == "#,##0"  # not the Vietnamese locale's [$-42A]#,##0


def test_hostile_text_is_text(books, data):
    wb = books["hostile"]
    cell = next(r[1] for r in indicator_rows(wb["Kết quả 2024"]) if r[1].value == HOSTILE)
    assert cell.data_type == "s"
    issues = {c.value: c.data_type for r in body(wb["Vấn đề dữ liệu"]) for c in r if c.value is not None}
    for text in (HOSTILE, "@x", "+cmd|' /C calc'!A0", "=1"):
        assert issues[text] == "s"
    assert not list(data[0].glob(".*.tmp"))  # written through a temporary file, moved into place
