"""A minimal .xlsx of one indicator table with many rows, written directly (openpyxl is slow for 100,000 rows)."""

from __future__ import annotations

import sys
from pathlib import Path
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "data" / "bad"))
from hostile import HEADER, write_xlsx  # noqa: E402  (the same minimal writer as the hostile files)


def _row(r: int, cells: list[object]) -> str:
    out = []
    for c, v in enumerate(cells):
        ref = f"{'ABCDEF'[c]}{r}"
        if isinstance(v, str):
            out.append(f'<c r="{ref}" t="inlineStr"><is><t>{escape(v)}</t></is></c>')
        else:
            out.append(f'<c r="{ref}"><v>{v}</v></c>')
    return f'<row r="{r}">{"".join(out)}</row>'


def big_sheet(path: Path, rows: int) -> Path:
    """`rows` indicator rows under a title and a header, as one sheet named Bieu."""
    body = [_row(1, ["BIỂU CHỈ TIÊU NĂM 2024"]), _row(2, HEADER)]
    body += [_row(i + 3, [i + 1, f"Chỉ tiêu số {i}", "tấn", 1000 + i, 1010 + i, "Đạt"]) for i in range(rows)]
    return write_xlsx(path, body)
