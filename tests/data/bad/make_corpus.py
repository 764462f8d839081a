"""Build the bad-input corpus of this folder (run once; the files are committed).

Each case and its expected outcome is in expected.tsv. The 200,000-row sheet is built by `make bench`
(benchmarks/big_sheet.py), not stored.
"""

from __future__ import annotations

import io
import struct
import sys
import zipfile
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))  # tests/, for conftest's helpers
from conftest import cp1258_bytes  # noqa: E402

import hostile  # noqa: E402

HEADER = ["TT", "Chỉ tiêu", "ĐVT", "Kế hoạch năm 2024", "Thực hiện năm 2024", "Đánh giá"]
ROWS = [["1", "Tổng sản lượng lương thực có hạt", "tấn", "28.500", "29.210", "Vượt KH"],
        ["2", "Tỷ lệ che phủ rừng", "%", "80,5", "80,5", "Đạt"]]


def xlsx(name: str, rows: list[list[object]]) -> bytes:
    wb = Workbook()
    for r in rows:
        wb.active.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    (HERE / name).write_bytes(buf.getvalue())
    return buf.getvalue()


def csv_text() -> str:
    return "\n".join(",".join(f'"{c}"' for c in r) for r in [["BIỂU CHỈ TIÊU NĂM 2024"], HEADER, *ROWS]) + "\n"


