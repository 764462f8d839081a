"""Documents as offices and portals publish them, built at test time: the indicator appendix of a Word report
(python-docx), a portal's page, a sheet saved from Excel as a web page; and hostile ones (test_documents.py)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

# The appendix of a commune's yearly report: a person reading it writes down these rows
APPENDIX = [["TT", "Chỉ tiêu", "ĐVT", "Năm 2024", "", "", "Ghi chú"],
            ["", "", "", "Kế hoạch", "Thực hiện", "So sánh (%)", ""],
            ["I", "KINH TẾ", "", "", "", "", ""],
            ["1", "Tổng sản lượng lương thực\ncó hạt", "tấn", "28.500", "29.210", "102,5", ""],
            ["", "Trong đó:", "", "", "", "", ""],
            ["-", "Lúa", "tấn", "20.100", "20.350", "101,2", ""],
            ["-", "Ngô", "tấn", "8.400", "8.860", "105,5", ""],
            ["2", "Thu ngân sách nhà nước trên địa bàn", "triệu đồng", "1.250", "1.312,5", "105,0", ""],
            ["3", "Tỷ lệ che phủ rừng", "%", "≥ 80", "80,6", "", ""],
            ["II", "VĂN HÓA - XÃ HỘI", "", "", "", "", ""],
            ["4", "Tỷ lệ hộ nghèo đa chiều", "%", "12", "11,5", "104,3", "giảm 0,5%"],
            ["5", "Số trường đạt chuẩn quốc gia", "trường", "3", "3", "100", ""]]
APPENDIX_ROWS = [  # indicator, parent, unit, plan_op, plan, actual, year
    ("Tổng sản lượng lương thực có hạt", "", "tấn", "=", 28500.0, 29210.0, 2024),
    ("Lúa", "Tổng sản lượng lương thực có hạt", "tấn", "=", 20100.0, 20350.0, 2024),
    ("Ngô", "Tổng sản lượng lương thực có hạt", "tấn", "=", 8400.0, 8860.0, 2024),
    ("Thu ngân sách nhà nước trên địa bàn", "", "triệu đồng", "=", 1250.0, 1312.5, 2024),
    ("Tỷ lệ che phủ rừng", "", "%", ">=", 80.0, 80.6, 2024),
    ("Tỷ lệ hộ nghèo đa chiều", "", "%", "=", 12.0, 11.5, 2024),
    ("Số trường đạt chuẩn quốc gia", "", "trường", "=", 3.0, 3.0, 2024)]


def _cell(cell, text: str) -> None:
    """A cell's text, a line break (`w:br`) where the text has one."""
    first, *rest = text.split("\n")
    run = cell.paragraphs[0].add_run(first)
    for line in rest:
        run.add_break()
        run.add_text(line)


