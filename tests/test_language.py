"""One language per report: the default run (test_run's bundled data) reads in Vietnamese, the run with
`--param lang=en` (test_hostile_reports's workbook) in English: no word of the other language from the string
catalog, statuses and numbers in the language's own format, charts with its separators, title and html lang."""

from __future__ import annotations

import re

import pytest
from conftest import REPORTS
from test_hostile_reports import PAYLOADS

from chodon_analysis.base import vocab

PAGES = [*REPORTS, "index"]
LIBRARY = re.compile(r"<script type=\"text/javascript\">/\*\*\s*\* plotly\.js.*?</script>", re.S)
STYLE = re.compile(r"<style.*?</style>", re.S)


def _page(folder, name: str) -> str:
    """The page as a reader meets it: the text, tables and chart data, without plotly.js itself and the CSS."""
    return STYLE.sub("", LIBRARY.sub("", (folder / f"{name}.html").read_text(encoding="utf-8")))


def _phrases(lang: str, other: str) -> dict[str, str]:
    """Catalog words of `lang` that differ from `other`'s and are long enough not to be a common token."""
    s = vocab.strings()
    out = {}
    for key, words in s[lang].items():
        if words == s[other][key] or key.startswith(("problem.", "plotly.")):  # plotly's own words are its keys
            continue
        plain = re.sub(r"\{\w*\}|\*\*", "", words).strip(" .:,;()")
        if len(plain) >= 8 and " " in plain:
            out[key] = plain
    return out


def test_the_default_pages_read_in_vietnamese(full_run):
    base, *_ = full_run
    folder = base / "reports" / "2024"
    english = _phrases("en", "vi")
    assert len(english) > 80
    for name in PAGES:
        text = _page(folder, name)
        leaks = {k: w for k, w in english.items() if w in text}
        assert not leaks, (name, leaks)
        codes = r">\s*(exceeded|met|not_met|not_evaluated|Headline counts|Progress toward)\s*<"
        assert not re.search(codes, text), name
        assert '<html lang="vi">' in text, name
    attainment = _page(folder, "attainment")
    assert "<title>Kết quả thực hiện kế hoạch: Chợ Đồn, 2024</title>" in attainment
    for word in ("Vượt kế hoạch", "Đạt kế hoạch", "Không đạt", "Chưa đánh giá"):
        assert word in attainment
    assert '"separators":",."' in attainment  # plotly's decimal and thousands marks, Vietnamese
    assert '"locale": "vi"' in attainment and '"Zoom in": "Ph\\u00f3ng to"' in attainment  # the chart toolbar too
    assert re.search(r"\d+ giá trị đã công bố, \d+ giá trị <strong>minh họa</strong>", attainment)  # sample values said
    forest = _page(folder, "forest_cover")
    assert re.search(r">\s*80,5\s*<", forest) and not re.search(r">\s*80\.5\s*<", forest)  # 80,5 in the tables
    assert "(mục tiêu 80,5% năm 2025)" in forest  # the verdict with its unit
    assert re.search(r'<a href="https://baobackan\.vn/[a-z0-9-]+post68407\.html"', forest)  # the source, a working link
    grain = _page(folder, "grain_per_capita")
    assert re.search(r">\s*51\.725\s*<", grain)  # the 2016 population, grouped with a dot
    assert "28.320 tấn" in grain


def test_the_english_pages_read_in_english(hostile_run):
    base, result, _ = hostile_run
    assert result.returncode == 0, result.stderr[-2000:]
    folder = base / "reports" / "2024"
    data = " ".join(PAYLOADS.values()) + " Tổng sản lượng lương thực có hạt Lương thực bình quân đầu người " \
                                         "Tỷ lệ che phủ rừng Số hợp tác xã thành lập mới Chỉ tiêu lạ KINH TẾ Chợ Đồn"
    vietnamese = {k: w for k, w in _phrases("vi", "en").items() if w not in data}
    assert len(vietnamese) > 80
    for name in PAGES:
        text = _page(folder, name)
        leaks = {k: w for k, w in vietnamese.items() if w in text}
        assert not leaks, (name, leaks)
        assert '<html lang="en">' in text, name
    attainment = _page(folder, "attainment")
    assert "Plan attainment 2024" in attainment and "Exceeded" in attainment
    assert '"separators":".,"' in attainment
    forest = _page(folder, "forest_cover")
    assert re.search(r">\s*80\.5\s*<", forest)
    assert "Data quality" in _page(folder, "index")


