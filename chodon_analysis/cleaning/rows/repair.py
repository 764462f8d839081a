"""Repair the text of a whole workbook in place: legacy encodings (TCVN3, VNI), mojibake, NFC, spaces, invisible
marks."""

from __future__ import annotations

from collections import Counter

from ...base.issues import Log
from ...base.text import detect_legacy, repair
from ...base.visible import shown
from ..formats import Workbook


def _text_cells(book: Workbook) -> list[str]:
    """The cells that can vote on a legacy encoding: text with a non-ASCII character."""
    return [v for s in book.sheets for row in s.grid[:5000] for v in row if type(v) is str and not v.isascii()]


def repair_sheet_text(book: Workbook, log: Log) -> str | None:
    """Repair every text cell of the workbook in place (encoding, NFC, spaces, invisible marks); log one line per sheet
    and kind."""
    legacy = detect_legacy(_text_cells(book), book.font_hint)
    for sheet in book.sheets:
        counts: Counter[str] = Counter()
        example: dict[str, str] = {}
        for row in sheet.grid:
            for c, v in enumerate(row):
                if type(v) is str and v:  # not a FormulaCell (a str subclass): its text is a formula
                    fixed, how = repair(v, legacy)
                    if how:
                        counts[how] += 1
                        was = shown(v[:40]) if how == "invisible" else v[:40]  # the marks made visible
                        example.setdefault(how, f"{was} -> {fixed[:40]}")
                    row[c] = fixed
        codes = {"tcvn3": "text_tcvn3", "vni": "text_vni", "utf8-mojibake": "text_mojibake",
                 "invisible": "text_invisible"}
        for how, n in counts.items():
            log.add(sheet.name, None, "", example[how], codes[how], n=n)
    return legacy
