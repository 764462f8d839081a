"""The Word appendix of the year's report, as the district's report attaches it: "Phụ lục: Kết quả thực hiện các
chỉ tiêu kinh tế - xã hội năm Y" (python-docx). The summary sentence in the report's own words (the same sentence
leads the attainment page), the indicators not met with their shortfall, those not evaluated with the reason, the
table of every indicator in the sections' order on a landscape page, and next year's targets. Laid out as Decree
30/2020/NĐ-CP sets for administrative documents: A4, Times New Roman, 13-14 pt, the margins it sets."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from ..analysis import attainment, english
from ..base import i18n
from ..base.files import write_atomic
from .sentences import summary_sentence
from .words import why
from .workbook import attainment_layout, decimals

if TYPE_CHECKING:
    from ..analysis.context import Context

FONT = "Times New Roman"
BODY_PT, TABLE_PT = 14, 12
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}  # Decree 30/2020/NĐ-CP, appendix I
COLUMNS = ("stt", "indicator", "unit", "plan", "actual", "ratio_pct", "status")
WIDTHS_MM = (12, 95, 25, 30, 30, 25, 35)  # the landscape page's 252 mm: the names get the room


def _number(value: object, lang: str) -> str:
    """A figure in the reader's format with the decimals it has, at most two (a figure added up from communes:
    `551,2`, not `551,202`); text (a plan phrase) as the office wrote it."""
    if isinstance(value, int | float) and not pd.isna(value):
        shown = round(float(value), 2)
        return i18n.number(shown, lang, decimals(shown, 2))
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def _why(r: pd.Series, lang: str) -> str:
    """Why an indicator was not evaluated, in words: a former district's figure says why it could not be added up
    from its communes (`reason`, analysis/communes.py)."""
    if isinstance(r.get("reason"), str) and r["reason"]:
        return why(r["reason"], lang)
    if pd.isna(r["actual_value"]):
        return i18n.text("appendix.why.no_actual", lang)
    if not r["plan_op"]:
        return i18n.text("appendix.why.no_plan", lang)
    return i18n.text("appendix.why.change" if r["plan_op"] == "change" else "appendix.why.other", lang)


def findings(ind: pd.DataFrame, year: int, lang: str) -> list[str]:
    """The paragraphs of the appendix's text: the summary sentence, the indicators not met with their shortfall,
    those not evaluated with the reason."""
    rows = attainment.attainment_table(attainment.primary_rows(ind[ind["year"] == year]), lang)
    out = [summary_sentence(attainment.counts(attainment.summary(ind), year), lang)]  # as the attainment page
    missed = rows[rows["status"] == "not_met"]
    items = [i18n.text("appendix.not_met_item", lang, name=english.indicator(r.indicator, lang, r.indicator_id),
                       actual=_number(r.actual_value, lang), plan=_number(r.plan_value, lang),
                       unit=english.unit(r.unit, lang), ratio=i18n.percent(r.ratio * 100, lang, 1)
                       if not pd.isna(r.ratio) else "—") for r in missed.itertuples()]
    out.append(i18n.text("appendix.not_met", lang, items="; ".join(items)) if items
               else i18n.text("appendix.none_not_met", lang))
    waiting = rows[rows["status"] == "not_evaluated"]
    if len(waiting):
        out.append(i18n.text("appendix.not_evaluated", lang, items="; ".join(
            f"{english.indicator(r['indicator'], lang, r['indicator_id'])} ({_why(r, lang)})"
            for _, r in waiting.iterrows())))
    return out


def _fonts(doc) -> None:
    """Times New Roman for every script (Vietnamese is Latin; East Asian set too, as Word falls back there)."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    style = doc.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(BODY_PT)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)


def _page(section, landscape: bool) -> None:
    """A4, portrait or landscape, with the decree's margins."""
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    for side, mm in MARGINS_MM.items():
        setattr(section, f"{side}_margin", Mm(mm))


def _paragraph(doc, text: str, bold: bool = False, center: bool = False, size: int = BODY_PT, indent: bool = False):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER if center else WD_ALIGN_PARAGRAPH.JUSTIFY
    p.paragraph_format.space_after = Pt(6)
    if indent:
        p.paragraph_format.first_line_indent = Mm(10)
    run = p.add_run(text)
    run.bold, run.font.size = bold, Pt(size)
    return p


