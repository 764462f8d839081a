"""Tables inside documents (issue 23, item 5): the indicator appendix of a Word report (.docx) and a portal's web page
(.html) read with the same layout finding as a sheet, each table a sheet; what is not the table (the report's text,
menus, comments, signatures) is no indicator; hostile documents refused with one line, nothing run or fetched."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from conftest import cp1258_bytes, write_xlsx
from documents import (
    APPENDIX_ROWS,
    PORTAL,
    excel_page,
    para,
    raw_docx,
    w_table,
    word_report,
    zip_bomb_docx,
)

from chodon_analysis import clean
from chodon_analysis.cleaning.formats import read_workbook

COLUMNS = ["indicator", "parent_indicator", "unit", "plan_op", "plan_value", "actual_value", "year"]


def _rows(result) -> list[tuple]:
    df = result.indicators
    return [tuple(r) for r in df[COLUMNS].itertuples(index=False)]


def test_a_word_appendix_gives_the_rows_a_person_would_write_down(tmp_path):
    r = clean([word_report(tmp_path / "Bao cao KT-XH 2024 xa Nam Cuong.docx")])
    assert not r.failed, r.failed
    assert _rows(r) == APPENDIX_ROWS
    df = r.indicators
    assert set(df.area) == {"Nam Cường"} and set(df.area_level) == {"commune"} and set(df.district) == {"Chợ Đồn"}
    assert set(df.source_sheet) == {"Bảng 2"}  # the office's heading is table 1
    assert df.section.tolist() == ["KINH TẾ"] * 5 + ["VĂN HÓA - XÃ HỘI"] * 2
    codes = r.issues.groupby("code").value.apply(list).to_dict()
    assert codes["section_heading"] == ["KINH TẾ", "VĂN HÓA - XÃ HỘI"] and codes["of_which_label"] == ["Trong đó:"]
    assert codes["note_row"] == ["Ghi chú: số liệu thực hiện năm 2024 là số ước thực hiện đến ngày 31/12/2024."]
    assert codes["signature_line"][:2] == ["Nơi nhận: - UBND huyện Chợ Đồn; - Lưu: VT.",
                                           "TM. ỦY BAN NHÂN DÂN CHỦ TỊCH Nguyễn Văn An"]
    assert "no_place_in_title" not in codes and "several_years" not in codes  # the report's text is no title
    layout = r.layout[r.layout.sheet == "Bảng 2"]
    assert layout.header_text.tolist()[3:6] == ["Năm 2024 Kế hoạch", "Năm 2024 Thực hiện", "Năm 2024 So sánh (%)"]
    assert layout.role.tolist() == ["order", "indicator", "unit", "plan", "actual", "comparison", "note"]


def test_a_portal_page_gives_the_rows_without_its_menus_comments_or_footer(tmp_path):
    page = tmp_path / "bieu-chi-tieu.html"
    page.write_text(PORTAL, encoding="utf-8")
    (tmp_path / "quang-cao.html").write_text("<table><tr><td>Chỉ tiêu</td><td>Kế hoạch</td></tr>"
                                             "<tr><td>Quảng cáo</td><td>1</td></tr></table>", encoding="utf-8")
    r = clean([page])
    assert not r.failed, r.failed
    assert _rows(r) == APPENDIX_ROWS  # no visitor counter, no comment, no script's table, no framed page
    df = r.indicators
    assert set(df.area) == {"Nam Cường"} and set(df.area_level) == {"commune"}  # not the site's district
    assert set(df.source_sheet) == {"Bảng 2"}  # the sidebar's counter is table 1 (not read); a script is no table
    assert r.issues[r.issues.code == "hidden_row"].value.tolist() == ["9 | Chỉ tiêu nháp | % | 1 | 2"]
    assert r.issues[r.issues.code == "note_row"].value.tolist() == ["Nguồn: Văn phòng HĐND - UBND xã Nam Cường"]
    text = " ".join(r.issues.value.astype(str))
    assert not any(w in text for w in ("Trang chủ", "Ý kiến", "Nguyễn Văn B", "Bản quyền", "alert", "truy cập"))


def test_a_sheet_saved_from_excel_as_a_web_page_is_read_with_the_values_excel_saved(tmp_path):
    """Excel on a Vietnamese Windows saves the page in Windows-1258; each number carries its value (`x:num`)
    beside the text it shows: read as the number, at the decimals and percent the text shows."""
    page = tmp_path / "Bieu 01 - Yen Phong.htm"
    page.write_bytes(cp1258_bytes(excel_page([
        ("1", "Tổng sản lượng lương thực có hạt", "tấn", ("28.320", "28320"), ("28.415,5", "28415.5")),
        ("2", "Tỷ lệ che phủ rừng", "%", ("80,5%", "0.805"), ("80,6%", "0.806")),
        ("3", "Tỷ lệ trường đạt chuẩn quốc gia", "%", ("trên 90", ""), ("92,3", "92.3"))])))
    r = clean([page])
    assert not r.failed, r.failed
    assert _rows(r) == [("Tổng sản lượng lương thực có hạt", "", "tấn", "=", 28320.0, 28415.5, 2025),
                        ("Tỷ lệ che phủ rừng", "", "%", "=", 80.5, 80.6, 2025),
                        ("Tỷ lệ trường đạt chuẩn quốc gia", "", "%", ">", 90.0, 92.3, 2025)]
    df = r.indicators
    assert set(df.area) == {"Yên Phong"} and df.actual_is_estimate.all()
    assert df.actual_text.tolist()[:2] == ["28415.5", "80.6%"] and df.plan_text.tolist()[:2] == ["28320", "80.5%"]
    assert "ambiguous_number_assumed" not in set(r.issues.code)  # 28.320 is the number Excel saved
    assert set(r.issues[r.issues.code == "percent_fraction_formatted"].value) == {"0.805", "0.806"}


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8-sig", "cp1258 undeclared", "utf-8 declared latin-1"])
def test_a_page_is_decoded_as_a_browser_decodes_it(tmp_path, encoding):
    text = ("<html><head><title>Biểu chỉ tiêu năm 2024</title></head><body><p>UBND XÃ NAM CƯỜNG</p><table>"
            "<tr><td>Chỉ tiêu</td><td>ĐVT</td><td>Kế hoạch</td><td>Thực hiện</td></tr>"
            "<tr><td>Tỷ lệ che phủ rừng</td><td>%</td><td>80,5</td><td>80,6</td></tr></table></body></html>")
    page = tmp_path / "trang.html"
    if encoding == "cp1258 undeclared":
        page.write_bytes(cp1258_bytes(text))
    elif encoding == "utf-8 declared latin-1":  # a page that says latin-1 but is UTF-8: as the browser, mojibake
        page.write_bytes(text.replace("<head>", '<head><meta charset="iso-8859-1">').encode("utf-8"))
    else:
        page.write_bytes(text.encode(encoding))
    r = clean([page])
    assert not r.failed, r.failed
    assert _rows(r) == [("Tỷ lệ che phủ rừng", "", "%", "=", 80.5, 80.6, 2024)]
    assert r.indicators.area.tolist() == ["Nam Cường"]
    assert ("text_mojibake" in set(r.issues.code)) == (encoding == "utf-8 declared latin-1")


def test_merged_cells_and_line_breaks_are_laid_out_as_a_spreadsheet_shows_them(tmp_path):
    def tc(text: str, props: str = "") -> str:
        paragraphs = "".join(f"<w:p><w:r><w:t>{t}</w:t></w:r></w:p>" for t in text.split("|")) or "<w:p/>"
        return f"<w:tc><w:tcPr>{props}</w:tcPr>{paragraphs}</w:tc>"

    name = "<w:p><w:r><w:t>Lúa</w:t><w:br/><w:t>nương</w:t><w:tab/><w:t>(*)</w:t></w:r></w:p>"
    doc = raw_docx(tmp_path / "a.docx", "<w:tbl>" + "".join(f"<w:tr>{cells}</w:tr>" for cells in (
        tc("TT|số", '<w:vMerge w:val="restart"/>') + tc("Chỉ tiêu") + tc("Năm 2024", '<w:gridSpan w:val="2"/>'),
        tc("", "<w:vMerge/>") + tc("") + tc("Kế hoạch") + tc("Thực hiện"),
        tc("1") + f"<w:tc>{name}</w:tc>" + tc("10") + tc("11"))) +
        '<w:tr><w:trPr><w:gridBefore w:val="2"/></w:trPr>' + tc("dư") + tc("12") + "</w:tr></w:tbl>")
    sheet = read_workbook(doc).sheets[0]
    assert sheet.name == "Bảng 1"
    assert sheet.grid == [["TT\nsố", "Chỉ tiêu", "Năm 2024", ""], ["", "", "Kế hoạch", "Thực hiện"],
                          ["1", "Lúa\nnương\t(*)", "10", "11"], ["", "", "dư", "12"]]
    assert sorted(sheet.merged) == [((0, 0), (1, 0)), ((0, 2), (0, 3))]
    page = tmp_path / "a.html"
    page.write_text("<table><tr><td rowspan=3>A</td><td colspan=2>B</td><td rowspan=0>C</td></tr>"
                    "<tr><td>d</td><td rowspan=9>e</td></tr><tr><td colspan=0>f<br>g<p>h</p></td></tr>"
                    "<tr hidden><td>i</td></tr></table>", encoding="utf-8")
    sheet = read_workbook(page).sheets[0]
    assert sheet.grid == [["A", "B", "", "C"], ["", "d", "e", ""], ["", "f\ng\nh", "", ""], ["i", "", "", ""]]
    assert sorted(sheet.merged) == [((0, 0), (2, 0)), ((0, 1), (0, 2)), ((0, 3), (3, 3)), ((1, 2), (3, 2))]
    assert sheet.hidden_rows == {3}


def test_a_table_that_frames_the_page_is_read_as_text_and_its_inner_table_as_the_sheet(tmp_path):
    """Old portals lay the page out in a table; a Word appendix may sit in a one-cell frame. The inner table is the
    sheet; a table of one row or column inside a cell is that cell's text."""
    inner = ("<table border=1><tr><td>Chỉ tiêu</td><td>ĐVT</td><td>KH 2024</td><td>TH 2024</td></tr>"
             "<tr><td>Tỷ lệ che phủ rừng</td><td><table><tr><td>%</td></tr></table></td><td>80,5</td><td>80,6</td>"
             "</tr></table>")
    page = tmp_path / "khung.htm"
    page.write_text(f"<table><tr><td><a href=/>Trang chủ</a><br>Giới thiệu</td><td><b>UBND XÃ NAM CƯỜNG</b>"
                    f"<p>BIỂU CHỈ TIÊU NĂM 2024</p>{inner}</td></tr></table>", encoding="utf-8")
    frame = raw_docx(tmp_path / "khung.docx", "<w:tbl><w:tr><w:tc>" + para("UBND XÃ NAM CƯỜNG") + w_table(
        [["Chỉ tiêu", "ĐVT", "KH 2024", "TH 2024"], ["Tỷ lệ che phủ rừng", "%", "80,5", "80,6"]])
        + "<w:p/></w:tc></w:tr></w:tbl>")
    for path, sheet in ((page, "Bảng 2"), (frame, "Bảng 2")):
        r = clean([path])
        assert _rows(r) == [("Tỷ lệ che phủ rừng", "", "%", "=", 80.5, 80.6, 2024)], path
        assert r.indicators.source_sheet.tolist() == [sheet] and r.indicators.area.tolist() == ["Nam Cường"]


