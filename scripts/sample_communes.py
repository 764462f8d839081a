"""The 2025 sample workbooks of the eight new communes that took in Chợ Đồn's former communes (called by
build_sample_data.py). Every value is illustrative: no public figure exists for the new communes (their areas
and populations had not been published); they are chosen so that the six wholly-inside communes add up near
the 2025 targets the district set itself in December 2024. Each workbook carries a layout communes use."""

from __future__ import annotations

from pathlib import Path

# indicator, unit, then per commune (plan, actual); None = not reported
INDICATORS = [
    ("Tổng sản lượng lương thực có hạt", "tấn"),
    ("Dân số trung bình", "người"),
    ("Lương thực bình quân đầu người", "kg/người/năm"),
    ("Diện tích trồng rừng mới", "ha"),
    ("Diện tích đất có rừng", "ha"),
    ("Diện tích tự nhiên", "ha"),
    ("Tỷ lệ che phủ rừng", "%"),
    ("Tỷ lệ hộ nghèo", "%"),
    ("Thành lập mới hợp tác xã", "HTX"),
    ("Phát triển mới sản phẩm OCOP đạt 3 sao trở lên", "sản phẩm"),
    ("Kết nạp đảng viên mới", "đảng viên"),
]
# commune: (file, layout, values per indicator as (plan, actual))
COMMUNES: dict[str, tuple[str, str, list[tuple[float | None, float | None]]]] = {
    "Nam Cường": ("bao-cao-xa-nam-cuong-2025.xlsx", "heading", [
        (4700, 4760), (8650, 8640), (543, 551), (80, 84), (13650, 13700), (16800, 16800), (81.3, 81.5),
        (9.5, 8.9), (1, 1), (1, 0), (25, 24)]),
    "Quảng Bạch": ("QuangBach_chi_tieu_2025.xlsx", "estimate", [
        (4600, 4630), (8420, 8410), (546, 550), (75, 72), (12400, 12420), (15500, 15500), (80.0, 80.1),
        (11.2, 10.6), (0, 1), (1, 1), (22, 21)]),
    "Yên Thịnh": ("bao-cao-xa-yen-thinh-2025.xlsx", "no_place", [
        (4500, 4480), (8300, 8310), (542, 539), (85, 88), (12650, 12660), (15200, 15200), (83.2, 83.3),
        (12.8, 12.1), (0, 0), (0, 0), (24, 25)]),
    "Chợ Đồn": ("UBND xa Cho Don - bieu chi tieu 2025.xlsx", "vn_text", [
        (5200, 5250), (9900, 9920), (525, 529), (70, 71), (10900, 10950), (14000, 14000), (77.9, 78.2),
        (6.1, 5.8), (1, 1), (1, 1), (30, 28)]),
    "Yên Phong": ("chi-tieu-yen-phong-2025.ods", "ods", [
        (4700, 4690), (8150, 8160), (577, 575), (80, 81), (13500, 13520), (16900, 16900), (79.9, 80.0),
        (10.4, 9.9), (0, 0), (0, 0), (23, 22)]),
    "Nghĩa Tá": ("bc-ktxh-nghia-ta-2025.xlsx", "merged", [
        (4600, 4610), (8100, 8120), (568, 568), (80, 82), (10400, 10410), (12800, 12800), (81.3, 81.3),
        (13.5, 12.7), (0, 0), (0, 1), (26, 24)]),
    "Đồng Phúc": ("bao-cao-xa-dong-phuc-2025.xlsx", "heading", [
        (6100, 6050), (11800, 11790), (517, 513), (95, 97), (17500, 17480), (22600, 22600), (77.4, 77.3),
        (14.9, 14.1), (1, 1), (1, 1), (30, 31)]),
    "Bạch Thông": ("bao-cao-xa-bach-thong-2025.xlsx", "heading", [
        (5900, 5960), (10900, 10950), (541, 544), (90, 86), (15800, 15850), (20300, 20300), (77.8, 78.1),
        (12.0, 11.4), (1, 0), (0, 1), (28, 29)]),
}
NOTE = "Số liệu minh họa (illustrative), không phải số chính thức; xem data/external/PROVENANCE.md."
HEAD = ["STT", "Chỉ tiêu", "ĐVT", "Kế hoạch năm 2025", "Thực hiện năm 2025", "So sánh TH/KH (%)", "Ghi chú"]


def _vn(x: float) -> str:
    """28320 -> `28.320`, 80.5 -> `80,5`: numbers typed as text the Vietnamese way."""
    whole, _, frac = f"{x:,.2f}".rstrip("0").rstrip(".").partition(".")
    return whole.replace(",", ".") + ("," + frac if frac else "")


