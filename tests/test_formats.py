"""Every file format the cleaner reads (.xlsx .xlsm .xls .ods .csv in any encoding), the command line's exit
statuses and formula-safe outputs. Bad files are in test_bad_input.py."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pandas as pd
import pytest
from conftest import CHODON, ENV, ROOT, chodon, cp1258_bytes, table, write_xlsx

from chodon_analysis import clean, write_outputs
from chodon_analysis.base.issues import FAILED, kind_of

BODY = [["1", "Tổng sản lượng lương thực có hạt", "tấn", "28.500", "29.210", "Vượt KH"],
        ["2", "Tỷ lệ che phủ rừng", "%", "80,5", "80,5", "Đạt"]]


def _check(df: pd.DataFrame) -> None:
    assert df.indicator.tolist() == ["Tổng sản lượng lương thực có hạt", "Tỷ lệ che phủ rừng"]
    assert df.plan_value.tolist() == [28500, 80.5]
    assert df.status.tolist() == ["exceeded", "met"]
    assert (df.year == 2024).all()


def _csv_text() -> str:
    return "\n".join(",".join(f'"{c}"' for c in row) for row in table(*BODY)) + "\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1258", "utf-16"])
def test_csv_encodings(tmp_path, encoding):
    path = tmp_path / "chi tieu.csv"
    text = _csv_text()
    if encoding == "cp1258":
        path.write_bytes(cp1258_bytes(text))
    else:
        path.write_text(text, encoding=encoding)
    r = clean([path])
    assert not r.failed
    _check(r.indicators)


def test_csv_with_semicolons(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("\n".join(";".join(str(c) for c in row) for row in table(*BODY)), encoding="utf-8")
    _check(clean([path]).indicators)


def test_xlsm_xls_and_ods(tmp_path):
    import xlwt

    write_xlsx(tmp_path / "a.xlsm", table(*BODY))
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("Bieu")
    for r, row in enumerate(table(*BODY)):
        for c, v in enumerate(row):
            ws.write(r, c, v)
    wb.save(str(tmp_path / "b.xls"))
    rows = table(*BODY)
    width = max(map(len, rows))
    with pd.ExcelWriter(tmp_path / "c.ods", engine="odf") as xw:
        pd.DataFrame([r + [""] * (width - len(r)) for r in rows]).to_excel(xw, header=False, index=False)
    for name in ("a.xlsm", "b.xls", "c.ods"):
        r = clean([tmp_path / name])
        assert not r.failed, r.failed
        _check(r.indicators)


def cli_runs(base: Path) -> tuple[Path, dict[str, subprocess.CompletedProcess]]:
    """`chodon clean` of a good workbook (`--out DIR`, then `--out=DIR`), of an unknown option and of a missing file,
    and `chodon --version`, each a process; started in the background when the session starts (conftest.py)."""
    good = write_xlsx(base / "good.xlsx", table(*BODY))
    lines = {"plain": ["clean", str(good), "--out", str(base / "out")], "nope": ["clean", "--nope"],
             "typed": ["clean", str(good), f"--out={base / 'out2'}"],
             "missing": ["clean", str(base / "missing.xlsx"), "--out", str(base / "out-missing")],
             "version": ["--version"]}
    return base, {name: chodon(*line, env=ENV) for name, line in lines.items()}


def test_cli_exit_codes_and_outputs(background):
    tmp_path, runs = background["cli"].result()
    out = tmp_path / "out"
    p = runs["plain"]
    assert p.returncode == 0, p.stderr
    raw = (out / "indicators.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    df = pd.read_parquet(out / "indicators.parquet")
    assert df.year.dtype == "Int64" and df.plan_value.dtype == "float64"
    _check(df)
    assert runs["nope"].returncode == 2
    # `--out=DIR` is typer's to read (speed.plain_clean reads only the plain line): the same outcome either way
    typed = runs["typed"]
    assert typed.returncode == 0 and typed.stderr.replace("out2", "out") == p.stderr
    assert (tmp_path / "out2" / "indicators.csv").read_bytes() == raw
    missing = runs["missing"]
    assert missing.returncode == 1 and "error: " in missing.stderr and "no such file" in missing.stderr
    v = runs["version"]
    assert v.returncode == 0 and v.stdout.startswith("chodon-analysis ")


def test_only_the_plain_clean_line_is_read_without_typer():
    """`chodon clean [PATH ...] [--out DIR]`, the line run over and over, is read without typer's parameter machinery
    (speed.py); any other line is typer's, with its words and statuses."""
    from chodon_analysis.speed import plain_clean

    assert plain_clean(["clean", "a", "b c", "--out", "o"]) == ([Path("a"), Path("b c")], Path("o"))
    assert plain_clean(["clean"]) == ([], None)
    for line in (["clean", "--out=o"], ["clean", "--help"], ["clean", "--", "-a"], ["clean", "--out"],
                 ["clean", "--out", "-o"], ["clean", "a", "--out", "o", "--out", "p"], ["clean", ""], ["clean", "-"],
                 ["run", "--year", "2024"], ["--debug", "clean"], []):
        assert plain_clean(line) is None, line


