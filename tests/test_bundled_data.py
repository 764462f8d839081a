"""The bundled workbooks of data/raw: every file reads, and the published figures come through."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ENV, ROOT

from chodon_analysis import clean
from chodon_analysis.base.messages import load


def test_every_bundled_workbook_reads(bundled):
    assert not bundled.failed
    assert sorted(bundled.indicators.year.dropna().unique().tolist()) == [2020, 2021, 2022, 2023, 2024, 2025]
    assert len(bundled.files) == 13  # five district workbooks (2020-2024), eight commune workbooks (2025)
    communes = bundled.indicators[bundled.indicators.area_level == "commune"]
    assert set(communes.year) == {2025} and communes.area.nunique() == 8
    assert set(communes.loc[communes.district == "Chợ Đồn", "area"]) == {"Nam Cường", "Quảng Bạch", "Yên Thịnh",
                                                                        "Chợ Đồn", "Yên Phong", "Nghĩa Tá"}


def test_2024_has_42_indicators_with_the_published_counts(bundled):
    y = bundled.indicators[bundled.indicators.year == 2024]
    assert len(y) == 42
    published = {"exceeded": 10, "met": 22, "not_met": 8, "not_evaluated": 2}
    assert y.reported_status.value_counts().to_dict() == published
    assert y.status.value_counts().to_dict() == published


def test_2025_targets_of_the_conference_report(bundled):
    y = bundled.indicators[(bundled.indicators.year == 2025) & (bundled.indicators.area_level == "district")]
    y = y.set_index("indicator")
    assert len(y) == 13
    assert y.loc["Tổng sản lượng lương thực có hạt", "plan_value"] == 28320
    assert tuple(y.loc["Lương thực bình quân đầu người", ["plan_op", "plan_value"]]) == (">", 500)
    assert y.loc["Hệ số sử dụng đất nông nghiệp", "plan_value"] == 1.78
    assert y.loc["Diện tích trồng rừng mới", "plan_value"] == 470
    assert y.loc["Tỷ lệ che phủ rừng", "plan_text"] == "duy trì 80,5%"
    assert tuple(y.loc["Kết nạp đảng viên mới", ["plan_op", "plan_value"]]) == (">=", 150)
    party_cells = "Tỷ lệ tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ trở lên"
    assert tuple(y.loc[party_cells, ["plan_op", "plan_value"]]) == (">=", 95)
    assert tuple(y.loc["Tỷ lệ đảng viên hoàn thành tốt nhiệm vụ trở lên", ["plan_op", "plan_value"]]) == (">", 85)
    assert y.actual_value.isna().all()


def test_the_2924_typo_is_corrected_and_logged(bundled):
    typo = bundled.issues[bundled.issues.code == "year_typo"]
    assert len(typo) == 1 and load(typo.iloc[0].params) == {"year": 2924, "fixed": 2024, "where": "header"}
    assert typo.iloc[0].action == "2924 in the header read as 2024: the rest of the file says 2024"


def test_published_2021_new_forest_from_the_tcvn3_workbook(bundled):
    df = bundled.indicators
    row = df[(df.year == 2021) & (df.indicator == "Diện tích trồng rừng mới")].iloc[0]
    assert (row.plan_value, row.actual_value) == (550, 771.9)
    assert "TCVN3" in row.source_file


def test_term_totals_match_the_published_figures(bundled):
    df = bundled.indicators
    term = df[df.year.between(2020, 2024)]
    forest = term[term.indicator == "Diện tích trồng rừng mới"].actual_value.sum()
    assert forest == pytest.approx(3834)
    grain = term[term.indicator == "Tổng sản lượng lương thực có hạt"].actual_value
    assert grain.mean() > 29000
    assert term[term.indicator == "Tỷ lệ che phủ rừng"].actual_value.tolist() == [80.5] * 5  # one a year


def test_raw_holds_only_workbooks_and_provenance_lists_every_one():
    raw = ROOT / "data" / "raw"
    assert all(f.suffix in (".xlsx", ".xls", ".ods", ".csv") for f in raw.iterdir()), list(raw.iterdir())
    text = (ROOT / "data" / "external" / "PROVENANCE.md").read_text(encoding="utf-8")
    books = [f for f in raw.iterdir() if f.suffix in (".xlsx", ".xls", ".ods")]
    assert len(books) == 13
    for f in books:
        assert f.name in text
    assert "illustrative" in text and "post2729" in text
    import csv
    import hashlib

    with (ROOT / "data" / "external" / "provenance.csv").open(encoding="utf-8") as fh:
        named = {(r["file"], r["sha256"]) for r in csv.DictReader(fh)}
    assert named == {(f.name, hashlib.sha256(f.read_bytes()).hexdigest()) for f in books}  # each sample, by its bytes


def sample_workbooks(folder: Path) -> Path:
    """`python scripts/build_sample_data.py FOLDER` (what `make data` runs); started in the background when the
    session starts (conftest.py)."""
    subprocess.run([sys.executable, str(ROOT / "scripts" / "build_sample_data.py"), str(folder)], check=True,
                   capture_output=True, env=ENV)
    return folder


def test_bundled_workbooks_are_what_the_script_builds(background, bundled):
    built = background["sample_data"].result()
    rebuilt = clean([p for p in built.iterdir() if p.suffix in (".xlsx", ".xls", ".ods")]).indicators
    rebuilt = rebuilt.drop(columns=["source_file", "source_sha256"])  # the same figures; other bytes of the zip
    shipped = bundled.indicators.drop(columns=["source_file", "source_sha256"])
    assert rebuilt.equals(shipped)