VIETNAMESE = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹáàãéèíìóòõúùý]", re.I)
PLACES = re.compile(r"Chợ Đồn|Bắc Kạn|Thái Nguyên")


def _vietnamese_left(text: str) -> list[str]:
    """The lines of a page's text (tags, scripts and styles out) with a Vietnamese letter that are not a place's
    name, a hostile payload or marked as written in Vietnamese."""
    import html as html_lib

    text = re.sub(r"<(script|style)\b.*?</\1>", "", text, flags=re.S)
    lines = {ln.strip() for ln in html_lib.unescape(re.sub(r"<[^>]+>", "\n", text)).splitlines()}
    return sorted(ln for ln in lines if VIETNAMESE.search(PLACES.sub("", ln)) and "(as written in Vietnamese)" not in ln
                  and not any(p in ln for p in PAYLOADS.values()))


def test_the_english_reports_put_what_offices_write_into_english(hostile_run):
    """`lang=en`: indicator names by the catalog's English, units and plans by the vocabulary, sections by the
    catalog; what the vocabulary cannot put into English (a name the catalog does not know, a heading with other
    words) shown as written and marked so. Pages and the Excel workbook alike."""
    from openpyxl import load_workbook

    base, _, _ = hostile_run
    folder = base / "reports" / "2024"
    attainment = (folder / "attainment.html").read_text(encoding="utf-8")
    for page in (*REPORTS, "index"):
        assert not _vietnamese_left((folder / f"{page}.html").read_text(encoding="utf-8")), page
    assert "Total grain output" in attainment and "maintain 80.5%" in attainment and "tonnes" in attainment
    assert "Số hợp tác xã thành lập mới &lt;img" in attainment and "(as written in Vietnamese)" in attainment
    book = load_workbook(folder / "chi_tieu_2024.xlsx")
    sheet = book.worksheets[0]
    cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert {"Total grain output", "Forest cover", "maintain 80.5%", "tonnes"} <= set(cells)
    assert not [c for c in cells if VIETNAMESE.search(PLACES.sub("", c)) and "(as written in Vietnamese)" not in c
                and not any(p in c for p in PAYLOADS.values())]


def test_english_words_by_the_vocabulary():
    """Hand-written English of what offices write: plans, units (also several of one row), section headings,
    names; Vietnamese reports get the text back as written."""
    from chodon_analysis.analysis import english

    plans = {"trên 500": "above 500", "duy trì 80,5%": "maintain 80.5%", "từ 95% trở lên": "95% or more",
             "không quá 2": "not more than 2", "150 trở lên": "150 or more", "Phấn đấu đạt 28.320 tấn":
             "aim for 28,320 tonnes", "từ 80 đến 85%": "from 80 to 85%", "88.420": "88,420", "khoảng 50.250":
             "about 50,250", "dưới 10%": "below 10%", "Chưa có số liệu": "no figure",
             "bằng năm trước": "bằng năm trước (as written in Vietnamese)"}
    assert {p: english.plan(p, "en") for p in plans} == plans
    assert english.plan("duy trì 80,5%", "vi") == "duy trì 80,5%"
    assert english.unit("đảng viên|người", "en") == "party members, people"
    assert english.unit("đảng viên|người", "vi") == "đảng viên, người"
    assert (english.unit("Tấn", "en"), english.unit("kg/người/năm", "en")) == ("tonnes", "kg/person/year")
    headings = {"CHỈ TIÊU VỀ KINH TẾ": "Economy", "II. VĂN HOÁ - XÃ HỘI": "Culture and society",
                "B. Lĩnh vực môi trường": "Environment",
                "CHỈ TIÊU KINH TẾ - XÃ HỘI": "CHỈ TIÊU KINH TẾ - XÃ HỘI (as written in Vietnamese)"}
    assert {h: english.section(h, "en") for h in headings} == headings
    assert english.indicator("Tổng sản lượng lương thực có hạt", "en") == "Total grain output"
    assert english.indicator("Chỉ tiêu lạ", "en") == "Chỉ tiêu lạ (as written in Vietnamese)"
    import pandas as pd

    from chodon_analysis.report import plots

    bars = plots.by_section_bar(pd.DataFrame({"section": ["CHỈ TIÊU VỀ KINH TẾ", "II. VĂN HOÁ - XÃ HỘI"],
                                              "status": ["met", "not_met"], "count": [3, 1]}), "en")
    assert sorted(y for t in bars.data for y in t.y) == ["Culture and society", "Economy"]  # the chart's sections


