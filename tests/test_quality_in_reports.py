"""The findings of the checks where the reader looks (issue 24, items 4-5): per area on the data-quality page, a sheet
of the Excel workbook, a count per area on the indexes, and ⚠ on every figure a finding is on, in the attainment
tables and the explorer. A commune's 2025 workbook typed with two slips (grain per head 5.510 for 551; forest
17.700 ha on 16.800 ha of land); its other communes clean."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import openpyxl
import pytest
from conftest import ROOT, run_areas

from chodon_analysis.analysis import attainment, communes, series
from chodon_analysis.analysis.context import load
from chodon_analysis.analysis.quality import marks
from chodon_analysis.report import checks, explorer

NAM_CUONG = "bao-cao-xa-nam-cuong-2025.xlsx"


def slipped_run(base: Path) -> Path:
    """The `slipped` workbooks run per area with one small notebook into `base`; started in the background when the
    session starts (conftest.py)."""
    raw = base / "raw"
    raw.mkdir()
    for f in (ROOT / "data" / "raw").iterdir():  # Bạch Thông's left out: a commune that sent nothing
        if ("2025" in f.name or "2024" in f.name) and "bach-thong" not in f.name:
            shutil.copy(f, raw / f.name)
    book = openpyxl.load_workbook(raw / NAM_CUONG)
    sheet = book.active
    assert (sheet["B7"].value, sheet["E7"].value, sheet["B9"].value, sheet["E9"].value) == (
        "Lương thực bình quân đầu người", 551, "Diện tích đất có rừng", 13700)
    sheet["E7"], sheet["E9"] = 5510, 17700
    book.save(raw / NAM_CUONG)
    return run_areas(raw, base)


@pytest.fixture(scope="module")
def slipped(background):
    """The bundled workbooks of 2024 and 2025, Nam Cường's with the two slips, Bạch Thông's missing, run per area."""
    return background["slipped"].result()


def test_the_data_quality_page_shows_each_areas_findings_and_names_the_clean_ones(slipped):
    page = (slipped / "reports" / "2025" / "data_quality.html").read_text(encoding="utf-8")
    own = checks.anchor("Nam Cường", "commune")
    heading = re.search(rf'<h3 id="{own}">([^<]*)</h3>', page)
    assert heading and heading.group(1) == "xã Nam Cường: 3 lỗi, 0 cảnh báo"
    section = page[heading.end():page.index("</table>", heading.end())]
    assert re.findall(r"<td>([^<]*)</td>", section)[:5] == ["Diện tích đất có rừng", "Phần lớn hơn tổng", "Lỗi",
                                                          "17.700", "16.800"]
    assert section.count("<tr>") == 4  # the header and the three findings (the slip far from the others: the same)
    clean = re.search(r"<p>Không có phát hiện: ([^<]*)\.</p>", page)
    assert clean and "xã Nghĩa Tá" in clean.group(1) and "Nam Cường" not in clean.group(1)
    assert page.index('id="checks"') < page.index("Sửa chữa và điểm nghi vấn khi đọc biểu")  # before the repairs


def test_the_workbook_has_a_sheet_of_findings_and_marks_each_figure_they_are_on(slipped):
    book = openpyxl.load_workbook(slipped / "reports" / "2025" / "chi_tieu_2025.xlsx")
    assert book.sheetnames[1:3] == ["Tổng hợp", "Kiểm tra số liệu"]  # before any commune's figures
    rows = list(book["Kiểm tra số liệu"].iter_rows(min_row=4, values_only=True))
    assert sorted((r[0], r[1], r[2], r[3], r[8]) for r in rows) == [
        ("xã Bạch Thông", None, "Chưa gửi biểu", "Lỗi", None),
        ("xã Nam Cường", "Diện tích đất có rừng", "Phần lớn hơn tổng", "Lỗi", 9),
        ("xã Nam Cường", "Lương thực bình quân đầu người", "Tỷ lệ không khớp thành phần", "Lỗi", 7),
        ("xã Nam Cường", "Tỷ lệ che phủ rừng", "Tỷ lệ không khớp thành phần", "Lỗi", 11)]

    def remarks(sheet: str, area: str | None = None) -> dict[str, str]:
        rows = book[sheet].iter_rows(min_row=4, values_only=True)
        if area is None:
            return {r[1]: r[-1] or "" for r in rows if r[1]}
        return {r[4]: r[-1] or "" for r in rows if r[0] == area}  # the communes' sheet: area, code, district first

    own = remarks("Các xã", "xã Nam Cường")
    assert own["Lương thực bình quân đầu người"].startswith("⚠ Lương thực bình quân đầu người: biểu ghi 5.510")
    assert own["Diện tích đất có rừng"].startswith("⚠") and not own["Dân số trung bình"].startswith("⚠")
    district = remarks(book.sheetnames[0])
    # the former district's forest cover is added up from the communes' forest area: Nam Cường's slip is in it;
    # its grain per head from their grain and population, both sound: no mark
    assert district["Tỷ lệ che phủ rừng"].startswith("⚠ xã Nam Cường: Diện tích đất có rừng (17.700)")
    assert "⚠" not in district["Lương thực bình quân đầu người"]
    assert not any("⚠" in v for v in remarks("Các xã", "xã Nghĩa Tá").values()) and remarks("Các xã", "xã Nghĩa Tá")
    rebuilt = {r[0]: r[-1] for r in book["Tổng hợp từ xã"].iter_rows(min_row=4, values_only=True)}
    assert rebuilt["Tỷ lệ che phủ rừng"].startswith("⚠ xã Nam Cường") and not rebuilt["Diện tích trồng rừng mới"]
    # the sheet of every former district too (a tester's finding: it had no such column)
    level = {r[1]: r[-1] or "" for r in book["Các huyện cũ"].iter_rows(min_row=4, values_only=True)
             if r[0] == "huyện Chợ Đồn (cũ)"}
    assert level["Tỷ lệ che phủ rừng"].startswith("⚠ xã Nam Cường: Diện tích đất có rừng (17.700)")
    assert level["Tổng sản lượng lương thực có hạt"] == "" and "⚠" not in level["Lương thực bình quân đầu người"]


def test_the_indexes_count_the_findings_of_each_area_and_link_to_them(slipped):
    year = slipped / "reports" / "2025"
    index = (year / "index.html").read_text(encoding="utf-8")
    cells = dict(re.findall(r'<a href="(xa-[a-z-]+|huyen-[a-z-]+)/index\.html">[^<]*</a>.*?'
                            r'<a href="data_quality\.html#[^"]*"[^>]*>([^<]*)</a>', index, re.S))
    assert cells["xa-nam-cuong"] == "3 lỗi, 0 cảnh báo" and cells["xa-nghia-ta"] == "không có"
    assert cells["huyen-cho-don"] == "3 lỗi, 0 cảnh báo"  # rebuilt from its communes: theirs count
    # grouped by former district (issue 26): the district, its six communes; then the two formed from several
    listed = re.findall(r'class="group">([^<]*)</th>|href="((?:xa|huyen)-[a-z-]+)/index\.html"', index)
    assert [g or a for g, a in listed] == [
        "huyện Chợ Đồn (cũ)", "huyen-cho-don", "xa-cho-don", "xa-nam-cuong", "xa-nghia-ta", "xa-quang-bach",
        "xa-yen-phong", "xa-yen-thinh", "Xã được lập từ các xã của nhiều huyện cũ", "xa-dong-phuc"]
    gone = re.search(r"<tr><td>xã Bạch Thông</td>.*?</tr>", index, re.S)  # expected, sent nothing: still listed
    assert gone and "chưa gửi biểu số liệu" in gone.group(0)
    target = re.search(r'href="data_quality\.html#([^"]+)"[^>]*>1 lỗi, 0 cảnh báo</a>', gone.group(0))
    assert target and f'id="{target.group(1)}"' in (year / "data_quality.html").read_text(encoding="utf-8")
    page = (year / "data_quality.html").read_text(encoding="utf-8")
    for target in re.findall(r'href="data_quality\.html#([^"]+)"', index):
        assert f'id="{target}"' in page
    own = (year / "xa-nam-cuong" / "index.html").read_text(encoding="utf-8")
    anchor = checks.anchor("Nam Cường", "commune")
    assert f'<a href="../data_quality.html#{anchor}">Kiểm tra số liệu năm 2025: 3 lỗi, 0 cảnh báo.</a>' in own
    clean = (year / "xa-nghia-ta" / "index.html").read_text(encoding="utf-8")
    assert "Kiểm tra số liệu năm 2025: 0 lỗi, 0 cảnh báo." in clean
    # the communes compared: a rank beside its findings, never a clean-looking first place (a tester's finding)
    ranked = (year / "comparison.html").read_text(encoding="utf-8")
    marked = re.findall(r'href="(xa-[a-z-]+)/index\.html">.*?</tr>', ranked, re.S)
    rows = dict(zip(marked, re.findall(r'<tr><td>\d+</td>.*?</tr>', ranked, re.S), strict=True))
    assert f'href="data_quality.html#{anchor}" class="dq-error">⚠ 3 lỗi, 0 cảnh báo</a>' in rows["xa-nam-cuong"]
    assert "⚠" not in rows["xa-nghia-ta"]


def _district(processed):
    """The former district's rows of 2025 as its reports read them: rebuilt from its communes, findings marked."""
    ctx = load(processed, ROOT / "data" / "external")
    ind = ctx.indicators
    own, found = ind[ind["area_level"] == "district"], ctx.findings
    filled = communes.fill_from_communes(own, ind[ind["area_level"] == "commune"], "Chợ Đồn", 2025)[0]
    return ctx, marks.mark(filled, found, "vi", communes.scope_of("Chợ Đồn"))


