"""The vocabulary files experts edit: one CSV format, every line checked before any workbook is read."""

from __future__ import annotations

import shutil

import pytest
from conftest import ROOT, chodon, table, write_xlsx

from chodon_analysis import clean
from chodon_analysis.base import datafiles, vocab
from chodon_analysis.paths import VOCABULARY_DIR

FILES = sorted(p.name for p in VOCABULARY_DIR.glob("*.csv"))
# file -> a line an expert could get wrong, appended at the end of the file
BAD_LINES = {
    "assessment_labels.csv": "exceded,Vượt xa",  # a status code misspelt
    "column_aliases.csv": "plann,kế hoạch năm,word",  # a role that does not exist
    "columns.csv": 'extra,decimal,,no,"a type that does not exist"',
    "direction_overrides.csv": "hộ nghèo,down,lower is better",  # neither higher nor lower
    "strings.csv": "status.met,,Met",  # the Vietnamese words left empty
    "legacy_fonts.csv": "tcvn,.VnArial",
    "lower_is_better.csv": 'thất nghiệp,"giảm",x',  # more cells than the header names
    "missing_markers.csv": "chưa có, số liệu",  # a comma without quotes splits the text
    "periods.csv": "last_year,năm ngoái",  # a kind that does not exist
    "plan_phrases.csv": "atleast,từ",
    "row_openings.csv": "notes,ghi chú",
    "units.csv": "tấn,ha",  # `ha` already means hectares
    "unit_words.csv": "tấn,metric tons",  # `tấn` has its English already
    "heading_words.csv": '"về',  # a quote left open
    "crosswalk.csv": "Nam Cường,xã,Thái Nguyên,Xuân Lạc,xã,Chợ Đồn,Bắc Kạn,whole,Điều 1 khoản 54,1683/NQ-UBTVQH15,"
                     "16/6/2025,2025-07-01,https://datafiles.chinhphu.vn/cpp/files/vbpq/2025/6/1683-nq.signed.pdf",
    "new_units.csv": "Nam Cường,xã,Thái Nguyên,2026,1027/CTK-CSCL,2025-06-25,https://example.org/1027",  # 4 digits
    "former_districts.csv": "Chợ Đồn,quận,Bắc Kạn,https://example.org/units",  # not a type of a district
    "aggregation.csv": "forest_cover2,ratio,contains,độ che phủ,Độ che phủ,%,forest_area,dien_tich,100,",
    "abbreviations.csv": "N T M,nông thôn mới",  # not one word
    "catalog.csv": "forest_cover,Độ che phủ,Forest cover,%,higher,Môi trường,Environment,,",  # an id given twice
    "catalog_aliases.csv": "new_forest,Tỷ lệ che phủ rừng",  # a name of another indicator
    "catalog_breaks.csv": "poverty_rate,2021-2022,chuẩn mới,new standard,https://example.org",  # not a year
    "rules.csv": "part_of,thoc,grain_output,,,,,,,error",  # an id the catalog does not have
}


@pytest.fixture
def vocabulary(tmp_path, monkeypatch):
    """An editable copy of the vocabulary, used through CHODON_VOCABULARY; the package's is restored after."""
    folder = tmp_path / "vocabulary"
    shutil.copytree(VOCABULARY_DIR, folder)
    monkeypatch.setenv("CHODON_VOCABULARY", str(folder))
    yield folder
    monkeypatch.delenv("CHODON_VOCABULARY")
    datafiles.check_all()


def _append(path, line: str) -> int:
    text = path.read_text(encoding="utf-8")
    path.write_text(text.rstrip("\n") + "\n" + line + "\n", encoding="utf-8")
    return text.rstrip("\n").count("\n") + 2


def test_every_vocabulary_file_has_a_bad_line_case():
    assert set(BAD_LINES) == set(FILES)


def test_every_data_file_is_checked_by_the_one_list_of_loaders():
    """No loader registers itself on import: datafiles.FILES names each file once, and nothing else."""
    assert set(datafiles.FILES) == set(FILES)
    assert len(set(map(id, datafiles.FILES.values()))) == len(FILES)


def test_the_bundled_vocabulary_is_valid_and_real_vietnamese():
    datafiles.check_all()
    assert vocab.unit_synonyms()["kg/nguoi"] == "kg/người/năm"
    assert vocab.assessment_labels()["vuot kh"] == "exceeded"
    assert "#n/a" in vocab.missing_markers()  # a marker starting with # is not a comment
    words = VOCABULARY_DIR.joinpath("plan_phrases.csv").read_text(encoding="utf-8")
    assert "trở lên" in words and "tro len" not in words  # spelled as offices write, folded only on load


@pytest.mark.parametrize("name", FILES)
def test_a_bad_line_stops_the_command_with_one_line_naming_file_and_line(vocabulary, name, tmp_path, capsys,
                                                                         monkeypatch):
    """Through the command line itself (in this process, so that each file costs no start-up)."""
    from chodon_analysis import cli

    line = _append(vocabulary / name, BAD_LINES[name])
    out = tmp_path / "out"
    monkeypatch.setattr("sys.argv", ["chodon", "clean", str(ROOT / "data" / "raw"), "--out", str(out)])
    with pytest.raises(SystemExit) as e:
        cli.main()
    err = capsys.readouterr().err.strip().splitlines()
    assert e.value.code == 2
    assert len(err) == 1 and err[0].startswith(f"error: {vocabulary / name}:{line}: "), err
    assert "Traceback" not in err[0] and not out.exists()


