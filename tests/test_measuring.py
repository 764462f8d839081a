"""The measuring pass measures exactly what the value reader (calamine, the independent reference here) reads:
for each kind of small hostile workbook, calamine itself is asked how far the sheet reaches, and the clean must
refuse the file before calamine sizes a grid by it, while the other files of the clean are still read."""

from __future__ import annotations

import json
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from conftest import write_xlsx

from chodon_analysis import clean
from chodon_analysis.cleaning.formats import bounds

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
FAR = bounds.MAX_ROWS + 1  # a row past the limit: 100,001


def _xlsx(path: Path, data: str, target: str = "worksheets/sheet1.xml", member: str = "xl/worksheets/sheet1.xml",
          extra: dict[str, str] | None = None, head: str = "") -> Path:
    """A minimal workbook: one sheet named S whose part is `member`, found through the relationship `target`."""
    parts = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                               'content-types"><Default Extension="xml" ContentType="application/xml"/></Types>',
        "_rels/.rels": f'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                       f'relationships"><Relationship Id="rId1" Type="{REL}/officeDocument" '
                       f'Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0"?><workbook xmlns="{NS}" xmlns:r="{REL}"><sheets>'
                           f'<sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.'
                                      f'org/package/2006/relationships"><Relationship Id="rId1" '
                                      f'Type="{REL}/worksheet" Target="{target}"/></Relationships>',
        member: f'<?xml version="1.0"?><worksheet xmlns="{NS}">{head}<sheetData>{data}</sheetData></worksheet>',
        **(extra or {})}
    with zipfile.ZipFile(path, "w") as z:
        for name, text in parts.items():
            z.writestr(name, text)
    return path


def _decoy(text: str = "") -> str:
    """A small harmless sheet, where a pass that resolves paths its own way would look."""
    return f'<?xml version="1.0"?><worksheet xmlns="{NS}"><sheetData>{text}</sheetData></worksheet>'


CELL = '<c t="inlineStr"><is><t>x</t></is></c>'
HOSTILE = {  # kind -> (sheet XML, relationship target, member, other members)
    "lower-case reference": (f'<row r="1"><c r="a{FAR}"><v>1</v></c></row>', None, None, {}),
    "mixed-case column past the limit": ('<row r="1"><c r="xFd1"><v>1</v></c></row>', None, None, {}),
    "10-digit row that wraps": (f'<row r="1"><c r="A{2**32 + FAR}"><v>1</v></c></row>', None, None, {}),
    "row reference with letters": (f'<row r="B{FAR}">{CELL}</row>', None, None, {}),
    "cell without reference in a far row": (f'<row r="{FAR}"><c r="A1"><v>1</v></c>{CELL}</row>', None, None, {}),
    "../ in the target": (f'<row r="{FAR}"><c r="A{FAR}"><v>1</v></c></row>', "../evil/sheet.xml",
                          "xl/../evil/sheet.xml", {"evil/sheet.xml": _decoy()}),
    "./ in the target": (f'<row r="{FAR}"><c r="A{FAR}"><v>1</v></c></row>', "./data/s.xml", "xl/./data/s.xml",
                         {"xl/data/s.xml": _decoy()}),
    "%-escape in the target": (f'<row r="{FAR}"><c r="A{FAR}"><v>1</v></c></row>', "data%31.xml",
                               "xl/data%31.xml", {"xl/data1.xml": _decoy()}),
    "absolute target": (f'<row r="{FAR}"><c r="A{FAR}"><v>1</v></c></row>', "/elsewhere/s.xml", "elsewhere/s.xml",
                        {}),
    "target in another case": (f'<row r="{FAR}"><c r="A{FAR}"><v>1</v></c></row>', "Data/S.xml", "xl/data/s.xml",
                               {}),
    "row nested in a cell": (f'<row r="1"><c r="A1"><v>1</v></c></row><row r="{FAR}"><c r="A8" t="str"><v>'
                             f'<row r="9"></row>x</v></c>{CELL}</row>', None, None, {}),
    "case beyond A-Z": (f'<row r="{FAR}"><c r="A{FAR}"><v>1</v></c></row>', "Ä.xml", "xl/Ä.xml",
                        {"xl/ä.xml": _decoy()}),
}


def _calamine_end(path: Path) -> tuple[int, int]:
    """The rows and columns of the grid the reader builds of the first sheet, from A1 to calamine's last cell (the
    reference: `to_python(skip_empty_area=False)` fills from A1)."""
    import python_calamine as pc

    end = pc.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).end
    return (end[0] + 1, end[1] + 1) if end else (0, 0)


