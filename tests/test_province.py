"""Beyond Chợ Đồn: the crosswalk of the whole new Thái Nguyên province (Resolution 1683/NQ-UBTVQH15, 92 units) built
from the resolution's text, and the places of every former district recognised in headings, titles and file names;
a name two units share is a doubt, never a guess."""

from __future__ import annotations

import csv
import sys
from collections import Counter

import pandas as pd
import pytest
from conftest import ROOT, chodon, write_xlsx

from chodon_analysis.analysis.communes import communes_of
from chodon_analysis.base import reform
from chodon_analysis.base.places import place_from_name, place_from_title, settle

SOURCES = ROOT / "scripts" / "sources" / "reform"
PDF = "https://datafiles.chinhphu.vn/cpp/files/vbpq/2025/6/1683-nq.signed.pdf"
# the 25 lines about Chợ Đồn the crosswalk held before the province's: they must come out unchanged
CHO_DON = """\
Nam Cường,xã,Thái Nguyên,Xuân Lạc,xã,Chợ Đồn,Bắc Kạn,whole,Điều 1 khoản 54
Nam Cường,xã,Thái Nguyên,Đồng Lạc,xã,Chợ Đồn,Bắc Kạn,whole,Điều 1 khoản 54
Nam Cường,xã,Thái Nguyên,Nam Cường,xã,Chợ Đồn,Bắc Kạn,whole,Điều 1 khoản 54
Quảng Bạch,xã,Thái Nguyên,Tân Lập,xã,Chợ Đồn,Bắc Kạn,whole,Điều 1 khoản 55
Quảng Bạch,xã,Thái Nguyên,Quảng Bạch,xã,Chợ Đồn,Bắc Kạn,whole,Điều 1 khoản 55
Yên Thịnh,xã,Thái Nguyên,Bản Thi,xã,Chợ Đồn,Bắc Kạn,whole,Điều 1 khoản 56
Yên Thịnh,xã,Thái Nguyên,Yên Thượng,xã,Chợ Đồn,Bắc Kạn,whole,Điều 1 khoản 56
Yên Thịnh,xã,Thái Nguyên,Yên Thịnh,xã,Chợ Đồn,Bắc Kạn,whole,Điều 1 khoản 56
Chợ Đồn,xã,Thái Nguyên,Bằng Lũng,thị trấn,Chợ Đồn,Bắc Kạn,whole,Điều 1 khoản 57
Chợ Đồn,xã,Thái Nguyên,Ngọc Phái,xã,Chợ Đồn,Bắc Kạn,whole,Điều 1 khoản 57
Chợ Đồn,xã,Thái Nguyên,Phương Viên,xã,Chợ Đồn,Bắc Kạn,whole,Điều 1 khoản 57
Chợ Đồn,xã,Thái Nguyên,Bằng Lãng,xã,Chợ Đồn,Bắc Kạn,whole,Điều 1 khoản 57
Yên Phong,xã,Thái Nguyên,Đại Sảo,xã,Chợ Đồn,Bắc Kạn,whole,Điều 1 khoản 58
Yên Phong,xã,Thái Nguyên,Yên Mỹ,xã,Chợ Đồn,Bắc Kạn,whole,Điều 1 khoản 58
Yên Phong,xã,Thái Nguyên,Yên Phong,xã,Chợ Đồn,Bắc Kạn,whole,Điều 1 khoản 58
Nghĩa Tá,xã,Thái Nguyên,Lương Bằng,xã,Chợ Đồn,Bắc Kạn,whole,Điều 1 khoản 59
Nghĩa Tá,xã,Thái Nguyên,Bình Trung,xã,Chợ Đồn,Bắc Kạn,whole,Điều 1 khoản 59
Nghĩa Tá,xã,Thái Nguyên,Nghĩa Tá,xã,Chợ Đồn,Bắc Kạn,whole,Điều 1 khoản 59
Đồng Phúc,xã,Thái Nguyên,Bằng Phúc,xã,Chợ Đồn,Bắc Kạn,whole,Điều 1 khoản 49
Đồng Phúc,xã,Thái Nguyên,Quảng Khê,xã,Ba Bể,Bắc Kạn,whole,Điều 1 khoản 49
Đồng Phúc,xã,Thái Nguyên,Hoàng Trĩ,xã,Ba Bể,Bắc Kạn,whole,Điều 1 khoản 49
Đồng Phúc,xã,Thái Nguyên,Đồng Phúc,xã,Ba Bể,Bắc Kạn,whole,Điều 1 khoản 49
Bạch Thông,xã,Thái Nguyên,Đồng Thắng,xã,Chợ Đồn,Bắc Kạn,whole,Điều 1 khoản 63
Bạch Thông,xã,Thái Nguyên,Dương Phong,xã,Bạch Thông,Bắc Kạn,whole,Điều 1 khoản 63
Bạch Thông,xã,Thái Nguyên,Quang Thuận,xã,Bạch Thông,Bắc Kạn,whole,Điều 1 khoản 63"""


