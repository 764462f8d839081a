"""`chodon run --area`: one area's folder and the pages across areas, from a run of the bundled data of 2025 (started
in the background when the session starts: conftest.py)."""

from __future__ import annotations

import json

from conftest import CHROMIUM


def test_a_run_for_one_area_writes_its_folder_and_the_pages_across_areas(area_run):
    """`--area "xã Nam Cường"`: its folder with the three reports as the commune's own, the index of every area
    of 2025 (the others not run yet), the communes ranked; everything drawing offline."""
    base, proc, rendered = area_run
    assert proc.returncode == 0, proc.stderr
    year = base / "reports" / "2025"
    folder = year / "xa-nam-cuong"
    assert {p.name for p in folder.iterdir()} >= {"attainment.html", "attainment.ipynb", "forest_cover.html",
                                                 "grain_per_capita.html", "index.html", "summary.json", "run.json"}
    assert not (year / "huyen-cho-don").exists()  # only the area asked for ran
    summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    assert summary["level"] == "commune" and sum(summary["counts"].values()) == 11
    page = (folder / "attainment.html").read_text(encoding="utf-8")
    assert "xã Nam Cường, năm 2025" in page and "<title>Kết quả thực hiện kế hoạch: xã Nam Cường, 2025" in page
    forest = (folder / "forest_cover.html").read_text(encoding="utf-8")
    assert "baobackan" not in forest  # the district's published figures are not the commune's
    grain = (folder / "grain_per_capita.html").read_text(encoding="utf-8")
    assert "2009" not in forest and "atlas" not in grain  # nor the notes on the district's series
    # one plotly.js and one style sheet for the tree, linked relatively; a page is small
    assert '<script src="../../plotly-' in page and 'href="../../report-' in page
    assert len(page.encode()) < 120_000
    index = (year / "index.html").read_text(encoding="utf-8")
    assert index.count("chưa chạy") == 8 and 'href="xa-nam-cuong/index.html"' in index
    comparison = (year / "comparison.html").read_text(encoding="utf-8")
    assert comparison.count("<tr>") == 10 and "<h2>Xã được lập từ các xã của nhiều huyện cũ (2)</h2>" in comparison
    assert rendered or CHROMIUM is None  # .ci/run installs Chromium: there, the page is always drawn
    if rendered:  # Chromium with networking off: the charts drew from the tree's plotly.js
        dom, log = rendered["attainment"]
        assert dom.count('class="main-svg"') >= 3 and "ERR_" not in log


def test_the_workbook_of_an_area_run_agrees_with_the_reports(area_run):
    """From 2025 the year's workbook holds the former district rebuilt from its communes (counted as its attainment
    report counts it), the rebuilt figures with their method and coverage, and a sheet per area level (issue 26): every
    former district rebuilt, every commune against its own plan."""
    import openpyxl

    base, proc, _ = area_run
    book = openpyxl.load_workbook(base / "reports" / "2025" / "chi_tieu_2025.xlsx", read_only=True)
    names = book.sheetnames
    assert names[:6] == ["Kết quả 2025", "Tổng hợp", "Kiểm tra số liệu", "Tổng hợp từ xã", "Các huyện cũ", "Các xã"]
    rows = [r for r in book["Các xã"].iter_rows(min_row=4, values_only=True) if r[0]]
    communes = list(dict.fromkeys((r[0], r[1], r[2]) for r in rows))  # grouped by former district, by name within
    assert [c[0] for c in communes] == ["xã Chợ Đồn", "xã Nam Cường", "xã Nghĩa Tá", "xã Quảng Bạch", "xã Yên Phong",
                                        "xã Yên Thịnh", "xã Bạch Thông", "xã Đồng Phúc"]
    assert communes[1] == ("xã Nam Cường", "02026", "Chợ Đồn") and communes[-1][2] is None  # formed from two
    districts = {(r[0], r[1]): r for r in book["Các huyện cũ"].iter_rows(min_row=4, values_only=True) if r[0]}
    assert districts["huyện Chợ Đồn (cũ)", "Tổng sản lượng lương thực có hạt"][3:8] == (
        28320, 28420, "Vượt kế hoạch", "cộng các xã", "6/6")  # the conference report's 2025 target, a number
    counts = {r[0]: r[1] for r in book["Tổng hợp"].iter_rows(min_row=4, values_only=True) if r[0]}
    assert [counts[s] for s in ("Vượt kế hoạch", "Đạt kế hoạch", "Không đạt", "Chưa đánh giá")] == [3, 1, 0, 9]
    district = {r[1]: r for r in book["Kết quả 2025"].iter_rows(min_row=4, values_only=True) if r[1]}
    grain = district["Tổng sản lượng lương thực có hạt"]
    assert grain[4] == 28420 and grain[6] == "Vượt kế hoạch" and "tổng hợp từ các xã (6/6" in grain[8]
    rebuilt = {r[0]: r for r in book["Tổng hợp từ xã"].iter_rows(min_row=4, values_only=True) if r[0]}
    assert rebuilt["Tổng sản lượng lương thực có hạt"][5:7] == ("cộng các xã", "6/6")
    assert rebuilt["Tổng sản lượng lương thực có hạt"][2] == 28320  # the plan a number here too
    assert rebuilt["Lương thực bình quân đầu người"][2] == "trên 500"  # its operator in the office's words
    nam_cuong = [r for r in rows if r[0] == "xã Nam Cường"]
    assert len(nam_cuong) == 11  # the commune's own indicators, as its folder's summary counts them
