"""Build the sample workbooks of data/raw/ and their provenance (data/external/PROVENANCE.md, provenance.csv).

Each year's workbook carries a different real-world mess (legacy .xls with a cover sheet, TCVN3
fonts, a two-row merged header with percent fractions, English number format in .ods, Vietnamese
number text with the `2924` typo and next year's plan). Values are published where a public source
gives them (see PUBLISHED; every one is checked against data/external/published_figures.csv) and
illustrative elsewhere; PROVENANCE.md says which, row by row.

The offices' assessments ("Đánh giá") are literal text written by hand from each row's numbers, as an
office writes them; nothing here computes them, so the pipeline's computed status is checked against
data it did not produce.

Run: `make data` (or `python scripts/build_sample_data.py [OUT_DIR]`). Without OUT_DIR the workbooks go
to data/raw/ and PROVENANCE.md + provenance.csv to data/external/; with OUT_DIR everything goes there.
"""

from __future__ import annotations

import csv
import hashlib
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from chodon_analysis.base.text import _TCVN3, tcvn3_to_unicode  # noqa: E402  (the only package import)

sys.path.insert(0, str(Path(__file__).resolve().parent))
import sample_communes  # noqa: E402  (the 2025 commune workbooks)

PUBLISHED_FIGURES = ROOT / "data" / "external" / "published_figures.csv"

# Addresses of the public sources.
ART_2024 = "https://baobackan.vn/hoi-nghi-ban-chap-hanh-dang-bo-huyen-cho-don-lan-thu-20-post68022.html"
ART_TERM = ("https://baobackan.vn/cho-don-thuc-hien-nghi-quyet-dai-hoi-dang-bo-huyen-nhiem-ky-2020-2025-"
            "khat-vong-va-thanh-qua-post68407.html")
ART_2021_FOREST = "https://baobackan.vn/cho-don-trong-rung-vuot-ke-hoach-post2729.html"
ART_2022_FOREST = "http://beta.baodaklak.vn/kinh-te/202205/cho-don-trong-rung-vuot-ke-hoach-79b0b31/"
ART_2022_POPULATION = "https://backan.gov.vn/Pages/thong-bao-dan-so-trung-binh-chinh-thuc-nam-2022-va-abfe.aspx"
ART_2023_NTM = ("https://baobackan.com.vn/bac-kan-phan-dau-xay-dung-23-xa-ntm-va-ntm-nang-cao-nam-2023-"
                "post50558.html")
ART_2020_NTM_PLAN = ("http://m.daidoanket.vn/cac-cuoc-van-dong/cho-don-bac-kan-tong-ket-10-nam-xay-dung-nong-thon-"
                     "moi-tintuc447003")
ART_2020_NTM = "https://chodon.gov.vn/cho-don-hoan-thanh-muc-tieu-xay-dung-nong-thon-moi-giai-doan-2016-2020/"
ART_2024_MIDYEAR = "https://baobackan.vn/cho-don-to-chuc-ky-hop-thu-14-hdnd-huyen-khoa-xx-post64521.html"
ART_CENSUS = "https://vi.wikipedia.org/wiki/Chợ_Đồn"
REPORT_2024 = ("the report to the 20th conference of the district Party Committee (Hội nghị Ban Chấp hành "
               "Đảng bộ huyện lần thứ 20), as published in " + ART_2024)

SECTIONS = {
    "I": "CHỈ TIÊU VỀ KINH TẾ",
    "II": "CHỈ TIÊU VỀ VĂN HÓA - XÃ HỘI",
    "III": "CHỈ TIÊU VỀ MÔI TRƯỜNG",
    "IV": "CHỈ TIÊU VỀ XÂY DỰNG ĐẢNG, QUỐC PHÒNG - AN NINH",
}

# key, section, name, unit. Plans/actuals per year below; text in Vietnamese number format.
INDICATORS = [
    ("grain", "I", "Tổng sản lượng lương thực có hạt", "tấn"),
    ("grain_pc", "I", "Lương thực bình quân đầu người", "kg/người/năm"),
    ("land_coef", "I", "Hệ số sử dụng đất nông nghiệp", "lần"),
    ("new_forest", "I", "Diện tích trồng rừng mới", "ha"),
    ("forest_cover", "I", "Tỷ lệ che phủ rừng", "%"),
    ("population", "I", "Dân số trung bình", "người"),
    ("value_ha", "I", "Giá trị sản xuất trên 1 ha đất canh tác", "triệu đồng/ha"),
    ("buffalo", "I", "Tổng đàn trâu", "con"),
    ("pig", "I", "Tổng đàn lợn", "con"),
    ("coop", "I", "Thành lập mới hợp tác xã", "HTX"),
    ("ocop", "I", "Phát triển mới sản phẩm OCOP đạt 3 sao trở lên", "sản phẩm"),
    ("ntm", "I", "Số xã đạt chuẩn nông thôn mới trong năm", "xã"),
    ("ntm_adv", "I", "Số xã đạt chuẩn nông thôn mới nâng cao trong năm", "xã"),
    ("ntm_model", "I", "Số xã đạt chuẩn nông thôn mới kiểu mẫu", "xã"),
    ("ntm_criteria", "I", "Bình quân tiêu chí nông thôn mới/xã", "tiêu chí"),
    ("industry", "I", "Giá trị sản xuất công nghiệp", "tỷ đồng"),
    ("budget", "I", "Thu ngân sách nhà nước trên địa bàn", "triệu đồng"),
    ("disburse", "I", "Tỷ lệ giải ngân vốn đầu tư công", "%"),
    ("income", "I", "Thu nhập bình quân đầu người", "triệu đồng/người/năm"),
    ("power", "I", "Tỷ lệ hộ sử dụng điện lưới quốc gia", "%"),
    ("water", "I", "Tỷ lệ dân số nông thôn sử dụng nước hợp vệ sinh", "%"),
    ("poverty", "II", "Tỷ lệ hộ nghèo", "%"),
    ("near_poor", "II", "Tỷ lệ hộ cận nghèo", "%"),
    ("jobs", "II", "Số lao động được tạo việc làm mới", "lao động"),
    ("trained", "II", "Tỷ lệ lao động qua đào tạo", "%"),
    ("schools", "II", "Tỷ lệ trường đạt chuẩn quốc gia", "%"),
    ("preschool", "II", "Tỷ lệ huy động trẻ 3-5 tuổi đến lớp mẫu giáo", "%"),
    ("malnutrition", "II", "Tỷ lệ trẻ em dưới 5 tuổi suy dinh dưỡng thể nhẹ cân", "%"),
    ("doctors", "II", "Số bác sĩ/vạn dân", "bác sĩ"),
    ("insurance", "II", "Tỷ lệ dân số tham gia bảo hiểm y tế", "%"),
    ("families", "II", "Tỷ lệ gia đình đạt danh hiệu văn hóa", "%"),
    ("villages", "II", "Tỷ lệ thôn, tổ dân phố đạt danh hiệu văn hóa", "%"),
    ("health_communes", "II", "Tỷ lệ xã đạt Bộ tiêu chí quốc gia về y tế", "%"),
    ("waste", "III", "Tỷ lệ chất thải rắn sinh hoạt đô thị được thu gom", "%"),
    ("fires", "III", "Số vụ cháy rừng", "vụ"),
    ("pollution", "III", "Tỷ lệ cơ sở gây ô nhiễm môi trường nghiêm trọng được xử lý", "%"),
    ("admissions", "IV", "Kết nạp đảng viên mới", "đảng viên"),
    ("party_orgs", "IV", "Tỷ lệ tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ trở lên", "%"),
    ("party_members", "IV", "Tỷ lệ đảng viên hoàn thành tốt nhiệm vụ trở lên", "%"),
    ("conscription", "IV", "Tỷ lệ giao quân đạt chỉ tiêu", "%"),
    ("accidents", "IV", "Số vụ tai nạn giao thông", "vụ"),
    ("crime", "IV", "Tỷ lệ điều tra khám phá án hình sự", "%"),
]
BY_KEY = {k: (s, n, u) for k, s, n, u in INDICATORS}