def test_the_attainment_tables_mark_a_figure_with_a_finding(slipped):
    ctx = load(slipped / "processed", ROOT / "data" / "external")
    ind = ctx.indicators
    commune = marks.mark(ind[ind["area"] == "Nam Cường"], ctx.findings, "vi")
    flagged = attainment.flagged(attainment.reclassify(commune), 2025, "vi")
    assert list(flagged["indicator"]) == ["Lương thực bình quân đầu người", "Diện tích đất có rừng",
                                          "Tỷ lệ che phủ rừng"]
    assert flagged["finding"].str.startswith("⚠ ").all()
    district = attainment.flagged(attainment.reclassify(_district(slipped / "processed")[1]), 2025, "en")
    assert list(district["indicator"]) == ["Forest cover"]
    clean = marks.mark(ind[ind["area"] == "Nghĩa Tá"], ctx.findings, "vi")
    assert attainment.flagged(clean, 2025).empty and "finding" not in attainment.not_met(clean, 2025)


def test_the_explorer_marks_the_point_and_says_the_finding_in_its_hover(slipped):
    hist = series.history(_district(slipped / "processed")[1], "vi")
    figure = explorer.figure_dict(hist, "vi", "forest_cover")
    shown = [t for t in figure["data"] if t["visible"]]
    flags = [t for t in shown if t.get("text") == ["⚠"] * len(t["x"])]
    assert len(flags) == 1 and flags[0]["x"] == [2025] and flags[0]["text"] == ["⚠"] and flags[0]["showlegend"]
    actual = [t for t in shown if t["name"] == "Thực hiện"]
    notes = {x: c[1] for t in actual for x, c in zip(t["x"], t["customdata"], strict=True)}
    assert notes[2025].startswith("<br>⚠ xã Nam Cường: Diện tích đất có rừng") and notes[2024] == ""
    assert all("%{customdata[1]}" in t["hovertemplate"] for t in actual)
    # the years added up from the communes are a line of their own, not joined to the district's own (a tester's)
    assert [2024, 2025] not in [t["x"][-2:] for t in actual] and any(t["x"] == [2025] for t in actual)
    grain = explorer.figure_dict(hist, "vi", "grain_per_capita")
    assert not [t for t in grain["data"] if t["visible"] and "text" in t]
    cells = explorer.overview(hist, "vi").rows
    forest = next(r for r in cells if r["name"] == "Tỷ lệ che phủ rừng")
    assert forest["cells"][-1]["text"].startswith("| ⚠ ")  # the first year added up from the communes, marked
    assert forest["cells"][-1]["note"].startswith("⚠ xã Nam Cường")