def _formed(new_unit: str) -> list[tuple[str, str, str, str, str]]:
    return [(r["old_unit_type"], r["old_unit"], r["old_district"], r["whole_or_part"], r["clause"])
            for r in reform.crosswalk() if r["new_unit"] == new_unit]


def test_the_province_has_92_units_77_communes_and_15_wards_each_with_its_code():
    units = reform.new_units()
    assert len(units) == 92 and Counter(u["new_unit_type"] for u in units) == {"xã": 77, "phường": 15}
    assert len({u["code"] for u in units}) == 92 and {u["new_province"] for u in units} == {"Thái Nguyên"}
    assert {(r["new_unit"], r["new_unit_type"]) for r in reform.crosswalk()} == {
        (u["new_unit"], u["new_unit_type"]) for u in units}
    codes = {u["new_unit"]: u["code"] for u in units}  # 1027/CTK-CSCL, rows 564-655
    assert (codes["Nam Cường"], codes["Bắc Kạn"], codes["Phan Đình Phùng"], codes["Thượng Quan"]) == (
        "02026", "01843", "05443", "01957")
    assert {r["act"] for r in reform.crosswalk()} == {"1683/NQ-UBTVQH15"} and {
        r["source"] for r in reform.crosswalk()} == {PDF}


def test_every_former_unit_of_bac_kan_and_thai_nguyen_is_in_the_crosswalk():
    with (SOURCES / "units_before_2025.csv").open(encoding="utf-8") as f:
        before = list(csv.DictReader(f))
    assert Counter(u["province"] for u in before) == {"Bắc Kạn": 108, "Thái Nguyên": 172}
    rows = reform.crosswalk()
    assert len(rows) == 283  # 280 former units, three of them split in two
    written = {(r["old_unit_type"], r["old_district"], r["old_province"]): set() for r in rows}
    for r in rows:
        written[r["old_unit_type"], r["old_district"], r["old_province"]].add(r["old_unit"])
    spelled = {"Trung Hoà": "Trung Hòa", "Sĩ Bình": "Sỹ Bình", "Liêm Thuỷ": "Liêm Thủy", "Hoà Mục": "Hòa Mục",
               "Quán Triều": "Quan Triều"}  # the list's spelling and the resolution's (docs/communes.md)
    missing = [u for u in before if spelled.get(u["unit"], u["unit"]) not in
               written.get((u["unit_type"], u["district"], u["province"]), set())]
    assert not missing
    parts = Counter(r["old_unit"] for r in rows if r["whole_or_part"] == "part")
    assert parts == {"Thượng Đình": 2, "Gia Sàng": 2, "Cam Giá": 2}


def test_the_chodon_lines_come_out_unchanged():
    rows = {tuple(r[c] for c in reform.CROSSWALK_COLUMNS) for r in reform.crosswalk()}
    tail = ("1683/NQ-UBTVQH15", "2025-06-16", "2025-07-01", PDF)
    before = [(*line.split(","), *tail) for line in CHO_DON.splitlines()]
    assert len(before) == 25 and all(b in rows for b in before)
    assert [r for r in reform.crosswalk() if r["old_district"] == "Chợ Đồn"] == [
        r for r in reform.crosswalk() if (*(r[c] for c in reform.CROSSWALK_COLUMNS),) in before
        and r["old_district"] == "Chợ Đồn"]
    inside, shared = communes_of(reform.crosswalk(), "Chợ Đồn")
    assert inside == ["Nam Cường", "Quảng Bạch", "Yên Thịnh", "Chợ Đồn", "Yên Phong", "Nghĩa Tá"]
    assert shared == ["Đồng Phúc", "Bạch Thông"]