def test_each_table_is_a_sheet_in_the_layout_log_and_in_inspect(tmp_path):
    from chodon_analysis.cleaning.inspect import inspect_file

    doc = word_report(tmp_path / "hai-bieu.docx", tables=2)
    r = clean([doc])
    assert sorted(set(r.layout.sheet)) == ["Bảng 2", "Bảng 3"] and len(r.indicators) == 2 * len(APPENDIX_ROWS)
    views, _ = inspect_file(doc)
    assert [v.name for v in views] == ["Bảng 1", "Bảng 2", "Bảng 3", "Bảng 4"]  # heading, two tables, signature
    assert [bool(v.problem) for v in views] == [True, False, False, True]
    assert views[1].records[0]["indicator"] == "Tổng sản lượng lương thực có hạt"


def test_a_document_named_as_another_format_is_read_as_what_it_is(tmp_path):
    """As an .xls saved as .xlsx: a page saved with an .xls name (web exports), a Word file named .xls, a workbook
    named .docx are read as what they are; a text file named .docx or .html is refused."""
    from chodon_analysis.cleaning.formats import html as html_format

    page = tmp_path / "xuat-tu-web.xls"
    page.write_text(PORTAL, encoding="utf-8")
    word = word_report(tmp_path / "bao-cao.xls")
    book = write_xlsx(tmp_path / "bieu.docx", [["BIỂU CHỈ TIÊU NĂM 2024"], ["Chỉ tiêu", "ĐVT", "Kế hoạch", "Thực hiện"],
                                               ["Tỷ lệ che phủ rừng", "%", 80.5, 80.6]])
    text = tmp_path / "ghi-chu.docx"
    text.write_text("Chỉ tiêu;Kế hoạch\n", encoding="utf-8")
    html_text = tmp_path / "ghi-chu.html"
    html_text.write_text("Chỉ tiêu;Kế hoạch\n", encoding="utf-8")
    r = clean([page, word, book, text, html_text])
    assert r.indicators.groupby("source_file").size().to_dict() == {"bao-cao.xls": 7, "bieu.docx": 1,
                                                                     "xuat-tu-web.xls": 7}
    assert {p.name: why.code for p, why in r.failed} == {"ghi-chu.docx": "not_a_document",
                                                         "ghi-chu.html": "not_a_web_page"}
    assert html_format.recognise(b"\xef\xbb\xbf\r\n<!-- saved from url=(0014)about:internet -->\n<HTML>")
    assert not html_format.recognise(b"TT,Chi tieu,<b>")


