"""The checks of the figures (issue 24, docs/data-quality.md): validation rules as data, outliers over time and
across areas, completeness, one table of findings and `chodon check`. Communes built here with realistic spread and
growth must raise no alarm; the same communes with planted defects must raise exactly those."""

from __future__ import annotations

import math
import shutil

import numpy as np
import pandas as pd
import pytest
from conftest import write_xlsx

from chodon_analysis.analysis.communes import communes_of
from chodon_analysis.analysis.quality import findings, modified_z, summary_lines
from chodon_analysis.base import catalog, datafiles, reform, validation
from chodon_analysis.base.vocab import VocabularyError
from chodon_analysis.paths import VOCABULARY_DIR

COMMUNES = sorted(sum(communes_of(reform.crosswalk(), "Chợ Đồn"), []))  # the eight communes of the former Chợ Đồn
# communes the crosswalk does not know (of other provinces): compared with, no commune of their districts expected
OTHERS = ["Cốc Pài", "Thông Nông", "Mường Khương", "Lục Yên", "Kim Bôi", "Đông Sơn"]


def row(area: str, year: int, iid: str, actual: float | None, plan: float | None = None, *, parent: str = "",
        name: str | None = None, unit: str | None = None, level: str = "commune", n: int = 0) -> dict:
    """One row of the tidy table as the cleaner writes it (the columns the checks read)."""
    entry = catalog.entries().get(iid, {})
    return {"area": area, "area_level": level, "year": year, "indicator_id": "" if parent else iid,
            "indicator": name or entry["name_vi"], "unit": entry["unit"] if unit is None else unit, "plan_op": "=",
            "plan_value": plan, "plan_value_high": None, "actual_value": actual, "parent_indicator": parent,
            "source_file": f"{area} {year}.xlsx", "source_row": 5 + n}


def commune_rows(area: str, year: int, f: dict) -> list[dict]:
    """A commune's workbook of a year, from its figures `f` (its parts, ratios and shares consistent)."""
    grain = round(f["pc"] * f["pop"] / 1000)
    forest = round(f["cover"] * f["natural"] / 100)
    out = [row(area, year, "grain_output", grain, round(grain, -2)),
           row(area, year, "grain_per_capita", round(grain * 1000 / f["pop"])),
           row(area, year, "population", f["pop"]),
           row(area, year, "natural_area", f["natural"]),
           row(area, year, "forest_area", forest),
           row(area, year, "forest_cover", round(forest * 100 / f["natural"], 1)),
           row(area, year, "poverty_rate", f["poverty"], round(f["poverty"]) + 1),
           row(area, year, "new_forest", f["new_forest"]),
           row(area, year, "budget_revenue", f["budget"]),
           row(area, year, "cooperatives", f["coops"]),
           row(area, year, "party_admissions", f["party"])]
    rice = round(grain * f["rice"])
    out += [row(area, year, "", rice, parent="Tổng sản lượng lương thực có hạt", name="Thóc", unit="tấn"),
            row(area, year, "", grain - rice, parent="Tổng sản lượng lương thực có hạt", name="Ngô", unit="tấn")]
    return [{**r, "source_row": 5 + i} for i, r in enumerate(out)]


def province(seed: int, years=(2024, 2025, 2026), communes=(*COMMUNES, *OTHERS)) -> pd.DataFrame:
    """Communes as different as real ones (a population of 4,000 to 20,000, grain 380-650 kg a head, forest cover
    55-88%, poverty 3-30%), each year grown as communes grow: amounts by -5% to +25%, new forest halved to doubled,
    poverty down by up to 3 points. The district's own workbook before the reform is not part of it."""
    rng = np.random.default_rng(seed)
    rows = []
    for area in communes:
        f = {"pop": round(rng.lognormal(math.log(9000), 0.35)), "pc": rng.uniform(380, 650),
             "natural": round(rng.lognormal(math.log(15000), 0.35), -1), "cover": rng.uniform(55, 88),
             "poverty": round(rng.uniform(3, 30), 1), "new_forest": round(rng.lognormal(math.log(80), 0.4), 1),
             "budget": round(rng.lognormal(math.log(2500), 0.4)), "coops": int(rng.integers(0, 3)),
             "party": int(rng.integers(12, 40)), "rice": rng.uniform(0.5, 0.8)}
        for year in years:
            rows += commune_rows(area, year, f)
            f = {**f, "pop": round(f["pop"] * rng.uniform(1.0, 1.02)), "pc": f["pc"] * rng.uniform(0.95, 1.1),
                 "cover": min(f["cover"] + rng.uniform(-0.5, 1.0), 95), "poverty": round(
                     max(f["poverty"] - rng.uniform(0, 3), 0.5), 1),
                 "new_forest": round(f["new_forest"] * rng.uniform(0.5, 2.0), 1),
                 "budget": round(f["budget"] * rng.uniform(0.95, 1.25)), "coops": int(rng.integers(0, 3)),
                 "party": int(rng.integers(12, 40))}
    return pd.DataFrame(rows)