def word_report(path: Path, rows: list[list[str]] = APPENDIX, *, tables: int = 1) -> Path:
    """A commune's yearly report with its appendix: the office's heading as a borderless table, the report's text,
    the appendix's title paragraphs, the indicator table (a two-row header: `Năm 2024` over `Kế hoạch | Thực hiện
    | So sánh (%)`, the first columns merged down), a note and the signature block."""
    import docx

    d = docx.Document()
    head = d.add_table(rows=2, cols=2)
    for (r, c), text in {(0, 0): "UBND HUYỆN CHỢ ĐỒN\nUBND XÃ NAM CƯỜNG",
                         (0, 1): "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc",
                         (1, 0): "Số: 125/BC-UBND", (1, 1): "Nam Cường, ngày 20 tháng 12 năm 2024"}.items():
        _cell(head.cell(r, c), text)
    d.add_paragraph("BÁO CÁO")
    d.add_paragraph("Kết quả thực hiện nhiệm vụ phát triển kinh tế - xã hội năm 2024")
    d.add_paragraph("Năm 2023, tình hình kinh tế - xã hội của xã tiếp tục ổn định, sản xuất nông nghiệp được mùa; "
                    "năm 2025 xã phấn đấu hoàn thành các chỉ tiêu Nghị quyết đề ra. " * 3)
    d.add_paragraph("Trên đây là báo cáo kết quả thực hiện nhiệm vụ năm 2024 của Ủy ban nhân dân xã Nam Cường.")
    for n in range(tables):
        d.add_paragraph("PHỤ LỤC" if n == 0 else f"Biểu {n + 1}")
        d.add_paragraph("BIỂU CHỈ TIÊU KINH TẾ - XÃ HỘI NĂM 2024")
        d.add_paragraph("(Kèm theo Báo cáo số 125/BC-UBND ngày 20/12/2024 của UBND xã Nam Cường)")
        t = d.add_table(rows=len(rows), cols=len(rows[0]))
        t.style = "Table Grid"
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                if text:
                    _cell(t.cell(r, c), text)
        for c in (0, 1, 2, 6):
            t.cell(0, c).merge(t.cell(1, c))
        t.cell(0, 3).merge(t.cell(0, 5))
    d.add_paragraph("Ghi chú: số liệu thực hiện năm 2024 là số ước thực hiện đến ngày 31/12/2024.")
    sign = d.add_table(rows=1, cols=2)
    _cell(sign.cell(0, 0), "Nơi nhận:\n- UBND huyện Chợ Đồn;\n- Lưu: VT.")
    _cell(sign.cell(0, 1), "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n\nNguyễn Văn An")
    d.save(path)
    return path


PORTAL = """<!DOCTYPE html>
<!-- saved from url=(0052)https://namcuong.chodon.backan.gov.vn/bieu-chi-tieu -->
<html lang="vi"><head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
<title>Biểu chỉ tiêu kinh tế - xã hội năm 2024</title>
<script>document.write("<table><tr><td>Chỉ tiêu</td><td>Kế hoạch</td><td>Thực hiện</td></tr></table>")</script>
<link rel="stylesheet" href="https://cdn.example.invalid/site.css"><style>td{border:1px solid}</style></head>
<body><header><div class="logo">CỔNG THÔNG TIN ĐIỆN TỬ HUYỆN BẠCH THÔNG</div></header>
<nav class="menu"><ul><li><a href="/">Trang chủ</a></li><li><a href="/kt">Kinh tế năm 2023</a></li></ul></nav>
<div class="breadcrumb"><a href="/">Trang chủ</a> » Công khai » Chỉ tiêu</div>
<div class="container"><div class="sidebar"><table><tr><td>Chỉ tiêu</td><td>Kế hoạch</td></tr>
<tr><td>Lượt truy cập</td><td>12.345</td></tr><tr><td>Đang trực tuyến</td><td>12</td></tr></table></div>
<main><article><h1>BIỂU CHỈ TIÊU KINH TẾ - XÃ HỘI NĂM 2024</h1>
<p class="meta">ỦY BAN NHÂN DÂN XÃ NAM CƯỜNG<br>Ngày đăng: 21/12/2024 08:15</p>
<img src="http://tracker.example.invalid/pixel.gif"><iframe src="quang-cao.html"></iframe>
<table border="1" cellpadding="3"><thead>
<tr><th rowspan="2">STT</th><th rowspan="2">Chỉ tiêu</th><th rowspan="2">Đơn vị tính</th>
<th colspan="3">Năm 2024</th></tr>
<tr><th>Kế hoạch</th><th>Thực hiện</th><th>So sánh (%)</th></tr></thead>
<tbody><tr><td>I</td><td colspan="5"><b>KINH TẾ</b></td></tr>
<tr><td>1</td><td>Tổng sản lượng lương thực<br>có hạt</td><td>tấn</td><td>28.500</td><td>29.210</td><td>102,5</td></tr>
<tr><td></td><td><i>Trong đó:</i></td><td></td><td></td><td></td><td></td></tr>
<tr><td>-</td><td>Lúa</td><td>tấn</td><td>20.100</td><td>20.350</td><td>101,2</td></tr>
<tr><td>-</td><td>Ngô</td><td>tấn</td><td>8.400</td><td>8.860</td><td>105,5</td></tr>
<tr><td>2</td><td>Thu ngân sách nhà nước trên địa bàn</td><td>triệu đồng</td><td>1.250</td><td>1.312,5</td>
<td>105,0</td></tr>
<tr><td>3</td><td>Tỷ lệ che phủ rừng</td><td>%</td><td>&ge; 80</td><td>80,6</td><td></td></tr>
<tr style="display: none"><td>9</td><td>Chỉ tiêu nháp</td><td>%</td><td>1</td><td>2</td><td></td></tr>
<tr><td>II</td><td colspan="5">VĂN HÓA - XÃ HỘI</td></tr>
<tr><td>4</td><td>Tỷ lệ hộ nghèo đa chiều</td><td>%</td><td>12</td><td>11,5</td><td>104,3</td></tr>
<tr><td>5</td><td>Số trường đạt chuẩn quốc gia</td><td>trường</td><td>3</td><td>3</td><td>100</td></tr>
</tbody></table>
<p><em>Nguồn: Văn phòng HĐND - UBND xã Nam Cường</em></p></article>
<section id="comments"><h3>Ý kiến bạn đọc</h3>
<div class="comment-item">Nguyễn Văn B: Số liệu rất hữu ích, đề nghị công khai thêm năm 2025</div>
<div class="comment-item">Trần Thị C: Tỷ lệ hộ nghèo còn cao</div></section></main></div>
<footer><p>Bản quyền © 2024 Cổng thông tin điện tử huyện Bạch Thông</p><p>Ngày 20 tháng 12 năm 2024</p></footer>
<script>alert("x")</script></body></html>"""