# 2024: plan text, actual text, the office's own assessment, 2025 plan (the 13 of the conference report).
Y2024 = {
    "grain": ("28.500", "29.210", "Vượt KH", "28.320"),
    "grain_pc": ("trên 500", "569", "Đạt", "trên 500"),
    "land_coef": ("1,78", "1,78", "Đạt", "1,78"),
    "new_forest": ("500", "760,1", "Vượt KH", "470"),
    "forest_cover": ("80,5%", "80,5%", "Đạt", "duy trì 80,5%"),
    "population": ("khoảng 51.300", "51.300", "Đạt", None),
    "value_ha": ("85", "88,5", "Vượt KH", None),
    "buffalo": ("10.500", "9.870", "Không đạt", None),
    "pig": ("42.000", "38.650", "Không đạt", None),
    "coop": ("2", "3", "Vượt KH", "02"),
    "ocop": ("3", "3", "Đạt", "03"),
    "ntm": ("2", "1", "Không đạt", "07"),
    "ntm_adv": ("1", "1", "Đạt", "02"),
    "ntm_model": ("1", "chưa có số liệu", "Chưa đánh giá", "01"),
    "ntm_criteria": ("15,5", "15,2", "Không đạt", None),
    "industry": ("450", "458,6", "Vượt KH", None),  # consistent with the published first half (over 209)
    "budget": ("138.600", "88.420", "Không đạt", None),  # the plan implied by the published first half
    "disburse": ("từ 95% trở lên", "81,3%", "Không đạt", None),
    "income": ("42", "42,6", "Vượt KH", None),
    "power": ("99%", "99,1%", "Đạt", None),
    "water": ("98", "98", "Đạt", None),
    "poverty": ("giảm 3% (còn 13,5%)", "13,2%", "Vượt KH", None),
    "near_poor": ("dưới 10%", "9,6%", "Đạt", None),
    "jobs": ("800", "812", "Vượt KH", None),
    "trained": ("55", "55,3", "Đạt", None),
    "schools": ("65", "62,5", "Không đạt", None),
    "preschool": ("99 - 100", "99,6", "Đạt", None),
    "malnutrition": ("dưới 15", "14,2", "Đạt", None),
    "doctors": ("10", "10", "Đạt", None),
    "insurance": ("95,3", "95,32", "Đạt", None),
    "families": ("85", "86,2", "Vượt KH", None),
    "villages": ("75", "75", "Đạt", None),
    "health_communes": ("100", "100", "Đạt", None),
    "waste": ("tối thiểu 90%", "92%", "Đạt", None),
    "fires": ("không quá 2", "1", "Đạt", None),
    "pollution": ("100", "100", "Đạt", None),
    "admissions": ("150 trở lên", "162", "Đạt", "150 trở lên"),
    "party_orgs": ("từ 95% trở lên", "chưa có số liệu", "Chưa đánh giá", "từ 95% trở lên"),
    "party_members": ("trên 85%", "87,2%", "Đạt", "trên 85%"),
    "conscription": ("100", "100", "Đạt", None),
    "accidents": ("giảm 5%", "17", "Vượt KH", None),
    "crime": ("trên 75%", "72,4%", "Không đạt", None),
}

