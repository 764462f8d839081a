"""The quick measure of a small sheet part (formats/xlsx_quick.py) only ever accepts: whenever it gives a part's styles
the exact pass (the reference of tests/test_measuring.py, itself checked against calamine) accepts the part too and
finds the same styles; a part it cannot vouch for, however small, goes to the exact pass, which refuses what is too
far (a 2 KB part can name XFD1048576)."""

from __future__ import annotations

import io
import sys
import zipfile
from array import array
from pathlib import Path

import pytest
from conftest import DATA, ROOT, write_xlsx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chodon_analysis import clean
from chodon_analysis.cleaning.formats import ReadError, xlsx, xlsx_quick

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
XF = {"0": (False, 0), "1": (True, 1), "2": (False, 2)}  # style index -> (percent, decimals)


def _part(rows: str, head: str = "", tail: str = "", declaration: str = '<?xml version="1.0" encoding="UTF-8"?>'
          ) -> bytes:
    return f'{declaration}<worksheet xmlns="{NS}">{head}<sheetData>{rows}</sheetData>{tail}</worksheet>'.encode()


def _both(data: bytes, xf: dict[str, tuple[bool, int]] = XF, shared: array | None = None):
    """(quick, exact): the quick measure's styles or None; the exact pass's styles or the code it refused with."""
    shared = shared if shared is not None else array("Q")
    quick = xlsx_quick.measure(data, {k.encode(): v for k, v in xf.items()}, max(shared, default=0))
    try:
        exact = xlsx._measure(lambda: io.BytesIO(data), xf, shared, "S")
    except ReadError as e:
        exact = e.reason.code
    except ValueError:  # malformed XML: the workbook is refused as damaged
        exact = "damaged"
    return quick, exact


def _agree(data: bytes, xf: dict[str, tuple[bool, int]] = XF, shared: array | None = None) -> bool:
    """Whether the quick measure accepted `data`; when it did, the exact pass found the very same."""
    quick, exact = _both(data, xf, shared)
    if quick is not None:
        assert quick == exact
        assert {k: type(v) for k, v in quick.errors.items()} == {k: type(v) for k, v in exact.errors.items()}
    return quick is not None


def _sheet_parts(path: Path):
    """(part bytes, cell formats, shared lengths) of each worksheet part of an .xlsx whose other parts can be read."""
    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
            styles = next((n for n in names if n.lower() == "xl/styles.xml"), None)
            shared = next((n for n in names if n.lower() == "xl/sharedstrings.xml"), None)
            xf = xlsx._cell_formats(zf, styles)[0] if styles else {}
            lengths = xlsx._shared_lengths(zf, shared) if shared else array("Q")
            return [(zf.read(n), xf, lengths) for n in names if n.lower().startswith("xl/worksheets/")
                    and n.endswith(".xml")]
    except (zipfile.BadZipFile, ReadError, ValueError, OSError):
        return []


def _made(tmp_path: Path) -> list[Path]:
    """Workbooks written by openpyxl and XlsxWriter with what the measure reads: percent and decimal formats,
    formulas with and without a saved value, hidden rows and columns, merged cells, shared strings."""
    import xlsxwriter

    a = write_xlsx(tmp_path / "openpyxl.xlsx", [["TT", "Chỉ tiêu", "Kế hoạch"], [1, "Lúa", 0.953], [2, "Ngô", "=C2*2"]],
                   percent_cells=("C2",), merges=("A5:B5",))
    from openpyxl import load_workbook

    wb = load_workbook(a)
    ws = wb.active
    ws.row_dimensions[3].hidden = True
    ws.column_dimensions["B"].hidden = True
    ws["D2"].number_format = "#,##0.00"
    wb.save(a)
    b = tmp_path / "xlsxwriter.xlsx"
    book = xlsxwriter.Workbook(str(b))
    sheet = book.add_worksheet("Bieu")
    pct = book.add_format({"num_format": "0.0%"})
    sheet.write_row(0, 0, ["TT", "Chỉ tiêu", "Kế hoạch", "Thực hiện"])
    sheet.write_row(1, 0, [1, "Lúa & ngô <tấn>", 0.5, 0.75], pct)
    sheet.write_formula(2, 2, '=IF(C2>0,"có","không")&"!"', None, "có!")
    sheet.write_formula(3, 2, "=SUM(C1:C2)")
    sheet.set_row(4, None, None, {"hidden": True})
    book.close()
    return [a, b]


def test_the_quick_measure_agrees_with_the_exact_pass_on_every_workbook(tmp_path):
    files = [*sorted((DATA / "bad").glob("*.xlsx")), *sorted((ROOT / "data" / "raw").glob("*.xlsx")),
             *_made(tmp_path)]
    accepted = [f.name for f in files if any([_agree(*part) for part in _sheet_parts(f)])]
    # the plain parts of every writer here are measured the quick way
    assert {"good.xlsx", "openpyxl.xlsx", "xlsxwriter.xlsx", "Bieu chi tieu 2024 - KH 2025.xlsx"} <= set(accepted)


