"""One run for many areas: the area list, `--area` and `--shard`, the communes ranked, and a run per area."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chodon_analysis.analysis.compare import ranking
from chodon_analysis.runner.areas import Area, areas_of, parse_shard, select, shard

HEAD = ["STT", "Chỉ tiêu", "ĐVT", "Kế hoạch năm 2025", "Thực hiện năm 2025"]
UP = ["Tổng sản lượng lương thực có hạt", "Diện tích trồng rừng mới", "Số hợp tác xã thành lập mới",
      "Tổng đàn trâu"]
UNITS = ["tấn", "ha", "HTX", "con"]


@pytest.fixture(scope="module")
def processed(bundled, tmp_path_factory):
    """The bundled data cleaned into a processed folder, once for this file."""
    from chodon_analysis.cleaning.cleaner import write_outputs

    folder = tmp_path_factory.mktemp("processed")
    write_outputs(bundled, folder)
    return folder


def test_the_areas_of_2025_are_the_former_district_and_each_commune(processed):
    tmp_path = processed
    found = areas_of(tmp_path, 2025)
    assert found[0] == Area("Chợ Đồn", "district")  # the former district first, then its communes
    assert [a.slug for a in found] == ["huyen-cho-don", "xa-bach-thong", "xa-cho-don", "xa-dong-phuc", "xa-nam-cuong",
                                       "xa-nghia-ta", "xa-quang-bach", "xa-yen-phong", "xa-yen-thinh"]
    assert areas_of(tmp_path, 2024) == [Area("Chợ Đồn", "district")]  # before the reform: the district alone


AREAS = [Area("Chợ Đồn", "district"), Area("Chợ Đồn", "commune"), Area("Nam Cường", "commune"),
         Area("Đồng Phúc", "commune")]


@pytest.mark.parametrize(("spec", "slug"), [("Nam Cường", "xa-nam-cuong"), ("xã Nam Cường", "xa-nam-cuong"),
                                            ("nam cuong", "xa-nam-cuong"), ("xa-nam-cuong", "xa-nam-cuong"),
                                            ("XÃ ĐỒNG PHÚC", "xa-dong-phuc"), ("huyện Chợ Đồn", "huyen-cho-don"),
                                            ("xã Chợ Đồn", "xa-cho-don"), ("huyen-cho-don", "huyen-cho-don")])
def test_an_area_is_named_as_people_write_it(spec, slug):
    assert [a.slug for a in select(AREAS, spec)] == [slug]


def test_a_shared_name_or_an_unknown_one_is_refused_with_the_choices():
    with pytest.raises(ValueError, match="names 2 areas: huyen-cho-don .district., xa-cho-don .commune.; give the "
                                         "folder name"):
        select(AREAS, "Chợ Đồn")
    with pytest.raises(ValueError, match="no such area.*xa-nam-cuong .Nam Cường."):
        select(AREAS, "Bằng Lũng")
    assert select(AREAS, "all") == AREAS


@pytest.mark.parametrize("bad", ["0/3", "4/3", "abc", "1/0", "", "2-3"])
def test_a_shard_that_cannot_be_is_refused(bad):
    with pytest.raises(ValueError, match="give K/N with 1 ≤ K ≤ N"):
        parse_shard(bad)


@settings(max_examples=40)
@given(st.integers(0, 120), st.integers(1, 12))
def test_the_slices_together_cover_every_area_once(n_areas, n):
    areas = [Area(f"Xã {i}", "commune") for i in range(n_areas)]
    slices = [shard(areas, k, n) for k in range(1, n + 1)]
    together = [a for s in slices for a in s]
    assert sorted(together, key=lambda a: a.name) == sorted(areas, key=lambda a: a.name)  # each once, none lost
    assert max(map(len, slices)) - min(map(len, slices)) <= 1  # even slices


def test_the_command_lists_the_slices(processed):
    """`chodon areas --shard K/N`: what a scheduler maps its tasks over (in this process: the suite's runs are
    starting meanwhile)."""
    from typer.testing import CliRunner

    from chodon_analysis.cli import app

    def areas(*extra: str):
        return CliRunner().invoke(app, ["areas", "--year", "2025", "--processed", str(processed), *extra])

    parts = [areas("--shard", f"{k}/3").stdout.split() for k in range(1, 4)]
    every = areas().stdout.split()
    assert len(every) == 9 and sorted(sum(parts, [])) == sorted(every)
    bad = areas("--shard", "5/4")
    assert bad.exit_code == 2 and "give K/N" in bad.stderr and not bad.stdout


def _commune(folder, name: str, actuals: list[float]):
    from conftest import write_xlsx

    rows = [[str(i + 1), ind, unit, 100, a] for i, (ind, unit, a) in enumerate(zip(UP, UNITS, actuals, strict=True))]
    return write_xlsx(folder / f"bc-{name}.xlsx", [[f"ỦY BAN NHÂN DÂN XÃ {name.upper()}"],
                                                  ["BÁO CÁO KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU NĂM 2025"], HEAD, *rows])


def test_communes_are_ranked_by_how_far_each_reached_its_own_plan(tmp_path):
    """Hand-judged: four targets of 100 where more is better; above is exceeded, equal met, below not met."""
    from chodon_analysis import clean

    for name, actuals in (("Nam Cường", [120, 120, 100, 90]),  # 2 exceeded, 1 met, 1 not: 75 %, median 110 %
                          ("Nghĩa Tá", [100, 100, 100, 100]),  # 4 met: 100 %
                          ("Yên Phong", [130, 90, 100, 95]),  # 1, 1, 2: 50 %
                          ("Quảng Bạch", [120, 120, 100, 80])):  # 75 %, median 110 %: the same rank as Nam Cường
        _commune(tmp_path, name, actuals)
    ranked = ranking(clean([tmp_path]).indicators, 2025)
    got = [(r.rank, r.area, r.exceeded, r.met, r.not_met, round(r.met_share_pct), round(r.median_ratio_pct))
           for r in ranked.itertuples()]
    assert got == [(1, "Nghĩa Tá", 0, 4, 0, 100, 100), (2, "Nam Cường", 2, 1, 1, 75, 110),
                   (2, "Quảng Bạch", 2, 1, 1, 75, 110), (4, "Yên Phong", 1, 1, 2, 50, 98)]


def test_names_that_differ_only_by_their_marks_stay_two_areas():
    """`Phú Thông` in one heading, `Phủ Thông` in another: two folders, each selectable by its exact name."""
    from chodon_analysis.runner.areas import _distinct

    two = _distinct([Area("Phú Thông", "commune"), Area("Phủ Thông", "commune"), Area("Nam Cường", "commune")])
    slugs = [a.slug for a in two]
    assert len(set(slugs)) == 3 and slugs[2] == "xa-nam-cuong" and all(s.startswith("xa-phu-thong-") for s in slugs[:2])
    assert select(two, "Phủ Thông") == [two[1]] and select(two, "xã Phú Thông") == [two[0]]
    with pytest.raises(ValueError, match="names 2 areas"):
        select(two, "phu thong")


def test_the_comparison_says_which_communes_are_shared_unknown_or_doubled():
    import pandas as pd

    from chodon_analysis.runner.overview import comparison_page

    ranked = pd.DataFrame([{"rank": 1, "area": "Đồng Phúc", "district": "", "indicators": 3, "workbooks": 1,
                            "exceeded": 1, "met": 1, "not_met": 1, "not_evaluated": 0, "evaluated": 3,
                            "met_share_pct": 66.7, "median_ratio_pct": 100.0},
                           {"rank": 2, "area": "Tân An", "district": "", "indicators": 6, "workbooks": 2,
                            "exceeded": 0, "met": 1, "not_met": 5, "not_evaluated": 0, "evaluated": 6,
                            "met_share_pct": 16.7, "median_ratio_pct": 90.0}])
    page = comparison_page(2025, ranked, [], "vi")
    assert "<h2>Xã được lập từ các xã của nhiều huyện cũ (1)</h2>" in page  # Đồng Phúc: parts of two districts
    assert "<h2>Xã không có trong bảng chuyển đổi đơn vị hành chính (1)</h2>" in page
    assert "số liệu từ 2 biểu" in page and "66,7" in page


def test_the_comparison_groups_communes_by_former_district_and_ranks_within():
    """Ranks among all and within the group, equal figures sharing a rank in both; groups by name, the communes of
    several former districts after them."""
    import pandas as pd

    from chodon_analysis.runner.overview import comparison_page

    def row(rank, area, district, share):
        return {"rank": rank, "area": area, "district": district, "indicators": 4, "workbooks": 1, "exceeded": 1,
                "met": 1, "not_met": 2, "not_evaluated": 0, "evaluated": 4, "met_share_pct": share,
                "median_ratio_pct": 100.0}

    ranked = pd.DataFrame([row(1, "Nghĩa Tá", "Chợ Đồn", 100), row(2, "Chợ Rã", "Ba Bể", 80),  # Ba Bể: a heading's
                           row(2, "Yên Phong", "Chợ Đồn", 80), row(4, "Đồng Phúc", "", 60),
                           row(5, "Quảng Bạch", "Chợ Đồn", 50)])
    page = comparison_page(2025, ranked, [], "vi")
    titles = re.findall(r"<h2>([^<]*)</h2>", page)
    assert titles == ["huyện Ba Bể (cũ) (1)", "huyện Chợ Đồn (cũ) (3)", "Xã được lập từ các xã của nhiều huyện cũ (1)"]
    ranks = re.findall(r"<tr><td>(\d+)</td><td>(\d+)</td>\s*<td>xã ([^<]*)", page)
    assert ranks == [("2", "1", "Chợ Rã"), ("1", "1", "Nghĩa Tá"), ("2", "2", "Yên Phong"), ("5", "3", "Quảng Bạch"),
                     ("4", "1", "Đồng Phúc")]


def test_one_report_folder_holds_one_layout(tmp_path):
    """A whole-year run is refused in a folder of reports per area (and the other way round), and a commune is
    chosen with --area, never as a parameter of a whole-year run."""
    from typer.testing import CliRunner

    from chodon_analysis.cli import app

    (tmp_path / "areas" / "2024" / ".locks").mkdir(parents=True)
    whole = CliRunner().invoke(app, ["run", "--year", "2024", "--reports", str(tmp_path / "areas")])
    assert whole.exit_code == 1 and "holds reports per area" in whole.stderr
    (tmp_path / "whole" / "2025").mkdir(parents=True)
    (tmp_path / "whole" / "2025" / "run.json").write_text("{}")
    for extra in ([], ["--area", "all"]):  # from 2025 a run is per area, asked for or not
        per_area = CliRunner().invoke(app, ["run", "--year", "2025", *extra, "--reports", str(tmp_path / "whole")])
        assert per_area.exit_code == 1 and "holds a whole-year run's reports" in per_area.stderr
    commune = CliRunner().invoke(app, ["run", "--year", "2024", "-p", "commune=Nam Cường", "--reports",
                                       str(tmp_path / "x")])
    assert commune.exit_code == 2 and "use --area NAME" in commune.stderr
    assert CliRunner().invoke(app, ["run", "--year", "2025", "--area", " "]).exit_code == 2
