"""Reports are safe to open whatever a workbook says: script payloads in every field a workbook fills (title,
section, indicator name, unit, plan and actual text, office assessment, note) and in the workbook's file name are
shown as text and never run, in every HTML page of a run, checked in headless Chromium with networking off, where
every chart is still drawn."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from conftest import CHODON, CHROMIUM, REPORTS, ROOT, render, spawn, write_xlsx

PAGES = [*REPORTS, "index", "data_quality"]
MARK = "document.body.setAttribute('data-pwned','{}')"
PAYLOADS = {  # what a hostile sender writes, by where it goes
    "file": f'<img src=x onerror="{MARK.format("file")}">',
    "title": f"<script>{MARK.format('title')}</script>",
    "section": f'<svg onload="{MARK.format("section")}">',
    "name": f'<img src=x onerror="{MARK.format("name")}">',
    "unit": f"<script>{MARK.format('unit')}</script>",
    "plan": f'<a href="javascript:{MARK.format("plan")}">bấm</a>',
    "actual": f"[bấm vào đây](javascript:{MARK.format('actual')})",
    "status": f'<iframe src="javascript:{MARK.format("status")}"></iframe>Đạt',
    "note": f'<img src=x onerror="{MARK.format("note")}">',
}


def hostile_run_and_render(base: Path) -> tuple[Path, subprocess.CompletedProcess, dict[str, str]]:
    """`chodon run --year 2024` on one workbook whose every field and whose file name carry a payload, then each
    page opened in Chromium with networking off (all at once): its DOM after scripts ran. (Started in the
    background when the session starts: conftest.py.)"""
    raw = base / "raw"
    raw.mkdir()
    p = PAYLOADS
    rows = [[f"BIỂU CHỈ TIÊU NĂM 2024 {p['title']}"],
            ["TT", "Chỉ tiêu", "ĐVT", "Kế hoạch năm 2024", "Thực hiện năm 2024", "Đánh giá"],
            ["I", f"KINH TẾ {p['section']}", "", "", "", ""],
            ["1", "Tổng sản lượng lương thực có hạt", "tấn", 28000, 28500, "Đạt"],  # the office's label differs
            ["2", f"Lương thực bình quân đầu người {p['name']}", "kg/người", 540, 560, "Vượt KH"],
            ["3", "Tỷ lệ che phủ rừng", "%", "duy trì 80,5%", 80.5, "Không đạt"],  # a plan in words; a label differs
            ["4", f"Chỉ tiêu lạ {p['name']}", p["unit"], p["plan"], p["actual"], p["status"]],
            ["5", f"Số hợp tác xã thành lập mới {p['name']}", p["unit"], 5, 3, p["status"]],  # not met: in a table
            [f"Ghi chú: {p['note']}"]]
    write_xlsx(raw / f"chi-tieu-2024 {p['file']}.xlsx", rows)
    args = ["run", "--year", "2024", "--raw", str(raw), "--processed", str(base / "processed"), "--reports",
            str(base / "reports"), "--param", "lang=en", "--jobs", "1"]  # English: test_language.py reads them too
    proc = spawn([*CHODON, *args], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = proc.communicate()
    result = subprocess.CompletedProcess(proc.args, proc.returncode, out, err)
    doms = render({n: base / "reports" / "2024" / f"{n}.html" for n in PAGES}, base / "chromium")
    return base, result, {name: dom for name, (dom, _log) in doms.items()}



def test_the_hostile_workbook_is_read_and_every_report_is_written(hostile_run):
    base, result, _ = hostile_run
    assert result.returncode == 0, result.stderr[-2000:]
    for name in PAGES:
        assert (base / "reports" / "2024" / f"{name}.html").exists(), name


@pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed (.ci/run installs it)")
@pytest.mark.parametrize("page", PAGES)
def test_no_payload_runs_and_the_text_is_still_shown(hostile_run, page):
    base, _, doms = hostile_run
    dom = doms[page]
    assert "</body>" in dom
    body = re.search(r"<body[^>]*>", dom).group(0)
    assert "data-pwned" not in body, (page, body)  # no script of a payload ran: the DOM is as the page made it
    live = re.findall(r"<(?:img|svg|iframe|script)\b[^>]*(?:onerror|onload|javascript:|data-pwned)[^>]*>", dom)
    assert not live, (page, live)  # no element of a payload exists
    assert not re.search(r"<a\b[^>]*href=\"\s*javascript:", dom), page  # no live javascript: link
    if page in REPORTS:  # every chart of the page is drawn offline (networking off): plotly.js is in the page
        cells = json.loads((base / "reports" / "2024" / f"{page}.ipynb").read_text(encoding="utf-8"))["cells"]
        charts = sum("application/vnd.plotly.v1+json" in o.get("data", {}) for c in cells for o in c.get("outputs", []))
        drawn = len(re.findall(r'<div [^>]*class="[^"]*\bjs-plotly-plot\b', dom))  # plotly.js drew it
        assert charts >= 1 and drawn == charts and dom.count('class="main-svg"') >= charts, (charts, drawn)
    if page == "attainment":  # the not-met table and the workbook sentence show these fields, as text
        for field in ("file", "section", "name", "unit"):
            shown = PAYLOADS[field].replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            assert shown in dom, field


def test_the_raw_html_never_holds_a_payload_as_markup(hostile_run):
    """Without a browser too: no payload appears unescaped in any page of the run (as a reader's mail filter,
    or a browser with scripts on, would meet it)."""
    base, _, _ = hostile_run
    for path in (base / "reports" / "2024").glob("*.html"):
        text = path.read_text(encoding="utf-8")
        for field, payload in PAYLOADS.items():
            assert payload not in text, (path.name, field)
        assert not re.search(r"<a\b[^>]*href=\"\s*javascript:", text), path.name
    assert (ROOT / "notebooks").is_dir()


HOSTILE = '<img src=x onerror="alert(1)">'  # a name that would run as markup (no slash: a file may be so named)


def test_the_template_pages_show_a_hostile_name_as_text(tmp_path):
    """The pages made from templates (index, the index across areas, the communes compared) escape every value
    they are given: an area, commune, district, notebook or link named like markup is shown, never run."""
    import pandas as pd

    from chodon_analysis.runner.areas import Area
    from chodon_analysis.runner.index import index_html
    from chodon_analysis.runner.overview import areas_index, comparison_page
    from chodon_analysis.runner.params import Notebook

    (tmp_path / f"{HOSTILE}.html").write_text("", encoding="utf-8")  # a report whose page exists: linked by name
    (tmp_path / "extra.html").write_text("", encoding="utf-8")
    area = Area(HOSTILE, "commune")
    (tmp_path / area.slug).mkdir()
    (tmp_path / area.slug / "summary.json").write_text(json.dumps({"counts": {"met": 1}}), encoding="utf-8")
    ranked = pd.DataFrame([{"rank": 1, "area": HOSTILE, "district": HOSTILE, "indicators": 1, "workbooks": 2,
                            "exceeded": 0, "met": 1, "not_met": 0, "not_evaluated": 0, "evaluated": 1,
                            "met_share_pct": 100.0, "median_ratio_pct": 100.0}])
    links = [("extra.html", HOSTILE)]
    pages = {"index": index_html(2024, [Notebook(Path(f"{HOSTILE}.ipynb"), {})], tmp_path, tmp_path / "processed",
                                 "en", HOSTILE, links),
             "areas": areas_index(2025, [area], tmp_path, "vi", links),
             "comparison": comparison_page(2025, ranked, [area], "vi")}
    for name, page in pages.items():
        assert HOSTILE not in page and "<img" not in page, name
        shown = page.count("&lt;img src=x onerror=&#34;alert(1)&#34;&gt;")  # as text: in the title, links, cells
        assert shown >= {"index": 5, "areas": 2, "comparison": 2}[name], (name, shown)


def test_the_report_page_template_escapes_its_title_and_fetches_nothing(tmp_path):
    """An executed notebook's page (runner/export.py, report/templates/notebook.html.j2): the report's language,
    its title escaped, code hidden, plotly.js only when a chart is drawn, from the relative path given (else inside
    the page), the styles in one shared file beside it; no address of the network in the head."""
    import nbformat

    from chodon_analysis.runner.export import notebook_html

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("secret_code = 1", outputs=[
        nbformat.v4.new_output("display_data", {"text/html": "<div>Plotly.newPlot(...)</div>"})])])
    page = notebook_html(nb, False, "Độ che phủ rừng <script>alert(1)</script>", "vi", "../plotly-9.min.js", tmp_path)
    head = page.split("</head>", 1)[0]
    assert '<html lang="vi">' in page and "<title>Độ che phủ rừng &lt;script&gt;alert(1)&lt;/script&gt;</title>" in head
    assert '<script src="../plotly-9.min.js"></script>' in head and "secret_code" not in page
    css = re.search(r'<link href="\.\./(report-[0-9a-f]{12}\.css)" rel="stylesheet"/>', head).group(1)
    assert ".jp-Notebook" in (tmp_path / css).read_text(encoding="utf-8") and "<style" not in head
    assert not re.search(r"https?://", head) and head.count("<script") == 1
    bare = notebook_html(nbformat.v4.new_notebook(), True, "x", "en")  # no chart: no plotly.js; styles inside
    assert '<html lang="en">' in bare and "<script" not in bare.split("</head>", 1)[0] and ".jp-Notebook" in bare
    embedded = notebook_html(nb, True, "x", "en")  # no path given: plotly.js inside the page
    assert "plotly.js v" in embedded.split("</head>", 1)[0] and "secret_code" in embedded


def test_a_headline_says_a_dash_where_the_office_assessed_nothing(tmp_path):
    """A commune whose workbook has no assessment column: its office's counts are not 0 of each status but none."""
    import pandas as pd

    from chodon_analysis.runner.index import index_html

    counts = pd.DataFrame({"status": ["exceeded", "met", "not_met", "not_evaluated"], "computed": [6, 2, 3, 0],
                           "reported": [0, 0, 0, 0]})
    page = index_html(2025, [], tmp_path, tmp_path, "vi", "xã Nam Cường", headline=counts,
                      issues=pd.DataFrame(columns=["file", "code", "params", "problem", "action"]))
    cells = re.findall(r"<td>([^<]*)</td>", page.split("<table>")[1].split("</table>")[0])
    assert cells == ["6", "—", "2", "—", "3", "—", "0", "—"]
    counts["reported"] = [5, 2, 3, 0]  # assessed: the office's counts, and the ones it left out
    page = index_html(2025, [], tmp_path, tmp_path, "vi", "xã Nam Cường", headline=counts,
                      issues=pd.DataFrame(columns=["file", "code", "params", "problem", "action"]))
    assert "<td>5</td>" in page and "—" not in page.split("<table>")[1].split("</table>")[0]