def _calamine_rows(path: Path) -> int:
    return _calamine_end(path)[0]


def _calamine_cols(path: Path) -> int:
    return _calamine_end(path)[1]


def _refused(folder: Path, name: str) -> tuple[str, list[str]]:
    """The code the clean of `folder` refused `name` with, and the areas of the rows it still read."""
    result = clean([folder])
    reasons = {Path(p).name: getattr(r, "code", str(r)) for p, r in result.failed}
    return reasons.get(name, ""), sorted(set(result.indicators["source_file"]))


@pytest.mark.parametrize("kind", HOSTILE)
def test_what_calamine_reads_far_is_refused_before_it_is_read(tmp_path, kind):
    data, target, member, extra = HOSTILE[kind]
    path = _xlsx(tmp_path / "hostile.xlsx", data, target or "worksheets/sheet1.xml",
                 member or "xl/worksheets/sheet1.xml", extra)
    far = _calamine_rows(path) > bounds.MAX_ROWS or _calamine_cols(path) > bounds.MAX_COLUMNS
    assert far, kind  # the reference reads this sheet past the limits
    write_xlsx(tmp_path / "good 2024.xlsx", [["TT", "Chỉ tiêu", "ĐVT", "Kế hoạch 2024", "Thực hiện 2024"],
                                             ["1", "Tổng đàn trâu", "con", 100, 110]])
    code, read = _refused(tmp_path, "hostile.xlsx")
    assert code in ("sheet_too_far", "sheet_declares_too_far"), (kind, code)
    assert read == ["good 2024.xlsx"]  # the other file is still read


def test_shared_strings_in_another_case_are_measured(tmp_path):
    """`xl/SharedStrings.xml`: calamine finds it whatever its case, so the pass measures it (a string longer than a
    cell may hold is refused)."""
    long = "x" * (bounds.MAX_CELL_CHARS + 1)
    sst = f'<?xml version="1.0"?><sst xmlns="{NS}" count="1" uniqueCount="1"><si><t>{long}</t></si></sst>'
    path = _xlsx(tmp_path / "shared.xlsx", '<row r="1"><c r="A1" t="s"><v>0</v></c></row>',
                 extra={"xl/SharedStrings.xml": sst})
    import python_calamine as pc

    shown = pc.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()[0][0]
    assert len(shown) > bounds.MAX_CELL_CHARS  # the reference reads the string
    assert _refused(tmp_path, "shared.xlsx")[0] in ("shared_text_too_long", "cell_too_long")


def test_what_cannot_be_measured_the_same_way_is_refused(tmp_path):
    """Two members of one name; a target written with a character reference; a reference calamine refuses."""
    dup = tmp_path / "dup.xlsx"
    _xlsx(dup, '<row r="1"><c r="A1"><v>1</v></c></row>')
    with zipfile.ZipFile(dup, "a") as z, pytest.warns(UserWarning):
        z.writestr("xl/worksheets/sheet1.xml", _decoy(f'<row r="{FAR}"><c r="A{FAR}"><v>1</v></c></row>'))
    _xlsx(tmp_path / "escaped.xlsx", f'<row r="{FAR}"><c r="A{FAR}"><v>1</v></c></row>',
          target="&#46;&#46;/e.xml", member="xl/&#46;&#46;/e.xml")
    _xlsx(tmp_path / "dollar.xlsx", '<row r="1"><c r="$A$1"><v>1</v></c></row>')
    _xlsx(tmp_path / "tab.xlsx", f'<row r="{FAR}"><c r="A{FAR}"><v>1</v></c></row>', target="big\t.xml",
          member="xl/big\t.xml", extra={"xl/big .xml": _decoy()})
    sst = f'<?xml version="1.0"?><sst xmlns="{NS}" uniqueCount="100000000000"><si><t>x</t></si></sst>'
    _xlsx(tmp_path / "count.xlsx", '<row r="1"><c r="A1" t="s"><v>0</v></c></row>',
          extra={"xl/sharedStrings.xml": sst})
    result = clean([tmp_path])
    codes = {Path(p).name: getattr(r, "code", "") for p, r in result.failed}
    assert codes == {"dup.xlsx": "zip_duplicate_names", "escaped.xlsx": "part_path_unusual",
                     "dollar.xlsx": "cell_reference_bad", "tab.xlsx": "part_path_unusual",
                     "count.xlsx": "shared_count_too_large"}