@pytest.mark.parametrize("name", ["units.csv", "plan_phrases.csv"])
def test_a_broken_header_or_encoding_is_named_too(vocabulary, name):
    path = vocabulary / name
    path.write_text(path.read_text(encoding="utf-8").replace("\nunit,spelling", "\nunit;spelling,x")
                    .replace("\nkind,phrase", "\nkind,phrases"), encoding="utf-8")
    with pytest.raises(vocab.VocabularyError, match=rf"{name}:\d+: header should name the columns"):
        datafiles.check_all()
    path.write_bytes("kind,phrase\nabove,trên\n".encode("cp1258"))
    with pytest.raises(vocab.VocabularyError, match=rf"{name}:2: not UTF-8"):
        datafiles.check_all()


def test_a_bad_line_stops_the_command_before_any_workbook_is_read(vocabulary, tmp_path):
    line = _append(vocabulary / "direction_overrides.csv", BAD_LINES["direction_overrides.csv"])
    out = tmp_path / "out"
    p = chodon("clean", str(ROOT / "data" / "raw"), "--out", str(out), env={**__import__("os").environ})
    assert p.returncode == 2
    assert p.stderr.strip().splitlines() == [
        f"error: {vocabulary / 'direction_overrides.csv'}:{line}: 'direction' is 'down'; "
        "it must be one of: higher, lower"]
    assert not out.exists()  # nothing read, nothing written
    r = chodon("run", "--year", "2024", "--processed", str(out), "--reports", str(tmp_path / "r"))
    assert r.returncode == 2 and "Traceback" not in r.stderr and f"direction_overrides.csv:{line}:" in r.stderr


def test_an_expert_edit_in_excel_takes_effect(vocabulary, tmp_path):
    # Excel's "CSV UTF-8" writes a BOM; a comment line; a new unit spelling and a new assessment label
    units = vocabulary / "units.csv"
    units.write_bytes(units.read_bytes() + "# thêm\nha,héc-ta\n".encode())  # Excel writes a BOM: the file has one
    _append(vocabulary / "assessment_labels.csv", "met,Cơ bản đạt")
    path = write_xlsx(tmp_path / "x.xlsx", table(["1", "Diện tích trồng rừng mới", "Héc-ta", 500, 500, "Cơ bản đạt"]))
    r = clean([path])
    row = r.indicators.iloc[0]
    assert (row.unit, row.reported_status) == ("ha", "met")
    assert "unknown_unit" not in set(r.issues.code)


@pytest.mark.parametrize(("name", "line", "says"), [
    ("assessment_labels.csv", 'met,"Đạt tốt', "a double quote opens a text that is not closed"),
    ("units.csv", "tấn,táº¥n", "is garbled (UTF-8 read as ANSI"),
    ("strings.csv", "att.extra,Năm {year},Year {yaer}", "the placeholders differ between vi"),
    ("crosswalk.csv", "Yên Phong,xã,Thái Nguyên,Xuân Lạc,xã,Chợ Đồn,Bắc Kạn,whole,Điều 1 khoản 58,1683/NQ-UBTVQH15,"
                      "2025-06-16,2025-07-01,https://x.vn/a.pdf", "means 'Yên Phong' here but 'Nam Cường'"),
    ("crosswalk.csv", "Tân An,xã,Thái Nguyên,Bản Thi,xã,Chợ Đồn,Bắc Kạn,part,Điều 1 khoản 99,1683/NQ-UBTVQH15,"
                      "2025-06-16,2025-07-01,https://x.vn/a.pdf", "'xã Tân An' .Thái Nguyên. is not in new_units.csv"),
    ("new_units.csv", "Tân An,xã,Thái Nguyên,09999,1027/CTK-CSCL,2025-06-25,https://x.vn/b.pdf",
     "'xã Tân An' has no line in crosswalk.csv"),
    ("new_units.csv", "Tân Cương,phường,Thái Nguyên,09999,1027/CTK-CSCL,2025-06-25,https://x.vn/b.pdf",
     "'tân cương .thái nguyên.' means 'phường tân cương"),
    ("aggregation.csv", "rate,not_aggregated,contains,tỷ lệ lạ,Tỷ lệ lạ,%,,,,", "'reason' is empty"),
    ("row_openings.csv", "signature,ghi chú", "'ghi chu' means 'signature' here but 'note'"),
    ("direction_overrides.csv", "thoát nghèo,lower,x", "'thoat ngheo' means 'lower' here but 'higher'"),
])
def test_mistakes_excel_users_make_are_named_by_line(vocabulary, name, line, says):
    n = _append(vocabulary / name, line)
    with pytest.raises(vocab.VocabularyError, match=rf":{n}: .*{says.replace('(', '[(]')}"):
        datafiles.check_all()


def test_the_column_file_may_explain_the_table_but_not_change_it(vocabulary):
    path = vocabulary / "columns.csv"
    path.write_text(path.read_text(encoding="utf-8-sig").replace("year,integer", "year,text"), encoding="utf-8")
    with pytest.raises(vocab.VocabularyError, match="'year' is integer in the cleaner, not text"):
        datafiles.check_all()
    labels = vocabulary / "strings.csv"
    labels.write_text("\n".join(ln for ln in labels.read_text(encoding="utf-8-sig").splitlines()
                                if not ln.startswith("chart.gap")), encoding="utf-8")
    path.write_text(path.read_text(encoding="utf-8").replace("year,text", "year,integer"), encoding="utf-8")
    with pytest.raises(vocab.VocabularyError, match="the reports need the keys chart.gap"):
        datafiles.check_all()
