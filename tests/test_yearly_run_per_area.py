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
    assert comparison.count("<tr>") == 9 and "chung với huyện khác" in comparison
    assert rendered or CHROMIUM is None  # .ci/run installs Chromium: there, the page is always drawn
    if rendered:  # Chromium with networking off: the charts drew from the tree's plotly.js
        dom, log = rendered["attainment"]
        assert dom.count('class="main-svg"') >= 3 and "ERR_" not in log
