"""Every file format the cleaner reads (.xlsx .xlsm .xls .ods .csv in any encoding), the command line's exit
statuses and formula-safe outputs. Bad files are in test_bad_input.py."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pandas as pd
import pytest
from conftest import CHODON, ROOT, cp1258_bytes, table, write_xlsx

from chodon_analysis import clean

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


def test_cli_exit_codes_and_outputs(tmp_path):
    good = write_xlsx(tmp_path / "good.xlsx", table(*BODY))
    out = tmp_path / "out"
    p = subprocess.run([*CHODON, "clean", str(good), "--out", str(out)], capture_output=True, text=True, cwd=ROOT)
    assert p.returncode == 0, p.stderr
    raw = (out / "indicators.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    df = pd.read_parquet(out / "indicators.parquet")
    assert df.year.dtype == "Int64" and df.plan_value.dtype == "float64"
    _check(df)
    assert subprocess.run([*CHODON, "clean", "--nope"], capture_output=True, cwd=ROOT).returncode == 2
    missing = subprocess.run([*CHODON, "clean", str(tmp_path / "missing.xlsx"), "--out", str(out)],
                             capture_output=True, text=True, cwd=ROOT)
    assert missing.returncode == 1 and "error: " in missing.stderr and "no such file" in missing.stderr
    v = subprocess.run([*CHODON, "--version"], capture_output=True, text=True, cwd=ROOT)
    assert v.returncode == 0 and v.stdout.startswith("chodon-analysis ")


def test_csv_output_is_formula_safe(tmp_path):
    from chodon_analysis.cleaning.write import formula_safe

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
    subprocess.run([*CHODON, "clean", str(path), "--out", str(out)], check=True, capture_output=True, cwd=ROOT)
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
    (tmp_path / "bad\nname.xlsx").write_text("not a workbook", encoding="utf-8")
    odd = Path(os.fsdecode(bytes(tmp_path) + b"/b\xe1o c\xe1o.xlsx"))  # a Windows-1258 name, not UTF-8
    odd.write_text("not a workbook either", encoding="utf-8")
    r = clean([tmp_path, tmp_path, good])  # the same folder twice, and a file inside it
    assert len(r.indicators) == 2
    names = set(r.issues.loc[r.issues.problem == "file could not be read", "file"])
    assert names == {"bad\\nname.xlsx", "b\\xe1o c\\xe1o.xlsx"}
    write_outputs(r, tmp_path / "out")  # the names do not stop the writing
    p = subprocess.run([*CHODON, "clean", str(tmp_path), "--out", str(tmp_path / "out2")], capture_output=True,
                       text=True, cwd=ROOT, errors="replace")
    errors = [line for line in p.stderr.splitlines() if line.startswith("error:")]
    assert p.returncode == 1 and len(errors) == 2 and all(ln.count("error:") == 1 for ln in errors)