def _found(df: pd.DataFrame, year: int = 2026, first: int = 2025) -> set[tuple]:
    f = findings(df, year, first_year=first)
    return set(zip(f["year"], f["area"], f["check"], f["indicator_id"], f["indicator"], strict=True))


def test_the_modified_z_score_is_that_of_iglewicz_and_hoaglin_by_hand():
    # 10, 11, 12, 13, 40: median 12; |x - 12| = 2, 1, 0, 1, 28, their median (the MAD) 1
    z = modified_z([10, 11, 12, 13, 40])
    assert z == pytest.approx([0.6745 * -2, 0.6745 * -1, 0, 0.6745 * 1, 0.6745 * 28])
    assert z[-1] == pytest.approx(18.886) and abs(z[0]) < 3.5 < z[-1]
    # the MAD is taken at least as the floor (a tight cluster does not make an ordinary difference an alarm)
    assert modified_z([10, 11, 12, 13, 40], floor=4) == pytest.approx([0.6745 * d / 4 for d in (-2, -1, 0, 1, 28)])
    assert list(modified_z([5, 5, 5, 5, 5])) == [0, 0, 0, 0, 0]


@pytest.mark.parametrize("seed", range(5))
def test_communes_as_different_and_growing_as_real_ones_raise_no_alarm(seed):
    assert _found(province(seed)) == set()


def _plant(df: pd.DataFrame, area: str, year: int, indicator: str, value: float) -> pd.DataFrame:
    hit = (df["area"] == area) & (df["year"] == year) & (df["indicator"] == indicator)
    assert hit.sum() == 1
    return df.assign(actual_value=df["actual_value"].mask(hit, value))