def test_a_saved_page_s_own_folder_is_not_read_and_a_page_of_frames_is_refused(tmp_path):
    (tmp_path / "bieu.html").write_text(PORTAL, encoding="utf-8")
    (tmp_path / "bieu_files").mkdir()
    (tmp_path / "bieu_files" / "saved_resource.html").write_text("<html><body>quảng cáo</body></html>")
    (tmp_path / "so-lieu_files").mkdir()  # no page beside it: a folder like any other
    (tmp_path / "so-lieu_files" / "trang.htm").write_text(PORTAL, encoding="utf-8")
    (tmp_path / "Book1.htm").write_text('<html><frameset rows="*,39"><frame src="Book1_files/sheet001.htm">'
                                        '<frame src="Book1_files/tabstrip.htm"></frameset></html>')
    r = clean([tmp_path])
    assert sorted(p.name for p in r.files) == ["Book1.htm", "bieu.html", "trang.htm"]
    assert [(p.name, why.code, why.params) for p, why in r.failed] == [
        ("Book1.htm", "page_of_frames", {"frames": "Book1_files/sheet001.htm, Book1_files/tabstrip.htm"})]


def _deep_html(levels: int) -> str:
    cell = "<tr><td>Chỉ tiêu</td><td>Kế hoạch</td></tr>"
    return "<html><body>" + "<table><tr><td>" * levels + f"<table>{cell}</table>" + "</td></tr></table>" * levels


