"""The reader's former import path, kept while other modules still import from it: import from
`chodon_analysis.cleaning.formats` instead (the same names)."""

from . import EXTENSIONS, FormulaCell, ReadError, Reason, Sheet, Workbook, read_workbook

__all__ = ["EXTENSIONS", "FormulaCell", "ReadError", "Reason", "Sheet", "Workbook", "read_workbook"]
