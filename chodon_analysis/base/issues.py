"""The issue log: every repair and every doubt, one row each (file, sheet, row, column, value, problem, action)."""

from __future__ import annotations

from dataclasses import dataclass, field

ISSUE_COLUMNS = ["file", "sheet", "row", "column", "value", "problem", "action"]


def issue_row(file: str, sheet: str, row: int | None, column: str, value: object, problem: str, action: str) -> dict:
    """One row of issues.csv: where (file, sheet, Excel row, column letter), what was seen, what was done."""
    text = "" if value is None else f"{value:.15g}" if isinstance(value, float) else str(value)
    return {"file": file, "sheet": sheet, "row": row, "column": column, "value": text, "problem": problem,
            "action": action}


@dataclass
class Log:
    """Issue rows of one file."""

    file: str
    rows: list[dict] = field(default_factory=list)

    def add(self, sheet: str, row: int | None, column: str, value: object, problem: str, action: str) -> None:
        self.rows.append(issue_row(self.file, sheet, row, column, value, problem, action))