def test_clauses_checked_by_eye_against_the_resolution():
    # 90. ... các phường Sông Cầu, Phùng Chí Kiên, Xuất Hóa và xã Nông Thượng thành ... phường Bắc Kạn
    assert _formed("Bắc Kạn") == [(t, n, "Bắc Kạn", "whole", "Điều 1 khoản 90") for t, n in (
        ("phường", "Sông Cầu"), ("phường", "Phùng Chí Kiên"), ("phường", "Xuất Hóa"), ("xã", "Nông Thượng"))]
    # 51. ... thị trấn Vân Tùng, xã Cốc Đán và xã Đức Vân thành ... xã Ngân Sơn
    assert _formed("Ngân Sơn") == [("thị trấn", "Vân Tùng", "Ngân Sơn", "whole", "Điều 1 khoản 51"),
                                   ("xã", "Cốc Đán", "Ngân Sơn", "whole", "Điều 1 khoản 51"),
                                   ("xã", "Đức Vân", "Ngân Sơn", "whole", "Điều 1 khoản 51")]
    # 37 and 39: part of xã Thượng Đình into xã Phú Bình, the rest into xã Điềm Thụy
    assert ("xã", "Thượng Đình", "Phú Bình", "part", "Điều 1 khoản 37") in _formed("Phú Bình")
    assert ("xã", "Thượng Đình", "Phú Bình", "part", "Điều 1 khoản 39") in _formed("Điềm Thụy")
    # 79. phường Hương Sơn, xã Đồng Liên, the rest of Gia Sàng (after 76) and of Cam Giá (after 78) -> phường Gia Sàng
    assert _formed("Gia Sàng") == [("phường", "Hương Sơn", "Thái Nguyên", "whole", "Điều 1 khoản 79"),
                                   ("xã", "Đồng Liên", "Thái Nguyên", "whole", "Điều 1 khoản 79"),
                                   ("phường", "Gia Sàng", "Thái Nguyên", "part", "Điều 1 khoản 79"),
                                   ("phường", "Cam Giá", "Thái Nguyên", "part", "Điều 1 khoản 79")]
    # 78 and 87: the two wards named Trung Thành, told apart by the city the text names in brackets
    assert ("phường", "Trung Thành", "Thái Nguyên", "whole", "Điều 1 khoản 78") in _formed("Tích Lương")
    assert ("phường", "Trung Thành", "Phổ Yên", "whole", "Điều 1 khoản 87") in _formed("Trung Thành")
    # 91: two communes not rearranged
    assert _formed("Sảng Mộc") == [("xã", "Sảng Mộc", "Võ Nhai", "whole", "Điều 1 khoản 91")]
    assert _formed("Thượng Quan") == [("xã", "Thượng Quan", "Ngân Sơn", "whole", "Điều 1 khoản 91")]
    assert {d for *_, d, _w, _c in _formed("Đại Phúc")} == {"Thái Nguyên", "Đại Từ", "Phổ Yên"}


def test_the_files_are_what_the_script_reads_in_the_resolutions_text(monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT / "scripts"))
    import build_crosswalk

    for name, text in build_crosswalk.outputs().items():
        assert (ROOT / "chodon_analysis" / "data" / name).read_text(encoding="utf-8") == text, name
    # the transcription's run-together words (`Chợ Chuvà`, `xãQuảng Chu`, `Côn Minhthành`) are read as the text
    clauses = build_crosswalk.article_1((SOURCES / "1683_NQ-UBTVQH15.md").read_text(encoding="utf-8"))
    assert build_crosswalk.parse(clauses[74])[1:] == ("Chợ Mới", [
        {"type": "thị trấn", "name": "Đồng Tâm", "part": "whole", "district": ""},
        {"type": "xã", "name": "Quảng Chu", "part": "whole", "district": ""},
        {"type": "xã", "name": "Như Cố", "part": "whole", "district": ""}])
    assert [i["name"] for i in build_crosswalk.parse(clauses[4])[2]] == ["Chợ Chu", "Phúc Chu", "Bảo Linh",
                                                                         "Đồng Thịnh"]
    sys.modules.pop("build_crosswalk", None)


