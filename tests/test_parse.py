"""Numbers in Vietnamese and English format, and every plan phrase of docs/reading.md."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chodon_analysis.cleaning.rows.parse import number_from_cell, parse_number, parse_target


@pytest.mark.parametrize(
    ("text", "convention", "value"),
    [
        ("28.320", "vi", 28320), ("28,320", "en", 28320), ("28.320", "en", 28.32), ("28,320", "vi", 28.32),
        ("1,78", None, 1.78), ("1.78", None, 1.78), ("80,5%", None, 80.5), ("1.234.567", None, 1234567),
        ("1,234,567", None, 1234567), ("1.262,4", None, 1262.4), ("1,262.4", None, 1262.4), ("0,805", None, 0.805),
        ("28 320", None, 28320), ("-5", None, -5), ("02", None, 2),
    ],
)
def test_numbers(text, convention, value):
    assert parse_number(text, convention).value == pytest.approx(value)


def test_unambiguous_numbers_report_their_convention():
    assert parse_number("1,78").convention == "vi"
    assert parse_number("1.72").convention == "en"
    n = parse_number("28.320")
    assert n.ambiguous and n.convention is None and n.value == 28320  # Vietnamese assumed, and said so
    assert not parse_number("28.320", "vi").ambiguous


@pytest.mark.parametrize("text", ["8o,5", "x", "", "1,2,3.4,5", "abc", "12.34.5"])
def test_not_numbers(text):
    assert parse_number(text) is None


def test_percent_format_fraction():
    n = number_from_cell(0.805, percent_format=True)
    assert n.value == 80.5 and n.decimals == 1


def _fmt(value: float, decimals: int, convention: str) -> str:
    s = f"{value:,.{decimals}f}"
    return s.replace(",", "\0").replace(".", ",").replace("\0", ".") if convention == "vi" else s


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=0, max_value=3),
       st.sampled_from(["vi", "en"]))
def test_a_number_in_either_format_reads_back_the_same(cents, decimals, convention):
    value = cents / 10**decimals
    text = _fmt(value, decimals, convention)
    n = parse_number(text, convention)
    assert n is not None, text
    assert n.value == pytest.approx(value, rel=1e-12, abs=1e-9)


@given(st.integers(min_value=1, max_value=10**6), st.sampled_from(["vi", "en"]),
       st.sampled_from(["trên {}", "{} trở lên", "dưới {}", "không quá {}", "tối đa {}", "đạt {}", "{}"]))
def test_phrases_read_back_their_number(n, convention, phrase):
    text = phrase.format(_fmt(n, 0, convention))
    t = parse_target(text, convention)
    assert t is not None and t.value == n


PHRASES = [
    ("trên 500", ">", 500, None), ("> 500", ">", 500, None), ("hơn 500", ">", 500, None),
    ("trên 500kg/người/năm", ">", 500, None), ("đạt trên 85%", ">", 85, None),
    ("từ 95% trở lên", ">=", 95, None), ("150 trở lên", ">=", 150, None), ("≥ 95", ">=", 95, None),
    ("> = 55", ">=", 55, None), ("< = 3", "<=", 3, None),
    (">= 95", ">=", 95, None), ("tối thiểu 90%", ">=", 90, None), ("ít nhất 3", ">=", 3, None),
    ("dưới 5%", "<", 5, None), ("< 2", "<", 2, None),
    ("không quá 10", "<=", 10, None), ("tối đa 3", "<=", 3, None), ("≤ 1,5", "<=", 1.5, None),
    ("80-85", "range", 80, 85), ("80 – 85%", "range", 80, 85), ("từ 80 đến 85", "range", 80, 85),
    ("tăng 5%", "change", 5, None), ("giảm 2", "change", -2, None),
    ("giảm 1,5% (còn 12%)", "=", 12, None), ("khoảng 300", "=", 300, None), ("duy trì 80,5%", "=", 80.5, None),
    ("đạt 80,5%", "=", 80.5, None), ("28.320", "=", 28320, None), ("1,78 lần", "=", 1.78, None),
    ("KHOẢNG 51.300", "=", 51300, None),
]


@pytest.mark.parametrize(("text", "op", "value", "high"), PHRASES)
def test_plan_phrases(text, op, value, high):
    t = parse_target(text)
    assert (t.op, t.value, t.high) == (op, pytest.approx(value), None if high is None else pytest.approx(high))


def test_reduce_to_a_level_is_lower_is_better():
    t = parse_target("giảm 3% (còn 13,5%)")
    assert (t.op, t.value, t.direction, t.decimals) == ("=", 13.5, "lower", 1)


def test_written_precision_is_kept():
    assert parse_target("80,3").decimals == 1
    assert parse_target("95,32").decimals == 2
    assert parse_target("500").decimals == 0


@pytest.mark.parametrize("text", ["8o,5", "x", "chưa có số liệu", "", "1 2 3 4",
                                  # markup and references are not a plan: the one digit in them is no target
                                  "[x](javascript:alert(4))", "<img src=x onerror=alert(1)>", "Theo QĐ 123/QĐ-UBND",
                                  "Theo Nghị quyết số 15-NQ/HU", "=SUM(D4:D9)"])
def test_phrases_without_a_number(text):
    assert parse_target(text) is None


@pytest.mark.parametrize(("text", "value"), [("tốc độ tăng trưởng: 8,5%", 8.5), ("Tỷ lệ (bình quân) 80,5%", 80.5),
                                             ('đạt "chuẩn" 95%', 95), ("duy trì tỷ lệ 80,5%", 80.5)])
def test_words_around_the_one_number_of_a_plan(text, value):
    assert parse_target(text).value == value