def _hostile(tmp_path, kind: str):
    path = tmp_path / f"{kind}.{'html' if kind.startswith('html') else 'docx'}"
    rows = [["Chỉ tiêu", "Kế hoạch", "Thực hiện"], ["Lúa", "1", "2"]]
    if kind == "docx-xxe":
        raw_docx(path, para("&xxe;") + w_table(rows), document_head='<!DOCTYPE w:document [<!ENTITY xxe SYSTEM '
                                                                     '"file:///etc/passwd">]>')
    elif kind == "docx-laughs-in-styles":  # a part python-docx would parse, not the document itself
        laughs = '<!DOCTYPE s [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><s>&b;</s>'
        raw_docx(path, w_table(rows), extra={"word/styles.xml": laughs.encode()})
    elif kind == "docx-zip-bomb":
        zip_bomb_docx(path)
    elif kind == "docx-huge-gridspan":
        raw_docx(path, w_table(rows, {(1, 0): '<w:gridSpan w:val="2147483647"/>'}))
    elif kind == "docx-nested":
        body = w_table(rows)
        for _ in range(40):
            body = f"<w:tbl><w:tr><w:tc>{body}<w:p/></w:tc></w:tr></w:tbl>"
        raw_docx(path, body)
    elif kind == "docx-many-merges":
        props = {(1, c): '<w:vMerge w:val="restart"/>' for c in range(3)}
        raw_docx(path, w_table(rows + [["x", "y", "z"]] * 4000, props | {
            (r, c): '<w:gridSpan w:val="1"/><w:vMerge w:val="restart"/>' for r in range(2, 4002) for c in range(3)}))
    else:
        page = {"html-huge-colspan": "<table><tr><td>Chỉ tiêu</td><td colspan=99999999>Kế hoạch</td></tr></table>",
                "html-huge-rowspan": "<table><tr><td rowspan='4294967297'>Chỉ tiêu</td><td>Kế hoạch</td></tr></table>",
                "html-nested": _deep_html(12), "html-nested-past-the-parser": _deep_html(300),
                "html-entity": '<!DOCTYPE html [<!ENTITY x SYSTEM "file:///etc/passwd">]><html><p>&x;</p></html>',
                "html-spans-past-the-cells": "<table>" + "<tr><td colspan=1000>Chỉ tiêu</td></tr>" * 2000 + "</table>",
                "html-tags": "<html>" + "<b>" * (1_000_001) + "</html>"}[kind]
        path.write_text(page, encoding="utf-8")
    return path