# 2020-2023: the key indicators as numbers (plan, actual); phrases where the office wrote one.
# An indicator is in a year's workbook when the year is listed here.
EARLIER = {
    "grain": {2020: (28000, 28650), 2021: (28500, 29120), 2022: (28800, 29380), 2023: (29000, 29050)},
    # reported per capita = grain output x 1000 / population, as the office computes it (2020: whole kg)
    "grain_pc": {2020: ("trên 550", 574), 2021: ("trên 550", 579.5), 2022: ("trên 550", 573.8),
                 2023: ("trên 550", 566.8)},
    "land_coef": {2020: (1.75, 1.75), 2021: (1.76, 1.76), 2022: (1.77, 1.77), 2023: (1.78, 1.77)},
    "new_forest": {2020: (500, 700), 2021: (550, 771.9), 2022: (570, 790), 2023: (500, 812)},
    "forest_cover": {2020: (0.805, 0.805), 2021: (80.5, 80.5), 2022: (0.805, 0.805), 2023: (80.5, 80.5)},
    "population": {2020: ("khoảng 49.900", 49900), 2021: ("khoảng 50.250", 50250),
                   2022: ("khoảng 50.600", 51203), 2023: ("khoảng 51.250", 51250)},
    "buffalo": {2020: (11000, 11150), 2021: (11000, 10820), 2022: (10800, 10640), 2023: (10600, 10310)},
    "ntm": {2020: (1, 1), 2021: (1, 1), 2022: (2, 2), 2023: (4, 1)},
    "ntm_adv": {2023: (1, 1)},
    "ntm_criteria": {2020: (12.7, 12.8)},
    "budget": {2020: (70000, 74300), 2021: (75000, 81250), 2022: (80000, 86900), 2023: (90000, 91120)},
    "income": {2020: (30, 30.4), 2021: (32, 32.8), 2022: (35, 36.1), 2023: (38, 38.9)},
    "poverty": {2020: ("giảm 3% (còn 24%)", 23.1), 2021: ("giảm 3% (còn 21%)", 20.6),
                2022: ("giảm 3% (còn 18,5%)", 18.2), 2023: ("giảm 3% (còn 16%)", 16.3)},
    "jobs": {2020: (700, 735), 2021: (700, 690), 2022: (750, 781), 2023: (800, 806)},
    "insurance": {2020: (0.95, 0.962), 2021: (96, 96.4), 2022: (0.96, 0.958), 2023: (96, 95.7)},
    "families": {2020: (80, 81.5), 2021: (82, 82.3), 2022: (83, 83.4), 2023: (84, 84.6)},
    "fires": {2020: ("không quá 3", 2), 2021: ("không quá 3", 1), 2022: ("không quá 2", 3),
              2023: ("không quá 2", 0)},
    "admissions": {2020: ("150 trở lên", 171), 2021: ("150 trở lên", 158), 2022: ("150 trở lên", 165),
                   2023: ("150 trở lên", 149)},
    "accidents": {2020: ("không quá 25", 22), 2021: ("không quá 25", 19), 2022: ("không quá 25", 21),
                  2023: ("không quá 22", 20)},
}

# The offices' own assessments ("Đánh giá"), written by hand from each row's plan and actual, the way the
# office that year writes them: a point plan is judged at the precision it is written with (96% against
# 95,8% is "Đạt"; 38 against 38,9 is "Vượt"), a "trên / không quá / trở lên" plan is met or not.
# The 2021 workbook has no assessment column. Two labels are deliberately wrong (DELIBERATE below).
REPORTED = {
    2020: {  # the district office writes it out: "Vượt kế hoạch" / "Hoàn thành"
        "grain": "Vượt kế hoạch",            # 28.650 t against 28.000
        "grain_pc": "Hoàn thành",            # 574 kg against "trên 550"
        "land_coef": "Hoàn thành",           # 1,75 against 1,75
        "new_forest": "Vượt kế hoạch",       # 700 ha against 500
        "forest_cover": "Hoàn thành",        # 80,5% against 80,5%
        "population": "Hoàn thành",          # 49.900 against about 49.900
        "buffalo": "Vượt kế hoạch",          # 11.150 against 11.000
        "ntm": "Hoàn thành",                 # 1 commune against 1
        "ntm_criteria": "Vượt kế hoạch",     # 12,8 criteria per commune against 12,7
        "budget": "Vượt kế hoạch",           # 74.300 million against 70.000
        "income": "Hoàn thành",              # 30,4 million against 30
        "poverty": "Vượt kế hoạch",          # 23,1% against "còn 24%"
        "jobs": "Vượt kế hoạch",             # 735 against 700
        "insurance": "Vượt kế hoạch",        # 96,2% against 95%
        "families": "Vượt kế hoạch",         # 81,5% against 80
        "fires": "Hoàn thành",               # 2 fires against "không quá 3"
        "admissions": "Hoàn thành",          # 171 against "150 trở lên"
        "accidents": "Hoàn thành",           # 22 against "không quá 25"
    },
    2022: {  # "Vượt KH" / "Đạt" / "Không đạt"
        "grain": "Vượt KH",                  # 29.380 t against 28.800
        "grain_pc": "Đạt",                   # 573,8 kg against "trên 550"
        "land_coef": "Đạt",                  # 1,77 against 1,77
        "new_forest": "Vượt KH",             # 790 ha against 570
        "forest_cover": "Đạt",               # 80,5% against 80,5%
        "population": "Vượt KH",             # 51.203 against about 50.600
        "buffalo": "Không đạt",              # 10.640 against 10.800
        "ntm": "Đạt",                        # 2 communes against 2
        "budget": "Vượt KH",                 # 86.900 million against 80.000
        "income": "Vượt KH",                 # 36,1 million against 35
        "poverty": "Vượt KH",                # 18,2% against "còn 18,5%"
        "jobs": "Vượt KH",                   # 781 against 750
        "insurance": "Không đạt",            # 95,8% against 96,0% (the plan cell shows one decimal)
        "families": "Đạt",                   # 83,4% against 83
        "fires": "Đạt",                      # DELIBERATE: 3 fires against "không quá 2"
        "admissions": "Đạt",                 # 165 against "150 trở lên"
        "accidents": "Đạt",                  # 21 against "không quá 25"
    },
    2023: {  # "Vượt" / "Vượt KH" / "Đạt" / "Chưa đạt"
        "grain": "Vượt KH",                  # 29.050 t against 29.000
        "grain_pc": "Đạt",                   # 566,8 kg against "trên 550"
        "land_coef": "Đạt",                  # DELIBERATE: 1,77 against 1,78
        "new_forest": "Vượt",                # 812 ha against 500
        "forest_cover": "Đạt",               # 80,5% against 80,5%
        "population": "Đạt",                 # 51.250 against about 51.250
        "buffalo": "Chưa đạt",               # 10.310 against 10.600
        "ntm": "Chưa đạt",                   # 1 commune against 4
        "ntm_adv": "Đạt",                    # 1 commune against 1
        "budget": "Vượt",                    # 91.120 million against 90.000
        "income": "Vượt",                    # 38,9 million against 38
        "poverty": "Đạt",                    # 16,3% against "còn 16%"
        "jobs": "Vượt KH",                   # 806 against 800
        "insurance": "Đạt",                  # 95,7% against 96%
        "families": "Vượt",                  # 84,6% against 84
        "fires": "Đạt",                      # no fire against "không quá 2"
        "admissions": "Chưa đạt",            # 149 against "150 trở lên"
        "accidents": "Đạt",                  # 20 against "không quá 22"
    },
}
# Labels deliberately inconsistent with their own numbers, so that the disagreement check has something
# to find: (year, key) -> why the numbers say otherwise. Illustrative, not real.
DELIBERATE = {
    (2022, "fires"): "3 forest fires against a plan of \"không quá 2\" (at most 2): the numbers say not met",
    (2023, "land_coef"): "1,77 against a plan of 1,78: the numbers say not met",
}
# What the offices' words mean, only to count the 2024 labels against the published counts.
LABEL_STATUS = {"Vượt KH": "exceeded", "Đạt": "met", "Không đạt": "not_met", "Chưa đánh giá": "not_evaluated"}
PUBLISHED_COUNTS_2024 = {"exceeded": 10, "met": 22, "not_met": 8, "not_evaluated": 2}

