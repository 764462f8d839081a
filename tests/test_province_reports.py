"""Beyond Chợ Đồn (issue 26, items 2 and 4): the province's units listed, every former district rebuilt from its
communes against its own targets, and a province folder (another former district's communes, a ward of a former
city) run per area: grouped by former district on the index, a sheet per area level in the workbook."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from conftest import run_areas, write_xlsx
from typer.testing import CliRunner

from chodon_analysis.cli import app

REPUBLIC = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
HEAD = ["TT", "Chỉ tiêu", "ĐVT", "Kế hoạch năm {y}", "Thực hiện năm {y}", "Ghi chú"]


def test_the_units_of_the_province_with_code_type_and_former_districts():
    """Res. 1683: 92 units of the new Thái Nguyên, 77 communes and 15 wards; the old Bắc Kạn's 108 units went into
    37 of them (the province's own count of its plan)."""
    out = CliRunner().invoke(app, ["areas", "--province", "tỉnh Thái Nguyên"])
    lines = out.stdout.splitlines()
    assert out.exit_code == 0 and len(lines) == 92
    kinds = [line.split()[1] for line in lines]
    assert kinds.count("xã") == 77 and kinds.count("phường") == 15
    dong_phuc = next(line for line in lines if " Đồng Phúc " in line)
    assert dong_phuc.split()[0].isdigit() and dong_phuc.endswith("Ba Bể, Chợ Đồn")  # formed from two
    assert len(CliRunner().invoke(app, ["areas", "--province", "bac kan"]).stdout.splitlines()) == 37
    wrong = CliRunner().invoke(app, ["areas", "--province", "Hà Giang"])
    assert wrong.exit_code == 2 and "Thái Nguyên" in wrong.stderr


def _book(path, heading: str, year: int, rows: list[list], next_plan: bool = False) -> None:
    head = [h.format(y=year) for h in HEAD] + ([f"Kế hoạch năm {year + 1}"] if next_plan else [])
    title = f"BÁO CÁO KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU KINH TẾ - XÃ HỘI NĂM {year}"
    write_xlsx(path, [[heading], [REPUBLIC], [title], [], head, *rows])

def _ba_be_communes(folder: Path) -> None:
    """The 2025 workbooks of four communes of the former district Ba Bể (grain, people, new forest)."""
    for name, grain, people, forest in (("Chợ Rã", 5200, 14000, 180), ("Phúc Lộc", 4600, 12500, 170),
                                        ("Thượng Minh", 4500, 12000, 160), ("Ba Bể", 4400, 12300, 130)):
        _book(folder / f"bao-cao-xa-{name}-2025.xlsx", f"ỦY BAN NHÂN DÂN XÃ {name.upper()}", 2025,
              [["1", "Tổng sản lượng lương thực có hạt", "tấn", grain - 100, grain, ""],
               ["2", "Dân số trung bình", "người", people, people, ""],
               ["3", "Diện tích trồng rừng mới", "ha", forest, forest, ""]])



def province_run(base: Path) -> Path:
    """A province folder as the office collects it in 2026 (the `province` fixture), run per area with one small
    notebook into `base`; started in the background when the session starts (conftest.py)."""
    raw = base / "raw"
    raw.mkdir()
    _book(raw / "bc-huyen-ba-be-2024.xlsx", "ỦY BAN NHÂN DÂN HUYỆN BA BỂ", 2024,
          [["1", "Tổng sản lượng lương thực có hạt", "tấn", 18000, 18300, "", 18500],
           ["2", "Dân số trung bình", "người", 50000, 50400, "", 50800],
           ["3", "Diện tích trồng rừng mới", "ha", 600, 640, "", 650]], next_plan=True)
    _ba_be_communes(raw)
    for name in ("Cường Lợi", "Văn Lang"):
        _book(raw / f"bc-{name}-2025.xlsx", f"UBND XÃ {name.upper()}, HUYỆN NA RÌ", 2025,
              [["1", "Tổng sản lượng lương thực có hạt", "tấn", 3000, 3100, ""]])
    _book(raw / "bc-phuong-duc-xuan-2025.xlsx", "UBND PHƯỜNG ĐỨC XUÂN", 2025,
          [["1", "Tổng sản lượng lương thực có hạt", "tấn", 900, 950, ""]])
    return run_areas(raw, base)


@pytest.fixture(scope="module")
def province(background):
    """Ba Bể's 2024 workbook with its 2025 targets, the four communes wholly inside Ba Bể, two of Na Rì's six (Na Rì
    set no targets we have), and a ward of the former city of Bắc Kạn; cleaned, and run per area."""
    return background["province"].result()


def test_every_former_district_is_rebuilt_against_its_own_targets(province):
    """former_district.csv: Ba Bể from its four communes (4/4), Na Rì from the two that reported (2/6, never drawn
    or judged as the district); Ba Bể's 2025 target of 18,500 t against 5,200 + 4,600 + 4,500 + 4,400 = 18,700 t."""
    from chodon_analysis.analysis.communes import fill_from_communes

    rebuilt = pd.read_csv(province / "processed" / "former_district.csv", encoding="utf-8-sig")
    grain = rebuilt["indicator"] == "Tổng sản lượng lương thực có hạt"
    inside = rebuilt[(rebuilt["scope"] == "wholly_inside") & grain]
    got = {d: (v, c) for d, v, c in zip(inside["district"], inside["actual_value"], inside["coverage"], strict=True)}
    assert got == {"Ba Bể": (18700.0, "4/4"), "Na Rì": (6200.0, "2/6"), "Bắc Kạn": (950.0, "1/2")}
    table = pd.read_parquet(province / "processed" / "indicators.parquet")
    own = table[(table["area"] == "Ba Bể") & (table["area_level"] == "district")]
    filled, targets, _ = fill_from_communes(own, table[table["area_level"] == "commune"], "Ba Bể", 2025)
    grain = targets.set_index("indicator").loc["Tổng sản lượng lương thực có hạt"]
    assert (grain["actual_value"], grain["status"], grain["coverage"]) == (18700.0, "exceeded", "4/4")
    per_head = targets.set_index("indicator").loc["Dân số trung bình"]
    assert (per_head["actual_value"], per_head["status"]) == (50800.0, "met")  # 14,000 + 12,500 + 12,000 + 12,300


def test_a_province_folder_is_reported_per_area_grouped_by_former_district(province):
    year = province / "reports" / "2025"
    folders = sorted(p.name for p in year.iterdir() if p.is_dir() and not p.name.startswith("."))
    assert folders == ["huyen-ba-be", "phuong-duc-xuan", "xa-ba-be", "xa-cho-ra", "xa-cuong-loi", "xa-phuc-loc",
                       "xa-thuong-minh", "xa-van-lang"]
    index = (year / "index.html").read_text(encoding="utf-8")
    listed = re.findall(r'class="group">([^<]*)</th>|href="([a-z-]+)/index\.html"', index)
    assert [g or a for g, a in listed] == [
        "huyện Ba Bể (cũ)", "huyen-ba-be", "xa-ba-be", "xa-cho-ra", "xa-phuc-loc", "xa-thuong-minh",
        "thành phố Bắc Kạn (cũ)", "phuong-duc-xuan", "huyện Na Rì (cũ)", "xa-cuong-loi", "xa-van-lang",
        "Xã được lập từ các xã của nhiều huyện cũ"]
    assert "phường Đức Xuân" in index and "xã Đức Xuân" not in index
    ward = re.search(r"phường Đức Xuân</a></td><td>([^<]*)</td>", index)
    assert ward and ward.group(1) == "phường"  # the level column too (a tester's finding: it said xã)
    # the units of those former districts that sent nothing are listed under them, said so, never left out
    silent = re.findall(r"<tr><td>([^<]*)</td>(?:(?!</tr>).)*chưa gửi biểu số liệu", index, re.S)
    assert silent == ["phường Bắc Kạn", "xã Côn Minh", "xã Na Rì", "xã Trần Phú", "xã Xuân Dương", "xã Phong Quang",
                      "xã Đồng Phúc"]
    comparison = (year / "comparison.html").read_text(encoding="utf-8")
    assert re.findall(r"<h2>([^<]*)</h2>", comparison) == ["huyện Ba Bể (cũ) (4)", "thành phố Bắc Kạn (cũ) (1)",
                                                           "huyện Na Rì (cũ) (2)"]
    areas = CliRunner().invoke(app, ["areas", "--year", "2025", "--province", "Bắc Kạn", "--processed",
                                     str(province / "processed")])
    assert areas.stdout.split() == ["huyen-ba-be", "xa-ba-be", "xa-cho-ra", "xa-cuong-loi", "phuong-duc-xuan",
                                    "xa-phuc-loc", "xa-thuong-minh", "xa-van-lang"]  # the district, then by name


def test_the_workbook_has_a_sheet_per_area_level(province):
    book = openpyxl.load_workbook(province / "reports" / "2025" / "chi_tieu_2025.xlsx", read_only=True)
    assert {"Các huyện cũ", "Các xã"} <= set(book.sheetnames)
    districts = [r for r in book["Các huyện cũ"].iter_rows(min_row=4, values_only=True)
                 if r[1] == "Tổng sản lượng lương thực có hạt"]
    assert [(r[0], r[3], r[4], r[5], r[7]) for r in districts] == [
        ("huyện Ba Bể (cũ)", 18500, 18700, "Vượt kế hoạch", "4/4"),  # against the target it set itself
        ("thành phố Bắc Kạn (cũ)", None, 950, None, "1/2"), ("huyện Na Rì (cũ)", None, 6200, None, "2/6")]
    communes = list(dict.fromkeys((r[0], r[2]) for r in book["Các xã"].iter_rows(min_row=4, values_only=True)
                                  if r[0]))
    assert communes == [("xã Ba Bể", "Ba Bể"), ("xã Chợ Rã", "Ba Bể"), ("xã Phúc Lộc", "Ba Bể"),
                        ("xã Thượng Minh", "Ba Bể"), ("phường Đức Xuân", "Bắc Kạn"), ("xã Cường Lợi", "Na Rì"),
                        ("xã Văn Lang", "Na Rì")]


def test_four_shards_of_the_province_hold_each_of_its_92_units_once():
    """The job array of the README on the province: `--shard K/4` over the 92 units gives 23 each, every unit
    exactly once; Văn Lang (Na Rì) and Văn Lăng (Đồng Hỷ), one name without the marks, two folders."""
    from chodon_analysis.base import reform
    from chodon_analysis.runner.areas import areas_of, shard

    table = pd.DataFrame({"area": [r["new_unit"] for r in reform.new_units()], "area_level": "commune", "year": 2025,
                          "district": ""})
    areas = areas_of(table, 2025)
    slices = [shard(areas, k, 4) for k in range(1, 5)]
    assert [len(s) for s in slices] == [23, 23, 23, 23]
    assert sorted(a.slug for s in slices for a in s) == sorted(a.slug for a in areas)
    assert len({a.slug for a in areas}) == 92  # every unit its own folder


@pytest.mark.parametrize(("file", "name", "district"), [
    ("bao-cao-tan-ky-2025.xlsx", "Tân Kỳ", "Chợ Mới"),  # not xã Cao Tân: `cao` is the report's word
    ("Bao cao Thuong Minh 2025.xlsx", "Thượng Minh", "Ba Bể"),
    ("bao-cao-thuong-quan-2025.xlsx", "Thượng Quan", "Ngân Sơn"),
    ("BC_Cao_Tan_2024.xlsx", "Cao Tân", "Pác Nặm"),  # the former commune, named after the report's word
])
def test_the_words_of_a_report_in_a_file_name_are_no_place(file, name, district):
    """A tester's case: `bao-cao-tan-ky-2025.xlsx` was read as xã Cao Tân (Pác Nặm), silently."""
    from chodon_analysis.base.places import place_from_name

    place = place_from_name(file)
    assert (place.name, place.district) == (name, district)


@pytest.mark.parametrize(("title", "name"), [
    ("UBND HUYEN NA RI | BAO CAO CHI TIEU NAM 2024", "Na Rì"), ("HUYEN UY NA RI", "Na Rì"),
    ("UBND THANH PHO SONG CONG", "Sông Công"), ("UBND HUYỆN DONG HY", "Đồng Hỷ"), ("UBND HUYEN ĐỒNG HỶ", "Đồng Hỷ"),
])
def test_a_former_district_named_without_its_marks_is_read_as_the_crosswalk_writes_it(title, name):
    """A tester's case: these fell back on the default district (Chợ Đồn) or made a district `Dong Hy`."""
    from chodon_analysis.base.places import place_from_title

    place = place_from_title(title)
    assert (place.name, place.level, place.district) == (name, "district", name)


def test_a_name_two_units_share_is_never_added_to_a_former_district_on_a_guess():
    """`phường Trung Thành` in 2025 (Phổ Yên's new ward, or the former ward of Thái Nguyên city) is left as written
    with no code and a doubt: none of its figures goes into Phổ Yên's, nor under it on the index."""
    from chodon_analysis.analysis.communes import former_district
    from chodon_analysis.base import reform
    from chodon_analysis.runner.areas import Area
    from chodon_analysis.runner.overview import _group

    rows = pd.DataFrame([{"area": a, "year": 2025, "indicator": "Tổng sản lượng lương thực có hạt", "unit": "tấn",
                          "plan_value": None, "actual_value": v, "area_code": code}
                         for a, v, code in (("Trung Thành", 900.0, ""), ("Phổ Yên", 1200.0, "05860"))])
    built = former_district(rows, reform.crosswalk(), reform.aggregation_rules(), "Phổ Yên").set_index("indicator")
    grain = built.loc["Tổng sản lượng lương thực có hạt"]
    assert (grain["actual_value"], grain["coverage"], grain["communes"]) == (1200.0, "1/5", "Phổ Yên")
    assert _group(Area("Trung Thành", "commune"), "", frozenset({"Trung Thành"}))[0] == 3  # a group of its own


def test_a_former_city_and_two_names_alike_have_folders_a_reader_can_tell_apart():
    from chodon_analysis.runner.areas import Area, _distinct

    slugs = [a.slug for a in _distinct([Area("Sông Công", "district"), Area("Văn Lang", "commune"),
                                        Area("Văn Lăng", "commune"), Area("Đức Xuân", "commune")])]
    assert slugs == ["thanh-pho-song-cong", "xa-van-lang-02143", "xa-van-lang-05665", "phuong-duc-xuan"]


def test_a_province_folder_without_the_default_district_has_no_empty_sheets_of_it(province):
    """A tester's case: the workbook of a province's folder opened on an empty report of huyện Chợ Đồn (cũ), its
    trend sheets on Chợ Đồn's published figures; the folder holds no Chợ Đồn workbook. Its data-quality page named
    Chợ Đồn too."""
    book = openpyxl.load_workbook(province / "reports" / "2025" / "chi_tieu_2025.xlsx", read_only=True)
    assert book.sheetnames == ["Kiểm tra số liệu", "Các huyện cũ", "Các xã", "Vấn đề dữ liệu"]
    page = (province / "reports" / "2025" / "data_quality.html").read_text(encoding="utf-8")
    assert "Chợ Đồn" not in page  # the page names what the folder holds
    assert "<p>huyện Ba Bể (cũ), thành phố Bắc Kạn (cũ), huyện Na Rì (cũ), 2025." in page
    for name in ("forest_cover.csv", "grain_per_capita.csv"):  # not Chợ Đồn's published figures alone (a tester's)
        assert pd.read_csv(province / "processed" / name, encoding="utf-8-sig").empty, name


def test_a_former_ward_that_reported_expects_no_new_commune_of_another_district_by_its_name():
    """The reviewer's case: the former phường Tân Thành (Thái Nguyên city) went into Tích Lương; the new xã Tân
    Thành is Phú Bình's. Its 2024 figures make Tích Lương's area expected in 2025, never Phú Bình's Tân Thành."""
    from chodon_analysis.analysis.quality import findings

    def row(area, year, district):
        return {"area": area, "area_level": "commune", "year": year, "indicator_id": "grain_output",
                "indicator": "Tổng sản lượng lương thực có hạt", "unit": "tấn", "plan_op": "=", "plan_value": 900.0,
                "plan_value_high": None, "actual_value": 950.0, "parent_indicator": "", "district": district,
                "source_file": f"{area}-{year}.xlsx", "source_row": 5}

    table = pd.DataFrame([row("Tân Thành", 2024, "Thái Nguyên"), row("Tích Lương", 2025, "Thái Nguyên")])
    missing = findings(table, 2025, first_year=2025)
    assert "Tân Thành" not in set(missing.loc[missing["check"] == "no_workbook", "area"])


def test_an_error_of_the_vocabulary_crosses_a_process_as_itself():
    """The derived tables are made in a process forked from the run: a bad vocabulary line raised there reaches the
    user as its one line, not as a traceback."""
    import pickle
    from pathlib import Path

    from chodon_analysis.base.vocab import VocabularyError

    again = pickle.loads(pickle.dumps(VocabularyError(Path("rules.csv"), 7, "'high' is below 'low'")))
    assert isinstance(again, VocabularyError) and str(again) == "rules.csv:7: 'high' is below 'low'"


def test_the_task_list_of_a_province_keeps_a_name_two_units_share(province, tmp_path):
    """A tester's case: `chodon areas --year 2025 --province` (a scheduler's task list) left out the workbook read as
    `Van Lang` (no code: Văn Lang of Na Rì or Văn Lăng of Đồng Hỷ, both of the province), which the run reports."""
    table = pd.read_parquet(province / "processed" / "indicators.parquet")
    placed = table["area"] == "Văn Lang"  # read as written this time: the title without its marks or district
    table.loc[placed, ["area", "area_code", "district"]] = ["Van Lang", "", ""]
    (tmp_path / "processed").mkdir()
    table.to_parquet(tmp_path / "processed" / "indicators.parquet")
    listed = CliRunner().invoke(app, ["areas", "--year", "2025", "--province", "Thái Nguyên", "--processed",
                                      str(tmp_path / "processed")]).stdout.split()
    assert "xa-van-lang" in listed and "xa-cuong-loi" in listed
    assert CliRunner().invoke(app, ["areas", "--year", "2025", "--province", "Hà Giang", "--processed",
                                    str(tmp_path / "processed")]).exit_code == 2


def test_a_former_districts_appendix_says_how_many_of_its_communes_gave_figures():
    """A tester's case: Na Rì's appendix said its figures were added up from its 6 communes when 1 had reported."""
    from types import SimpleNamespace

    from chodon_analysis.runner.appendices import _rebuilt
    from chodon_analysis.runner.areas import Area

    cfg = SimpleNamespace(lang="vi", year=2025)
    some = pd.DataFrame({"coverage": ["2/6", "1/6", ""]})
    (said,) = _rebuilt(cfg, Area("Na Rì", "district"), some)
    assert "từ 2 trong số 6 xã nằm trọn trong huyện cũ (các xã có số liệu)" in said
    (said,) = _rebuilt(cfg, Area("Na Rì", "district"), pd.DataFrame({"coverage": ["6/6"]}))
    assert "từ 6 xã nằm trọn trong huyện cũ," in said


def test_the_folder_of_an_area_no_longer_in_the_data_is_removed(tmp_path, capsys):
    """A tester's case: a workbook taken out (or another folder of workbooks reported into the same reports) left
    the area's old pages, `0 lỗi`, beside an index saying it sent nothing. A folder no run wrote is left alone."""
    from types import SimpleNamespace

    from chodon_analysis.runner.areas import Area
    from chodon_analysis.runner.finish import drop_stale

    year = tmp_path / "2025"
    for slug in ("xa-nam-cuong", "xa-nghia-ta", "ghi-chu-cua-toi"):
        (year / slug).mkdir(parents=True)
    for slug in ("xa-nam-cuong", "xa-nghia-ta"):
        (year / slug / "summary.json").write_text("{}", encoding="utf-8")
    (year / ".areas").mkdir()
    drop_stale(SimpleNamespace(year_dir=year, year=2025), [Area("Nam Cường", "commune")])
    assert sorted(p.name for p in year.iterdir() if not p.name.startswith(".")) == ["ghi-chu-cua-toi", "xa-nam-cuong"]
    assert "removed" in capsys.readouterr().err


def test_the_former_districts_plans_are_numbers_an_office_can_compute_with(tmp_path):
    """A tester's case: on the sheet *Các huyện cũ* Ba Bể's targets were text (`18.500`), so that no sum or ratio
    could be made of them. A plain number is a number now, at the decimals the office wrote, in the workbook's
    number format; a plan with an operator keeps the office's words (`trên 50.000`), as on the other sheets."""
    import xlsxwriter

    from chodon_analysis import clean
    from chodon_analysis.analysis.communes import former_district
    from chodon_analysis.base import reform
    from chodon_analysis.report import workbook
    from chodon_analysis.report.areabook import districts_sheet

    _book(tmp_path / "bc-huyen-ba-be-2024.xlsx", "ỦY BAN NHÂN DÂN HUYỆN BA BỂ", 2024,
          [["1", "Tổng sản lượng lương thực có hạt", "tấn", "18.000", "18.300", "", "18.500"],
           ["2", "Dân số trung bình", "người", "50.000", "50.400", "", "trên 50.000"],
           ["3", "Diện tích trồng rừng mới", "ha", 600, 640, "", "650,5"]], next_plan=True)
    _ba_be_communes(tmp_path)
    table = clean([tmp_path]).indicators
    communes = table[table["area_level"] == "commune"]
    rebuilt = former_district(communes, reform.crosswalk(), reform.aggregation_rules(), "Ba Bể").assign(
        scope="wholly_inside")
    path = tmp_path / "book.xlsx"
    with xlsxwriter.Workbook(str(path), workbook.OPTIONS) as book:
        workbook.write_sheet(book, workbook._formats(book), districts_sheet(rebuilt, 2025, "vi", table))
    ws = openpyxl.load_workbook(path)["Các huyện cũ"]
    plans = {r[1].value: r[3] for r in ws.iter_rows(min_row=4) if r[0].value == "huyện Ba Bể (cũ)"}
    grain, people, forest = (plans[n] for n in ("Tổng sản lượng lương thực có hạt", "Dân số trung bình",
                                                 "Diện tích trồng rừng mới"))
    assert (grain.value, grain.data_type, grain.number_format) == (18500, "n", "[$-42A]#,##0")
    assert (forest.value, forest.number_format) == (650.5, "[$-42A]#,##0.0")
    assert people.value == "trên 50.000"  # `above`: the operator kept in the office's words
    assert grain.alignment.horizontal == people.alignment.horizontal == "right"


NOTE = "không phải số chính thức (xem PROVENANCE.md)"  # notice.illustrative, the footer of the static pages


def test_a_province_folder_of_its_own_workbooks_says_nothing_of_illustrative_values(province):
    """A tester's case: every page across areas and every area's index ended with the note that values marked
    *minh họa* are sample values, on a province folder of the communes' own workbooks, none of them a bundled sample
    (PROVENANCE.md): no page shows one, so none says it, and no count is marked."""
    year = province / "reports" / "2025"
    pages = [year / "index.html", year / "comparison.html", *sorted(year.glob("*/index.html"))]
    assert len(pages) == 10
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert NOTE not in text and "minh họa" not in text, page
    for summary in year.glob("*/summary.json"):
        assert '"illustrative": false' in summary.read_text(encoding="utf-8"), summary


def test_a_bundled_sample_among_a_province_s_own_workbooks_keeps_its_mark(tmp_path):
    """Nothing illustrative loses its mark: the bundled sample workbook of Nam Cường (its bytes, PROVENANCE.md)
    beside the own workbooks of Ba Bể's communes. Nam Cường and the former Chợ Đồn rebuilt from it are marked, the
    others not; the pages that show one of them carry the note, the index of a commune of its own does not."""
    import shutil
    from types import SimpleNamespace

    from conftest import ROOT

    from chodon_analysis import clean
    from chodon_analysis.analysis.compare import ranking
    from chodon_analysis.runner.areas import Area, areas_of
    from chodon_analysis.runner.finish import sample_years
    from chodon_analysis.runner.index import index_html
    from chodon_analysis.runner.overview import comparison_page

    shutil.copy(ROOT / "data" / "raw" / "bao-cao-xa-nam-cuong-2025.xlsx", tmp_path)
    for name, grain in (("Chợ Rã", 5200), ("Phúc Lộc", 4600), ("Thượng Minh", 4500), ("Ba Bể", 4400)):
        _book(tmp_path / f"bao-cao-xa-{name}-2025.xlsx", f"ỦY BAN NHÂN DÂN XÃ {name.upper()}", 2025,
              [["1", "Tổng sản lượng lương thực có hạt", "tấn", grain - 100, grain, ""]])
    table = clean([tmp_path]).indicators
    cfg = SimpleNamespace(year=2025, district="Chợ Đồn", external=ROOT / "data" / "external")
    areas = areas_of(table, 2025)
    samples = {a.name for a in areas if 2025 in sample_years(cfg, table, a)}
    assert samples == {"Nam Cường"}
    assert 2025 in sample_years(cfg, table, Area("Chợ Đồn", "district"))  # rebuilt from it: a sample too
    assert 2025 not in sample_years(cfg, table, Area("Ba Bể", "district"))
    communes = table[table["area_level"] == "commune"]
    page = comparison_page(2025, ranking(communes, 2025), areas, "vi", samples=frozenset(samples))
    marked = re.findall(r'<a href="[a-z-]+/index\.html">([^<]*)</a>(<small class="sample">)?', page)
    assert {name: bool(m) for name, m in marked} == {"xã Nam Cường": True, "xã Chợ Rã": False, "xã Phúc Lộc": False,
                                                     "xã Thượng Minh": False, "xã Ba Bể": False}
    assert NOTE in page
    own = comparison_page(2025, ranking(communes[communes["area"] != "Nam Cường"], 2025), areas, "vi",
                          samples=frozenset(samples))
    assert NOTE not in own and "minh họa" not in own
    counts = pd.DataFrame({"status": ["exceeded", "met", "not_met", "not_evaluated"], "computed": [1, 0, 0, 0],
                           "reported": [0, 0, 0, 0]})
    issues = pd.DataFrame(columns=["file", "code", "params", "problem", "action"])
    theirs, ours = (index_html(2025, [], tmp_path, tmp_path, "vi", label, headline=counts, issues=issues,
                               samples=sample_years(cfg, table, Area(name, "commune")))
                    for label, name in (("xã Chợ Rã", "Chợ Rã"), ("xã Nam Cường", "Nam Cường")))
    assert NOTE not in theirs and "minh họa" not in theirs
    assert NOTE in ours and "tính từ số liệu minh họa" in ours
