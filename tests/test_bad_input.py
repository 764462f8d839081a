"""Bad input: the corpus of tests/data/bad (expected outcomes in expected.tsv), through the API and the command
line, and properties: nothing lost, a better actual never gives a worse status. (The sheet at the row limit is in
`make bench`.)"""

from __future__ import annotations

import csv
import os
import subprocess
import sys

import pytest
from conftest import CHODON, DATA, ROOT, write_xlsx
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from chodon_analysis import clean
from chodon_analysis.base.issues import FAILED, kind_of
from chodon_analysis.base.messages import load
from chodon_analysis.base.rule import status_for
from chodon_analysis.base.vocab import STATUSES

BAD = DATA / "bad"
CASES = list(csv.DictReader((BAD / "expected.tsv").open(encoding="utf-8"), delimiter="\t"))
TOGETHER = {"unit-2024.xlsx": ["unit-2023.xlsx", "unit-2024.xlsx"]}


def test_the_corpus_has_at_least_15_cases_and_each_file_exists():
    assert len(CASES) >= 15
    for case in CASES:
        assert (BAD / case["file"]).exists() or (BAD / case["file"]).is_symlink(), case["file"]
        assert case["outcome"] == "ok" or case["expect"], case["file"]  # a refusal names its words: "" is in any


@pytest.fixture(scope="module")
def corpus():
    """The whole corpus cleaned once (files read together, as a folder of an office is): each case is checked in
    it. `make bench` times the hostile ones at full size."""
    return clean([BAD])


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_each_case_gives_its_expected_outcome(case, corpus):
    failed = {p.name: why for p, why in corpus.failed}
    if case["outcome"] == "failed":
        assert case["file"] in failed, sorted(failed)
        assert case["expect"] in failed[case["file"]]
        assert "Traceback" not in failed[case["file"]]
    else:
        files = set(TOGETHER.get(case["file"], [case["file"]]))
        assert not files & set(failed), failed
        if case["expect"]:  # the code of the issue logged, for this file
            codes = set(corpus.issues.loc[corpus.issues["file"].isin(files), "code"])
            assert case["expect"] in codes, sorted(codes)


def test_files_too_long_or_too_large_are_refused_unread_and_the_others_still_land(tmp_path):
    sys.path.insert(0, str(BAD))
    import hostile

    from chodon_analysis.cleaning.formats import bounds

    long_line = hostile.long_line_csv(tmp_path / "long-line.csv", bounds.MAX_LINE_CHARS + 10)
    huge = tmp_path / "huge.xlsx"
    with huge.open("wb") as fh:  # sparse: 101 MB on paper, nothing on disk
        fh.truncate(bounds.MAX_FILE_BYTES + 1)
    r = clean([long_line, huge, BAD / "good.xlsx"])
    reasons = dict((p.name, why) for p, why in r.failed)
    assert "line 4 is 1,048,586 characters long" in reasons["long-line.csv"]
    assert "more than the 100 MB" in reasons["huge.xlsx"]
    assert r.indicators.source_file.tolist() == ["good.xlsx", "good.xlsx"]


CRASH = """
import os, sys
from chodon_analysis.cleaning import workbooks as reading
real = reading.read_file
def crashing(path, *args, **kw):  # a reader that dies in native code on one file
    if path.name == "crash.xlsx":
        os.abort()
    return real(path, *args, **kw)
reading.read_file = crashing
from chodon_analysis import clean
r = clean([sys.argv[1]], jobs=int(sys.argv[2]))  # the default: one reader process for a few files
print(len(r.indicators), [(p.name, why) for p, why in r.failed])
"""


@pytest.mark.parametrize("n, jobs", [(1, 1), (5, 2)])
def test_a_reader_process_that_dies_costs_only_its_file(tmp_path, n, jobs):
    """A reader dying in native code on one file: the others are read, whatever their number (one file beside it,
    on one core, too) and the dead one is named."""
    import shutil

    for i in range(n):
        shutil.copy(BAD / "good.xlsx", tmp_path / f"good-{i:02d}.xlsx")
    shutil.copy(BAD / "good.xlsx", tmp_path / "crash.xlsx")
    env = {k: v for k, v in os.environ.items() if k != "CHODON_READERS"}  # the readers as a user has them
    p = subprocess.run([sys.executable, "-c", CRASH, str(tmp_path), str(jobs)], capture_output=True, text=True,
                       cwd=ROOT, timeout=120, env=env)
    assert p.returncode == 0, p.stderr[-2000:]
    rows, failed = p.stdout.strip().split(" ", 1)
    assert int(rows) == n * 2 and "crash.xlsx" in failed and "the reader stopped on this file" in failed


@pytest.mark.parametrize("name", ["windows-1258.csv", "utf-16.csv", "mojibake.csv"])
def test_text_comes_out_right_from_every_encoding(name):
    df = clean([BAD / name]).indicators
    assert df.indicator.tolist() == ["Tổng sản lượng lương thực có hạt", "Tỷ lệ che phủ rừng"]
    assert df.plan_value.tolist() == [28500, 80.5]


def test_the_external_entity_is_never_resolved(tmp_path):
    from pathlib import Path

    secret = Path("/etc/passwd")  # what the entity names: its text must be nowhere in what the clean gives
    if not secret.exists() or "root:" not in secret.read_text(encoding="utf-8", errors="replace"):
        pytest.skip("no /etc/passwd with a root line: a leak could not be seen")
    out = tmp_path / "out"
    p = subprocess.run([*CHODON, "clean", str(BAD / "xxe.xlsx"), "--out", str(out)], capture_output=True, text=True,
                       cwd=ROOT)
    assert p.returncode == 1
    assert "xxe.xlsx" in p.stderr and "XML entity" in p.stderr  # refused for the entity, not for another reason
    written = {f.name: f.read_text(encoding="utf-8") for f in out.glob("*.csv")}
    assert "xxe.xlsx" in written["issues.csv"]  # the outputs were written, and searched below
    assert "root:" not in p.stdout + p.stderr + "".join(written.values())