HOSTILE = {"docx-xxe": "document_doctype", "docx-laughs-in-styles": "document_doctype",
           "docx-zip-bomb": "document_zip_bomb", "docx-huge-gridspan": "table_too_large",
           "docx-nested": "table_nested_too_deep", "docx-many-merges": "table_too_many_merges",
           "html-huge-colspan": "table_too_large", "html-huge-rowspan": "table_too_large",
           "html-nested": "table_nested_too_deep", "html-nested-past-the-parser": "table_nested_too_deep",
           "html-entity": "document_doctype", "html-spans-past-the-cells": "table_too_large",
           "html-tags": "document_too_many_elements"}


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_a_hostile_document_is_refused_with_one_line(tmp_path, kind):
    path = _hostile(tmp_path, kind)
    t = time.perf_counter()
    r = clean([path])
    assert time.perf_counter() - t < 5
    assert [(p.name, why.code) for p, why in r.failed] == [(path.name, HOSTILE[kind])]
    reason = str(r.failed[0][1])
    assert "\n" not in reason and "passwd" not in reason and "Traceback" not in reason
    assert r.issues.code.tolist() == [HOSTILE[kind]] and r.indicators.empty


def test_a_document_s_refusal_is_one_error_line_on_the_command_line(tmp_path):
    from conftest import chodon

    bomb = zip_bomb_docx(tmp_path / "bom.docx")
    good = word_report(tmp_path / "bao-cao.docx")
    done = chodon("clean", str(bomb), str(good), "--out", str(tmp_path / "out"))
    assert done.returncode == 1
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert errors == [f"error: {bomb}: the document would inflate to 4,096 MB (a 'zip bomb'); refused for safety. "
                      "If it is genuine, copy the indicator table alone into a new file"]
    assert (tmp_path / "out" / "indicators.csv").read_text(encoding="utf-8-sig").count("bao-cao.docx") == 7


def test_nothing_in_a_document_is_run_or_fetched(tmp_path, monkeypatch):
    """Links, pictures, frames, fields and embedded pages are text or nothing: no connection is ever opened."""
    import socket

    def refuse(*_args, **_kw):
        raise AssertionError("a connection was opened")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    rels = ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"'
            ' Target="http://tracker.example.invalid/x.png" TargetMode="External"/></Relationships>')
    field = ('<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>INCLUDETEXT "http://x.invalid/a"'
             '</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>UBND XÃ NAM CƯỜNG</w:t>'
             '</w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>')
    doc = raw_docx(tmp_path / "lien-ket.docx", field + para("BIỂU CHỈ TIÊU NĂM 2024") + w_table(
        [["Chỉ tiêu", "ĐVT", "Kế hoạch", "Thực hiện"], ["Tỷ lệ che phủ rừng", "%", "80,5", "80,6"]]),
        extra={"word/_rels/document.xml.rels": rels.encode()})
    page = tmp_path / "trang.html"
    page.write_text(PORTAL, encoding="utf-8")
    r = clean([doc, page])
    assert not r.failed and r.indicators.groupby("source_file").area.first().to_dict() == {
        "lien-ket.docx": "Nam Cường", "trang.html": "Nam Cường"}