# ---- places recognised province-wide ---------------------------------------------------------------------------
@pytest.mark.parametrize(("title", "year", "expected"), [
    ("ỦY BAN NHÂN DÂN XÃ CHỢ RÃ | BÁO CÁO NĂM 2025", 2025, ("Chợ Rã", "Ba Bể", "01912")),  # Ba Bể
    ("UBND XA CHO RA", 2025, ("Chợ Rã", "Ba Bể", "01912")),  # no diacritics
    ("UBND THỊ TRẤN CHỢ RÃ | BÁO CÁO NĂM 2024", 2024, ("Chợ Rã", "Ba Bể", "")),  # the town before the reform
    ("UBND XÃ QUẢNG KHÊ, HUYỆN BA BỂ", 2024, ("Quảng Khê", "Ba Bể", "")),
    ("UBND XÃ ĐỒNG PHÚC", 2024, ("Đồng Phúc", "Ba Bể", "")),  # the former commune, of Ba Bể
    ("UBND XÃ ĐỒNG PHÚC", 2025, ("Đồng Phúc", "", "01933")),  # the new one, shared with Chợ Đồn
    ("Báo cáo tình hình kinh tế - xã hội xã Côn Minh năm 2025", 2025, ("Côn Minh", "Na Rì", "02185")),  # Na Rì
    ("BAO CAO KET QUA THUC HIEN CHI TIEU XA VAN LANG, HUYEN NA RI", 2025, ("Văn Lang", "Na Rì", "02143")),
    ("UBND XÃ NÀ PHẶC | BIỂU CHỈ TIÊU NĂM 2025", 2025, ("Nà Phặc", "Ngân Sơn", "01936")),  # Ngân Sơn
    ("UBND XÃ BẰNG THÀNH", 2025, ("Bằng Thành", "Pác Nặm", "01864")),  # Pác Nặm
    ("UBND xã Cẩm Giàng", 2025, ("Cẩm Giàng", "Bạch Thông", "02008")),  # Bạch Thông
    ("ĐẢNG ỦY XÃ THANH MAI", 2025, ("Thanh Mai", "Chợ Mới", "02101")),  # Chợ Mới
    ("UBND PHƯỜNG ĐỨC XUÂN", 2026, ("Đức Xuân", "Bắc Kạn", "01840")),  # Bắc Kạn city
    ("UBND PHƯỜNG NGUYỄN THỊ MINH KHAI, THÀNH PHỐ BẮC KẠN", 2024, ("Nguyễn Thị Minh Khai", "Bắc Kạn", "")),
    ("UBND XÃ ĐẠI TỪ", 2025, ("Đại Từ", "Đại Từ", "05830")),  # old Thái Nguyên: Đại Từ
    ("UBND XÃ KHÔI KỲ | HUYỆN ĐẠI TỪ", 2024, ("Khôi Kỳ", "Đại Từ", "")),
    ("UBND PHƯỜNG VẠN XUÂN", 2025, ("Vạn Xuân", "Phổ Yên", "05890")),  # Phổ Yên
    ("UBND THỊ TRẤN ĐU", 2024, ("Đu", "Phú Lương", "")),  # a name of one word
    ("UBND TỈNH THÁI NGUYÊN | UBND XÃ SẢNG MỘC", 2026, ("Sảng Mộc", "Võ Nhai", "05719")),
    ("UBND XÃ TÂN LẬP", 2024, ("Tân Lập", "Chợ Đồn", "")),  # a xã of Chợ Đồn, not the ward of Thái Nguyên city
    ("UBND PHƯỜNG TÂN THÀNH", 2024, ("Tân Thành", "Thái Nguyên", "")),  # the ward, not xã Tân Thành of Phú Bình
    ("UBND XÃ VĂN LĂNG", 2025, ("Văn Lăng", "Đồng Hỷ", "05665")),  # the diacritics tell Văn Lăng from Văn Lang
    ("UBND PHƯỜNG TRUNG THÀNH, THÀNH PHỐ THÁI NGUYÊN", 2024, ("Trung Thành", "Thái Nguyên", "")),
    ("UBND PHƯỜNG TRUNG THÀNH", 2026, ("Trung Thành", "Phổ Yên", "05899")),  # after 2025 only the new ward is
    ("UBND THÀNH PHỐ SÔNG CÔNG", 2024, ("Sông Công", "Sông Công", "")),  # a city of district level
    ("UBND XÃ SĨ BÌNH", 2024, ("Sỹ Bình", "Bạch Thông", "")),  # `Sĩ` as the list spells it, `Sỹ` as the resolution
    ("UBND PHƯỜNG QUÁN TRIỀU", 2024, ("Quan Triều", "Thái Nguyên", "")),  # the list's `Quán`
])
def test_a_place_of_any_former_district_in_a_heading_or_title(title, year, expected):
    place = settle(place_from_title(title), year)
    level = "district" if title.startswith("UBND THÀNH PHỐ") else "commune"
    assert (place.name, place.district, place.code) == expected and place.level == level and not place.shared