def test_each_planted_defect_is_found_once_and_nothing_else():
    df = province(3)
    a, b, c, d, e, h, g = COMMUNES[:4] + OTHERS[:3]
    people = df[(df["year"] == 2025) & (df["indicator_id"] == "population")].set_index("area")["actual_value"]
    p = (people - people.median()).abs().idxmin()  # a commune of middle size: ten times it is far from all
    df = _plant(df, p, 2025, "Dân số trung bình", people[p] * 10)  # 2025 only: 2026 is right again
    grain = df.loc[(df["area"] == a) & (df["year"] == 2026) & (df["indicator_id"] == "grain_output"),
                   "actual_value"].iloc[0]
    df = _plant(df, a, 2026, "Thóc", grain + 120)  # the rice is more than all the grain
    df = _plant(df, b, 2026, "Lương thực bình quân đầu người", 999)  # not grain × 1000 ÷ population
    df = _plant(df, c, 2026, "Tỷ lệ hộ nghèo", 112.5)  # a share over 100
    df = _plant(df, d, 2026, "Thành lập mới hợp tác xã", 1.5)  # half a cooperative
    df = _plant(df, e, 2026, "Kết nạp đảng viên mới", -4)  # a negative count
    budget = df.loc[(df["area"] == g) & (df["indicator_id"] == "budget_revenue"), "actual_value"]
    df = _plant(df, g, 2026, "Thu ngân sách nhà nước trên địa bàn", budget.iloc[1] * 10)  # a digit too many
    natural = df.loc[(df["area"] == h) & (df["year"] == 2026) & (df["indicator_id"] == "natural_area"),
                     "actual_value"].iloc[0]
    df = _plant(df, h, 2026, "Diện tích đất có rừng", natural * 1.2)  # more forest than land
    df = df[~((df["area"] == COMMUNES[4]) & (df["year"] == 2026))]  # no workbook from this commune
    df = df[~((df["area"] == COMMUNES[5]) & (df["year"] == 2026) & (df["indicator_id"] == "budget_revenue"))]
    df = df[~((df["area"] == COMMUNES[6]) & (df["indicator_id"] == "population"))]  # a rule's indicator missing
    found = _found(df)
    assert found == {
        (2026, a, "part_exceeds_total", "", "Thóc"),
        (2026, b, "ratio_mismatch", "grain_per_capita", "Lương thực bình quân đầu người"),
        (2026, c, "out_of_range", "poverty_rate", "Tỷ lệ hộ nghèo"),
        (2026, d, "not_whole", "cooperatives", "Thành lập mới hợp tác xã"),
        (2026, e, "negative", "party_admissions", "Kết nạp đảng viên mới"),
        (2026, g, "jump_over_time", "budget_revenue", "Thu ngân sách nhà nước trên địa bàn"),
        (2025, p, "jump_over_time", "population", "Dân số trung bình"),  # far from the others too: one finding
        (2025, p, "ratio_mismatch", "grain_per_capita", "Lương thực bình quân đầu người"),
        (2026, h, "part_exceeds_total", "forest_area", "Diện tích đất có rừng"),
        (2026, h, "ratio_mismatch", "forest_cover", "Tỷ lệ che phủ rừng"),  # the cover no longer adds up either
        (2026, COMMUNES[4], "no_workbook", "", ""),
        (2026, COMMUNES[5], "indicator_dropped", "budget_revenue", "Thu ngân sách nhà nước trên địa bàn"),
        # the population every other commune gives, missing from the first year on: said each year (a tester's case)
        *((y, COMMUNES[6], "indicator_absent", "population", "Dân số trung bình") for y in (2025, 2026)),
    }, found


def test_a_finding_says_what_it_found_with_its_method_and_threshold_in_the_readers_language():
    df = province(5)
    area = OTHERS[1]
    before = df.loc[(df["area"] == area) & (df["indicator_id"] == "budget_revenue"), "actual_value"].tolist()
    df = _plant(df, area, 2026, "Thu ngân sách nhà nước trên địa bàn", before[2] * 10)
    vi = findings(df, 2026, first_year=2026)
    jump = vi[vi["check"] == "jump_over_time"].iloc[0]
    assert (jump["severity"], jump["method"], jump["threshold"]) == ("warning", "ratio_to_median_of_previous_years", 5)
    assert jump["expected"] == pytest.approx(np.median(before[:2]))  # the median of 2024 and 2025
    assert jump["score"] == pytest.approx(before[2] * 10 / np.median(before[:2]), rel=1e-3)
    assert "trung vị các năm trước" in jump["message"] and "2024, 2025" in jump["message"]
    assert (vi["check"] == "far_from_other_areas").sum() == 0  # the same slip, one finding
    first = _plant(df, area, 2024, "Thu ngân sách nhà nước trên địa bàn", before[0] * 10)  # no past to compare with
    found = findings(first, 2024)
    far = found[found["check"] == "far_from_other_areas"].iloc[0]
    assert far["area"] == area and far["year"] == 2024 and (found["check"] == "jump_over_time").sum() == 0
    assert far["method"] == "modified_z_log" and far["threshold"] == 3.5 and far["score"] > 3.5
    assert "điểm z hiệu chỉnh" in far["message"]
    en = findings(df, 2026, lang="en", first_year=2026)
    assert "times the median of the previous years" in en.loc[en["check"] == "jump_over_time", "message"].iloc[0]


def test_a_slip_in_one_year_is_not_the_history_of_the_next():
    """District figures before the reform: one year typed ten times too large is found in that year only; the
    years after it are compared with the years before it, and ordinary growth of 20% a year is no finding."""
    values = {2019: 500, 2020: 600, 2021: 7200, 2022: 860, 2023: 1030, 2024: 1240}
    df = pd.DataFrame([row("Chợ Đồn", y, "new_jobs", v, level="district") for y, v in values.items()])
    f = findings(df, 2024)
    assert list(zip(f["year"], f["check"], strict=True)) == [(2021, "jump_over_time")]
    assert summary_lines(f, df, 2024) == ["huyện Chợ Đồn: không có phát hiện nào"]
    assert summary_lines(f, df, 2021, "en") == ["Chợ Đồn district: 0 error(s), 1 warning(s)"]


