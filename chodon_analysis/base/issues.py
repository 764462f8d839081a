"""The issue log: every repair and every doubt, one row each (file, sheet, row, column, value, code, params,
problem, action), and the one place that decides which codes are repairs, doubts, routine notes or refusals."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache

from ..paths import vocabulary_dir
from . import i18n, vocab
from .messages import CHOICES, dump, load, words

ISSUE_COLUMNS = ["file", "sheet", "row", "column", "value", "code", "params", "problem", "action"]

REPAIR, DOUBT, ROUTINE, FAILED = "repair", "doubt", "routine", "failed"

# What each code of the reading is (docs/reading.md#what-is-logged): a repair the reader made, a doubt for the
# analyst to check, or a routine note (the table's own furniture). Any other code is the refusal of a whole file
# (the reader's ReadError codes): the file could not be read.
KINDS: dict[str, str] = {
    # rows/walk.py: the rows and sheets of a table
    "hidden_sheet": DOUBT, "hidden_column": DOUBT, "hidden_row": DOUBT, "no_place_in_title": DOUBT,
    "no_place_after_reform": DOUBT, "place_odd_characters": DOUBT, "place_ambiguous": DOUBT, "signature_line": ROUTINE,
    "header_repeated": ROUTINE, "column_number_row": ROUTINE, "name_continued": REPAIR, "of_which_label": ROUTINE,
    "of_which_label_alone": DOUBT, "of_which_parts_unclear": DOUBT, "of_which_without_parts": DOUBT,
    "note_row": DOUBT, "group_heading": ROUTINE, "section_heading": ROUTINE,
    "unnamed_indicator": DOUBT, "unit_in_name": REPAIR, "unknown_unit": DOUBT, "unknown_assessment": DOUBT,
    # rows/cells.py, ratios.py, repair.py: cells and text
    "excel_error": DOUBT, "formula_without_value": DOUBT, "date_not_number": DOUBT, "boolean_not_number": DOUBT,
    "unreadable_number": DOUBT, "percent_fraction_formatted": REPAIR, "percent_fraction_unformatted": REPAIR,
    "ambiguous_number": DOUBT, "ambiguous_number_assumed": DOUBT, "actual_phrase": REPAIR,
    "ratio_disagrees": DOUBT, "text_tcvn3": REPAIR, "text_vni": REPAIR, "text_mojibake": REPAIR,
    "text_invisible": DOUBT,
    # layout/: columns and years
    "two_plan_columns": DOUBT, "two_actual_columns": DOUBT, "two_estimate_columns": DOUBT,
    "two_term_targets": DOUBT, "actual_and_estimate": REPAIR, "year_typo": REPAIR, "implausible_year": DOUBT,
    "no_year": DOUBT, "next_year_plan_title": DOUBT, "several_years": DOUBT, "mixed_years": DOUBT,
    "year_far_from_title": DOUBT,
    "layout_file": ROUTINE, "new_table": ROUTINE, "transposed_table": REPAIR, "assessment_by_content": REPAIR,
    # workbooks.py, cleaner.py, rule.py, doubts.py: the whole file, the catalog, the rule, across files
    "no_indicator_rows": DOUBT, "not_in_catalog": DOUBT, "not_in_catalog_unsearched": DOUBT,
    "unit_differs_from_catalog": DOUBT, "several_names_one_indicator": DOUBT, "change_across_break": DOUBT,
    "change_without_last_actual": DOUBT, "duplicate_indicator": DOUBT, "workbooks_disagree": DOUBT,
    "unit_changes": DOUBT,
    "file_unreadable": FAILED,  # a file's reason without a code of its own
    # cleaning/formats/, workbooks.py, layout/override.py: a file that cannot be read at all (ReadError, Reason)
    **dict.fromkeys((
        "cannot_open", "file_empty", "file_too_large", "unsupported_type", "not_a_workbook", "not_an_xls",
        "password_protected", "zip_truncated", "zip_bomb", "damaged", "not_a_spreadsheet", "xml_doctype", "xml_entity",
        "zip_duplicate_names", "part_path_unusual", "cell_reference_bad", "sheet_too_many_merges",
        "shared_count_too_large", "table_transposed",
        "sheet_unreadable", "sheet_too_far", "sheet_declares_too_far", "sheet_too_much_text", "cell_too_long",
        "shared_text_too_long", "csv_cell_too_long", "csv_line_too_long", "csv_binary", "csv_bad_line",
        "workbook_empty", "no_table", "unexpected_error", "reader_crashed", "no_such_file", "dangling_link",
        "not_a_regular_file", "layout_not_utf8", "layout_bad_header", "layout_no_such_sheet", "layout_bad_role",
        "layout_bad_year", "layout_bad_period", "layout_bad_header_rows", "layout_bad_column", "layout_empty",
        "layout_no_header", "layout_not_a_file", "layout_too_large", "layout_header_outside",
        # cleaning/formats/docx.py, html.py, document.py: a document's tables
        "not_a_document", "not_a_web_page", "document_truncated", "document_zip_bomb", "document_damaged",
        "document_doctype", "document_too_many_elements", "document_too_many_tables", "document_too_much_text",
        "table_nested_too_deep", "table_too_large", "tables_too_large", "table_too_many_merges", "table_cell_too_long",
        "document_no_table", "page_of_frames"), FAILED),
    "": DOUBT,  # a row of an issues.csv written before codes, in words only
}
UNREADABLE = "file_unreadable"


def kind_of(code: object) -> str:
    """`repair`, `doubt`, `routine` or `failed` (a code the reading does not log: a file's refusal)."""
    return KINDS.get(code if isinstance(code, str) else "", FAILED)


def issue_row(file: str, sheet: str, row: int | None, column: str, value: object, code: str,
              params: Mapping[str, object] | None = None) -> dict:
    """One row of issues.csv: where (file, sheet, Excel row, column letter), what was seen, its code and
    parameters, and the English words of the code (for scripts)."""
    problem, action = words(code, params, "en")
    return {"file": file, "sheet": sheet, "row": row, "column": column, "value": _text(value), "code": code,
            "params": dump(params), "problem": problem, "action": action}


def _text(value: object) -> str:
    return "" if value is None else f"{value:.15g}" if isinstance(value, float) else str(value)


@dataclass
class Log:
    """Issue rows of one file."""

    file: str
    rows: list[dict] = field(default_factory=list)

    def add(self, sheet: str, row: int | None, column: str, value: object, code: str, /, **params: object) -> None:
        """Log `code` with its parameters at (sheet, row, column), `value` being what was seen."""
        self.rows.append(issue_row(self.file, sheet, row, column, value, code, params))


def row_words(row: Mapping[str, object], lang: str) -> tuple[str, str]:
    """(problem, action) of an issue row in `lang`, from its code and parameters; a row without a code the
    catalog knows (an issues.csv of an older version) keeps the words it was logged with."""
    code = row.get("code")
    if isinstance(code, str) and code and i18n.has(f"issue.{code}.problem", lang):
        return words(code, load(row.get("params")), lang)
    return str(row.get("problem") or ""), str(row.get("action") or "")


def counted(rows: Iterable[Mapping[str, object]]) -> list[Mapping[str, object]]:
    """The repairs and doubts among issue rows: neither a routine note nor a file that could not be read. The
    data-quality page, the index and `chodon inspect` all count these."""
    return [r for r in rows if kind_of(r.get("code")) in (REPAIR, DOUBT)]


def tally(rows: Iterable[Mapping[str, object]], lang: str) -> list[dict]:
    """The repairs and doubts counted by code (a row without a code: by its words), doubts first, the most
    frequent first: kind, code, problem (in `lang`), count."""
    mine = counted(rows)
    key = [(str(r.get("code") or ""), "" if r.get("code") else str(r.get("problem"))) for r in mine]
    first: dict[tuple[str, str], Mapping[str, object]] = {}
    for k, r in zip(key, mine, strict=True):
        first.setdefault(k, r)
    out = [{"kind": kind_of(k[0]), "code": k[0], "problem": row_words(first[k], lang)[0], "count": n}
           for k, n in Counter(key).items()]
    return sorted(out, key=lambda t: (t["kind"] != DOUBT, -t["count"], t["problem"]))


@cache
def issue_words() -> None:
    """Every code of the issue log and every choice of a parameter has its words in strings.csv (checked with
    the vocabulary, before any workbook is read)."""
    keys = set(vocab.strings()["en"])  # strings() has checked that vi has the same keys, and each pair
    needed = [f"issue.{c}.{part}" for c in KINDS if c for part in ("problem", "action")]
    needed += [f"issue_param.{name}.{v}" for name, values in CHOICES.items() for v in values]
    if missing := [k for k in needed if k not in keys]:
        raise vocab.VocabularyError(vocabulary_dir() / "strings.csv", None,
                                    f"the issue log needs the keys {', '.join(missing)}; add a line for each "
                                    "(key,vi,en)")

