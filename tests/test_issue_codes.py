"""Every repair and doubt of issues.csv has a code with words in both languages: every code the package logs has
its lines in strings.csv (found by reading the code), the catalog is checked on load, the Vietnamese data-quality
page of the bundled data has no English problem or action left, and `chodon inspect` counts as the page does."""

from __future__ import annotations

import ast
import html
import re
import shutil

import pytest
from conftest import ROOT

from chodon_analysis.base import datafiles, i18n, vocab
from chodon_analysis.base.issues import KINDS, counted, issue_row, row_words, tally
from chodon_analysis.base.messages import CHOICES, dump, load, words
from chodon_analysis.paths import VOCABULARY_DIR

PACKAGE = ROOT / "chodon_analysis"
_CODE = re.compile(r"[a-z][a-z0-9_]*")


def _literal(node: ast.expr) -> str | None:
    """A code written in the call: a string, or the default of `getattr(reason, "code", "file_unreadable")`."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "getattr" and len(node.args) == 3:
        return _literal(node.args[2])
    return None


def _code_argument(call: ast.Call) -> tuple[str, ast.expr] | tuple[None, None]:
    """The code argument of `log.add(sheet, row, column, value, code, ...)`, `issue_row(file, sheet, row, column,
    value, code, params)` (`*where` standing for the first three) or `ReadError(code, ...)`."""
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    args = call.args
    if name == "add" and len(args) >= 5 and not any(isinstance(a, ast.Starred) for a in args):
        return name, args[4]
    if name == "issue_row":
        flat = [a for a in args if not isinstance(a, ast.Starred)]
        shift = sum(3 for a in args if isinstance(a, ast.Starred))  # `*where`: file, sheet, row
        return (name, flat[5 - shift]) if len(flat) > 5 - shift else (None, None)
    first = _literal(args[0]) if args else None
    if name in ("ReadError", "of") and isinstance(first, str) and _CODE.fullmatch(first):
        return "ReadError", args[0]  # a refusal's code: ReadError(code, ...), Reason.of(code, ...)
    if name == "bad" and len(args) >= 2 and isinstance(_literal(args[1]), str):
        return "ReadError", args[1]  # a layout file's bad line: bad(line, code, ...)
    return None, None


def codes_in_package() -> dict[str, set[tuple[str, str]]]:
    """Each code written as the code argument of a Log.add, issue_row or ReadError call -> (module, call)."""
    found: dict[str, set[tuple[str, str]]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            call, arg = _code_argument(node)
            if call and (code := _literal(arg)) is not None:
                found.setdefault(code, set()).add((str(path.relative_to(ROOT)), call))
    return found


def test_every_code_the_package_logs_has_its_words_in_both_languages():
    found = codes_in_package()
    assert len(found) > 20 and {"year_typo", "workbooks_disagree", "file_unreadable"} <= set(found)
    strings = vocab.strings()
    for code, where in found.items():
        assert _CODE.fullmatch(code), (code, where)  # snake_case: a code, never a sentence
        for lang in ("vi", "en"):
            for part in ("problem", "action"):
                assert f"issue.{code}.{part}" in strings[lang], (code, lang, part, where)


def test_every_code_logged_is_classified_and_every_classified_code_is_used():
    """A code of Log.add or issue_row says whether it is a repair, a doubt or a routine note (base/issues.py);
    a classified code that nothing writes is a leftover."""
    found = codes_in_package()
    logged = {c for c, where in found.items() if any(call != "ReadError" for _, call in where)}
    refusals = {c for c, where in found.items() if any(call == "ReadError" for _, call in where)}
    unknown = sorted(c for c in logged if c not in KINDS)
    assert not unknown, f"classify these codes in base/issues.py KINDS: {unknown}"
    assert len(refusals) > 30 and all(KINDS.get(c) == "failed" for c in refusals), sorted(  # so checked on load
        c for c in refusals if KINDS.get(c) != "failed")
    text = "".join(p.read_text(encoding="utf-8") for p in PACKAGE.rglob("*.py") if p.name != "issues.py")
    unused = [c for c in KINDS if c and f'"{c}"' not in text]
    assert not unused, unused
    en = vocab.strings()["en"]  # the problem names the kind: the page counts by it, so it takes no parameter
    assert not [c for c, kind in KINDS.items() if c and kind != "failed" and "{" in en[f"issue.{c}.problem"]]


def test_a_code_without_its_words_stops_before_any_workbook_is_read(tmp_path, monkeypatch):
    folder = tmp_path / "vocabulary"
    shutil.copytree(VOCABULARY_DIR, folder)
    strings = folder / "strings.csv"
    lines = strings.read_text(encoding="utf-8").splitlines(keepends=True)
    strings.write_text("".join(x for x in lines if not x.startswith("issue.year_typo.")), encoding="utf-8")
    monkeypatch.setenv("CHODON_VOCABULARY", str(folder))
    try:
        with pytest.raises(vocab.VocabularyError, match="the issue log needs the keys issue.year_typo.problem"):
            datafiles.check_all()
    finally:
        monkeypatch.delenv("CHODON_VOCABULARY")
        datafiles.check_all()


def test_words_in_the_readers_language_with_the_parameters():
    params = {"year": 2924, "fixed": 2024, "where": "title"}
    assert load(dump(params)) == params
    assert words("year_typo", params, "en")[1] == "2924 in the title read as 2024: the rest of the file says 2024"
    assert words("year_typo", params, "vi")[1] == ("năm 2924 ở tiêu đề biểu được đọc là 2024: các phần khác của tệp "
                                                   "ghi năm 2024")
    assert words("percent_fraction_formatted", {"value": 80.5}, "vi")[1] == "đọc là 80,5%"  # the reader's decimal mark
    assert words("percent_fraction_formatted", {"value": 28320.0}, "en")[1] == "read as 28,320%"
    for name, values in CHOICES.items():
        for v in values:
            assert i18n.has(f"issue_param.{name}.{v}", "vi") and i18n.has(f"issue_param.{name}.{v}", "en")
    row = issue_row("a.xlsx", "S", 5, "E", 0.805, "percent_fraction_formatted", {"value": 80.5})
    assert (row["code"], row["params"], row["problem"], row["value"]) == (
        "percent_fraction_formatted", '{"value": 80.5}', "percent stored as a fraction with a percent format", "0.805")
    assert row_words(row, "vi") == ("tỷ lệ lưu dạng số thập phân với định dạng phần trăm", "đọc là 80,5%")
    assert row_words({"problem": "an old row", "action": "kept"}, "vi") == ("an old row", "kept")  # no code


def _page_text(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def test_the_vietnamese_data_quality_page_of_the_bundled_data_has_no_english_left(bundled):
    from chodon_analysis.runner.quality import quality_page

    issues = bundled.issues
    assert len(issues) > 20 and (issues["code"] != "").all()  # every row has a code, rows/walk.py's too
    vi, en = (_page_text(quality_page(issues, lang, "Chợ Đồn", 2024)) for lang in ("vi", "en"))
    english = set()
    for r in issues.to_dict("records"):
        for mine, theirs in zip(row_words(r, "vi"), row_words(r, "en"), strict=True):
            assert mine in vi  # the Vietnamese words are there
            if theirs != mine:
                assert theirs in en  # the check can fail: the English page shows them
                english.add(theirs)
    assert len(english) > 10
    leaks = sorted(w for w in english if w in vi)
    assert not leaks, leaks
    catalog = vocab.strings()
    phrases = [catalog["en"][k] for k in catalog["en"] if k.startswith(("issue.", "issue_param.", "quality.", "col."))
               and catalog["en"][k] != catalog["vi"][k]]
    plain = {p for p in (re.sub(r"\{\w*\}", "", w).strip(" .:;,()") for w in phrases) if len(p) >= 8 and " " in p}
    assert not [p for p in plain if p in vi], [p for p in plain if p in vi]


def test_inspect_and_the_page_count_the_same_repairs_and_doubts(bundled):
    from chodon_analysis.cleaning.inspect import inspect_file
    from chodon_analysis.runner.quality import by_kind

    name = "BC chi tieu KTXH 2021 (TCVN3).xlsx"
    _, logged = inspect_file(ROOT / "data" / "raw" / name)
    page = bundled.issues[bundled.issues["file"] == name]
    assert len(counted(logged)) == int(by_kind(page, "en")["count"].sum()) > 0
    assert [(k["code"], k["count"]) for k in tally(logged, "en")] == list(
        zip(by_kind(page, "en")["code"], by_kind(page, "en")["count"], strict=True))
    assert "section_heading" in set(page["code"]) and "section_heading" not in {k["code"] for k in tally(logged, "en")}


@pytest.mark.parametrize("name", ["duplicates.xlsx", "payloads.xlsx"])
def test_inspect_counts_the_doubts_found_once_the_rows_are_together(name):
    """A duplicate in one workbook and a name the catalog does not know are found by the clean, after the reader:
    `chodon inspect` counts them too, as the data-quality page of a clean of that file does."""
    from chodon_analysis import clean
    from chodon_analysis.cleaning.inspect import inspect_file
    from chodon_analysis.runner.quality import by_kind

    path = ROOT / "tests" / "data" / "bad" / name
    _, logged = inspect_file(path)
    page = by_kind(clean([path]).issues, "en")
    assert {"duplicate_indicator", "not_in_catalog"} & set(page["code"])  # doubts only the whole clean finds
    assert sorted((k["code"], k["count"]) for k in tally(logged, "en")) == sorted(
        zip(page["code"], page["count"], strict=True))


def test_numbers_read_the_same_in_the_cli_the_log_and_the_pages():
    """One formatter for a code's words: a limit grouped by thousands in the reader's format wherever it is shown
    (the CLI's sentence, issues.csv, the page), a year never."""
    from chodon_analysis.cleaning.formats import ReadError

    e = ReadError("sheet_too_far", sheet="Bieu", cell="XFD1048576", rows=1_048_576, columns=16_384,
                  max_rows=100_000, max_columns=1_000, max_cells=1_000_000)
    row = issue_row("f.xlsx", "", None, "", "", e.code, e.params)
    assert "1,048,576 rows" in str(e) and "1,048,576 rows" in row["problem"] + row["action"]
    assert "1.048.576 dòng" in "".join(words(e.code, e.params, "vi"))
    year = issue_row("f.xlsx", "S", 5, "E", "2924", "year_typo", {"year": 2924, "fixed": 2024, "where": "header"})
    assert "2924" in year["action"] and "2,924" not in year["action"]


def test_the_values_of_workbooks_that_disagree_are_in_the_readers_format():
    row = issue_row("a.xlsx", "S", 9, "", "Tỷ lệ che phủ rừng", "workbooks_disagree",
                    {"year": 2024, "n": 2, "rows": "a.xlsx:9, b.xlsx:7", "plans": "80,5", "actuals": [80.5, 81.25]})
    assert load(row["params"])["actuals"] == [80.5, 81.25]  # stored as numbers
    assert "80.5 / 81.25" in row["action"] and "80,5 / 81,25" in "".join(row_words(row, "vi"))
