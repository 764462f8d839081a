"""What a reader sees says what it means: no file of the package's data named, no Python quote, list or bare
comparison inside a sentence, no units joined by `|`; a page about a year or an area counts that year's or that
area's files, not every workbook of every year."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
from conftest import ROOT

from chodon_analysis.base import vocab

PACKAGE_FILES = {p.name for p in (ROOT / "chodon_analysis" / "data").glob("*.csv")}
LEAKS = {  # the kinds of internals that must not reach a reader
    "a file name of the package's data or of the pipeline": re.compile(r"[\w.-]+\.csv\b"),
    "a quote as Python writes it": re.compile(r"\('|'\)|(?<![\w'])'(?=\w)"),
    "a bare comparison": re.compile(r"[<>≤≥]=?\s?\d"),
    "a list": re.compile(r"\[\s*['\d]"),
    "units joined by |": re.compile(r"\w\|\w"),
}


class _Text(HTMLParser):
    """The text of a page as a reader sees it (not its scripts or styles)."""

    def __init__(self) -> None:
        super().__init__()
        self.skip, self.parts = 0, []

    def handle_starttag(self, tag, attrs) -> None:
        self.skip += tag in ("script", "style")

    def handle_endtag(self, tag) -> None:
        self.skip -= tag in ("script", "style")

    def handle_data(self, data) -> None:
        if not self.skip and data.strip():
            self.parts.append(data.strip())


def _shown(reports: Path) -> list[tuple[str, str]]:
    """(where, text) of every page and every workbook cell a run wrote."""
    import openpyxl

    out = []
    for page in sorted(reports.rglob("*.html")):
        parser = _Text()
        parser.feed(page.read_text(encoding="utf-8"))
        out += [(str(page.relative_to(reports)), t) for t in parser.parts]
    for book in sorted(reports.rglob("*.xlsx")):
        wb = openpyxl.load_workbook(book, read_only=True)
        out += [(f"{book.name}/{ws.title}", v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True)
                for v in row if isinstance(v, str)]
    return out


def test_no_page_or_workbook_shows_the_package_internals(full_run, area_run):
    """Every page and workbook of the 2024 run and of the 2025 run of a commune (its folder, the year's pages):
    reasons and sources in words, numbers in the reader's format, a bound as `trên 24.300`, units as words."""
    shown = _shown(full_run[0] / "reports") + _shown(area_run[0] / "reports")
    assert len(shown) > 2000
    found = [(kind, where, text) for where, text in shown for kind, rx in LEAKS.items() if rx.search(text)]
    assert not found, found[:10]
    text = "\n".join(t for _, t in shown)  # what the leaks were before, in words now
    assert "sản lượng công bố là một cận (trên 24.300)" in text and "(tối thiểu 95)" in text
    assert "thực hiện 38.650 so với kế hoạch 42.000, làm tròn đến hàng đơn vị như số kế hoạch" in text
    assert "chưa có quy tắc cộng số liệu các xã cho chỉ tiêu này" in text  # the workbook's rebuilt figures


def test_no_words_of_the_catalog_name_a_file_of_the_package_or_the_pipeline():
    """The string catalog, whose words every page, workbook and the data-quality page show, names no file of the
    package's data (aggregation.csv, units.csv) nor one the pipeline writes (issues.csv, former_district.csv)."""
    from chodon_analysis.analysis.derive import DERIVED
    from chodon_analysis.runner.stamps import OUTPUTS

    names = PACKAGE_FILES | set(DERIVED) | set(OUTPUTS)
    catalog = vocab.strings()
    found = [(lang, key) for lang, words in catalog.items() for key, w in words.items() if any(n in w for n in names)]
    assert not found, found


def test_units_given_as_alternatives_are_shown_as_words(bundled):
    """aggregation.csv lets a measure's rows be in one of several units (`đảng viên|người`): each commune's share
    is in its own row's unit, and a reason naming the alternatives joins them in words."""
    from chodon_analysis.analysis.communes import fill_from_communes
    from chodon_analysis.report.words import why

    t = bundled.indicators
    district = t[(t["area"] == "Chợ Đồn") & (t["area_level"] == "district")]
    shares = fill_from_communes(district, t[t["area_level"] == "commune"], "Chợ Đồn", 2025)[2]
    party = shares[shares["indicator"] == "Số đảng viên kết nạp mới"]
    assert len(party) == 6 and set(party["unit"]) == {"đảng viên"}
    assert not shares["unit"].str.contains("|", regex=False).any()
    reason = "the name is that of Số đảng viên kết nạp mới, the unit lượt is not đảng viên|người"
    assert why(reason, "vi").endswith("nhưng đơn vị lượt khác đảng viên hoặc người")
    assert why(reason, "en").endswith("the unit lượt is not đảng viên or người")


def test_a_communes_index_counts_its_own_files_and_a_years_pages_that_years(full_run, area_run):
    """A commune's index (2025, a folder per area) counts the workbook of that commune, not the 13 of every year;
    the data-quality page and the workbook of a year list the files with figures of that year."""
    import openpyxl

    y2024, y2025 = full_run[0] / "reports" / "2024", area_run[0] / "reports" / "2025"
    index = (y2025 / "xa-nam-cuong" / "index.html").read_text(encoding="utf-8")
    assert "Đã đọc 1 tệp: bao-cao-xa-nam-cuong-2025.xlsx." in index
    assert "Đã đọc 1 tệp: Bieu chi tieu 2024 - KH 2025.xlsx." in (y2024 / "index.html").read_text(encoding="utf-8")
    older = ("bao-cao-chi-tieu-2020.xls", "BC chi tieu KTXH 2021 (TCVN3).xlsx", "chi_tieu_KTXH_2022.xlsx",
             "chi-tieu-2023.ods")
    files = {}
    for year, folder in ((2024, y2024), (2025, y2025)):
        page = (folder / "data_quality.html").read_text(encoding="utf-8")
        files[year] = set(re.findall(r"<h3>([^<]+?): \d+ mục</h3>", page))
        sheet = openpyxl.load_workbook(folder / f"chi_tieu_{year}.xlsx", read_only=True)["Vấn đề dữ liệu"]
        in_book = {r[0] for r in sheet.iter_rows(min_row=4, values_only=True) if r[0]}
        assert in_book == files[year], (year, in_book)
        assert not set(older) & files[year]
    assert files[2024] == {"Bieu chi tieu 2024 - KH 2025.xlsx"}
    assert "bao-cao-xa-nam-cuong-2025.xlsx" in files[2025] and "Bieu chi tieu 2024 - KH 2025.xlsx" in files[2025]


def test_a_file_that_could_not_be_read_belongs_to_the_year_and_commune_its_name_says(tmp_path):
    """With no figures to tell, a failed file goes by its name: the year in it, the commune in it; a name that
    tells no year is on every year's page, so that no failure goes unseen."""
    from chodon_analysis.runner.quality import area_files, year_files

    pd.DataFrame({"file": ["bc-2024.xlsx", "bc-2024.xlsx", "bao-cao-xa-nam-cuong-2025.xlsx"],
                  "year": ["2024", "2025", "2025"], "use": ["used", "used", "used"]}).to_csv(
        tmp_path / "layout.csv", index=False, encoding="utf-8-sig")
    failed = ["bao-cao-xa-dong-phuc-2025.xlsx", "bao-cao-xa-nam-cuong-2025-bo-sung.xlsx",
              "bao-cao-xa-nam-cuong-2024.xlsx", "bieu moi.xlsx"]
    issues = pd.DataFrame({"file": failed, "code": ["cannot_open", "damaged", "damaged", "file_empty"]})
    assert year_files(tmp_path, issues, 2024) == {"bc-2024.xlsx", "bao-cao-xa-nam-cuong-2024.xlsx", "bieu moi.xlsx"}
    in_2025 = year_files(tmp_path, issues, 2025)
    assert in_2025 == {"bc-2024.xlsx", "bao-cao-xa-nam-cuong-2025.xlsx", "bao-cao-xa-dong-phuc-2025.xlsx",
                       "bao-cao-xa-nam-cuong-2025-bo-sung.xlsx", "bieu moi.xlsx"}
    table = pd.DataFrame({"year": [2025, 2025], "area": ["Nam Cường", "Chợ Đồn"], "district": ["Chợ Đồn", "Chợ Đồn"],
                          "area_level": ["commune", "district"],
                          "source_file": ["bao-cao-xa-nam-cuong-2025.xlsx", "bc-2024.xlsx"]})
    own = in_2025 & area_files(table, issues, "Nam Cường", "commune", 2025)
    assert own == {"bao-cao-xa-nam-cuong-2025.xlsx", "bao-cao-xa-nam-cuong-2025-bo-sung.xlsx"}
    assert area_files(table, issues, "Chợ Đồn", "district", 2025) >= {"bc-2024.xlsx", "bao-cao-xa-nam-cuong-2025.xlsx"}


def test_every_reason_of_a_former_districts_figure_is_in_the_readers_language():
    """A tester's case: `chưa có quy tắc cộng số liệu các xã cho chỉ tiêu này; add one` and aggregation.csv's English
    reason for the poverty rate stood in Vietnamese reports."""
    import pandas as pd

    from chodon_analysis.analysis.communes import former_district
    from chodon_analysis.base import reform
    from chodon_analysis.report.words import why

    rows = pd.DataFrame([{"area": "Nam Cường", "year": 2025, "indicator": i, "unit": u, "plan_value": None,
                          "actual_value": v, "area_code": "01234"}
                         for i, u, v in (("Tỷ lệ hộ nghèo", "%", 12.5), ("Số lớp học xóa mù chữ", "lớp", 2))])
    built = former_district(rows, reform.crosswalk(), reform.aggregation_rules(), "Chợ Đồn").set_index("indicator")
    poverty, classes = built.loc["Tỷ lệ hộ nghèo", "reason"], built.loc["Số lớp học xóa mù chữ", "reason"]
    assert why(poverty, "vi") == "tỷ lệ tính theo hộ: các xã báo cáo tỷ lệ, không báo cáo số hộ nghèo và tổng số hộ"
    assert why(poverty, "en").startswith("a share of households: the communes report the rate")
    assert why(classes, "vi") == "chưa có quy tắc cộng số liệu các xã cho chỉ tiêu này"
    assert why(classes, "en") == "no rule yet says how the communes' figures of it add up"