def test_every_refusal_of_a_document_is_a_failure_listed_in_the_docs_with_words_in_both_languages():
    import re

    from conftest import ROOT

    from chodon_analysis.base import i18n
    from chodon_analysis.base.issues import FAILED, kind_of
    from chodon_analysis.cleaning.formats import bounds, document, docx, html

    source = "".join(Path(m.__file__).read_text(encoding="utf-8") for m in (docx, html, document, bounds))
    codes = set(re.findall(r'ReadError\(\s*"([a-z_]+)"', source)) | {docx.NOT_THIS, html.NOT_THIS}
    assert {"document_doctype", "table_too_large", "table_nested_too_deep", "page_of_frames"} <= codes
    listed = (ROOT / "docs" / "reading.md").read_text(encoding="utf-8").split("### Files that cannot be read")[1]
    for code in codes:
        assert kind_of(code) == FAILED and f"`{code}`" in listed.split("### Adding")[0], code
        for lang in ("vi", "en"):
            assert i18n.has(f"issue.{code}.problem", lang) and i18n.has(f"issue.{code}.action", lang), (code, lang)


def test_a_table_split_by_a_page_break_is_one_sheet_and_a_page_s_other_parts_are_not_under_it(tmp_path):
    """Word keeps an empty paragraph between the two halves of a table split at a page break: one table, as shown,
    its header repeated on the second page skipped. A page's `<tfoot>` is its last rows wherever it is written; a
    heading after the table starts another part of the page (related news): nothing of it is read."""
    header = ["TT", "Chỉ tiêu", "ĐVT", "Kế hoạch", "Thực hiện"]
    doc = raw_docx(tmp_path / "tach.docx", para("UBND XÃ NAM CƯỜNG") + para("BIỂU CHỈ TIÊU NĂM 2024") + w_table(
        [header, ["1", "Lúa", "tấn", "10", "11"]]) + "<w:p/><w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>" + w_table(
        [header, ["2", "Ngô", "tấn", "8", "9"]]) + para("TM. ỦY BAN NHÂN DÂN"))
    r = clean([doc])
    assert [row[0] for row in _rows(r)] == ["Lúa", "Ngô"] and set(r.indicators.source_sheet) == {"Bảng 1"}
    assert set(r.issues.code) >= {"header_repeated", "signature_line"}
    page = tmp_path / "chan-bang.html"
    page.write_text("<h1>UBND XÃ NAM CƯỜNG - BIỂU CHỈ TIÊU NĂM 2024</h1><table><thead><tr><th>Chỉ tiêu</th>"
                    "<th>ĐVT</th><th>Kế hoạch</th><th>Thực hiện</th></tr></thead><tfoot><tr><td colspan=4>Ghi chú: "
                    "số liệu ước thực hiện</td></tr></tfoot><tbody><tr><td>Lúa</td><td>tấn</td><td>10</td><td>11</td>"
                    "</tr></tbody></table><p>Nguồn: UBND xã</p><h3>Tin liên quan</h3><ul><li>Hội nghị tổng kết "
                    "năm 2024 của xã Nam Cường diễn ra ngày 25/12</li></ul>", encoding="utf-8")
    r = clean([page])
    assert [row[0] for row in _rows(r)] == ["Lúa"]
    assert r.issues[r.issues.code == "note_row"].value.tolist() == ["Ghi chú: số liệu ước thực hiện",
                                                                    "Nguồn: UBND xã"]