def excel_page(rows: list[tuple[str, str, str, tuple[str, str], tuple[str, str]]]) -> str:
    """A sheet saved from Excel as a web page (one sheet, `Save as Web Page`): its title rows merged over the
    columns, numbers with their values in `x:num` and the text Excel shows."""
    def num(cell: tuple[str, str]) -> str:
        shown, value = cell
        return f"<td class=xl66 align=right x:num=\"{value}\">{shown}</td>" if value else f"<td class=xl65>{shown}</td>"

    body = "".join(f"<tr height=20><td class=xl65 x:num>{tt}</td><td class=xl65>{name}</td><td class=xl65>{unit}</td>"
                   f"{num(plan)}{num(actual)}</tr>\n" for tt, name, unit, plan, actual in rows)
    return ("<html xmlns:v=\"urn:schemas-microsoft-com:vml\" xmlns:o=\"urn:schemas-microsoft-com:office:office\"\n"
            "xmlns:x=\"urn:schemas-microsoft-com:office:excel\" xmlns=\"http://www.w3.org/TR/REC-html40\">\n<head>\n"
            "<meta http-equiv=Content-Type content=\"text/html; charset=windows-1258\">\n"
            "<meta name=ProgId content=Excel.Sheet>\n<meta name=Generator content=\"Microsoft Excel 15\">\n"
            "<style>\n.xl65 {mso-number-format:\"\\@\";}\n.xl66 {mso-number-format:\"\\#\\,\\#\\#0\\.0\";}\n</style>\n"
            "<!--[if gte mso 9]><xml>\n <x:ExcelWorkbook><x:ExcelWorksheets><x:ExcelWorksheet>\n"
            "  <x:Name>Bieu 01</x:Name></x:ExcelWorksheet></x:ExcelWorksheets></x:ExcelWorkbook>\n</xml><![endif]-->\n"
            "</head>\n<body link=blue vlink=purple>\n<table border=0 cellpadding=0 cellspacing=0 width=600>\n"
            "<col width=40><col width=300><col width=80 span=3>\n"
            "<tr height=20><td colspan=5 height=20 class=xl67>UBND XÃ YÊN PHONG</td></tr>\n"
            "<tr height=20><td colspan=5 class=xl67>BIỂU CHỈ TIÊU PHÁT TRIỂN KINH TẾ - XÃ HỘI NĂM 2025</td></tr>\n"
            "<tr height=20><td class=xl65>TT</td><td class=xl65>Chỉ tiêu</td><td class=xl65>ĐVT</td>"
            "<td class=xl65>Kế hoạch năm 2025</td><td class=xl65>Ước thực hiện năm 2025</td></tr>\n"
            f"{body}<![if supportMisalignedColumns]>\n<tr height=0 style='display:none'>\n"
            "<td width=40 style='width:30pt'></td><td width=300></td></tr>\n<![endif]>\n</table>\n</body>\n</html>\n")