def test_shares_are_judged_on_their_own_scale_and_small_counts_not_at_all():
    """Forest cover across communes on the raw scale (80.5 typed 8.05 is far off; 62% among 75-85% is not),
    a commune's 0-3 new cooperatives never."""
    covers = [78.2, 81.5, 80.1, 83.3, 77.3, 79.0, 62.0]
    df = pd.DataFrame([row(a, 2025, "forest_cover", v) for a, v in zip(COMMUNES, covers, strict=False)]
                      + [row(COMMUNES[7], 2025, "forest_cover", 8.05)]
                      + [row(a, 2025, "cooperatives", v) for a, v in zip(COMMUNES, [0, 1, 3, 0, 0, 1, 2, 0],
                                                                          strict=True)])
    f = findings(df, 2025)
    assert set(zip(f["area"], f["check"], strict=True)) == {(COMMUNES[7], "far_from_other_areas")}
    assert f["method"].iloc[0] == "modified_z_raw"


# wards of the former city of Thái Nguyên and of Bắc Kạn as a city's wards are: many people, little grain or forest
WARDS = {"Phan Đình Phùng": 95_000, "Gia Sàng": 61_000, "Quyết Thắng": 52_000, "Tích Lương": 70_000,
         "Linh Sơn": 45_000, "Đức Xuân": 26_000}


def _ward(people: int) -> dict:
    return {"pop": people, "pc": 20 * 50_000 / people, "natural": round(people / 25, -1),
            "cover": 6.0 * 50_000 / people, "poverty": 0.4, "new_forest": 2.0, "budget": people * 3, "coops": 1,
            "party": 60, "rice": 0.9}


def test_a_city_ward_is_compared_with_wards_not_with_rural_communes():
    """A tester's case: phường Phan Đình Phùng's 95,000 people (and its little grain and forest) were found far from
    the rural communes of the province. Wards are compared with wards and communes with communes; a digit typed too
    many in a commune's population is still found among the communes, and nothing of a ward."""
    df = province(2, years=(2025,))
    df = pd.concat([df, *(pd.DataFrame(commune_rows(w, 2025, _ward(n))) for w, n in WARDS.items())],
                   ignore_index=True)

    def outliers(table: pd.DataFrame) -> set[tuple]:
        f = findings(table, 2025, first_year=2025)
        f = f[f["check"].isin(["far_from_other_areas", "jump_over_time"])]
        return set(zip(f["area"], f["check"], f["indicator_id"], strict=True))

    assert outliers(df) == set()
    people = df[(df["indicator_id"] == "population") & ~df["area"].isin(WARDS)].set_index("area")["actual_value"]
    p = (people - people.median()).abs().idxmin()
    slipped = _plant(df, p, 2025, "Dân số trung bình", people[p] * 10)
    assert outliers(slipped) == {(p, "far_from_other_areas", "population")}
    one_ward = df[~df["area"].isin(list(WARDS)[1:])]  # a ward alone: no ward to compare it with, never the communes
    assert outliers(one_ward) == set()


def test_the_bundled_data_has_no_error_and_every_commune_sent_its_workbook(bundled):
    f = findings(bundled.indicators, 2025)
    assert not (f["severity"] == "error").any(), f
    assert set(f["check"]) <= {"indicator_dropped"}  # the district's 2021 workbook left out one 2020 indicator
    lines = summary_lines(f, bundled.indicators, 2025)
    assert len(lines) == 9 and all(line.endswith("không có phát hiện nào") for line in lines)


@pytest.fixture
def rules_copy(tmp_path, monkeypatch):
    folder = tmp_path / "vocabulary"
    shutil.copytree(VOCABULARY_DIR, folder)
    monkeypatch.setenv("CHODON_VOCABULARY", str(folder))
    yield folder / "rules.csv"
    monkeypatch.delenv("CHODON_VOCABULARY")
    datafiles.check_all()


