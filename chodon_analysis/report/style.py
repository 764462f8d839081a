"""One colour per attainment status, the same in charts, report tables, the index and the Excel workbook."""

from __future__ import annotations

STATUS_COLORS = {"exceeded": "#1a9850", "met": "#91cf60", "not_met": "#d73027", "not_evaluated": "#bdbdbd"}
STATUS_TEXT = {"exceeded": "#ffffff", "met": "#000000", "not_met": "#ffffff", "not_evaluated": "#000000"}  # readable on the fill