def test_the_last_value_of_a_cell_is_the_one_measured(tmp_path):
    """Two `<v>` in a shared-string cell: calamine shows the last (a 30,000-character string on 3,000 cells: more
    text than a sheet may hold), not the short one the first names."""
    sst = (f'<?xml version="1.0"?><sst xmlns="{NS}" uniqueCount="2"><si><t>{"x" * 30_000}</t></si>'
           "<si><t>y</t></si></sst>")
    cells = "".join(f'<row r="{r}"><c r="A{r}" t="s"><v>1</v><v>0</v></c></row>' for r in range(1, 3001))
    _xlsx(tmp_path / "two-values.xlsx", cells, extra={"xl/sharedStrings.xml": sst})
    assert _refused(tmp_path, "two-values.xlsx")[0] == "sheet_too_much_text"


def test_an_ods_count_written_twice_counts_at_its_largest(tmp_path):
    """`table:number-columns-repeated` beside an `x:` copy saying 1: the reader takes the `table:` one."""
    n = bounds.MAX_COLUMNS + 1
    path = _ods(tmp_path / "twice.ods", f'<table:table-row><table:table-cell xmlns:x="urn:x" office:value="1" '
                                        f'table:number-columns-repeated="{n}" x:number-columns-repeated="1"/>'
                                        "</table:table-row>")
    assert _calamine_cols(path) >= n
    assert {getattr(r, "code", "") for _, r in clean([tmp_path]).failed} == {"sheet_too_far"}


def _ods(path: Path, table: str) -> Path:
    content = ('<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:'
               'office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:'
               'names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="S">'
               f'{table}</table:table></office:spreadsheet></office:body></office:document-content>')
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content)
        z.writestr("META-INF/manifest.xml", '<?xml version="1.0"?><manifest:manifest xmlns:manifest="urn:oasis:'
                   'names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" '
                   'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>')
    return path


def test_an_ods_value_without_value_type_counts(tmp_path):
    """`office:value` (or a boolean or string value) with no `office:value-type`: calamine takes it as a value."""
    n = bounds.MAX_COLUMNS + 1
    for i, attr in enumerate(('office:value="1"', 'office:boolean-value="true"', 'office:string-value="x"')):
        path = _ods(tmp_path / f"v{i}.ods", f'<table:table-row><table:table-cell {attr} '
                                            f'table:number-columns-repeated="{n}"/></table:table-row>')
        assert _calamine_cols(path) >= n  # the reference makes every repeat a cell
    assert {getattr(r, "code", "") for _, r in clean([tmp_path]).failed} == {"sheet_too_far"}
    assert len(clean([tmp_path]).failed) == 3


def _peak(fn) -> float:
    """The peak memory (MB) Python allocates while `fn` runs."""
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 1024**2
    finally:
        tracemalloc.stop()


def test_the_pass_keeps_no_list_longer_than_the_limits(tmp_path):
    """Thousands of column records (hidden in an .xlsx, repeated in an .ods): what the pass keeps stays within the
    limits (it once kept every column they named: gigabytes)."""
    from chodon_analysis.cleaning.formats.ods import ods_styles
    from chodon_analysis.cleaning.formats.xlsx import xlsx_styles

    cols = "".join(f'<col min="{i}" max="{i + 300}" hidden="1"/>' for i in range(1, 20_001))
    xlsx = _xlsx(tmp_path / "cols.xlsx", '<row r="1"><c r="A1"><v>1</v></c></row>', head=f"<cols>{cols}</cols>")
    assert len(xlsx_styles(xlsx).sheets[0].hidden_cols) <= bounds.MAX_COLUMNS
    ods = _ods(tmp_path / "cols.ods", '<table:table-column table:number-columns-repeated="5000"/>' * 20_000
               + '<table:table-row><table:table-cell office:value-type="float" office:value="1"/></table:table-row>')
    assert _peak(lambda: ods_styles(ods)) < 60  # once 100 million notes of a column style


def test_merged_ranges_are_bounded(tmp_path):
    """More merged ranges than the limit: refused by the pass, before any header search."""
    merges = "".join(f'<mergeCell ref="A{i}:B{i}"/>' for i in range(1, bounds.MAX_MERGES + 2))
    path = tmp_path / "merges.xlsx"
    _xlsx(path, '<row r="1"><c r="A1"><v>1</v></c></row>')
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n).decode() for n in z.namelist()}
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"].replace(
        "</sheetData>", f"</sheetData><mergeCells>{merges}</mergeCells>")
    with zipfile.ZipFile(path, "w") as z:
        for n, t in parts.items():
            z.writestr(n, t)
    assert _refused(tmp_path, "merges.xlsx")[0] == "sheet_too_many_merges"