@pytest.mark.parametrize(("line", "says"), [
    ("part_of,thoc,grain_output,,,,,,,error", "'indicator' is 'thoc', not an id of catalog.csv"),
    ("part_of,forest_area,,,,,,,,error", "'total' is empty; a part_of rule needs total"),
    ("ratio,grain_per_capita,,grain_output,population,,,,1,error", "'factor' is empty"),
    ("range,poverty_rate,,,,,100,0,,error", "'low' 100 is above 'high' 0"),
    ("whole,cooperatives,,,,,,,,fatal", "'severity' is 'fatal'; it must be one of: error, warning"),
    ("whole,ocop,,,,,,,,warning", "the same whole rule of 'ocop' is on line"),
])
def test_a_bad_rule_is_refused_with_its_file_and_line(rules_copy, line, says):
    text = rules_copy.read_text(encoding="utf-8")
    rules_copy.write_text(text + line + "\n", encoding="utf-8")
    with pytest.raises(VocabularyError, match=rf"rules.csv:{text.count(chr(10)) + 1}: ") as e:
        datafiles.check_all()
    assert says in str(e.value)


def test_the_shipped_rules_name_catalog_ids():
    datafiles.check_all()
    checks = {(r["check"], r["indicator"]) for r in validation.rules()}
    assert {("part_of", "*"), ("ratio", "grain_per_capita"), ("range", "forest_cover"), ("range", "poverty_rate"),
            ("range", "health_insurance"), ("whole", "cooperatives")} <= checks


def _workbook(path, commune: str, year: int, body: list[list]) -> None:
    head = [[f"ỦY BAN NHÂN DÂN XÃ {commune.upper()}"], [f"BIỂU CHỈ TIÊU KINH TẾ - XÃ HỘI NĂM {year}"], [],
            ["TT", "Chỉ tiêu", "ĐVT", f"Kế hoạch năm {year}", f"Thực hiện năm {year}", "Đánh giá"]]
    write_xlsx(path, head + body)


def test_chodon_check_prints_a_line_per_area_and_stops_a_schedule_on_an_error(tmp_path, monkeypatch, capsys):
    from chodon_analysis import cli

    raw = tmp_path / "raw"
    raw.mkdir()
    good = [["1", "Tổng sản lượng lương thực có hạt", "tấn", 4700, 4760, "Đạt"], ["", "Trong đó:"],
            ["-", "Thóc", "tấn", 3000, 3100, "Đạt"], ["2", "Tỷ lệ hộ nghèo", "%", 9.5, 8.9, "Đạt"]]
    _workbook(raw / "nam-cuong-2025.xlsx", "Nam Cường", 2025, good)
    _workbook(raw / "nghia-ta-2025.xlsx", "Nghĩa Tá", 2025, good)
    bad = [good[0], good[1], ["-", "Thóc", "tấn", 3000, 47600, "Đạt"], good[3]]  # rice typed with a digit more
    _workbook(raw / "nam-cuong-2026.xlsx", "Nam Cường", 2026, bad)
    args = ["chodon", "check", "--year", "2026", "--raw", str(raw), "--processed", str(tmp_path / "p")]
    monkeypatch.setattr("sys.argv", args)
    with pytest.raises(SystemExit) as e:
        cli.main()
    out = capsys.readouterr().out.splitlines()
    assert e.value.code == 1
    assert "xã Nam Cường: 1 lỗi, 0 cảnh báo" in out  # the rice over the grain (ten times its last year: one defect)
    assert "xã Nghĩa Tá: 1 lỗi, 0 cảnh báo" in out and len(out) == 9  # no workbook; 6 more communes; the total
    table = pd.read_csv(tmp_path / "p" / "data_quality.csv", encoding="utf-8-sig")
    mine = table[(table["year"] == 2026) & (table["area"] == "Nam Cường")]
    assert list(mine["check"]) == ["part_exceeds_total"]
    assert set(mine["source_row"]) == {7}
    monkeypatch.setattr("sys.argv", [*args[:3], "2025", *args[4:]])
    with pytest.raises(SystemExit) as e:  # 2025: six communes of the crosswalk sent nothing
        cli.main()
    assert e.value.code == 1 and "xã Yên Phong: 1 lỗi, 0 cảnh báo" in capsys.readouterr().out