def _table(doc, header: list[str], rows: list[tuple[list[str], bool]]):
    """A bordered table, its header row repeated on every page; `rows`: (cells, bold). Returns the table."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm

    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.autofit = False
    widths = WIDTHS_MM if len(header) == len(WIDTHS_MM) else (12, 125, 25, 90)[: len(header)]
    for column, mm in zip(table.columns, widths, strict=True):
        column.width = Mm(mm)  # the grid LibreOffice lays out by; each cell's width below is Word's
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(repeat)
    _fill(table.rows[0]._tr, header, widths, True)
    blank = {bold: _fill(table.add_row()._tr, [""] * len(header), widths, bold) for bold in (False, True)}
    for tr in blank.values():
        table._tbl.remove(tr)
    for cells, bold in rows:  # each row a copy of a blank one, its words put in (python-docx walks a row each time)
        tr = copy.deepcopy(blank[bold])
        table._tbl.append(tr)
        _words(table, tr, cells)
    return table


def _fill(tr, cells: list[str], widths: tuple[int, ...], bold: bool):
    """A row's cells: their widths, alignment (the name left, the rest centred) and one run each, `bold` or not,
    in the table's size, with its words. Returns the row."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt
    from docx.table import _Cell

    for i, (tc, text) in enumerate(zip(tr.tc_lst, cells, strict=True)):
        cell = _Cell(tc, None)
        cell.width = Mm(widths[i])
        p = cell.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.LEFT if i == 1 else WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(text)
        run.bold, run.font.size = bold, Pt(TABLE_PT)
    return tr


def _words(table, tr, cells: list[str]) -> None:
    """The words of a copied blank row: each cell's run given its text, as `add_run(text)` writes it."""
    from docx.text.run import Run

    for tc, text in zip(tr.tc_lst, cells, strict=True):
        if text:
            Run(tc.p_lst[0].r_lst[0], table).text = text


def _attainment_rows(ctx: Context, year: int, lang: str) -> tuple[list[tuple[list[str], bool]], bool, dict[int, str]]:
    """The table of every indicator in the sections' order (as the Excel workbook lays it out), whether an
    illustrative figure is marked (*), and the findings of the checks by row (each becomes a footnote)."""
    layout = attainment_layout(ctx, year, lang)
    illustrative = i18n.text("xl.illustrative", lang)
    rows, marked, found = [], False, {}
    for r in layout.itertuples():
        if r.kind == "section":
            rows.append(([str(r.stt), str(r.indicator), "", "", "", "", ""], True))
            continue
        mark = " (*)" if illustrative in str(r.remark) else ""
        marked |= bool(mark)
        if isinstance(r.finding, str) and r.finding:
            found[len(rows)] = r.finding
        rows.append(([str(r.stt), f"{r.indicator}{mark}", str(r.unit or ""), _number(r.plan, lang),
                      _number(r.actual, lang), "" if pd.isna(r.ratio_pct) else i18n.number(r.ratio_pct, lang, 1),
                      i18n.status(r.status, lang)], False))
    return rows, marked, found


def _targets(ind: pd.DataFrame, year: int, lang: str) -> list[tuple[list[str], bool]]:
    t = attainment.next_year_targets(ind, year)
    return [([str(i), english.indicator(r.indicator, lang), english.unit(r.unit, lang), english.plan(r.target, lang)
              or _number(r.plan_value, lang)], False) for i, r in enumerate(t.itertuples(), start=1)]


def build(path: Path, year: int, ctx: Context, area: str, lang: str = "vi", notes: tuple[str, ...] = ()) -> Path:
    """Write the appendix of `year` for `area` (ctx: its rows, judged) to `path`, atomically; `notes`: sentences
    after the findings (a former district's: how its figures were added up from its communes, and from how many).
    Illustrative figures and those with a finding of the checks are said in footnotes."""
    from docx import Document
    from docx.enum.section import WD_SECTION

    doc = Document()
    _fonts(doc)
    _page(doc.sections[0], landscape=False)
    t = lambda key, **v: i18n.text(key, lang, **v)  # noqa: E731
    _paragraph(doc, t("appendix.title").upper(), bold=True, center=True)
    _paragraph(doc, t("appendix.subtitle", year=year), bold=True, center=True)
    _paragraph(doc, area, center=True)
    for text in (*findings(ctx.indicators, year, lang), *notes):
        _paragraph(doc, text, indent=True)
    _page(doc.add_section(WD_SECTION.NEW_PAGE), landscape=True)  # the wide table: a landscape section
    title = _paragraph(doc, t("appendix.table", year=year), bold=True, center=True)
    rows, marked, found = _attainment_rows(ctx, year, lang)
    header = [t("col.stt"), t("col.indicator"), t("col.unit"), t("col.plan", year=year), t("col.actual", year=year),
              t("col.ratio_pct"), t("appendix.col.status")]
    table = _table(doc, header, rows)
    notes = [(title, t("appendix.illustrative"))] if marked else []  # as the HTML says it: in a note
    notes += [(table.rows[i + 1].cells[1].paragraphs[0], text) for i, text in sorted(found.items())]
    targets = _targets(ctx.indicators, year, lang)
    if targets:
        _paragraph(doc, t("appendix.targets", next_year=year + 1), bold=True, center=True)
        _table(doc, [t("col.stt"), t("col.indicator"), t("col.unit"), t("col.target")], targets)
    from .footnotes import add_footnotes

    add_footnotes(doc, notes, FONT, 10)  # smaller than the text, as Word sets its own footnotes
    write_atomic(path, lambda tmp: doc.save(str(tmp)))
    return path