@pytest.mark.parametrize(("file", "year", "expected"), [
    ("bao-cao-xa-na-phac-2025.xlsx", 2025, ("Nà Phặc", "Ngân Sơn", "01936")),
    ("BC_phuong_Phan_Dinh_Phung_2026.xlsx", 2026, ("Phan Đình Phùng", "Thái Nguyên", "05443")),
    ("Báo cáo xã Bằng Vân 2025.xlsx", 2025, ("Bằng Vân", "Ngân Sơn", "01942")),
    ("bao_cao_thi_tran_yen_lac_2024.xlsx", 2024, ("Yến Lạc", "Na Rì", "")),  # the town of Na Rì
    ("xa-yen-lac-2024.xlsx", 2024, ("Yên Lạc", "Phú Lương", "")),  # the commune of Phú Lương
    ("VanXuan_2025.xlsx", 2025, ("Vạn Xuân", "Phổ Yên", "05890")),  # no type word, no spaces
    ("chi-tieu-cao-minh-2025.ods", 2025, ("Cao Minh", "Pác Nặm", "01879")),
    ("bao-cao-xa-khoi-ki-2024.xlsx", 2024, ("Khôi Kỳ", "Đại Từ", "")),  # `Kì` for `Kỳ`
    ("bao-cao-xa-van-lang-huyen-na-ri-2025.xlsx", 2025, ("Văn Lang", "Na Rì", "02143")),  # the district settles it
])
def test_a_place_of_any_former_district_in_a_file_name(file, year, expected):
    place = settle(place_from_name(file), year)
    assert (place.name, place.district, place.code, place.shared) == (*expected, "")


@pytest.mark.parametrize(("text", "year", "name", "could_be"), [
    ("UBND XA VAN LANG", 2025, "Van Lang", ["xã Văn Lăng [05665]", "xã Văn Lang [02143]"]),  # no diacritics
    ("UBND PHƯỜNG TRUNG THÀNH", 2025, "Trung Thành", ["phường Trung Thành [05899]",
                                                       "phường Trung Thành (Thái Nguyên) → Tích Lương"]),
    ("UBND PHƯỜNG TRUNG THÀNH", 2024, "Trung Thành", ["phường Trung Thành (Thái Nguyên) → Tích Lương",
                                                       "phường Trung Thành (Phổ Yên) → Trung Thành"]),
    ("TanThanh_2024.xlsx", 2024, "Tân Thành", ["xã Tân Thành (Phú Bình) → Tân Thành",
                                                 "phường Tân Thành (Thái Nguyên) → Tích Lương"]),
    ("bao-cao-song-cau-2024.xlsx", 2024, "Sông Cầu", ["phường Sông Cầu (Bắc Kạn) → Bắc Kạn",
                                                        "thị trấn Sông Cầu (Đồng Hỷ) → Đồng Hỷ"]),
    ("UBND XÃ HƯƠNG SƠN", 2024, "Hương Sơn", ["phường Hương Sơn (Thái Nguyên) → Gia Sàng",
                                                "thị trấn Hương Sơn (Phú Bình) → Phú Bình"]),  # neither is a xã
])
def test_a_name_two_units_share_is_a_doubt_never_a_guess(text, year, name, could_be):
    place = place_from_name(text) if text.endswith(".xlsx") else place_from_title(text)
    place = settle(place, year)
    assert (place.name, place.district, place.code) == (name, "", "")
    assert all(u in place.shared for u in could_be), place.shared


# ---- workbooks of another former district through `chodon clean` ------------------------------------------------
HEAD = ["STT", "Chỉ tiêu", "ĐVT", "Kế hoạch năm {y}", "Thực hiện năm {y}", "Đánh giá"]


def _book(folder, name: str, title: list[str], year: int, grain: float) -> None:
    rows = [["1", "Tổng sản lượng lương thực có hạt", "tấn", grain, grain + 40, "Vượt"],
            ["2", "Dân số trung bình", "người", None, round(grain * 2), ""]]
    write_xlsx(folder / name, [[t] for t in title] + [[h.format(y=year) for h in HEAD], *rows])