def main() -> None:
    good = xlsx("good.xlsx", [["BIỂU CHỈ TIÊU NĂM 2024"], HEADER, *ROWS])
    (HERE / "text-named.xlsx").write_text("Chỉ tiêu;Kế hoạch\nlương thực;28500\n", encoding="utf-8")
    (HERE / "html-named.xls").write_text("<html><body><table><tr><td>Chỉ tiêu</td></tr></table></body></html>",
                                         encoding="utf-8")
    (HERE / "truncated.xlsx").write_bytes(good[: len(good) // 2])
    (HERE / "zero-bytes.xlsx").write_bytes(b"")
    Workbook().save(HERE / "empty-workbook.xlsx")
    xlsx("headers-only.xlsx", [["BIỂU CHỈ TIÊU NĂM 2024"], HEADER])
    xlsx("no-table.xlsx", [["Danh sách cán bộ"], ["Họ tên", "Chức vụ"], ["Nguyễn Văn A", "Chủ tịch"]])
    xlsx("formulas-no-cache.xlsx", [["BIỂU CHỈ TIÊU NĂM 2024"], HEADER,
                                    ["1", "Tổng đàn trâu", "con", 100, "=D3*1.1", "Đạt"]])
    xlsx("typo-8o5.xlsx", [["BIỂU CHỈ TIÊU NĂM 2024"], HEADER, ["1", "Tỷ lệ che phủ rừng", "%", "80,5", "8o,5", "Đạt"]])
    xlsx("duplicates.xlsx", [["BIỂU CHỈ TIÊU NĂM 2024"], HEADER, *ROWS, ["3", "Tỷ lệ che phủ rừng", "%", "80", "80,3", "Đạt"]])
    xlsx("two-years.xlsx", [["BIỂU CHỈ TIÊU"], ["TT", "Chỉ tiêu", "ĐVT", "KH 2024", "TH 2023"],
                            ["1", "Tổng đàn trâu", "con", 100, 98]])
    xlsx("unit-2023.xlsx", [["BIỂU CHỈ TIÊU NĂM 2023"], HEADER[:3] + ["KH 2023", "TH 2023"],
                            ["1", "Tỷ lệ hộ nghèo", "%", "16", "16,3"]])
    xlsx("unit-2024.xlsx", [["BIỂU CHỈ TIÊU NĂM 2024"], HEADER[:5], ["1", "Tỷ lệ hộ nghèo", "‰", "135", "132"]])
    # Windows-1258 writes tones as combining marks; UTF-16 with BOM as Excel's "Unicode text"
    (HERE / "windows-1258.csv").write_bytes(cp1258_bytes(csv_text()))
    tsv = "\n".join("\t".join(r) for r in [["BIỂU CHỈ TIÊU NĂM 2024"], HEADER, *ROWS]) + "\n"
    (HERE / "utf-16.csv").write_text(tsv, encoding="utf-16")
    # UTF-8 bytes shown through Windows-1252 (bytes it leaves undefined kept as Latin-1), then saved as UTF-8
    shown = "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in csv_text().encode("utf-8"))
    (HERE / "mojibake.csv").write_text(shown, encoding="utf-8")
    # a zip whose directory declares 50 GB for one member: refused before anything is inflated
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * 1000)
    raw = bytearray(bomb.getvalue())
    cd = raw.rfind(b"PK\x01\x02")  # the last central-directory entry: the sheet
    struct.pack_into("<I", raw, cd + 24, 0xFFFFFFF0)  # uncompressed size
    (HERE / "zip-bomb.xlsx").write_bytes(bytes(raw))
    # an external entity in the sheet XML: must never be resolved
    src = zipfile.ZipFile(io.BytesIO(good))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for item in src.infolist():
            body = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = b'<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' + body
                body = body.replace("Tổng sản lượng lương thực có hạt".encode(), b"&xxe;")
                assert b"&xxe;" in body
            zf.writestr(item, body)
    (HERE / "xxe.xlsx").write_bytes(out.getvalue())
    # password-protected (ECMA-376 agile encryption), password "chodon"
    from msoffcrypto.format.ooxml import OOXMLFile

    with (HERE / "good.xlsx").open("rb") as plain, (HERE / "encrypted.xlsx").open("wb") as enc:
        OOXMLFile(plain).encrypt("chodon", enc)
    # small files with huge costs (hostile.py): refused before the reader allocates, or read in linear time
    hostile.far_cell(HERE / "far-cell-XFD1048576.xlsx", "XFD1048576")
    hostile.far_cell(HERE / "far-cell-XFD10000.xlsx", "XFD10000")
    hostile.far_cell(HERE / "far-cell-quoted.xlsx", "XFD1048576", quote="'")
    hostile.far_cell(HERE / "far-cell-part-case.xlsx", "XFD1048576", target="worksheets/Sheet1.xml")
    hostile.declared_extent(HERE / "declared-extent.xlsx")
    hostile.ods_repeated(HERE / "ods-repeated-cells.ods", 16_000, 6_000)
    hostile.ods_repeated(HERE / "ods-repeated-text.ods", 100, 30, "x" * 30_000)
    hostile.many_formulas(HERE / "formulas-4000.xlsx", 4_000)
    hostile.big_cell(HERE / "cell-40k.xlsx", 40_000)
    hostile.big_cell_csv(HERE / "cell-40k.csv", 40_000)
    hostile.shared_text(HERE / "shared-text.xlsx", 30_000, 2_300)
    # script payloads in every field, and names a spreadsheet or a shell would run: read as text, shown escaped
    img = '<img src=x onerror="alert(1)">'
    xlsx("payloads.xlsx", [[f"BIỂU CHỈ TIÊU NĂM 2024 <script>alert(1)</script>"], HEADER,
                           ["I", f"KINH TẾ {img}", "", "", "", ""],
                           ["1", f"Tổng đàn trâu {img}", "<script>alert(2)</script>", 100, 90,
                            '<a href="javascript:alert(3)">Đạt</a>'],
                           ["2", "Tỷ lệ che phủ rừng", "%", "[x](javascript:alert(4))", "80,5", "Đạt"],
                           [f"Ghi chú: {img}"]])
    xlsx("=HYPERLINK(\"http:x\").xlsx", [["BIỂU CHỈ TIÊU NĂM 2024"], HEADER, *ROWS])
    xlsx("-rf.xlsx", [["BIỂU CHỈ TIÊU NĂM 2024"], HEADER, *ROWS])
    link = HERE / "dangling-link.xlsx"
    link.unlink(missing_ok=True)
    link.symlink_to("no-such-workbook.xlsx")
    print("corpus written to", HERE)


if __name__ == "__main__":
    main()