# Published values in the workbooks: (year, key, field) -> (value as published, address, and the
# (year, figure) of data/external/published_figures.csv it comes from; checked by check_published()).
PUBLISHED = {
    (2020, "ntm_criteria", "plan"): ("12,7 criteria per commune", ART_2020_NTM_PLAN,
                                     ("2020", "plan_ntm_criteria_per_commune")),
    (2020, "ntm_criteria", "actual"): ("12,8 criteria per commune (end of 2020)", ART_2020_NTM,
                                       ("2020", "ntm_criteria_per_commune")),
    (2021, "new_forest", "plan"): ("550 ha", ART_2021_FOREST, ("2021", "plan_new_forest")),
    (2021, "new_forest", "actual"): ("771,9 ha (140% of plan)", ART_2021_FOREST, ("2021", "new_forest")),
    (2022, "new_forest", "plan"): ("570 ha", ART_2022_FOREST, ("2022", "plan_new_forest")),
    (2022, "population", "actual"): ("51.203 people (official average population)", ART_2022_POPULATION,
                                     ("2022", "population")),
    (2023, "ntm", "plan"): ("4 communes", ART_2023_NTM, ("2023", "plan_new_ntm_communes")),
    (2023, "ntm_adv", "plan"): ("1 commune", ART_2023_NTM, ("2023", "plan_new_advanced_ntm_communes")),
    (2024, "new_forest", "plan"): ("500 ha (\"481,2/500ha\" at mid-year)", ART_2024_MIDYEAR,
                                   ("2024", "plan_new_forest")),
    **{(y, "forest_cover", "actual"): ("80,5% (maintained over the 2020-2025 term)", ART_TERM,
                                       ("2020-2024", "forest_cover")) for y in range(2020, 2025)},
}
# The 2025 plan column of the 2024 workbook: the 13 targets of the conference report -> their figure.
PUBLISHED_2025 = {
    "grain": "plan_grain_output", "grain_pc": "plan_grain_per_capita", "land_coef": "plan_land_use_coefficient",
    "new_forest": "plan_new_forest", "forest_cover": "plan_forest_cover", "coop": "plan_new_cooperatives",
    "ocop": "plan_new_ocop_products", "ntm": "plan_new_ntm_communes", "ntm_adv": "plan_new_advanced_ntm_communes",
    "ntm_model": "plan_new_model_ntm_communes", "admissions": "plan_party_admissions",
    "party_orgs": "plan_party_orgs_good", "party_members": "plan_party_members_good",
}
# Published figures about Chợ Đồn in 2020-2025 that are deliberately not workbook values: figure -> why.
NOT_USED = {
    "plan_key_indicators": "a count of targets, not an indicator value",
    "grain_output_mean": "a term average: constrains the illustrative yearly grain output (see above)",
    "grain_per_capita": "a term figure: constrains the illustrative yearly per-capita values (see above)",
    "new_forest_total": "a term total: constrains the illustrative yearly planting (see above)",
    "ocop_products_3star": "the stock of OCOP products at the end of 2020 (and disputed), not new products in a year",
    "ocop_products": "the stock of OCOP products in April 2025, a partial year",
    "new_forest_to_april": "planted by April 2022, a partial year (the illustrative 2022 total of 790 ha is above it)",
    "spring_rice_output_h1": "first half of 2022, one crop",
    "maize_output_h1": "first half of 2022, one crop",
    "grain_output_h1": "first half of 2024",
    "new_forest_h1": "first half of 2024 (the illustrative 2024 total of 760,1 ha is above it)",
    "budget_revenue_h1": "first half of 2024; its \"33,2% of plan\" implies an annual plan of about 138.600 million "
                         "VND, which the illustrative 2024 plan follows (the plan itself is not published)",
    "industrial_output_h1": "first half of 2024; the illustrative 2024 industrial output (plan 450, actual 458,6 "
                            "billion VND) is chosen to agree with it",
}