def raw_docx(path: Path, body: str, *, document_head: str = "", extra: dict[str, bytes] | None = None,
             numbering: str = "") -> Path:
    """A .docx of the smallest valid package around `body` (WordprocessingML inside `<w:body>`); `document_head`:
    what comes before `<w:document>` (a document type), `extra`: other parts, `numbering`: the definitions of its
    automatic numbering (inside `<w:numbering>`)."""
    ct = ("<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
          "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
          "<Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/word/document.xml\" "
          "ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
          "<Override PartName=\"/word/numbering.xml\" ContentType=\"application/vnd.openxmlformats-officedocument."
          "wordprocessingml.numbering+xml\"/></Types>")
    rels = ("<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
            "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
            "officeDocument\" Target=\"word/document.xml\"/></Relationships>")
    document = (f"<?xml version=\"1.0\" encoding=\"UTF-8\"?>{document_head}<w:document xmlns:w=\"{W_NS}\"><w:body>"
                f"{body}</w:body></w:document>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", ct)
        zf.writestr("_rels/.rels", rels)
        zf.writestr("word/document.xml", document)
        if numbering:
            zf.writestr("word/numbering.xml", f"<?xml version=\"1.0\"?><w:numbering xmlns:w=\"{W_NS}\">{numbering}"
                                              "</w:numbering>")
            zf.writestr("word/_rels/document.xml.rels", "<?xml version=\"1.0\"?><Relationships xmlns=\"http://"
                        "schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http"
                        "://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering\" "
                        "Target=\"numbering.xml\"/></Relationships>")
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return path


def w_table(rows: list[list[str]], cell_props: dict[tuple[int, int], str] | None = None) -> str:
    """A `w:tbl` of text cells; `cell_props`: (row, column) -> the XML inside its `w:tcPr`."""
    props = cell_props or {}
    out = []
    for r, row in enumerate(rows):
        cells = "".join(f"<w:tc><w:tcPr>{props.get((r, c), '')}</w:tcPr><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"
                        for c, text in enumerate(row))
        out.append(f"<w:tr>{cells}</w:tr>")
    return "<w:tbl>" + "".join(out) + "</w:tbl>"


def para(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def zip_bomb_docx(path: Path) -> Path:
    """A .docx whose document part declares 4 GB once inflated: refused before anything is inflated."""
    import struct

    raw_docx(path, para("x"))
    data = bytearray(path.read_bytes())
    entry = data.rfind(b"PK\x01\x02", 0, data.rfind(b"word/document.xml") + 1)
    struct.pack_into("<I", data, entry + 24, 0xFFFFFFF0)  # the part's uncompressed size, in the zip's directory
    path.write_bytes(bytes(data))
    return path


def rewritten(src: Path, dst: Path, member: str, change) -> Path:
    """`src` with the zip member `member` changed by `change(bytes) -> bytes`."""
    out = io.BytesIO()
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            body = zin.read(item.filename)
            zout.writestr(item, change(body) if item.filename == member else body)
    dst.write_bytes(out.getvalue())
    return dst