def test_a_name_repeated_on_thousands_of_rows_is_logged_once(tmp_path):
    """One indicator name on 4,000 rows of one workbook: one doubt with the count and the first rows (not 4,000
    entries each listing every other row); every row is still in the table."""
    rows = [["TT", "Chỉ tiêu", "ĐVT", "Kế hoạch 2024", "Thực hiện 2024"]]
    rows += [[str(i), "Tổng đàn trâu", "con", 100, 100 + i % 7] for i in range(1, 4001)]
    write_xlsx(tmp_path / "lap 2024.xlsx", rows)
    result = clean([tmp_path])
    assert len(result.indicators) == 4000
    dup = result.issues[result.issues["code"] == "duplicate_indicator"]
    assert len(dup) == 1 and json.loads(dup["params"].iloc[0])["n"] == 4000
    assert result.issues.to_csv().count("\n") < 100  # the log stays small


@pytest.mark.parametrize("kind", ["fifo", "device", "folder", "dangling", "huge", "header far", "header past end"])
def test_a_layout_file_is_read_as_a_workbook_is(tmp_path, kind):
    """The layout file beside a workbook: a pipe (which would hang), a link to a device (which never ends), a folder,
    a broken link, an oversized file and header rows outside the sheet are each one plain refusal of that workbook."""
    import os

    book = write_xlsx(tmp_path / "b 2024.xlsx", [["Cột 1", "Cột 2", "Cột 3"], ["1", "Tổng đàn trâu", 100]])
    layout = tmp_path / "b 2024.xlsx.layout.csv"
    make = {"fifo": lambda: os.mkfifo(layout), "device": lambda: layout.symlink_to("/dev/zero"),
            "folder": lambda: layout.mkdir(), "dangling": lambda: layout.symlink_to(tmp_path / "gone.csv"),
            "huge": lambda: layout.write_text("sheet,column,role\n" + "# x\n" * 100_000),
            "header far": lambda: layout.write_text("sheet,column,role\n*,1-99999,header\n"),
            "header past end": lambda: layout.write_text("sheet,column,role\n*,50,header\n")}
    make[kind]()
    result = clean([tmp_path])
    codes = {Path(p).name: getattr(r, "code", str(r)) for p, r in result.failed}
    want = {"huge": "layout_too_large", "header far": "layout_bad_header_rows",
            "header past end": "layout_header_outside"}.get(kind, "layout_not_a_file")
    assert codes == {book.name: want}, kind


def test_odd_values_are_read_and_shown_not_fatal(tmp_path):
    """`1e-320` is a number, not the range 1–320; 28 digits and more (`1e27`, 30 digits typed as text) are read
    and formatted in both languages (Babel's decimal context no longer aborts the report)."""
    import pandas as pd

    from chodon_analysis.base import i18n
    from chodon_analysis.report.tables import table

    write_xlsx(tmp_path / "t 2024.xlsx", [["TT", "Chỉ tiêu", "ĐVT", "Kế hoạch 2024", "Thực hiện 2024"],
                                          ["1", "Tổng đàn trâu", "con", "1e-320", "1E+27"],
                                          ["2", "Tổng đàn lợn", "con", 1e27, "123456789012345678901234567890"],
                                          ["3", "Tổng đàn bò", "con", 10, "9" * 400]])
    result = clean([tmp_path])
    ind = result.indicators.set_index("indicator")
    assert pd.isna(ind.loc["Tổng đàn bò", "actual_value"])  # 400 nines: unreadable, never infinity
    assert "unreadable_number" in set(result.issues["code"])
    assert ind.loc["Tổng đàn trâu", "plan_op"] == "=" and 0 < ind.loc["Tổng đàn trâu", "plan_value"] < 1e-300
    assert ind.loc["Tổng đàn trâu", "actual_value"] == 1e27
    assert i18n.number(1e27, "vi") == "1.000.000.000.000.000.000.000.000.000"
    assert ind.loc["Tổng đàn lợn", "plan_text"] == "1e+27"  # not 1000000000000000013287555072
    assert i18n.number(1.2345678901234568e29, "en", 1).endswith(",000.0")
    html = table(pd.DataFrame({"indicator": ["x"], "actual_value": [1.2345678901234568e29]}), "vi").to_html()
    assert "123.456.789.012.345.68" in html
