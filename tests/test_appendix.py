"""The Word appendix of the year's report: the summary sentence word for word as the 2024 conference report wrote it
(the independent reference: its quote in data/external/published_figures.csv), the page as Decree 30/2020/NĐ-CP
sets it, the table of every indicator, and the same sentence on the attainment page."""

from __future__ import annotations

import shutil
import subprocess

import pandas as pd
import pytest
from conftest import ROOT

from chodon_analysis.analysis import attainment as at
from chodon_analysis.report import appendix


@pytest.fixture(scope="module")
def district_2024(bundled):
    """The bundled district's rows, judged, as a report's context."""
    from chodon_analysis.analysis.context import Context, load_provenance, load_published

    external = ROOT / "data" / "external"
    rows = bundled.indicators[bundled.indicators["area_level"] == "district"]
    return Context(at.reclassify(rows), load_published(external / "published_figures.csv"),
                   load_provenance(external), ROOT / "data" / "processed", external)


def _published_sentence() -> str:
    figures = pd.read_csv(ROOT / "data" / "external" / "published_figures.csv", encoding="utf-8-sig")
    return figures.loc[figures["figure"] == "indicators_total", "quote"].iloc[0]


def test_the_2024_appendix_says_what_the_conference_report_says(district_2024, tmp_path):
    import docx
    from docx.enum.section import WD_ORIENT

    path = appendix.build(tmp_path / "phu_luc_2024.docx", 2024, district_2024, "Huyện Chợ Đồn")
    doc = docx.Document(str(path))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "PHỤ LỤC" and texts[1] == "Kết quả thực hiện các chỉ tiêu kinh tế - xã hội năm 2024"
    assert _published_sentence() in texts  # word for word, `08` and `02` as the report writes them
    missed = "Các chỉ tiêu không đạt kế hoạch: Tổng đàn trâu (thực hiện 9.870/10.500 con"
    assert any(t.startswith(missed) for t in texts)
    assert any(t.startswith("Các chỉ tiêu chưa đánh giá:") and "(chưa có số liệu thực hiện)" in t for t in texts)
    first, table_page = doc.sections[0], doc.sections[1]
    assert (round(first.page_width.mm), round(first.page_height.mm)) == (210, 297)  # A4
    assert (round(first.left_margin.mm), round(first.right_margin.mm), round(first.top_margin.mm)) == (30, 15, 20)
    assert table_page.orientation == WD_ORIENT.LANDSCAPE
    assert doc.styles["Normal"].font.name == "Times New Roman" and doc.styles["Normal"].font.size.pt == 14
    table = doc.tables[0]
    header = [c.text for c in table.rows[0].cells]
    assert header == ["STT", "Chỉ tiêu", "ĐVT", "Kế hoạch năm 2024", "Thực hiện năm 2024", "TH/KH (%)", "Đánh giá"]
    statuses = [r.cells[6].text for r in table.rows[1:] if r.cells[6].text]
    assert len(statuses) == 42 and statuses.count("Không đạt") == 8 and statuses.count("Chưa đánh giá") == 2
    assert [r.cells[0].text for r in table.rows[1:] if not r.cells[2].text][:2] == ["I", "II"]  # the sections


def test_english_and_a_commune_without_sections(district_2024, tmp_path):
    import docx

    path = appendix.build(tmp_path / "appendix.docx", 2024, district_2024, "Chợ Đồn district", "en")
    texts = [p.text for p in docx.Document(str(path)).paragraphs]
    assert "Of the 42 indicators, 10 exceeded the plan, 22 met the plan, 8 did not meet the plan and 2 were not " \
           "evaluated." in texts
    assert texts[0] == "APPENDIX"


@pytest.fixture(scope="module")
def appendix_pdf(district_2024, tmp_path_factory):
    """The 2024 appendix as LibreOffice lays it out, converted to PDF once for the two tests that read it."""
    folder = tmp_path_factory.mktemp("appendix")
    path = appendix.build(folder / "phu_luc_2024.docx", 2024, district_2024, "Huyện Chợ Đồn")
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(folder), str(path)],
                   check=True, capture_output=True, timeout=120)
    return folder / "phu_luc_2024.pdf"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_the_appendix(appendix_pdf):
    assert appendix_pdf.stat().st_size > 1000


def test_the_attainment_page_leads_with_the_same_sentence(full_run):
    """The HTML and the Word appendix never disagree: the 2024 page opens with the conference report's sentence."""
    page = (full_run[0] / "reports" / "2024" / "attainment.html").read_text(encoding="utf-8")
    assert _published_sentence() in page
    assert page.index(_published_sentence()) < page.index("Bieu chi tieu 2024 - KH 2025.xlsx")  # it leads


def test_every_area_of_a_year_after_the_reform_gets_its_appendix(area_run):
    """The area run of 2025: Nam Cường's own appendix (its counts, linked from its index); the former district's is
    made with its actuals rebuilt from its communes and says how."""
    import docx

    folder = area_run[0] / "reports" / "2025" / "xa-nam-cuong"
    texts = [p.text for p in docx.Document(str(folder / "phu_luc_2025.docx")).paragraphs]
    assert texts[2] == "xã Nam Cường" and texts[3].startswith("Trong tổng 11 chỉ tiêu đã có 06 chỉ tiêu vượt kế hoạch")
    assert 'href="phu_luc_2025.docx"' in (folder / "index.html").read_text(encoding="utf-8")


def _footnotes(path) -> tuple[list[str], int]:
    """The texts of a .docx's footnotes (not the separators) and how many references its body makes to them."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as z:
        notes = z.read("word/footnotes.xml").decode("utf-8") if "word/footnotes.xml" in z.namelist() else ""
        body = z.read("word/document.xml").decode("utf-8")
    texts = ["".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", n)).strip()
             for n in re.findall(r'<w:footnote w:id="[1-9]\d*">(.*?)</w:footnote>', notes, re.S)]
    return texts, len(re.findall(r"<w:footnoteReference ", body))


def test_illustrative_figures_are_said_in_a_word_footnote(district_2024, tmp_path):
    """As the HTML says it: the indicators with an illustrative value are marked (*) in the table, and a footnote on
    the table's title says what the mark means (a real footnote, numbered by Word)."""
    import docx

    path = appendix.build(tmp_path / "phu_luc_2024.docx", 2024, district_2024, "Huyện Chợ Đồn")
    notes, references = _footnotes(path)
    assert notes == ["Các chỉ tiêu đánh dấu (*) có số liệu minh họa (số liệu mẫu), không phải số chính thức (xem "
                     "PROVENANCE.md)."] and references == 1
    doc = docx.Document(str(path))
    title = next(p for p in doc.paragraphs if p.text.startswith("Biểu: Kết quả thực hiện"))
    assert "footnoteReference" in title._p.xml
    marked = [r.cells[1].text for r in doc.tables[0].rows[1:] if r.cells[1].text.endswith(" (*)")]
    prov = pd.read_csv(ROOT / "data" / "external" / "provenance.csv")
    prov = prov[(prov["file"] == "Bieu chi tieu 2024 - KH 2025.xlsx") & (prov["year"] == 2024)]
    sample = prov.groupby("indicator")["origin"].agg(lambda o: "illustrative" in set(o))
    assert len(marked) == sample.sum() == 42  # each 2024 indicator has a plan or an actual that is a sample


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice or poppler is not installed")
def test_libreoffice_lays_the_footnote_out_on_the_tables_page(appendix_pdf):
    text = subprocess.run(["pdftotext", "-layout", str(appendix_pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    assert "1 Các chỉ tiêu đánh dấu (*) có số liệu minh họa" in " ".join(text.split())