def test_chodon_check_passes_a_district_year_whose_figures_are_sound(tmp_path, monkeypatch, capsys):
    from chodon_analysis import cli

    raw = tmp_path / "raw"
    raw.mkdir()
    for year, grain in ((2023, 29050), (2024, 29210)):
        write_xlsx(raw / f"chi-tieu-{year}.xlsx", [
            ["UBND HUYỆN CHỢ ĐỒN"], [f"BIỂU CHỈ TIÊU NĂM {year}"], [],
            ["TT", "Chỉ tiêu", "ĐVT", f"Kế hoạch năm {year}", f"Thực hiện năm {year}", "Đánh giá"],
            ["1", "Tổng sản lượng lương thực có hạt", "tấn", 28500, grain, "Đạt"],
            ["2", "Dân số trung bình", "người", 51250, 51300, "Đạt"],
            ["3", "Lương thực bình quân đầu người", "kg/người/năm", 550, round(grain * 1000 / 51300), "Đạt"]])
    monkeypatch.setattr("sys.argv", ["chodon", "check", "--year", "2024", "--raw", str(raw),
                                     "--processed", str(tmp_path / "p"), "--lang", "en"])
    with pytest.raises(SystemExit) as e:
        cli.main()
    out = capsys.readouterr().out.splitlines()
    assert e.value.code == 0, out
    assert out[0] == "Chợ Đồn district: no finding" and out[1].startswith("2024: 0 error(s), 0 warning(s)")


def test_the_readme_cron_line_checks_first_and_publishes_nothing_after_an_error(tmp_path):
    """The README's line run by sh as cron would (`\\%` unescaped), with a `chodon` that records its calls and fails
    the check when told to: the run follows a passing check only, for the year just ended."""
    import os
    import re
    import subprocess

    from conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    (line,) = re.findall(r"^0 6 15 1 \* (cd /srv/chodon-analysis && Y=.*chodon check.*)$", readme, re.M)
    project, bin_ = tmp_path / "srv", tmp_path / "bin"
    (project / ".venv" / "bin").mkdir(parents=True)
    (project / "reports").mkdir()
    bin_.mkdir()
    shims = {project / ".venv" / "bin" / "chodon": 'echo "$@" >> calls.txt\n[ "$1" = check ] && [ -e fail ] && '
                                                    'exit 1\nexit 0\n',
             bin_ / "date": '[ "$1" = "+%Y" ] && echo 2027\n'}
    for path, text in shims.items():
        path.write_text("#!/bin/sh\n" + text, encoding="utf-8")
        path.chmod(0o755)
    command = line.replace("\\%", "%").replace("/srv/chodon-analysis", str(project))
    env = {**os.environ, "PATH": f"{bin_}:{os.environ['PATH']}"}
    (project / "fail").touch()
    assert subprocess.run(["sh", "-c", command], env=env).returncode == 1
    assert (project / "calls.txt").read_text().splitlines() == ["check --year 2026"]
    (project / "fail").unlink()
    assert subprocess.run(["sh", "-c", command], env=env).returncode == 0
    assert (project / "calls.txt").read_text().splitlines()[1:] == ["check --year 2026", "run --year 2026"]


def test_a_part_written_without_its_unit_is_in_its_totals_and_nothing_sent_is_every_commune_missing():
    df = pd.DataFrame([row("Nam Cường", 2025, "grain_output", 4760),
                       row("Nam Cường", 2025, "", 5100, parent="Tổng sản lượng lương thực có hạt", name="Thóc",
                           unit="")])
    f = findings(df, 2025)
    assert set(zip(f["area"], f["check"], strict=True)) == {
        ("Nam Cường", "part_exceeds_total"), *((c, "no_workbook") for c in COMMUNES if c != "Nam Cường")}
    nothing = findings(df.iloc[:0], 2026)
    assert sorted(nothing["area"]) == COMMUNES and set(nothing["severity"]) == {"error"}