ROW = '<row r="1"><c r="A1" t="inlineStr"><is><t>Chỉ tiêu</t></is></c></row>'
FAR = {  # small parts that name a far cell, or could hide one from a reading by bytes: never accepted
    "XFD1048576": ROW + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>',
    "A1234567890": ROW + '<row r="2"><c r="A1234567890"><v>1</v></c></row>',
    "lower case": ROW + '<row r="2"><c r="zz150000"><v>1</v></c></row>',
    "one row past": ROW + '<row r="100001"><c r="A100001"><v>1</v></c></row>',
    "quoted '": ROW + "<row r='2'><c r='XFD2'><v>1</v></c></row>",
    "spaced =": ROW + '<row r="2"><c r = "XFD2"><v>1</v></c></row>',
    "line break": ROW + '<row r="2"><c\nr="XFD2"><v>1</v></c></row>',
    "character reference": ROW + '<row r="2"><c r="&#88;FD2"><v>1</v></c></row>',
    "no reference in a far row": ROW + '<row r="100001"><c><v>1</v></c></row>',
    "row with letters": ROW + '<row r="B100001"><c><v>1</v></c></row>',
    "prefixed cell": ROW.replace("<c ", "<x:c ").replace("</c>", "</x:c>").replace("<row", '<row xmlns:x="' + NS
                                                                                         + '"'),
    "attribute after others": ROW + '<row r="2"><c s="0" r="XFD2"><v>1</v></c></row>',
    "two references": ROW + '<row r="2"><c r="A2" r="XFD2"><v>1</v></c></row>',
    "in a comment": ROW + '<!-- <c r="XFD2"/> -->',
    "in CDATA": ROW + '<row r="2"><c r="A2" t="str"><v><![CDATA[<c r="XFD2"/>]]></v></c></row>',
}


@pytest.mark.parametrize("kind", FAR)
def test_a_small_part_naming_a_far_cell_goes_to_the_exact_pass(kind):
    quick, exact = _both(_part(FAR[kind]))
    assert quick is None, kind
    if kind not in ("in a comment", "in CDATA", "two references", "prefixed cell"):
        assert exact in ("sheet_too_far", "damaged", "cell_reference_bad"), (kind, exact)


def test_what_else_it_cannot_vouch_for_goes_to_the_exact_pass():
    far_dimension = _part(ROW, head='<dimension ref="A1:XFD1048576"/>')
    merges = _part(ROW, tail="<mergeCells>" + '<mergeCell ref="A1:B1"/>' * 10_001 + "</mergeCells>")
    long_cell = _part(f'<row r="1"><c r="A1" t="inlineStr"><is><t>{"x" * 40_000}</t></is></c></row>')
    utf16 = ('<?xml version="1.0" encoding="UTF-16"?>' + _part(ROW, declaration="").decode()).encode("utf-16")
    doctype = b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY x "y">]>' + _part(ROW, declaration="")
    latin = _part(ROW, declaration='<?xml version="1.0" encoding="ISO-8859-1"?>')
    broken = _part(ROW)[:-20]
    for data in (far_dimension, merges, long_cell, utf16, doctype, latin, broken):
        assert _both(data)[0] is None
    # shared strings: a sheet whose cells together would show more text than a sheet may hold
    cells = "".join(f'<row r="{r}"><c r="A{r}" t="s"><v>0</v></c></row>' for r in range(1, 3001))
    assert _both(_part(cells), shared=array("Q", [30_000]))[0] is None
    assert _agree(_part(cells), shared=array("Q", [10]))


def test_error_cells_and_formulas_are_read_as_the_exact_pass_reads_them():
    cells = ('<row r="1"><c r="A1" t="e"><v>#N/A</v></c><c r="B1"><f>SUM(A1:A2)</f><v></v></c>'
             '<c r="C1"><f>A1&amp;"&lt;x&gt;"</f></c><c r="D1" s="2"><f>1+1</f><v>2</v></c>'
             '<c r="E1" t="str"><f t="shared" ref="E1:E2" si="0">A1</f><v> </v></c></row>'
             '<row r="2" hidden="1"><c r="E2"><f t="shared" si="0"/></c><c r="F2" t="e"><v>1</v><v></v></c>'
             '<c r="G2"><v>1</v><f>2</f></c></row>')
    data = _part(cells, head='<cols><col min="2" max="3" hidden="1"/></cols>',
                 tail="<headerFooter><oddFooter>Trang &amp;P</oddFooter></headerFooter>")
    assert _agree(data)
    quick = _both(data)[0]
    assert quick.errors[(0, 0)] == "#N/A" and quick.errors[(0, 2)] == '=A1&"<x>"' and quick.hidden_rows == {1}
    assert quick.hidden_cols == {1, 2} and quick.decimals == {(0, 3): 2}


