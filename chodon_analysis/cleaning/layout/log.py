"""The layout the reader decided for a sheet, one row per header cell: what `layout.csv` and `chodon inspect` show."""

from __future__ import annotations

from ..formats.book import column_letter
from .header import Layout

LAYOUT_COLUMNS = ["file", "sheet", "header_rows", "column", "header_text", "role", "year", "period", "use",
                  "evidence"]


def layout_rows(file: str, sheet: str, layout: Layout) -> list[dict]:
    """Every header cell of the sheet: its role, year and period, whether and how it is used, and why."""
    rows = ", ".join(str(r + 1) for r in layout.header_rows)
    by_index = {c.index: c for c in layout.columns}
    out = []
    for i, text in enumerate(layout.header_texts):
        col = by_index.get(i)
        if col is None and not text:
            continue
        if col is None:
            out.append({"file": file, "sheet": sheet, "header_rows": rows, "column": column_letter(i),
                        "header_text": text, "role": "", "year": None, "period": "", "use": "not recognised",
                        "evidence": "no alias of column_aliases.csv in the header"})
            continue
        out.append({"file": file, "sheet": sheet, "header_rows": rows, "column": column_letter(i),
                    "header_text": col.header, "role": col.role, "year": col.year,
                    "period": col.period if col.role in ("plan", "actual", "actual_estimate") else "",
                    "use": col.used or "used", "evidence": "; ".join(col.evidence)})
    return out