def test_chodon_clean_places_the_workbooks_of_ba_be_and_doubts_a_shared_name(tmp_path):
    raw, out = tmp_path / "raw", tmp_path / "out"
    raw.mkdir()
    republic = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    title = "BÁO CÁO KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU KINH TẾ - XÃ HỘI NĂM 2025"
    _book(raw, "bao-cao-cho-ra-2025.xlsx", ["ỦY BAN NHÂN DÂN XÃ CHỢ RÃ", republic, title], 2025, 3100)
    _book(raw, "BC_KTXH_2025.xlsx", ["UBND XA PHUC LOC", "BAO CAO CHI TIEU KINH TE - XA HOI NAM 2025"], 2025, 2800)
    _book(raw, "bao-cao-xa-thuong-minh-2025.xlsx", ["BIỂU CHỈ TIÊU KINH TẾ - XÃ HỘI NĂM 2025"], 2025, 2500)
    _book(raw, "quang-khe-2024.xlsx", ["UBND XÃ QUẢNG KHÊ", "HUYỆN BA BỂ", "BIỂU CHỈ TIÊU NĂM 2024"], 2024, 1200)
    _book(raw, "trung-thanh-2025.xlsx", ["UBND PHƯỜNG TRUNG THÀNH", "BÁO CÁO NĂM 2025"], 2025, 900)
    # the doubt's advice followed: the former city in the file name settles the title's shared name; a file name
    # naming a district neither unit was of leaves the doubt as it was
    _book(raw, "bao-cao-phuong-trung-thanh-tp-pho-yen-2025.xlsx", ["UBND PHƯỜNG TRUNG THÀNH", "BÁO CÁO NĂM 2025"],
          2025, 950)
    _book(raw, "trung-thanh-huyen-na-ri-2025.xlsx", ["UBND PHƯỜNG TRUNG THÀNH", "BÁO CÁO NĂM 2025"], 2025, 960)
    _book(raw, "Trung Thanh - Pho Yen 2025.xlsx", ["UBND PHƯỜNG TRUNG THÀNH", "BÁO CÁO NĂM 2025"], 2025, 970)
    p = chodon("clean", str(raw), "--out", str(out))
    assert p.returncode == 0, p.stderr
    ind = pd.read_csv(out / "indicators.csv", encoding="utf-8-sig", dtype={"area_code": str}, keep_default_na=False)
    areas = set(zip(ind.source_file, ind.area, ind.area_level, ind.district, ind.area_code, strict=True))
    assert areas == {("bao-cao-cho-ra-2025.xlsx", "Chợ Rã", "commune", "Ba Bể", "01912"),
                     ("BC_KTXH_2025.xlsx", "Phúc Lộc", "commune", "Ba Bể", "01894"),
                     ("bao-cao-xa-thuong-minh-2025.xlsx", "Thượng Minh", "commune", "Ba Bể", "01921"),
                     ("quang-khe-2024.xlsx", "Quảng Khê", "commune", "Ba Bể", ""),
                     ("trung-thanh-2025.xlsx", "Trung Thành", "commune", "", ""),
                     ("bao-cao-phuong-trung-thanh-tp-pho-yen-2025.xlsx", "Trung Thành", "commune", "Phổ Yên", "05899"),
                     ("trung-thanh-huyen-na-ri-2025.xlsx", "Trung Thành", "commune", "", ""),
                     ("Trung Thanh - Pho Yen 2025.xlsx", "Trung Thành", "commune", "Phổ Yên", "05899")}  # bare
    issues = pd.read_csv(out / "issues.csv", encoding="utf-8-sig", keep_default_na=False)
    doubt = issues[issues.code == "place_ambiguous"]
    assert list(doubt.file) == ["trung-thanh-2025.xlsx", "trung-thanh-huyen-na-ri-2025.xlsx"]
    assert "Tích Lương" in doubt.params.iloc[0]
    assert "not guessed" in doubt.action.iloc[0]
    assert not {"no_place_in_title", "no_place_after_reform"} & set(issues.code)
    # completeness: Ba Bể's communes are expected in 2025 (and the one it shares with Chợ Đồn), not Chợ Đồn's
    from chodon_analysis.analysis.quality import findings

    missing = findings(ind.assign(year=ind.year.astype(int)), 2025, first_year=2025)
    missing = set(missing.loc[missing.check == "no_workbook", "area"])
    pho_yen = {"Đại Phúc", "Thành Công", "Phổ Yên", "Vạn Xuân", "Phúc Thuận"}  # its wards and communes but Trung Thành
    assert missing == {"Ba Bể", "Đồng Phúc"} | pho_yen  # Quảng Khê went into Đồng Phúc: not expected on its own