PLAIN = 12  # plain choices repeated: most generated parts are plain enough to be accepted, some not
_REF = st.sampled_from(["A1", "B7", "C3", "AB12"] * PLAIN + ["XFD1", "A100001", "ALL1000", "a2", "A4294967297", "$A$1",
                                                              "A0"])
_BODY = st.sampled_from(["", "<v>1</v>", "<v/>", "<v> 2 </v>", "<f>A1</f><v></v>", "<f>A1&amp;B1</f>",
                         "<is><t>x</t></is>", "<is><r><t>a</t></r><r><t>b</t></r></is>", "<v>#DIV/0!</v>",
                         "<v>1</v><v>0</v>", '<f t="shared" si="0"/>', "<v>&#32;</v>", "<v>\r\n</v>"])
_CELL = st.tuples(_REF, st.sampled_from(["", ' s="0"', ' s="1"', ' s="2"', ' s="9"']),
                  st.sampled_from(["", ' t="e"', ' t="s"', ' t="str"', ' t="inlineStr"']),
                  st.sampled_from([""] * PLAIN + [' cm="1"', ' x:a="1"']), _BODY,
                  st.sampled_from([""] * PLAIN + [" ", "\n"]), st.booleans())


def _cell_xml(c: tuple) -> str:
    ref, s, t, extra, body, gap, empty = c
    head = f'<c r="{ref}"{s}{t}{extra}{gap}'
    return head + "/>" if empty and not body else f"{head}>{body}</c>"


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(['r="1"', 'r="2"', 'r="6"'] * PLAIN + ['r="5" hidden="1"', "", 'r="100001"',
                                           'r="3" x:hidden="true"', 'spans="1:2" r="4"']),
                          st.lists(_CELL, max_size=4)), min_size=1, max_size=5),
       st.sampled_from(["", '<dimension ref="A1:C3"/>', '<dimension ref="A1:XFD9"/>', '<cols><col min="1" '
                        'max="2" hidden="1"/></cols>']))
def test_whatever_the_part_the_quick_measure_never_accepts_what_the_exact_pass_does_not(rows, head):
    xml = "".join(f"<row {attrs}>" + "".join(_cell_xml(c) for c in cells) + "</row>" for attrs, cells in rows)
    _agree(_part(xml, head=head).replace(b"<worksheet ", b'<worksheet xmlns:x="urn:x" '))


def test_a_small_workbook_naming_a_far_cell_is_still_refused_before_calamine(tmp_path):
    """End to end: each of these would make calamine build a grid past the limits (or abort); the clean refuses them
    and still reads the good file beside them."""
    sys.path.insert(0, str(DATA / "bad"))
    import hostile

    for ref in ("XFD1048576", "A1234567890", "XFD10000", "zz150000"):
        hostile.far_cell(tmp_path / f"far-{ref}.xlsx", ref)
    write_xlsx(tmp_path / "good 2024.xlsx", [["TT", "Chỉ tiêu", "ĐVT", "Kế hoạch 2024", "Thực hiện 2024"],
                                             ["1", "Tổng đàn trâu", "con", 100, 110]])
    result = clean([tmp_path])
    assert {Path(p).name: r.code for p, r in result.failed} == {
        f"far-{ref}.xlsx": "sheet_too_far" for ref in ("XFD1048576", "A1234567890", "XFD10000", "zz150000")}
    assert set(result.indicators["source_file"]) == {"good 2024.xlsx"}


def test_parts_remembered_by_their_bytes_are_never_taken_for_others(tmp_path):
    """The styles part of two workbooks: each read for its own bytes (a percent format in one, none in the other);
    one that declares a document type is refused each time, never remembered."""
    styles = ('<?xml version="1.0"?>{doctype}<styleSheet xmlns="' + NS + '"><numFmts count="1"><numFmt numFmtId="164" '
              'formatCode="{code}"/></numFmts><cellXfs count="1"><xf numFmtId="164"/></cellXfs></styleSheet>')
    found = []
    for i, (code, doctype) in enumerate([("0.0%", ""), ("0.00", ""), ("0.0%", ""), ("0", "<!DOCTYPE x>")] * 2):
        path = tmp_path / f"{i}.zip"
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("xl/styles.xml", styles.format(code=code, doctype=doctype))
        with zipfile.ZipFile(path) as z:
            try:
                found.append(xlsx._cell_formats(z, "xl/styles.xml")[0])
            except ReadError as e:
                found.append(e.reason.code)
    assert found == [{"0": (True, 1)}, {"0": (False, 2)}, {"0": (True, 1)}, "xml_doctype"] * 2
