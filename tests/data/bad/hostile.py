"""Small files with huge costs, as a careless or hostile sender makes them: used by make_corpus.py (the small
ones are committed), by the tests (a long line, built at test time) and by `make bench` (the full-size ones)."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from chodon_analysis.cleaning.formats.book import column_letter

NS = "http://schemas.openxmlformats.org"
OOXML = "application/vnd.openxmlformats-officedocument.spreadsheetml"
TITLE = "BIỂU CHỈ TIÊU NĂM 2024"
HEADER = ["TT", "Chỉ tiêu", "ĐVT", "Kế hoạch năm 2024", "Thực hiện năm 2024", "Đánh giá"]
ROW = [1, "Tổng sản lượng lương thực có hạt", "tấn", 28500, 29210, "Vượt KH"]


def cell(ref: str, v: object, formula: str | None = None) -> str:
    f = f"<f>{escape(formula)}</f>" if formula else ""
    if isinstance(v, str):
        return f'<c r="{ref}" t="inlineStr"><is><t>{escape(v)}</t></is></c>'
    return f'<c r="{ref}">{f}<v>{v}</v></c>'


def table_rows(extra: list[list[object]] = ()) -> list[str]:
    """The title, the header and one indicator row (rows 1-3), then `extra` rows."""
    out = []
    for r, values in enumerate([[TITLE], HEADER, ROW, *extra], start=1):
        out.append(f'<row r="{r}">' + "".join(cell(f"{column_letter(c)}{r}", v) for c, v in enumerate(values))
                   + "</row>")
    return out


STYLES = (f'<?xml version="1.0"?><styleSheet xmlns="{NS}/spreadsheetml/2006/main"><numFmts count="1">'
          '<numFmt numFmtId="164" formatCode="#,##0.0"/></numFmts><fonts count="1"><font><name val="Times New Roman"/>'
          '</font></fonts><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164"/></cellXfs></styleSheet>')


def write_xlsx(path: Path, rows_xml: list[str], dimension: str | None = None,
               target: str = "worksheets/sheet1.xml", member: str = "xl/worksheets/sheet1.xml",
               head: str = "", tail: str = "", shared: tuple[str, str] | None = None) -> Path:
    """A minimal .xlsx of one sheet from its `<row>` XML; `target`: how the workbook names the sheet's part,
    `member`: the zip member it is; `head`/`tail`: XML before/after the sheet data; `shared`: (member, XML)."""
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    sheet = (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}/spreadsheetml/2006/main">{dim}{head}'
             f'<sheetData>{"".join(rows_xml)}</sheetData>{tail}</worksheet>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", f'<?xml version="1.0"?><Types xmlns="{NS}/package/2006/content-types">'
                    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                    '<Default Extension="xml" ContentType="application/xml"/>'
                    f'<Override PartName="/xl/workbook.xml" ContentType="{OOXML}.sheet.main+xml"/>'
                    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{OOXML}.worksheet+xml"/></Types>')
        zf.writestr("_rels/.rels", f'<?xml version="1.0"?><Relationships xmlns="{NS}/package/2006/relationships">'
                    f'<Relationship Id="rId1" Type="{NS}/officeDocument/2006/relationships/officeDocument" '
                    'Target="xl/workbook.xml"/></Relationships>')
        zf.writestr("xl/workbook.xml", f'<?xml version="1.0"?><workbook xmlns="{NS}/spreadsheetml/2006/main" '
                    f'xmlns:r="{NS}/officeDocument/2006/relationships"><sheets>'
                    '<sheet name="Bieu" sheetId="1" r:id="rId1"/></sheets></workbook>')
        zf.writestr("xl/_rels/workbook.xml.rels", f'<?xml version="1.0"?><Relationships '
                    f'xmlns="{NS}/package/2006/relationships"><Relationship Id="rId1" '
                    f'Type="{NS}/officeDocument/2006/relationships/worksheet" Target="{target}"/>'
                    '</Relationships>')
        zf.writestr(member, sheet)
        zf.writestr("xl/styles.xml", STYLES)
        if shared:
            zf.writestr(*shared)
    return path


def far_cell(path: Path, ref: str, quote: str = '"', target: str = "worksheets/sheet1.xml") -> Path:
    """A good table and one stray cell far away (XFD1048576: the last cell a sheet can have), its reference in
    `quote`s; the workbook names the sheet's part `target` (another case than the file: readers differ)."""
    row = int("".join(ch for ch in ref if ch.isdigit()))
    stray = cell(ref, "x").replace(f'r="{ref}"', f"r={quote}{ref}{quote}")
    return write_xlsx(path, table_rows() + [f'<row r="{row}">{stray}</row>'], target=target)


def declared_extent(path: Path) -> Path:
    """A good table under a `<dimension>` that declares the whole sheet."""
    return write_xlsx(path, table_rows(), dimension="A1:XFD1048576")


def many_formulas(path: Path, n: int) -> Path:
    """`n` ordinary formulas with saved values (a sum per row)."""
    rows = table_rows()
    for i in range(n):
        r = i + 4
        rows.append(f'<row r="{r}">{cell(f"A{r}", i + 2)}{cell(f"B{r}", f"Chỉ tiêu {i}")}{cell(f"C{r}", "tấn")}'
                    f'{cell(f"D{r}", 100)}{cell(f"E{r}", 110, f"D{r}*1.1")}</row>')
    return write_xlsx(path, rows)


def big_cell(path: Path, chars: int) -> Path:
    """A good table and one note cell of `chars` characters."""
    return write_xlsx(path, table_rows([["", "Ghi chú: " + "x" * chars]]))