def test_formula_without_saved_value_is_kept_empty_and_explained():
    r = clean([BAD / "formulas-no-cache.xlsx"])
    row = r.indicators.iloc[0]
    assert row.actual_text == "=D3*1.1" and row.status == "not_evaluated"
    issue = r.issues[r.issues.code == "formula_without_value"].iloc[0]
    assert (issue.row, issue.column) == (3, "E") and "save the workbook" in issue.action


def test_duplicates_are_both_kept():
    r = clean([BAD / "duplicates.xlsx"])
    assert (r.indicators.indicator == "Tỷ lệ che phủ rừng").sum() == 2
    logged = r.issues[r.issues.code == "duplicate_indicator"]
    assert len(logged) == 2 and all(load(p)["year"] == 2024 for p in logged.params)


def test_the_whole_corpus_through_the_command_line_as_through_python(tmp_path, corpus):
    p = subprocess.run([*CHODON, "clean", str(BAD), "--out", str(tmp_path)], capture_output=True, text=True, cwd=ROOT,
                       timeout=120)
    assert p.returncode == 1
    assert "Traceback" not in p.stderr
    failed = {c["file"] for c in CASES if c["outcome"] == "failed"}
    errors = [line for line in p.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == len(failed)
    assert all(any(f in e and str(BAD) in e for e in errors) for f in failed)
    import pandas as pd

    df = pd.read_csv(tmp_path / "indicators.csv", encoding="utf-8-sig")
    assert "good.xlsx" in set(df.source_file) and not failed & set(df.source_file)  # the good files still land
    issues = pd.read_csv(tmp_path / "issues.csv", encoding="utf-8-sig")
    assert set(issues.loc[[kind_of(c) == FAILED for c in issues.code], "file"]) == failed
    # the command line is the same code: its table equals the API's
    assert pd.read_parquet(tmp_path / "indicators.parquet").equals(corpus.indicators)


# ---- properties ---------------------------------------------------------------------------------------
_cell = st.one_of(st.none(), st.integers(-10**6, 10**6), st.floats(0, 1e6, allow_nan=False).map(lambda x: round(x, 2)),
                  st.sampled_from(["", "-", "x", "chưa có số liệu", "trên 500", "80,5%", "1.234", "8o,5", "Đạt",
                                   "Vượt KH", "Ghi chú: số liệu ước", "II", "=1+1", "#N/A", "  ", "tăng 5%"]),
                  st.text(alphabet="abcđêơư ĐÔ0123456789,.%-", max_size=12))
_row = st.tuples(st.sampled_from(["1", "2", "a", "I", "II", "", "-", "1.1"]),
                 st.one_of(st.just(""), st.text(alphabet="Tổng đàn trâu bò Tỷ lệ hộ nghèo", min_size=1, max_size=30)),
                 st.sampled_from(["", "%", "tấn", "con", "ha", "lạ"]), _cell, _cell, _cell)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(_row, min_size=1, max_size=12))
@example(rows=[("A", "B", "C", "1", "2", "3"), ("I", "KINH TẾ", "", None, None, None),  # column numbers, a section,
               ("1", "Tổng đàn trâu", "con", 100, 100, "Đạt"), ("2", "", "con", 5, "abc", ""),  # a nameless row,
               ("3", "Tổng đàn bò", "con", "", "", ""),
               ("Nguồn: Chi cục Thống kê", "", "", None, None, None)])  # and a note
def test_nothing_lost_every_nonblank_row_is_in_the_table_or_the_log(tmp_path, rows):
    path = write_xlsx(tmp_path / "gen.xlsx", [["BIỂU CHỈ TIÊU NĂM 2024"], [],
                                               ["TT", "Chỉ tiêu", "ĐVT", "Kế hoạch năm 2024", "Thực hiện năm 2024",
                                                "Đánh giá"], *[list(r) for r in rows]])
    r = clean([path])
    assert not r.failed, r.failed  # the header is always there: a workbook that fails to read has lost every row
    placed = set(r.indicators.source_row.dropna().astype(int)) | set(r.issues.row.dropna().astype(int))
    from openpyxl import load_workbook

    ws = load_workbook(path).active
    for i, excel_row in enumerate(ws.iter_rows(min_row=4, values_only=True), start=4):
        if any(v not in (None, "") and str(v).strip() for v in excel_row):
            assert i in placed, (i, excel_row)


RANK = {"not_met": 0, "met": 1, "exceeded": 2}


@given(st.sampled_from(["=", ">", ">=", "<", "<=", "range"]), st.floats(0, 1000), st.floats(0, 100),
       st.integers(0, 3), st.floats(0, 2000), st.floats(0, 500), st.sampled_from(["higher", "lower"]))
def test_a_better_actual_never_gives_a_worse_status(op, plan, width, decimals, actual, delta, direction):
    high = plan + width if op == "range" else None
    better = actual + delta if direction == "higher" else actual - delta
    a = status_for(op, plan, high, decimals, actual, direction)
    b = status_for(op, plan, high, decimals, better, direction)
    assert a in STATUSES and b in STATUSES
    if op in (">", ">=", "<", "<="):  # a one-sided target's direction is its side
        direction_of_op = "higher" if op.startswith(">") else "lower"
        if direction_of_op != direction:
            return
    assert RANK[b] >= RANK[a], (a, b)