def test_every_unit_has_its_english():
    """Each canonical unit (units.csv, catalog.csv) has its English in unit_words.csv."""
    from chodon_analysis.base import catalog

    units = set(vocab.unit_synonyms().values()) | {e["unit"] for e in catalog.entries().values()}
    assert not units - set(vocab.unit_words()) - {""}


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_catalog_key_the_code_and_notebooks_name_exists(lang):
    """A key named in the code or a notebook with no line in strings.csv would fail only when that page is made."""
    from conftest import ROOT

    keys = set(vocab.strings()[lang])
    prefixes = ("att|forest|grain|index|quality|xl|report|notice|progress|rule|name|reason|flag|note|break|areas|cmp"
                "|col|api")
    called = re.compile(rf"""(?:text|say|heading|_e|has|\bt)\(\s*f?["']((?:{prefixes})\.[a-z_.]+)["']""")
    named, in_templates = set(), set()
    sources = [*(ROOT / "chodon_analysis").rglob("*.py"), *(ROOT / "notebooks").glob("*.ipynb"),
               *(ROOT / "chodon_analysis" / "report" / "templates").glob("*.html")]
    for path in sources:
        text = path.read_text(encoding="utf-8").replace('\\"', '"')
        found = set(called.findall(text)) | set(re.findall(r"""note=["']([a-z_]+\.[a-z_]+)["']""", text))
        found = {k for k in found if not k.endswith(".")}  # a prefix joined to a value in a template
        named |= found
        in_templates |= found if path.suffix == ".html" else set()
    assert len(named) > 60 and len(in_templates) > 10
    assert not named - keys, sorted(named - keys)


def test_plans_as_written_in_the_readers_format():
    """A plain number the office wrote is shown in the reader's format; a phrase as written."""
    from chodon_analysis.report.words import as_written

    assert (as_written("88.420", "en"), as_written("88.420", "vi")) == ("88,420", "88.420")
    assert (as_written("1.78", "vi"), as_written("72,4%", "en"), as_written("trên 500", "en")) == ("1,78", "72.4%",
                                                                                                 "trên 500")


def test_numbers_in_each_language():
    """Hand-written expectations (Vietnamese: dot for thousands, comma for decimals)."""
    from chodon_analysis.base import i18n

    assert (i18n.number(28320, "vi"), i18n.number(28320, "en")) == ("28.320", "28,320")
    assert (i18n.percent(80.5, "vi"), i18n.percent(80.5, "en")) == ("80,5%", "80.5%")
    assert (i18n.rate(-0.0123, "vi"), i18n.rate(0.05, "en")) == ("-1,23%", "+5.00%")
    assert (i18n.number(51855.123, "vi", 1), i18n.number(float("nan"), "vi")) == ("51.855,1", "")
    assert (i18n.separators("vi"), i18n.separators("en")) == (",.", ".,")