def test_the_former_districts_appendix_says_why_which_are_samples_and_the_findings(slipped):
    """Its Word appendix (issue 25): each indicator not evaluated with its own reason; a figure added up from the
    communes' sample figures marked (*) as they are; the commune's slip in a footnote on the figure it is in."""
    import docx
    from test_appendix import _footnotes

    path = slipped / "reports" / "2025" / "huyen-cho-don" / "phu_luc_2025.docx"
    doc = docx.Document(str(path))
    waiting = next(p.text for p in doc.paragraphs if p.text.startswith("Các chỉ tiêu chưa đánh giá:"))
    assert "Số xã đạt chuẩn nông thôn mới trong năm (không xã nào báo cáo)" in waiting
    assert "Hệ số sử dụng đất nông nghiệp (chưa có quy tắc cộng số liệu các xã cho chỉ tiêu này)" in waiting
    assert "chưa có số liệu thực hiện" not in waiting  # the generic words: none left
    rows = {r.cells[1].text: r for r in doc.tables[0].rows[1:]}
    assert "Tổng sản lượng lương thực có hạt (*)" in rows  # the sum of the communes' sample figures
    notes, references = _footnotes(path)
    assert references == len(notes) == 2 and notes[1].startswith("⚠ xã Nam Cường: Diện tích đất có rừng (17.700)")
    assert "footnoteReference" in rows["Tỷ lệ che phủ rừng (*)"].cells[1].paragraphs[0]._p.xml