def vn_number(text: str) -> float | None:
    """The number of a Vietnamese-format text, or None: '28.500' -> 28500, '760,1' -> 760.1, '80,5%' -> 80.5."""
    m = re.search(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?", text)
    return float(m.group().replace(".", "").replace(",", ".")) if m else None


def point_value(text: str) -> float | None:
    """The value of a point plan or actual ('1.250', 'khoảng 51.300', 'giảm 3% (còn 13,5%)'), else None."""
    t = text.strip()
    down_to = re.search(r"\(còn ([\d.,]+)%?\)", t)
    if down_to:
        return vn_number(down_to.group(1))
    t = re.sub(r"^(khoảng|duy trì)\s+", "", t)
    return vn_number(t) if re.fullmatch(r"[\d.,]+%?", t) else None


def ratio_2024(plan: str, actual: str) -> str:
    """The "So sánh TH/KH (%)" cell: actual / plan x 100 for a point plan, else empty."""
    p, a = point_value(plan), point_value(actual)
    return vn(round(a / p * 100, 1)) if p and a is not None else ""


def vn(x: float | int) -> str:
    """A number in Vietnamese format: 28.320 / 1,78."""
    s = f"{x:,.10g}" if isinstance(x, int) or float(x).is_integer() else f"{x:,}"
    if isinstance(x, float) and x.is_integer():
        s = f"{int(x):,}"
    return s.replace(",", "\0").replace(".", ",").replace("\0", ".")


def en(x: float | int | str) -> str:
    if isinstance(x, str):  # a phrase: its number in English format
        return x.replace(".", "\0").replace(",", ".").replace("\0", ",")
    return f"{int(x):,}" if float(x).is_integer() else f"{x:,}"


def keys_for(year: int) -> list[str]:
    """The indicators of a year's workbook, in report order."""
    return list(Y2024) if year == 2024 else [k for k, *_ in INDICATORS if year in EARLIER.get(k, {})]


def rows_for(year: int) -> list[tuple[str, str, str, str, object, object, str]]:
    """(section, code, name, unit, plan, actual, label) for a year's workbook, in report order."""
    out, counters = [], {}
    for key in keys_for(year):
        sec, name, unit = BY_KEY[key]
        counters[sec] = counters.get(sec, 0) + 1
        if year == 2024:
            plan, actual, label, _ = Y2024[key]
        else:
            plan, actual = EARLIER[key][year]
            label = REPORTED.get(year, {}).get(key, "")
        out.append((sec, str(counters[sec]), name, unit, plan, actual, label))
    return out


def check_data() -> None:
    """The hand-written labels cover their workbooks, and the 2024 ones add up to the published counts."""
    for year, labels in REPORTED.items():
        assert set(labels) == set(keys_for(year)), (year, set(labels) ^ set(keys_for(year)))
    counts = {}
    for _plan, _actual, label, _next in Y2024.values():
        counts[LABEL_STATUS[label]] = counts.get(LABEL_STATUS[label], 0) + 1
    assert counts == PUBLISHED_COUNTS_2024, counts
    for (year, key) in DELIBERATE:
        assert key in REPORTED[year], (year, key)


def _workbook_number(year: int, key: str, field: str) -> float | None:
    """A workbook value as a number in the unit of the published figure (percent fractions as percents)."""
    if year == 2025:
        v = Y2024[key][3]
    elif year == 2024:
        v = Y2024[key][0 if field == "plan" else 1]
    else:
        v = EARLIER[key][year][0 if field == "plan" else 1]
    if isinstance(v, str):
        return vn_number(v)
    return v * 100 if BY_KEY[key][2] == "%" and isinstance(v, float) and v <= 1 else float(v)


def check_published(path: Path = PUBLISHED_FIGURES) -> None:
    """Every value marked published equals its figure in published_figures.csv, at the same address."""
    if not path.exists():
        print(f"note: {path} not found; published values not checked", file=sys.stderr)
        return
    with path.open(encoding="utf-8", newline="") as fh:
        figures = {(r["year"], r["figure"]): r for r in csv.DictReader(fh) if r["area"] == "Chợ Đồn"}
    wanted = [(y, k, f, src, addr) for (y, k, f), (_shown, addr, src) in PUBLISHED.items()]
    wanted += [(2025, k, "plan", ("2025", fig), ART_2024) for k, fig in PUBLISHED_2025.items()]
    for year, key, field, src, address in wanted:
        row = figures.get(src)
        assert row is not None, f"{src} is not in {path.name}"
        published = float(row["value"].lstrip("<>="))
        assert _workbook_number(year, key, field) == published, (year, key, field, row["value"])
        assert row["source"] == address, (year, key, field, row["source"])


# ---- writers ------------------------------------------------------------------------------------
def build_2020_xls(path: Path) -> None:
    """Legacy .xls, a cover sheet first; the year only in the title; numbers as real numbers."""
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    cover = wb.add_sheet("Bia")
    cover.write(2, 1, "ỦY BAN NHÂN DÂN HUYỆN CHỢ ĐỒN")
    cover.write(4, 1, "BÁO CÁO TÌNH HÌNH THỰC HIỆN KẾ HOẠCH PHÁT TRIỂN KINH TẾ - XÃ HỘI")
    cover.write(5, 1, "(Số liệu minh họa trừ các số đã công bố - illustrative sample)")
    ws = wb.add_sheet("Bieu 01")
    ws.write(0, 0, "BIỂU TỔNG HỢP CÁC CHỈ TIÊU CHỦ YẾU NĂM 2020 - HUYỆN CHỢ ĐỒN")
    ws.write(1, 0, "(Số liệu minh họa trừ các số đã công bố, xem data/external/PROVENANCE.md)")
    for c, h in enumerate(["TT", "Chỉ tiêu", "ĐVT", "Kế hoạch", "Thực hiện", "Đánh giá"]):
        ws.write(3, c, h)
    r = 4
    pct = xlwt.easyxf(num_format_str="0.0%")
    for sec, code, name, unit, plan, actual, label in _with_sections(rows_for(2020)):
        if code is None:
            ws.write(r, 0, sec)
            ws.write(r, 1, name)
        else:
            ws.write(r, 0, int(code))
            ws.write(r, 1, name)
            ws.write(r, 2, unit)
            for c, v in ((3, plan), (4, actual)):
                if isinstance(v, float) and unit == "%" and v <= 1:
                    ws.write(r, c, v, pct)
                else:
                    ws.write(r, c, v)
            ws.write(r, 5, label)
        r += 1
    wb.save(str(path))


def _with_sections(rows):
    last = None
    for sec, code, name, unit, plan, actual, label in rows:
        if sec != last:
            yield sec, None, SECTIONS[sec], "", None, None, ""
            last = sec
        yield sec, code, name, unit, plan, actual, label


_TCVN3_FROM_UNICODE = None


def to_tcvn3(s: str) -> str:
    """Unicode -> TCVN3 bytes-as-text (capitals as the .VnTimeH font writes them)."""
    global _TCVN3_FROM_UNICODE
    if _TCVN3_FROM_UNICODE is None:
        _TCVN3_FROM_UNICODE = {v: k for k, v in _TCVN3.items()}
    out = []
    for ch in s:
        if ch in _TCVN3_FROM_UNICODE:
            out.append(_TCVN3_FROM_UNICODE[ch])
        elif ch.lower() in _TCVN3_FROM_UNICODE and ch.lower() != ch:
            out.append(_TCVN3_FROM_UNICODE[ch.lower()])  # capitals of the H font share the codes
        else:
            out.append(ch)
    text = "".join(out)
    assert tcvn3_to_unicode(text, capitals=s.isupper()) == s, (s, text)
    return text


def build_2021_tcvn3(path: Path) -> None:
    """Every text in TCVN3 with .VnTime/.VnTimeH fonts, as a 2000s template saved as .xlsx."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "BC 2021"
    body, caps = Font(name=".VnTime", size=12), Font(name=".VnTimeH", size=12, bold=True)
    ws["A1"] = to_tcvn3("BIỂU CHỈ TIÊU KINH TẾ - XÃ HỘI NĂM 2021")
    ws["A1"].font = caps
    ws["A2"] = to_tcvn3("(Số liệu minh họa trừ trồng rừng mới; xem PROVENANCE.md)")
    ws["A2"].font = body
    header = ["STT", "Nội dung", "Đơn vị tính", "KH năm 2021", "TH năm 2021", "Ghi chú"]
    for c, h in enumerate(header, start=1):
        cell = ws.cell(row=4, column=c, value=to_tcvn3(h))
        cell.font = Font(name=".VnTime", bold=True)
    r = 5
    for sec, code, name, unit, plan, actual, _label in _with_sections(rows_for(2021)):
        if code is None:
            ws.cell(row=r, column=1, value=sec)
            ws.cell(row=r, column=2, value=to_tcvn3(name)).font = caps
        else:
            ws.cell(row=r, column=1, value=int(code))
            ws.cell(row=r, column=2, value=to_tcvn3(name)).font = body
            ws.cell(row=r, column=3, value=to_tcvn3(unit)).font = body
            for c, v in ((4, plan), (5, actual)):
                ws.cell(row=r, column=c, value=to_tcvn3(v) if isinstance(v, str) else v).font = body
            if _key(name) == "new_forest":  # the office notes the published 140%
                ws.cell(row=r, column=6, value=to_tcvn3("Đạt 140% kế hoạch")).font = body
        r += 1
    wb.save(path)


def _key(name: str) -> str:
    return next(k for k, (_s, n, _u) in BY_KEY.items() if n == name)


def build_2022_merged(path: Path) -> None:
    """A notes sheet first, title lines, a two-row merged header, percents as formatted fractions."""
    from openpyxl import Workbook

    wb = Workbook()
    notes = wb.active
    notes.title = "Huong dan"
    notes["A1"] = "Hướng dẫn: số liệu nhập tại sheet 'Bieu KTXH'. Các tỷ lệ nhập dạng phần trăm."
    notes["A2"] = "Số liệu minh họa (illustrative) trừ các số đã công bố, xem data/external/PROVENANCE.md."
    ws = wb.create_sheet("Bieu KTXH")
    ws["A1"] = "ỦY BAN NHÂN DÂN HUYỆN CHỢ ĐỒN"
    ws["A2"] = "KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU KINH TẾ - XÃ HỘI CHỦ YẾU"
    ws["A3"] = "(Kèm theo Báo cáo số     /BC-UBND ngày    /12/2022 của UBND huyện Chợ Đồn)"
    ws.append([])
    ws.append(["TT", "Chỉ tiêu", "Đơn vị tính", "Năm 2022", None, "Đánh giá"])
    ws.append([None, None, None, "Kế hoạch", "Thực hiện", None])
    for rng in ("A5:A6", "B5:B6", "C5:C6", "D5:E5", "F5:F6"):
        ws.merge_cells(rng)
    for sec, code, name, unit, plan, actual, label in _with_sections(rows_for(2022)):
        if code is None:
            ws.append([sec, name])
            continue
        ws.append([int(code), name, unit, plan, actual, label])
        for col in ("D", "E"):
            cell = ws[f"{col}{ws.max_row}"]
            if unit == "%" and isinstance(cell.value, float) and cell.value <= 1:
                cell.number_format = "0.0%"
    ws.append([])
    ws.append(["Ghi chú: Số liệu thực hiện năm 2022 là số ước tính đến 15/12/2022."])
    wb.save(path)


def build_2023_ods(path: Path) -> None:
    """OpenDocument, headers without diacritics, numbers typed as text in English format."""
    import pandas as pd

    rows = [["BAO CAO CHI TIEU KINH TE - XA HOI NAM 2023 (so lieu minh hoa tru cac so da cong bo / illustrative)"]
            + [""] * 5, [""] * 6,
            ["TT", "Chi tieu", "Don vi tinh", "KH 2023", "TH 2023", "Danh gia"]]
    for sec, code, name, unit, plan, actual, label in _with_sections(rows_for(2023)):
        if code is None:
            rows.append([sec, name, "", "", "", ""])
        else:
            p = en(plan) if isinstance(plan, str) else en(plan)
            a = en(actual)
            if unit == "%":
                p, a = (p if "%" in p or not p[0].isdigit() else p + "%"), a + "%"
            rows.append([code, name, unit, p, a, label])
    with pd.ExcelWriter(path, engine="odf") as xw:
        pd.DataFrame(rows).to_excel(xw, sheet_name="Chi tieu 2023", header=False, index=False)


def build_2024(path: Path) -> None:
    """Vietnamese-format number text, the `2924` typo, the office's assessment and the 2025 plan."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Bieu 01-KTXH"
    ws["A1"] = "HUYỆN ỦY CHỢ ĐỒN"
    ws["A2"] = ("KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU KINH TẾ - XÃ HỘI, QUỐC PHÒNG - AN NINH, XÂY DỰNG ĐẢNG "
                "NĂM 2024 VÀ CHỈ TIÊU KẾ HOẠCH NĂM 2025")
    ws["A3"] = ("(Kèm theo Báo cáo tại Hội nghị Ban Chấp hành Đảng bộ huyện lần thứ 20; số liệu từng chỉ tiêu là "
                "minh họa trừ các số đã công bố)")
    ws["A2"].font = Font(bold=True)
    ws.append([])
    header = ["TT", "Chỉ tiêu", "ĐVT", "Kế hoạch năm 2024", "Ước thực hiện\nnăm 2924", "So sánh TH/KH (%)",
              "Đánh giá", "Kế hoạch\nnăm 2025", "Ghi chú"]
    ws.append(header)
    for c in range(1, len(header) + 1):
        ws.cell(row=5, column=c).alignment = Alignment(wrap_text=True)
    ws.append(["A", "B", "C", "1", "2", "3=2/1", "4", "5", "6"])
    for sec, code, name, unit, plan, actual, label in _with_sections(rows_for(2024)):
        if code is None:
            ws.append([sec, name])
            continue
        key = _key(name)
        ws.append([code, name, unit, plan, actual, ratio_2024(plan, actual), label, Y2024[key][3] or "", ""])
    ws.append([])
    ws.append(["Ghi chú: Số liệu năm 2024 là số ước thực hiện; các chỉ tiêu chưa có số liệu được đánh giá sau."])
    wb.save(path)


def _origin(year: int, key: str) -> list[str]:
    """What is published in a workbook row, with addresses."""
    origin = []
    for what in ("plan", "actual"):
        if (year, key, what) in PUBLISHED:
            origin.append(f"{what}: published ({PUBLISHED[(year, key, what)][1]})")
    if year == 2024 and key in PUBLISHED_2025:
        origin.append(f"2025 plan: published ({ART_2024})")
    return origin


def _assessment_note(year: int, key: str, label: str) -> str:
    if not label:
        return "(no assessment column)" if year == 2021 else ""
    if (year, key) in DELIBERATE:
        return f"{label} (deliberately inconsistent)"
    return label


def _published_section() -> list[str]:
    """PROVENANCE.md's published figures: those used as workbook values, the totals the illustrative values keep
    to, and the published figures that are no workbook value."""
    lines = [
        "## Published figures used",
        "",
        "| year | indicator | what | value | source |",
        "|---|---|---|---|---|",
    ]
    for (y, key, what), (value, src, _fig) in sorted(PUBLISHED.items()):
        lines.append(f"| {y} | {BY_KEY[key][1]} | {what} | {value} | {src} |")
    for key in PUBLISHED_2025:
        lines.append(f"| 2025 | {BY_KEY[key][1]} | plan | {Y2024[key][3]} | {ART_2024} |")
    lines += [
        "| 2024 | (all 42 indicators) | office's assessment counts | 42 = 10 exceeded + 22 met + 8 not met + 2 not "
        f"evaluated | {ART_2024} |",
        "",
        f"The 2025 targets are those of {REPORT_2024}; the article lists 13 of the 15 key targets.",
        "",
        "Totals that constrain the illustrative values (not stored as rows):",
        "",
        f"- grain output over 29,000 t a year on average 2020-2024 ({ART_TERM}): the illustrative yearly",
        "  values 28,650 / 29,120 / 29,380 / 29,050 / 29,210 t average 29,082 t.",
        f"- grain per capita over 550 kg/person/year over the term ({ART_TERM}): the reported values are",
        "  grain output x 1000 / average population, 574 / 579.5 / 573.8 / 566.8 / 569 kg (2022 with the published",
        "  population 51,203; 2020 and 2024 written in whole kg), all above 550.",
        f"- 3,834 ha of new forest planted over the term ({ART_TERM}): 700 + 771.9 (published) + 790 + 812 + 760.1 "
        "= 3,834 ha.",
        f"- 2019 census population 49,554 ({ART_CENSUS}) and the official 2022 average population 51,203",
        f"  ({ART_2022_POPULATION}): the illustrative population rises from 49,900 (2020) through 50,250 (2021),",
        "  51,203 (2022, published) and 51,250 (2023) to 51,300 (2024).",
        "",
        "Published figures about Chợ Đồn in 2020-2025 that are not workbook values (partial years, stocks, term",
        "figures; the other rows of `published_figures.csv` are other years or the province):",
        "",
    ]
    return lines + [f"- `{fig}`: {why}" for fig, why in NOT_USED.items()]


def _assessments_section() -> list[str]:
    """PROVENANCE.md's word on the assessment labels: illustrative, by hand, and the deliberate disagreements."""
    lines = [
        "",
        "## Assessments",
        "",
        "The assessment column (\"Đánh giá\") of the 2020, 2022, 2023 and 2024 workbooks is **illustrative**:",
        "labels written by hand from each row's plan and actual, the way that year's office writes them",
        "(2020 \"Vượt kế hoạch\" / \"Hoàn thành\"; 2022 \"Vượt KH\" / \"Đạt\" / \"Không đạt\"; 2023 \"Vượt\" / "
        "\"Vượt KH\" /",
        "\"Đạt\" / \"Chưa đạt\"; 2024 \"Vượt KH\" / \"Đạt\" / \"Không đạt\" / \"Chưa đánh giá\"). They are not "
        "computed",
        "by the package's rule, so comparing them with the computed status is a real check. The 2021 workbook",
        "has no assessment column. The per-indicator labels of 2024 are illustrative but add up to the published",
        "10 exceeded / 22 met / 8 not met / 2 not evaluated.",
        "",
        "Deliberate disagreements (labels inconsistent with their own numbers, so that the disagreement check",
        "has something to find; they are not real):",
        "",
    ]
    return lines + [f"- {y}, {BY_KEY[k][1]}: reported \"{REPORTED[y][k]}\" although {why}."
                    for (y, k), why in DELIBERATE.items()]


def _rows_section() -> list[str]:
    """PROVENANCE.md's tables, workbook by workbook and row by row, each value's origin beside it."""
    lines = [
        "",
        "## Row by row",
        "",
        "Every plan, actual and assessment value in the tables below is **illustrative** unless its origin",
        "says published.",
        "",
    ]
    for year, fname in FILES.items():
        lines += [f"### {fname} ({MESS[year]})", "",
                  "| TT | indicator | plan | actual | assessment | origin |", "|---|---|---|---|---|---|"]
        for sec, code, name, _unit, plan, actual, label in rows_for(year):
            key = _key(name)
            origin = _origin(year, key)
            origin_text = "; ".join(origin) + ("; rest illustrative" if origin else "illustrative")
            lines.append(f"| {sec}.{code} | {name} | {plan} | {actual} | {_assessment_note(year, key, label)} | "
                         f"{origin_text} |")
        lines.append("")
    return lines


def provenance() -> str:
    """PROVENANCE.md of the district workbooks: for people, where every value comes from (published or not)."""
    lines = [
        "# Provenance of the sample workbooks",
        "",
        "Generated by `scripts/build_sample_data.py` (`make data`); do not edit by hand. The workbooks are in",
        "`data/raw/`; this file and `provenance.csv` are in `data/external/`.",
        "",
        "Only a few figures about Chợ Đồn are public. They are used where they exist; every other value",
        "is **illustrative**: plausible, chosen to be consistent with the published annual and term figures,",
        "and never official. Reports mark each value's origin with the `source` column of the derived tables.",
        "",
        *_published_section(),
        *_assessments_section(),
        *_rows_section(),
    ]
    lines += ["## published_figures.csv", "",
              "Every public figure found, with its address and quote (`data/external/published_figures.csv`). It is",
              "project reference data kept by hand, not written by this script; the script checks that every value",
              "marked published above equals its figure there.", "",
              "## provenance.csv", "",
              "The tables above in machine-readable form (file, sha256, year, indicator, field, origin, address), one",
              "row per plan and actual value (field `plan` or `actual`; the 2025 plans of the 2024 workbook with year",
              "2025): the reports read it to mark each value `published` or `illustrative`. `sha256` is the digest of",
              "the sample workbook's bytes: a row applies only to that very file, never to another workbook that has",
              "its name (a commune's own `bao-cao-xa-nam-cuong-2025.xlsx` is data as received). The assessments are",
              "all illustrative (see Assessments above) and have no rows there.", ""]
    return "\n".join(lines)


def provenance_rows() -> list[dict]:
    """Machine-readable provenance: one row per workbook value (file, year, indicator, field, origin, address)."""
    rows = []
    for year, fname in FILES.items():
        for _sec, _code, name, _unit, _plan, _actual, _label in rows_for(year):
            key = _key(name)
            for what in ("plan", "actual"):
                pub = PUBLISHED.get((year, key, what))
                rows.append({"file": fname, "year": year, "indicator": name, "field": what,
                             "origin": "published" if pub else "illustrative", "address": pub[1] if pub else ""})
            if year == 2024 and key in PUBLISHED_2025:
                rows.append({"file": fname, "year": 2025, "indicator": name, "field": "plan",
                             "origin": "published", "address": ART_2024})
    return rows


FILES = {
    2020: "bao-cao-chi-tieu-2020.xls",
    2021: "BC chi tieu KTXH 2021 (TCVN3).xlsx",
    2022: "chi_tieu_KTXH_2022.xlsx",
    2023: "chi-tieu-2023.ods",
    2024: "Bieu chi tieu 2024 - KH 2025.xlsx",
}
MESS = {
    2020: "legacy .xls, cover sheet first, year only in the title",
    2021: "TCVN3 text with .VnTime fonts",
    2022: "notes sheet first, title lines, two-row merged header, percents as formatted fractions, trailing note",
    2023: "OpenDocument, headers without diacritics, English number format typed as text",
    2024: "Vietnamese number format typed as text, the 2924 typo, assessment column, KH năm 2025 column",
}
BUILDERS = {2020: build_2020_xls, 2021: build_2021_tcvn3, 2022: build_2022_merged, 2023: build_2023_ods,
            2024: build_2024}


def main(raw: Path, external: Path) -> None:
    """Workbooks into `raw`; PROVENANCE.md and provenance.csv into `external`."""
    check_data()
    check_published()
    raw.mkdir(parents=True, exist_ok=True)
    external.mkdir(parents=True, exist_ok=True)
    for year, fname in FILES.items():
        BUILDERS[year](raw / fname)
    commune_rows = sample_communes.build(raw)  # 2025: the eight new communes, all values illustrative
    (external / "PROVENANCE.md").write_text(provenance() + "\n".join(sample_communes.provenance_md()) + "\n",
                                            encoding="utf-8")
    rows = provenance_rows() + commune_rows
    digests = {f: hashlib.sha256((raw / f).read_bytes()).hexdigest() for f in {r["file"] for r in rows}}
    with (external / "provenance.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["file", "sha256", "year", "indicator", "field", "origin", "address"])
        w.writeheader()
        w.writerows({**r, "sha256": digests[r["file"]]} for r in rows)
    print(f"wrote {len(FILES) + len(sample_communes.COMMUNES)} workbooks to {raw} and PROVENANCE.md + "
          f"provenance.csv to {external}")


if __name__ == "__main__":
    if len(sys.argv) > 1:  # everything into OUT_DIR
        main(Path(sys.argv[1]), Path(sys.argv[1]))
    else:
        main(ROOT / "data" / "raw", ROOT / "data" / "external")