def test_csv_output_is_formula_safe(tmp_path):
    from chodon_analysis.cleaning.outputs import formula_safe

    assert formula_safe("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert formula_safe("+1+2") == "'+1+2"
    assert formula_safe("@SUM(A1)") == "'@SUM(A1)"
    assert formula_safe("-") == "-"
    assert formula_safe("-5") == "-5"
    assert formula_safe("-5,5") == "-5,5"
    assert formula_safe("- Tổng đàn bò") == "'- Tổng đàn bò"
    assert formula_safe("Tổng") == "Tổng"
    assert formula_safe("=") == "="  # the plan_op code, not a formula
    path = tmp_path / "x.csv"
    rows = table(["1", "=1+2 chỉ tiêu lạ", "con", 1, 1, ""], *BODY)
    path.write_text("\n".join(",".join(f'"{c}"' for c in r) for r in rows), encoding="utf-8")
    out = tmp_path / "out"
    write_outputs(clean([path]), out)  # what `chodon clean --out` writes (its command line: test_cli_exit_codes...)
    df = pd.read_csv(out / "indicators.csv", encoding="utf-8-sig", dtype=str)
    assert df.indicator.iloc[0] == "'=1+2 chỉ tiêu lạ"
    assert set(df.plan_op) == {"="}


def test_header_merged_with_year_over_plan_and_actual_in_ods_like_grid(tmp_path):
    # no merged-cell information (as from .ods/.csv): the top label is carried to the right
    rows = [["TT", "Chỉ tiêu", "ĐVT", "Năm 2023", "", "Đánh giá"], ["", "", "", "KH", "TH", ""], *BODY]
    path = tmp_path / "x.csv"
    path.write_text("\n".join(",".join(f'"{c}"' for c in r) for r in rows), encoding="utf-8")
    df = clean([path]).indicators
    assert (df.year == 2023).all() and df.plan_value.tolist() == [28500, 80.5]


def test_outputs_are_ordinary_files_others_can_read(tmp_path):
    import os

    from chodon_analysis import clean, write_outputs

    old = os.umask(0o022)
    try:
        written = write_outputs(clean([write_xlsx(tmp_path / "a.xlsx", table(*BODY))]), tmp_path / "out")
    finally:
        os.umask(old)
    assert [p.name for p in written] == ["indicators.csv", "indicators.parquet", "issues.csv", "layout.csv"]
    assert all(p.stat().st_mode & 0o777 == 0o644 for p in written)
    assert [p.name for p in (tmp_path / "out").glob(".*")] == [".lock"]  # no temporary file left behind


def test_a_file_is_read_once_and_any_file_name_is_shown_escaped(tmp_path):
    import os

    from chodon_analysis import write_outputs

    good = write_xlsx(tmp_path / "good.xlsx", table(*BODY))
    write_xlsx(tmp_path / "=HYPERLINK(1).xlsx", table(*BODY))  # names a spreadsheet would run, or a shell option
    write_xlsx(tmp_path / "-rf.xlsx", table(*BODY))
    (tmp_path / "\x1b]0;PWN\x07 \u202eslx.xlsx").write_text("x", encoding="utf-8")  # a terminal escape, a reversal
    (tmp_path / "bad\nname.xlsx").write_text("not a workbook", encoding="utf-8")
    odd = Path(os.fsdecode(bytes(tmp_path) + b"/b\xe1o c\xe1o.xlsx"))  # a Windows-1258 name, not UTF-8
    odd.write_text("not a workbook either", encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.xlsx")  # would block a reader for ever
    (tmp_path / "gone.xlsx").symlink_to(tmp_path / "nowhere.xlsx")
    r = clean([tmp_path, tmp_path, good])  # the same folder twice, and a file inside it
    assert len(r.indicators) == 6
    names = set(r.issues.loc[[kind_of(c) == FAILED for c in r.issues.code], "file"])
    assert names == {"bad\\nname.xlsx", "b\\xe1o c\\xe1o.xlsx", "pipe.xlsx", "gone.xlsx",
                     "\\x1b]0;PWN\\x07 \\u202eslx.xlsx"}
    write_outputs(r, tmp_path / "out")  # the names do not stop the writing
    csv_text = (tmp_path / "out" / "indicators.csv").read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK(1).xlsx" in csv_text and "-rf.xlsx" in csv_text
    p = subprocess.run([*CHODON, "clean", str(tmp_path), "--out", str(tmp_path / "out2")], capture_output=True,
                       text=True, cwd=ROOT, errors="replace")
    errors = [line for line in p.stderr.splitlines() if line.startswith("error:")]
    assert p.returncode == 1 and len(errors) == 5 and all(ln.count("error:") == 1 for ln in errors)
    assert "\x1b" not in p.stderr and "\u202e" not in p.stderr
    assert "\\x1b]0;PWN\\x07 \\u202eslx.xlsx" in p.stderr  # the name is said, escaped
    assert any("pipe.xlsx: not a regular file" in e for e in errors)
    assert any("gone.xlsx: a link to a file that does not exist" in e for e in errors)


def test_an_unreadable_file_is_one_error_and_the_rest_goes_on(tmp_path):
    import os

    if os.geteuid() == 0:
        pytest.skip("root reads any file: permissions cannot be tested as root")
    write_xlsx(tmp_path / "good.xlsx", table(*BODY))
    locked = write_xlsx(tmp_path / "locked.xlsx", table(*BODY))
    locked.chmod(0)
    r = clean([tmp_path])
    assert len(r.indicators) == 2 and [p.name for p, _ in r.failed] == ["locked.xlsx"]
    assert "cannot open the file" in r.failed[0][1]


def parallel_writers(tmp_path: Path) -> tuple[Path, list[tuple[int, str]]]:
    """Three `chodon clean` into one folder at once, where a killed writer left its files and links are planted;
    started in the background when the session starts (conftest.py)."""
    from conftest import spawn

    src = write_xlsx(tmp_path / "a.xlsx", table(*BODY))
    out = tmp_path / "out"
    out.mkdir()
    (tmp_path / "victim.txt").write_text("keep me", encoding="utf-8")
    for name in ("indicators.csv", "issues.csv", "indicators.parquet", "layout.csv"):
        (out / f".{name}.tmp").symlink_to(tmp_path / "victim.txt")  # the fixed names an older version used
    (out / ".lock").symlink_to(tmp_path / "lock-victim")  # the lock file too
    (out / ".issues.csv.k3j9x_2a.tmp").write_text("half", encoding="utf-8")  # as write_atomic names them
    procs = [spawn([*CHODON, "clean", str(src), "--out", str(out)], cwd=ROOT, stdout=subprocess.PIPE,
                   stderr=subprocess.PIPE, text=True) for _ in range(3)]
    ended = []
    for proc in procs:
        _, err = proc.communicate(timeout=60)
        ended.append((proc.returncode, err))
    return tmp_path, ended


def test_output_files_are_written_safely_and_one_writer_at_a_time(background):
    """Unique temporary names created beside the target (a planted symlink is never followed), stale temporary
    files of a killed writer removed, parallel cleans into one folder serialised by its lock."""
    import os

    tmp_path, ended = background["writers"].result()
    out, victim, stale = tmp_path / "out", tmp_path / "victim.txt", tmp_path / "out" / ".issues.csv.k3j9x_2a.tmp"
    for status, err in ended:
        assert status == 0, err
    assert victim.read_text(encoding="utf-8") == "keep me"
    assert not (tmp_path / "lock-victim").exists() and not (out / ".lock").is_symlink()
    assert not stale.exists()
    assert len(pd.read_csv(out / "indicators.csv", encoding="utf-8-sig")) == 2
    left = sorted(p.name for p in out.iterdir() if p.name.startswith("."))
    assert left == [".indicators.csv.tmp", ".indicators.parquet.tmp", ".issues.csv.tmp", ".layout.csv.tmp", ".lock"]
    assert all(os.path.islink(out / n) for n in left[:-1])  # not ours: left alone


def test_a_report_set_swap_killed_half_way_is_finished_or_undone(tmp_path):
    """The fallback swap (two renames, where the system has no atomic exchange): a run killed between them leaves
    no report folder; the next run puts back the new set if it was complete, else the old one."""
    from chodon_analysis.runner import reportset

    for complete in (True, False):
        final = tmp_path / str(complete) / "2024"
        old, staging = final.with_name(".2024.old"), final.with_name(".2024.staging")
        for folder, text in ((old, "old"), (staging, "new")):
            folder.mkdir(parents=True)
            (folder / "index.html").write_text(text, encoding="utf-8")
        if complete:
            (staging / ".complete").touch()
        again = reportset.begin(final)  # the next run
        assert (final / "index.html").read_text(encoding="utf-8") == ("new" if complete else "old")
        assert not old.exists() and (again / "index.html").read_text(encoding="utf-8") == ("new" if complete else "old")
        reportset.discard(final)
        assert not staging.exists()


def test_a_report_set_keeps_what_a_person_put_there(tmp_path):
    """Sub-folders and files a person added to a report folder stay in every new set (a report folder that is a link
    is refused before a run starts: test_run_safety.py)."""
    from chodon_analysis.runner import reportset

    final = tmp_path / "reports" / "2024"
    (final / "archive").mkdir(parents=True)
    (final / "archive" / "2023-note.txt").write_text("old", encoding="utf-8")
    (final / ".htaccess").write_text("Options -Indexes", encoding="utf-8")
    (final / "index.html").write_text("old set", encoding="utf-8")
    for run in ("first", "second"):
        staging = reportset.begin(final)
        (staging / "index.html").unlink()  # the run writes through a new file, as write_atomic does
        (staging / "index.html").write_text(f"{run} set", encoding="utf-8")
        reportset.commit(final)
        assert (final / "index.html").read_text(encoding="utf-8") == f"{run} set"
        assert (final / "archive" / "2023-note.txt").read_text(encoding="utf-8") == "old"
        assert (final / ".htaccess").exists() and not (final / ".complete").exists()
    assert sorted(p.name for p in final.parent.iterdir()) == ["2024"]  # no staging or old folder left


def test_a_set_of_files_is_written_whole_or_not_at_all(tmp_path):
    """A full disk half-way through the tidy table's files leaves the previous files, not a mix."""
    from chodon_analysis.base.files import write_all

    for name in ("a.csv", "b.csv"):
        (tmp_path / name).write_text("old", encoding="utf-8")

    def full(_p: Path) -> None:
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        write_all([(tmp_path / "a.csv", lambda p: p.write_text("new", encoding="utf-8")), (tmp_path / "b.csv", full)])
    assert [(tmp_path / n).read_text(encoding="utf-8") for n in ("a.csv", "b.csv")] == ["old", "old"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv", "b.csv"]


# ---- one module per format, picked by extension and content; refusals with codes -----------------------------
def _xls(path: Path, rows: list[list[object]]) -> Path:
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("Bieu")
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            ws.write(r, c, v)
    wb.save(str(path))
    return path


def _ods(path: Path, rows: list[list[object]]) -> Path:
    width = max(map(len, rows))
    with pd.ExcelWriter(path, engine="odf") as xw:
        pd.DataFrame([r + [""] * (width - len(r)) for r in rows]).to_excel(xw, header=False, index=False)
    return path


def test_a_workbook_saved_under_another_format_s_name_is_read_as_what_it_is(tmp_path):
    import shutil

    made = {".xls": _xls(tmp_path / "made.xls", table(*BODY)), ".ods": _ods(tmp_path / "made.ods", table(*BODY)),
            ".xlsx": write_xlsx(tmp_path / "made.xlsx", table(*BODY))}
    for real, named in ((".xls", ".xlsx"), (".xls", ".ods"), (".xls", ".xlsm"), (".xlsx", ".xls"), (".ods", ".xlsx"),
                        (".ods", ".xls"), (".xlsx", ".ods")):
        path = tmp_path / f"{real[1:]}-named{named}"
        shutil.copy(made[real], path)
        r = clean([path])
        assert not r.failed, (path.name, r.failed)
        _check(r.indicators)


def test_a_renamed_workbook_is_measured_as_what_it_is(tmp_path):
    """The limits follow the content: a hostile .xlsx named .xls or .ods is refused as one, an .ods named .xlsx
    as an .ods, before the value reader sees it."""
    import shutil

    from conftest import DATA

    bad = DATA / "bad"
    for source, named, expect in (("far-cell-XFD1048576.xlsx", "x.xls", "reaches cell XFD1048576"),
                                  ("shared-text.xlsx", "x.ods", "million characters of text"),
                                  ("zip-bomb.xlsx", "x.xls", "zip bomb"),
                                  ("xxe.xlsx", "x.xls", "XML entity"),
                                  ("ods-repeated-cells.ods", "x.xlsx", "beyond what the reader accepts"),
                                  ("encrypted.xlsx", "x.xls", "password-protected")):
        path = tmp_path / source / named
        path.parent.mkdir()
        shutil.copy(bad / source, path)
        r = clean([path])
        assert len(r.failed) == 1 and expect in r.failed[0][1], (source, named, r.failed)


def test_a_workbook_whose_name_is_not_utf8_is_read(tmp_path):
    import os

    for ext, make in ((".xlsx", write_xlsx), (".xls", _xls), (".ods", _ods)):
        path = Path(os.fsdecode(bytes(tmp_path) + b"/b\xe1o c\xe1o" + ext.encode()))  # a Windows-1258 name
        make(path, table(*BODY))
        r = clean([path])
        assert not r.failed, (ext, r.failed)
        _check(r.indicators)


def test_the_value_reader_reads_a_file_as_the_format_measured_whatever_its_name(tmp_path):
    """calamine takes a name it does not know (`.XLSX`, `.csv`) by content, trying formats no pass measures (.xlsb):
    it is given only names in its own lower-case extensions."""
    from chodon_analysis.cleaning.formats.calamine import _named

    for name, ext, direct in (("a.xlsx", ".xlsx", True), ("a.xlsm", ".xlsx", True), ("A.XLSX", ".xlsx", False),
                              ("a.Xls", ".xls", False), ("a.xlsx", ".xls", False), ("a.ods", ".ods", True)):
        with _named(tmp_path / name, ext) as given:
            assert given == str(tmp_path / name) if direct else given.endswith(f"/workbook{ext}"), (name, given)
    upper = write_xlsx(tmp_path / "BAO CAO.XLSX", table(*BODY))
    _check(clean([upper]).indicators)


def test_the_format_is_picked_by_extension_then_content():
    from chodon_analysis.cleaning import formats
    from chodon_analysis.cleaning.formats import ReadError, csv, docx, html, ods, pick, xls, xlsx

    ole, zip_, ods_head = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"PK\x03\x04" + bytes(26), b"PK\x03\x04" + bytes(26)
    ods_head += b"mimetypeapplication/vnd.oasis.opendocument.spreadsheet"
    word, book, page = frozenset({"word/document.xml"}), frozenset({"xl/workbook.xml"}), b"<!DOCTYPE html><html>"
    assert formats.EXTENSIONS == (".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".docx", ".html", ".htm")
    named = [pick(".xlsx", zip_, book), pick(".xlsm", zip_), pick(".xls", ole), pick(".ods", ods_head),
             pick(".docx", zip_, word), pick(".html", page), pick(".htm", b"\xef\xbb\xbf<table>")]
    assert named == [xlsx, xlsx, xls, ods, docx, html, html]
    renamed = [pick(".xlsx", ole), pick(".xls", zip_, book), pick(".xlsx", ods_head), pick(".ods", zip_),
               pick(".xlsx", zip_, word), pick(".xls", zip_, word), pick(".docx", zip_, book), pick(".xls", page),
               pick(".xlsx", page), pick(".html", zip_, word)]
    assert renamed == [xls, xlsx, ods, xlsx, docx, docx, xlsx, html, html, docx]  # a web export named .xls: a page
    assert pick(".csv", zip_) is csv and pick(".csv", b"TT,Chi tieu") is csv  # a .csv is always read as text
    for ext, head, code in ((".xlsx", b"TT;Chi", "not_a_workbook"), (".xls", b"TT;Chi", "not_an_xls"),
                            (".docx", b"TT;Chi", "not_a_document"), (".html", b"TT;<b>", "not_a_web_page"),
                            (".pdf", b"%PDF", "unsupported_type")):
        with pytest.raises(ReadError) as e:
            pick(ext, head)
        assert e.value.code == code and e.value.params["ext"] == ext


def test_every_refusal_has_a_code_and_its_words_in_both_languages():
    import re

    from chodon_analysis.base import i18n
    from chodon_analysis.cleaning import formats

    source = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "chodon_analysis" / "cleaning").rglob("*.py"))
    codes = set(re.findall(r'(?:ReadError|Reason\.of)\(\s*"([a-z_]+)"', source))
    codes |= {f.NOT_THIS for f in formats.FORMATS} | {"sheet_too_far", "file_unreadable"}
    assert {"file_empty", "xml_doctype", "zip_bomb", "sheet_declares_too_far", "cell_too_long", "no_table",
            "reader_crashed", "unexpected_error"} <= codes
    for code in codes:
        for lang in ("vi", "en"):
            assert i18n.has(f"issue.{code}.problem", lang) and i18n.has(f"issue.{code}.action", lang), (code, lang)


def test_a_read_error_has_a_code_parameters_and_the_english_sentence():
    import pickle

    from chodon_analysis.base.messages import words
    from chodon_analysis.cleaning.formats import ReadError, Reason, bounds

    with pytest.raises(ReadError) as caught:
        bounds.check_extent("Bieu", 1_048_576, 16_384)
    e = caught.value
    assert e.code == "sheet_too_far" and e.params["cell"] == "XFD1048576" and e.params["rows"] == 1_048_576
    assert str(e) == ("sheet 'Bieu' reaches cell XFD1048576 (1,048,576 rows x 16,384 columns), beyond what the reader "
                      "accepts (100,000 rows, 1,000 columns, 1,000,000 cells); delete the stray cells far from the "
                      "table (Ctrl+End shows the last one) and save the file again")
    problem, action = words(e.code, e.params, "vi")
    assert "XFD1048576 (1.048.576 dòng x 16.384 cột)" in problem and "Ctrl+End" in action
    again = pickle.loads(pickle.dumps(e))
    assert (type(again), str(again), again.code, again.params) == (ReadError, str(e), e.code, e.params)
    reason = pickle.loads(pickle.dumps(e.reason))
    assert type(reason) is Reason and reason == str(e) and (reason.code, reason.params) == (e.code, e.params)
    plain = ReadError("layout file x.layout.csv:3: role 'plann' is not one of: header, order")  # not yet coded
    assert str(plain) == plain.params["reason"] and plain.code == "file_unreadable"
    assert str(ReadError("file_empty")) == "the file is empty (0 bytes); export it again from the spreadsheet program"
    assert str(ReadError("no_such_code", sheet="Bieu")) == "no_such_code (sheet: Bieu); strings.csv has no words for it"


def test_the_reasons_keep_their_codes_through_the_reader_processes(tmp_path, monkeypatch):
    import shutil

    from conftest import DATA

    from chodon_analysis.cleaning import workbooks

    bad = DATA / "bad"
    names = ["good.xlsx", "zero-bytes.xlsx", "text-named.xlsx", "far-cell-XFD10000.xlsx", "no-table.xlsx"]
    for name in names:
        shutil.copy(bad / name, tmp_path / name)
    monkeypatch.setattr(workbooks, "PER_WORKER", 1)  # several reader processes for a few files
    r = clean([tmp_path / n for n in names], jobs=3)
    assert len(r.indicators) == 2
    codes = {p.name: (why.code, why.params.get("ext"), str(why)) for p, why in r.failed}
    assert {n: c[0] for n, c in codes.items()} == {
        "zero-bytes.xlsx": "file_empty", "text-named.xlsx": "not_a_workbook", "far-cell-XFD10000.xlsx": "sheet_too_far",
        "no-table.xlsx": "no_table"}
    assert codes["text-named.xlsx"][1] == ".xlsx" and codes["zero-bytes.xlsx"][2].startswith("the file is empty")


def test_a_crashed_reader_process_gives_a_coded_reason(tmp_path, monkeypatch):
    import multiprocessing as mp
    import os

    from chodon_analysis.cleaning import workbooks

    if "fork" not in mp.get_all_start_methods():
        pytest.skip("the crash is planted in a forked process")
    monkeypatch.setattr(workbooks, "read_file", lambda *_a: os._exit(3))
    path, reason, rows = workbooks._read_isolated(tmp_path / "x.xlsx", "Chợ Đồn", mp.get_context("fork"))
    assert rows == () and reason.code == "reader_crashed" and reason.startswith("the reader stopped on this file")