def ods_repeated(path: Path, columns: int, rows: int, value: str = "x") -> Path:
    """An .ods whose one row holds `value` repeated over `columns` cells, the row repeated `rows` times."""
    t = 'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
    o = 'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
    x = 'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'

    def tr(values: list[object]) -> str:
        cells = "".join(f'<table:table-cell office:value-type="string"><text:p>{escape(str(v))}</text:p>'
                        "</table:table-cell>" for v in values)
        return f"<table:table-row>{cells}</table:table-row>"

    body = "".join(tr(v) for v in ([TITLE], HEADER, ROW))
    body += (f'<table:table-row table:number-rows-repeated="{rows}"><table:table-cell '
             f'table:number-columns-repeated="{columns}" office:value-type="string"><text:p>{value}</text:p>'
             "</table:table-cell></table:table-row>")
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {o} {t} {x} office:version="1.2">'
               f'<office:body><office:spreadsheet><table:table table:name="Bieu">{body}</table:table>'
               "</office:spreadsheet></office:body></office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" '
                'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                "</manifest:manifest>")
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
        zf.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
    return path


def long_line_csv(path: Path, chars: int) -> Path:
    """A good CSV table and one line of `chars` characters (short fields)."""
    lines = [TITLE, ",".join(HEADER), ",".join(f'"{v}"' for v in ROW)]
    with path.open("w", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
        for start in range(0, chars, 2 * 1024**2):  # in pieces: the writer stays small
            fh.write("1," * (min(2 * 1024**2, chars - start) // 2))
        fh.write("\n")
    return path


def big_cell_csv(path: Path, chars: int) -> Path:
    """A good CSV table and one note field of `chars` characters."""
    lines = [TITLE, ",".join(HEADER), ",".join(f'"{v}"' for v in ROW), f'"","Ghi chú: {"x" * chars}"']
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def shared_text(path: Path, chars: int, cells: int, member: str = "xl/sharedStrings.xml") -> Path:
    """A good table and `cells` cells (row 5 on, 10 a row) that all show one shared string of `chars` characters,
    the shared strings at `member`."""
    rows = table_rows()
    for r in range(5, 5 + cells // 10):
        rows.append(f'<row r="{r}">' + "".join(f'<c r="{column_letter(c)}{r}" t="s"><v>0</v></c>' for c in range(10))
                    + "</row>")
    sst = (f'<?xml version="1.0"?><sst xmlns="{NS}/spreadsheetml/2006/main" count="{cells}" uniqueCount="1">'
           f'<si><t>{"x" * chars}</t></si></sst>')
    return write_xlsx(path, rows, shared=(member, sst))


# ---- the cases of issue 22: what the measuring pass once read otherwise than the value reader ---------------------
def escaped_target(path: Path, ref: str = "XFD1048576") -> Path:
    """The sheet at `xl/../evil/sheet.xml`, named by the target `../evil/sheet.xml` (a reader resolving `..` looks
    at `evil/sheet.xml`, a small decoy); a stray cell far away."""
    row = int("".join(ch for ch in ref if ch.isdigit()))
    path = write_xlsx(path, table_rows() + [f'<row r="{row}">{cell(ref, "x")}</row>'], target="../evil/sheet.xml",
                      member="xl/../evil/sheet.xml")
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr("evil/sheet.xml", f'<worksheet xmlns="{NS}/spreadsheetml/2006/main"><sheetData/></worksheet>')
    return path


def shared_strings_case(path: Path, chars: int, cells: int) -> Path:
    """`shared_text` with the part named `xl/SharedStrings.xml` (found by a reader that ignores case)."""
    return shared_text(path, chars, cells, "xl/SharedStrings.xml")


def hidden_columns(path: Path, n: int) -> Path:
    """A good table under `n` hidden column records of 300 columns each."""
    cols = "".join(f'<col min="{i}" max="{i + 300}" hidden="1"/>' for i in range(1, n + 1))
    return write_xlsx(path, table_rows(), head=f"<cols>{cols}</cols>")


def many_merges(path: Path, n: int) -> Path:
    """A good table and `n` merged ranges below it."""
    merges = "".join(f'<mergeCell ref="A{i}:B{i}"/>' for i in range(10, 10 + n))
    return write_xlsx(path, table_rows(), tail=f'<mergeCells count="{n}">{merges}</mergeCells>')


def repeated_name(path: Path, rows: int) -> Path:
    """One indicator name on `rows` rows of one table."""
    return write_xlsx(path, table_rows([[i, ROW[1], "tấn", 28500, 29000 + i % 9] for i in range(2, rows + 1)]))


def ods_untyped(path: Path, columns: int, rows: int) -> Path:
    """`ods_repeated` whose repeated cell has `office:value` but no value type."""
    path = ods_repeated(path, columns, rows)
    with zipfile.ZipFile(path) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    old = (f'table:number-columns-repeated="{columns}" office:value-type="string"><text:p>x</text:p>'
           "</table:table-cell>")
    parts["content.xml"] = parts["content.xml"].replace(old.encode(), f'table:number-columns-repeated="{columns}" '
                                                        'office:value="1"/>'.encode())
    with zipfile.ZipFile(path, "w") as zf:
        for n, data in parts.items():
            zf.writestr(n, data, zipfile.ZIP_STORED if n == "mimetype" else zipfile.ZIP_DEFLATED)
    return path


def ods_column_records(path: Path, n: int) -> Path:
    """A good .ods table after `n` column records, each repeated 5,000 times."""
    path = ods_repeated(path, 1, 1)
    with zipfile.ZipFile(path) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    cols = '<table:table-column table:number-columns-repeated="5000"/>' * n
    parts["content.xml"] = parts["content.xml"].replace(b'table:name="Bieu">', f'table:name="Bieu">{cols}'.encode())
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data, zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED)
    return path
