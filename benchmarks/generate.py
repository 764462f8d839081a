"""Generate indicator workbooks of varied layouts for the benchmarks (one district per file and year)."""

from __future__ import annotations

import random
import sys
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
from build_sample_data import INDICATORS, SECTIONS, to_tcvn3  # noqa: E402

LAYOUTS = ("plain", "merged", "vi_text", "en_text", "tcvn3", "provincial", "multi_year", "english", "notes")
PROVINCIAL = ["STT", "Chỉ tiêu", "Đơn vị tính", "Thực hiện năm trước", "Thực hiện cùng kỳ", "Lũy kế cùng kỳ",
              "Kế hoạch năm", "Thực hiện kỳ báo cáo", "Lũy kế kỳ báo cáo", "Ước thực hiện năm", "Kế hoạch năm sau",
              "So sánh (%) Ước TH/KH"]


def _fmt(x: float, style: str) -> object:
    if style == "vi_text":
        s = f"{x:,.1f}".rstrip("0").rstrip(".")
        return s.replace(",", "\0").replace(".", ",").replace("\0", ".")
    if style == "en_text":
        return f"{x:,.1f}".rstrip("0").rstrip(".")
    return round(x, 1)


def _values(district: str, year: int, n: int, unit: str) -> tuple[float, float]:
    """Plan and actual of one indicator, district and year: the same in every workbook that gives them."""
    rng = random.Random(f"{district}|{year}|{n}")
    plan = rng.uniform(1, 100) if unit == "%" else rng.uniform(1, 50000)
    return round(plan, 1), round(plan * rng.uniform(0.85, 1.15), 1)


def workbook(path: Path, district: str, year: int, layout: str, rng: random.Random) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Bieu 01"
    title = f"KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU KINH TẾ - XÃ HỘI HUYỆN {district.upper()} NĂM {year}"
    if layout == "english":
        title = f"KEY SOCIO-ECONOMIC INDICATORS {year} - HUYỆN {district.upper()}"
    if layout == "tcvn3":
        ws.append([to_tcvn3(title)])
    else:
        ws.append([title])
    ws.append(["(Kèm theo Báo cáo số    /BC-UBND)" if layout != "tcvn3" else "(KÌm theo B¸o c¸o sè    /BC-UBND)"])
    if layout == "merged":
        ws.append(["TT", "Chỉ tiêu", "ĐVT", f"Năm {year}", None, "Đánh giá"])
        ws.append([None, None, None, "Kế hoạch", "Thực hiện", None])
        ws.merge_cells(start_row=3, start_column=4, end_row=3, end_column=5)
    elif layout == "provincial":
        ws.append(PROVINCIAL)
    elif layout == "multi_year":
        ws.append(["TT", "Chỉ tiêu", "ĐVT", "Mục tiêu Nghị quyết đến năm 2025", f"Năm {year}", None, None,
                   f"Năm {year + 1}"])
        ws.append([None, None, None, None, "Kế hoạch", "Thực hiện", "Đánh giá", "Kế hoạch"])
        ws.merge_cells(start_row=3, start_column=5, end_row=3, end_column=7)
    elif layout == "english":
        ws.append(["No.", "Indicator", "Unit", f"Plan {year}", f"Actual {year}", "Assessment", "Notes"])
    else:
        header = ["TT", "Chỉ tiêu", "ĐVT", f"Kế hoạch năm {year}", f"Thực hiện năm {year}", "Đánh giá"]
        ws.append([to_tcvn3(h) for h in header] if layout == "tcvn3" else header)
    last = None
    for n, (_key, sec, name, unit) in enumerate(INDICATORS[: rng.randint(30, len(INDICATORS))], start=1):
        if sec != last:
            ws.append([sec, to_tcvn3(SECTIONS[sec]) if layout == "tcvn3" else SECTIONS[sec]])
            last = sec
        plan, actual = _values(district, year, n, unit)
        label = "Vượt KH" if actual > plan * 1.01 else "Đạt" if actual >= plan else "Không đạt"
        style = layout if layout in ("vi_text", "en_text") else "en_text" if layout == "english" else "number"
        row = [n, name, unit, _fmt(plan, style), _fmt(actual, style), label]
        if layout == "tcvn3":
            row = [to_tcvn3(v) if isinstance(v, str) else v for v in row]
        elif layout == "provincial":
            p, a = round(plan, 1), round(actual, 1)
            row = [n, name, unit, "", round(a * 0.5, 1), round(a * 0.9, 1), p, round(a * 0.1, 1),
                   round(a * 0.92, 1), a, round(_values(district, year + 1, n, unit)[0], 1),
                   round(a / p * 100, 1)]
        elif layout == "multi_year":
            p, a = round(plan, 1), round(actual, 1)
            row = [n, name, unit, round(p * 1.1, 1), p, a, label, round(_values(district, year + 1, n, unit)[0], 1)]
        elif layout == "english":
            row[-1] = {"Vượt KH": "Exceeded", "Đạt": "Achieved", "Không đạt": "Not achieved"}[label]
        elif layout == "notes" and n == 1:
            ws.append(row)
            ws.append(["", "Trong đó:"])
            row = ["-", f"{name} vụ xuân", unit, _fmt(plan / 2, "number"), _fmt(actual / 2, "number"), label]
        ws.append(row)
    if layout == "notes":
        ws.append(["Ghi chú: số liệu năm là số ước thực hiện."])
        ws.append(["", "", f"ngày 15 tháng 12 năm {year}"])
        ws.append(["", "NGƯỜI LẬP BIỂU", "", "TM. ỦY BAN NHÂN DÂN"])
    if layout == "tcvn3":
        for r in ws.iter_rows():
            for c in r:
                c.font = Font(name=".VnTime")
    wb.save(path)


def generate(out: Path, districts: int, years: tuple[int, ...] = (2020, 2021, 2022, 2023, 2024),
             seed: int = 7) -> list[Path]:
    """`districts` × `years` workbooks in `out` (reused when already there)."""
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    paths = []
    for d in range(districts):
        for y in years:
            layout = LAYOUTS[(d + y) % len(LAYOUTS)]
            p = out / f"huyen-{d:03d}-{y}.xlsx"
            if not p.exists():
                workbook(p, f"Thử {d:03d}", y, layout, rng)
            paths.append(p)
    return paths


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    print(len(generate(Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "benchmarks" / ".cache" / "corpus", n)))