def test_a_name_two_units_share_is_no_workbook_of_either():
    """A tester's case: a workbook the reader left as `Van Lang` (Văn Lang of Na Rì or Văn Lăng of Đồng Hỷ, no code)
    counted as Văn Lang's, its name compared without marks: Văn Lang was never said missing."""
    placed = {**row("Cường Lợi", 2025, "grain_output", 3100), "area_code": "02140", "district": "Na Rì"}
    shared = {**row("Van Lang", 2025, "grain_output", 3000), "area_code": "", "district": ""}
    missing = findings(pd.DataFrame([placed, shared]), 2025)
    missing = set(missing.loc[missing["check"] == "no_workbook", "area"])
    assert "Văn Lang" in missing and "Cường Lợi" not in missing


def test_an_english_reader_reads_the_catalogs_english_names():
    df = pd.DataFrame([row("Nam Cường", 2025, "grain_output", 4760), row("Nam Cường", 2025, "population", 8640),
                       row("Nam Cường", 2025, "grain_per_capita", 600)])
    f = findings(df, 2025, "en")
    (message,) = f.loc[f["check"] == "ratio_mismatch", "message"]
    assert message == ("Grain per capita: the workbook reads 600, but Total grain output and Average population give "
                       "550.93 (more than 1 apart)")
    vi = findings(df, 2025).set_index("check")
    assert vi.loc["ratio_mismatch", "message"] == (
        "Lương thực bình quân đầu người: biểu ghi 600, nhưng tính từ Tổng sản lượng lương thực có hạt và Dân số "
        "trung bình được 550,93 (lệch quá 1)")
    assert vi.loc["ratio_mismatch", "expected"] == pytest.approx(550.93)


def test_defects_typed_into_a_communes_workbook_are_found_through_the_reader(tmp_path):
    """Vietnamese number text as communes type it; a share written as a fraction (0,97) is the reader's to repair,
    not a finding."""
    from chodon_analysis import clean

    body = [["1", "Tổng sản lượng lương thực có hạt", "tấn", 4700, "4.760", "Đạt"], ["", "Trong đó:"],
            ["-", "Thóc", "tấn", 3000, "3.100", "Đạt"], ["2", "Dân số trung bình", "người", 8650, "8.640", "Đạt"],
            ["3", "Lương thực bình quân đầu người", "kg/người/năm", 543, "651", "Đạt"],
            ["4", "Diện tích tự nhiên", "ha", 16800, "16.800", ""], ["5", "Diện tích đất có rừng", "ha", 13650,
                                                                      "17.700", ""],
            ["6", "Tỷ lệ hộ nghèo", "%", 9.5, "112,5", "Không đạt"],
            ["7", "Thành lập mới hợp tác xã", "HTX", 1, "1,5", "Đạt"],
            ["8", "Kết nạp đảng viên mới", "đảng viên", 25, "-4", "Không đạt"],
            ["9", "Tỷ lệ dân số tham gia bảo hiểm y tế", "%", 95, "0,97", "Đạt"]]
    _workbook(tmp_path / "bao-cao-xa-nam-cuong-2026.xlsx", "Nam Cường", 2026, body)
    f = findings(clean([tmp_path]).indicators, 2026)
    mine = f[f["area"] == "Nam Cường"]
    assert set(zip(mine["check"], mine["indicator_id"], mine["source_row"], strict=True)) == {
        ("ratio_mismatch", "grain_per_capita", 9), ("part_exceeds_total", "forest_area", 11),
        ("out_of_range", "poverty_rate", 12), ("not_whole", "cooperatives", 13), ("negative", "party_admissions", 14)}
    assert set(f.loc[f["area"] != "Nam Cường", "check"]) == {"no_workbook"} and (f["severity"] == "error").all()


def test_the_yearly_run_writes_the_findings_beside_the_derived_tables(full_run, area_run):
    """`chodon run` (the suite's runs of 2024 and of a commune of 2025): data_quality.csv in the processed folder,
    the columns of docs/data-quality.md, the bundled data's one finding (the 2021 workbook left out an indicator of
    2020), and none of 2025 (every commune sent its workbook)."""
    from chodon_analysis.analysis.quality import COLUMNS

    for base, year in ((full_run[0], 2024), (area_run[0], 2025)):
        table = pd.read_csv(base / "processed" / "data_quality.csv", encoding="utf-8-sig")
        assert list(table.columns) == COLUMNS
        assert list(zip(table["year"], table["check"], table["indicator_id"], strict=True)) == [
            (2021, "indicator_dropped", "new_rural_criteria")], year