def test_the_rebuilt_figures_and_each_communes_share_carry_the_findings(slipped):
    """The attainment page's tables of the former district added up from its communes: a figure made of a commune's
    slip is marked there too, and so is that commune's contribution (the tester's Yên Phong, 850 ha for 85)."""
    from chodon_analysis.analysis.communes import fill_from_communes

    ctx, marked = _district(slipped / "processed")
    ind = ctx.indicators
    _, targets, picture = fill_from_communes(ind[ind["area_level"] == "district"], ind[ind["area_level"] == "commune"],
                                             "Chợ Đồn", 2025)
    targets, picture = marks.on_rebuilt(targets, picture, marked, ctx.findings, 2025)
    said = dict(zip(targets["indicator"], targets["finding"], strict=True))
    assert said["Tỷ lệ che phủ rừng"].startswith("⚠ xã Nam Cường: Diện tích đất có rừng (17.700)")
    assert said["Tổng sản lượng lương thực có hạt"] == "" and said["Lương thực bình quân đầu người"] == ""
    shares = {(a, n): f for a, n, f in zip(picture["area"], picture["indicator"], picture["finding"], strict=True)}
    assert shares[("Nam Cường", "Diện tích đất có rừng")].startswith("⚠ Diện tích đất có rừng (17.700)")
    assert shares[("Nghĩa Tá", "Diện tích đất có rừng")] == "" == shares[("Nam Cường", "Dân số trung bình")]


def test_the_trend_pages_say_the_findings_on_the_figures_they_draw_before_their_verdicts(slipped):
    """A tester's case: the grain page said the former district's target was reached on a figure with a finding.
    The district's forest cover carries Nam Cường's forest area; its grain per head, recomputed from grain and
    population, not Nam Cường's own typed grain per head."""
    from chodon_analysis.report import checks, start

    ctx = start.start(2025, "vi", "Chợ Đồn", str(slipped / "processed"), str(ROOT / "data" / "external"))
    forest = checks.on_series(ctx, 2025, ("forest_cover", "forest_area", "natural_area", "new_forest"), "vi")
    assert list(forest["finding"].str[:40]) == ["⚠ xã Nam Cường: Diện tích đất có rừng (1"]
    assert checks.on_series(ctx, 2025, ("grain_output", "population", "grain_per_capita"), "vi").empty
    commune = start.start(2025, "vi", "Chợ Đồn", str(slipped / "processed"), str(ROOT / "data" / "external"),
                          commune="Nam Cường")
    grain = checks.on_series(commune, 2025, ("grain_output", "population", "grain_per_capita"), "vi")
    assert list(grain["indicator"]) == ["Lương thực bình quân đầu người"]