def _rows(values, ratio: bool = True) -> list[list]:
    out = []
    for i, ((name, unit), (plan, actual)) in enumerate(zip(INDICATORS, values, strict=True), start=1):
        cmp_ = round(actual / plan * 100, 1) if ratio and plan and actual is not None else None
        out.append([i, name, unit, plan, actual, cmp_, ""])
    return out


def _xlsx(path: Path, title: list[str], head: list[list], rows: list[list], merges: tuple[str, ...] = ()) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Bieu 01"
    for line in title:
        ws.append([line])
    for h in head:
        ws.append(h)
    for r in rows:
        ws.append(r)
    ws.append([NOTE])
    for m in merges:
        ws.merge_cells(m)
    wb.save(path)


def build(raw: Path) -> list[dict]:
    """The eight workbooks into `raw`; their provenance rows (every value illustrative)."""
    prov = []
    for commune, (fname, layout, values) in COMMUNES.items():
        heading = [f"ỦY BAN NHÂN DÂN XÃ {commune.upper()}", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                   "BÁO CÁO KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU KINH TẾ - XÃ HỘI NĂM 2025"]
        path = raw / fname
        if layout == "heading":
            _xlsx(path, heading, [HEAD], _rows(values))
        elif layout == "estimate":  # the report before the year ends: an estimate of the year
            _xlsx(path, [f"UBND XÃ {commune.upper()}", "BIỂU CHỈ TIÊU KINH TẾ - XÃ HỘI NĂM 2025"],
                  [[*HEAD[:4], "Ước thực hiện năm 2025", *HEAD[5:]]], _rows(values))
        elif layout == "no_place":  # the place only in the file name
            _xlsx(path, ["BIỂU CHỈ TIÊU KINH TẾ - XÃ HỘI NĂM 2025"], [HEAD], _rows(values))
        elif layout == "vn_text":  # numbers typed as text, Vietnamese format
            rows = [[r[0], r[1], r[2], _vn(r[3]), _vn(r[4]), "" if r[5] is None else _vn(r[5]), ""]
                    for r in _rows(values)]
            _xlsx(path, heading, [HEAD], rows)
        elif layout == "merged":  # a two-row header: the year over plan and actual
            _xlsx(path, heading, [["STT", "Chỉ tiêu", "ĐVT", "Năm 2025", None, "Ghi chú"],
                                  [None, None, None, "Kế hoạch", "Thực hiện", None]],
                  [[r[0], r[1], r[2], r[3], r[4], ""] for r in _rows(values, ratio=False)], merges=("D4:E4",))
        elif layout == "ods":
            import pandas as pd

            rows = [[t] + [""] * 6 for t in heading] + [HEAD] + _rows(values) + [[NOTE] + [""] * 6]
            with pd.ExcelWriter(path, engine="odf") as xw:
                pd.DataFrame(rows).to_excel(xw, sheet_name="Chi tieu 2025", header=False, index=False)
        for (name, _unit), (plan, actual) in zip(INDICATORS, values, strict=True):
            for field, v in (("plan", plan), ("actual", actual)):
                if v is not None:
                    prov.append({"file": fname, "year": 2025, "indicator": name, "field": field,
                                 "origin": "illustrative", "address": ""})
    return prov


def provenance_md() -> list[str]:
    """The section of PROVENANCE.md on the commune workbooks."""
    lines = ["## The 2025 commune workbooks", "",
             "From 1 July 2025 the district no longer exists; its former communes became eight new communes",
             "(Resolution 1683/NQ-UBTVQH15; `chodon_analysis/data/crosswalk.csv`). No figure of the new communes",
             "has been published, so **every value of these eight workbooks is illustrative**, chosen so that the",
             "six communes wholly inside the former district add up near the targets the district set for 2025",
             "(28,320 t of grain, over 500 kg a head, 470 ha of new forest, 80.5% forest cover). Each carries a",
             "layout communes use:", "",
             "| commune | file | layout |", "|---|---|---|"]
    what = {"heading": "office heading `ỦY BAN NHÂN DÂN XÃ ...` above `CỘNG HÒA XÃ HỘI ...`",
            "estimate": "`Ước thực hiện năm 2025` (an estimate of the year)",
            "no_place": "no place in the title: the commune is in the file name",
            "vn_text": "numbers typed as text in Vietnamese format; file name without diacritics",
            "merged": "two-row header, `Năm 2025` merged over plan and actual",
            "ods": "OpenDocument"}
    for commune, (fname, layout, _values) in COMMUNES.items():
        lines.append(f"| {commune} | `{fname}` | {what[layout]} |")
    lines.append("")
    return lines
