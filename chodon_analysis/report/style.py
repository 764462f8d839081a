"""One colour per attainment status, the same in charts, report tables, the index and the Excel workbook."""

from __future__ import annotations

STATUS_COLORS = {"exceeded": "#1a9850", "met": "#91cf60", "not_met": "#d73027", "not_evaluated": "#bdbdbd"}
# the text colour readable on each status's fill
STATUS_TEXT = {"exceeded": "#ffffff", "met": "#000000", "not_met": "#ffffff", "not_evaluated": "#000000"}
# Series that are not statuses never wear a status colour (a red line would read as "not met")
SERIES_COLORS = {"computed": "#2171b5", "reported": "#9ecae1", "published": "#6a51a3", "actual": "#2171b5",
                 "plan": "#525252", "plan_bar": "#d9d9d9", "output": "#fdae61", "population": "#6a51a3"}