def test_a_word_appendix_typed_in_a_legacy_vietnamese_font_is_converted(tmp_path, monkeypatch):
    """`.VnTime` (TCVN3) text: the fonts the document names settle the encoding, as a workbook's do."""
    from conftest import ROOT

    monkeypatch.syspath_prepend(str(ROOT / "scripts"))
    from build_sample_data import to_tcvn3

    rows = [["Chỉ tiêu", "ĐVT", "Kế hoạch năm 2024", "Thực hiện năm 2024"],
            ["Sản lượng lúa", "tấn", "20.100", "20.350"]]
    body = para(to_tcvn3("UBND XÃ NAM CƯỜNG")) + w_table([[to_tcvn3(c) for c in row] for row in rows])
    body = body.replace("<w:r>", '<w:r><w:rPr><w:rFonts w:ascii=".VnTime" w:hAnsi=".VnTime"/></w:rPr>')
    r = clean([raw_docx(tmp_path / "vntime.docx", body)])
    assert _rows(r) == [("Sản lượng lúa", "", "tấn", "=", 20100.0, 20350.0, 2024)]
    assert r.indicators.area.tolist() == ["Nam Cường"] and "text_tcvn3" in set(r.issues.code)


def test_the_numbers_word_writes_itself_in_the_order_column_are_read_as_codes(tmp_path):
    """An order column numbered by Word (`I.`, `1.`, `2.` and bullets), no digit typed: the codes are read as shown,
    so that `II` heads a section and `2` ends the `Trong đó` group of `1`."""
    levels = ('<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
              '<w:lvlText w:val="%1."/></w:lvl><w:lvl w:ilvl="1"><w:numFmt w:val="bullet"/><w:lvlText w:val="\uf02d"/>'
              '</w:lvl></w:abstractNum><w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
              '<w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1"/></w:lvl></w:abstractNum>'
              '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num><w:num w:numId="2"><w:abstractNumId w:val="1"/>'
              '</w:num>')

    def numbered(num: int, level: int = 0) -> str:
        return (f'<w:tc><w:p><w:pPr><w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num}"/></w:numPr></w:pPr>'
                '</w:p></w:tc>')

    def row(order: str, *cells: str) -> str:
        return "<w:tr>" + order + "".join(f"<w:tc>{para(c)}</w:tc>" for c in cells) + "</w:tr>"

    body = para("UBND XÃ NAM CƯỜNG") + para("BIỂU CHỈ TIÊU NĂM 2024") + "<w:tbl>" + "".join((
        row("<w:tc>" + para("TT") + "</w:tc>", "Chỉ tiêu", "ĐVT", "Kế hoạch", "Thực hiện"),
        row(numbered(2), "Kinh tế", "", "", ""),
        row(numbered(1), "Tổng sản lượng lương thực có hạt", "tấn", "28.500", "29.210"),
        row("<w:tc><w:p/></w:tc>", "Trong đó:", "", "", ""),
        row(numbered(1, 1), "Lúa", "tấn", "20.100", "20.350"),
        row(numbered(1), "Thu ngân sách nhà nước trên địa bàn", "triệu đồng", "1.250", "1.312,5"),
        row(numbered(2), "Xã hội", "", "", ""),
        row(numbered(1), "Tỷ lệ hộ nghèo đa chiều", "%", "12", "11,5"))) + "</w:tbl>"
    r = clean([raw_docx(tmp_path / "tu-dong-danh-so.docx", body, numbering=levels)])
    df = r.indicators
    assert df.code.tolist() == ["1.", "-", "2.", "3."]  # as shown, as when typed
    assert df.parent_indicator.tolist() == ["", "Tổng sản lượng lương thực có hạt", "", ""]
    assert df.section.tolist() == ["Kinh tế"] * 3 + ["Xã hội"]


def test_the_day_a_report_was_signed_is_not_the_year_it_reports_on(tmp_path):
    """A report on 2024 signed in January 2025, its table's header without a year: the year is the title's."""
    heading = w_table([["UBND XÃ NAM CƯỜNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
                       ["Số: 03/BC-UBND", "Nam Cường, ngày 05 tháng 01 năm 2025"]])
    body = heading + para("BIỂU CHỈ TIÊU KINH TẾ - XÃ HỘI NĂM 2024") + w_table(
        [["Chỉ tiêu", "ĐVT", "Kế hoạch", "Thực hiện"], ["Tỷ lệ che phủ rừng", "%", "80,5", "80,6"]])
    r = clean([raw_docx(tmp_path / "bao-cao-thang-1.docx", body)])
    assert _rows(r) == [("Tỷ lệ che phủ rừng", "", "%", "=", 80.5, 80.6, 2024)]
    assert r.indicators.area.tolist() == ["Nam Cường"] and "several_years" not in set(r.issues.code)