def test_charts_show_full_numbers_whole_years_and_no_labels_over_lines():
    import pandas as pd

    from chodon_analysis.report import plots
    from chodon_analysis.report.style import STATUS_COLORS

    grain = pd.DataFrame({"year": [2020, 2021, 2022], "grain_output_t": [28650.0, 29120.0, 29380.0],
                          "population": [49900.0, 50250.0, 51203.0], "source": ["illustrative"] * 3,
                          "population_source": ["illustrative", "illustrative", "published"]})
    fig = plots.grain_chart(grain, "vi")
    assert fig.layout.separators == ",." and fig.layout.yaxis2.exponentformat == "none"
    assert fig.layout.yaxis.separatethousands and fig.layout.yaxis2.separatethousands
    assert fig.layout.xaxis.tickformat == "d" and fig.layout.xaxis.dtick == 1
    assert all(t.text is None for t in fig.data if t.type == "bar")  # no labels on the bars, under the line
    assert "công bố" in fig.data[-1].customdata  # hover says where a point comes from, in the language
    one = pd.DataFrame({"year": [2020, 2021], "plan_value": [5200.0, 5300.0], "actual_value": [5150.0, 5320.0]})
    assert plots.indicator_chart(one, "Tổng đàn trâu", "en").layout.xaxis.tickformat == "d"
    by_section = pd.DataFrame({"section": ["KINH TẾ"] * 2, "status": ["met", "not_met"], "count": [3, 1]})
    colours = {t.name: t.marker.color for t in plots.by_section_bar(by_section, "vi").data}
    assert colours == {"Vượt kế hoạch": STATUS_COLORS["exceeded"], "Đạt kế hoạch": STATUS_COLORS["met"],
                       "Không đạt": STATUS_COLORS["not_met"], "Chưa đánh giá": STATUS_COLORS["not_evaluated"]}
    counts = pd.DataFrame({"status": ["exceeded", "met", "not_met", "not_evaluated"], "computed": [4, 2, 1, 6]})
    alone = plots.headline_counts(counts, "vi").data  # the computed counts alone: each bar its status's colour
    assert len(alone) == 1 and list(alone[0].marker.color) == [STATUS_COLORS[s] for s in counts["status"]]
    beside = plots.headline_counts(counts.assign(reported=[3, 3, 1, 6]), "vi").data  # two sources: one colour each
    assert [type(t.marker.color) for t in beside] == [str, str] and beside[0].marker.color != beside[1].marker.color


@pytest.mark.skipif(__import__("conftest").CHROMIUM is None, reason="chromium not installed (.ci/run installs it)")
def test_drawn_axes_have_no_abbreviated_numbers_or_fractional_years(hostile_run):
    """In the pages Chromium drew (networking off): tick labels as a reader sees them."""
    _, _, doms = hostile_run
    for name in REPORTS:
        ticks = re.findall(r'class="[xy]tick"[^>]*>.*?<text[^>]*>([^<]*)</text>', doms[name])
        assert ticks, name
        assert not [t for t in ticks if re.fullmatch(r"[\d.,]+[kMG]", t)], (name, ticks)  # no 51.855k
        assert not [t for t in ticks if re.fullmatch(r"2[,.]0\d\d(\.\d+)?", t)], (name, ticks)  # no 2,020.5
        buttons = set(re.findall(r'data-title="([^"]*)"', doms[name]))
        assert "Zoom in" in buttons and not [b for b in buttons if "Share" in b], buttons  # nothing sends data away


def test_the_run_leaves_the_workbook_in_the_report_folder(full_run):
    """Read back with openpyxl: the year's indicators with Vietnamese statuses, a frozen header and filters."""
    from openpyxl import load_workbook

    base, *_ = full_run
    wb = load_workbook(base / "reports" / "2024" / "chi_tieu_2024.xlsx")
    ws = wb["Kết quả 2024"]
    assert ws.freeze_panes and ws.auto_filter.ref
    words = {c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    assert {"Vượt kế hoạch", "Đạt kế hoạch", "Không đạt", "Chưa đánh giá"} <= words
    assert {"STT", "Chỉ tiêu", "ĐVT", "TH/KH (%)"} <= words
