"""The attainment rule of docs/attainment.md on a table of cases."""

import pytest

from chodon_analysis.base.rule import Rule, direction_for, status_for

CASES = [
    # op, plan, high, decimals, actual, direction, expected
    ("=", 100, None, 0, 120, "higher", "exceeded"),
    ("=", 100, None, 0, 100, "higher", "met"),
    ("=", 100, None, 0, 90, "higher", "not_met"),
    ("=", 80.3, None, 1, 80.32, "higher", "met"),  # equal at the precision the plan is written with
    ("=", 80.3, None, 1, 80.36, "higher", "exceeded"),
    ("=", 80.3, None, 1, 80.26, "higher", "met"),
    ("=", 80.3, None, 1, 80.24, "higher", "not_met"),
    ("=", 13.5, None, 1, 13.2, "lower", "exceeded"),
    ("=", 13.5, None, 1, 14.0, "lower", "not_met"),
    ("range", 80, 85, 0, 82, "higher", "met"),
    ("range", 80, 85, 0, 85, "higher", "met"),
    ("range", 80, 85, 0, 86, "higher", "exceeded"),
    ("range", 80, 85, 0, 79, "higher", "not_met"),
    ("range", 80, 85, 0, 79, "lower", "exceeded"),
    ("range", 80, 85, 0, 86, "lower", "not_met"),
    (">", 500, None, 0, 569, "higher", "met"),
    (">", 500, None, 0, 500, "higher", "not_met"),
    (">=", 150, None, 0, 150, "higher", "met"),
    (">=", 95, None, 0, 81.3, "higher", "not_met"),
    ("<", 10, None, 0, 9.6, "lower", "met"),
    ("<", 10, None, 0, 10, "lower", "not_met"),
    ("<=", 2, None, 0, 2, "lower", "met"),
    ("<=", 2, None, 0, 3, "lower", "not_met"),
    ("change", -5, None, 0, -15, "lower", "exceeded"),
    ("change", 5, None, 0, 2, "higher", "not_met"),
    ("=", 100, None, 0, None, "higher", "not_evaluated"),
    ("=", None, None, 0, 100, "higher", "not_evaluated"),
    ("", None, None, 0, 100, "higher", "not_evaluated"),
]


@pytest.mark.parametrize(("op", "plan", "high", "decimals", "actual", "direction", "expected"), CASES)
def test_rule(op, plan, high, decimals, actual, direction, expected):
    assert status_for(op, plan, high, decimals, actual, direction) == expected


def test_tolerance_is_a_parameter():
    assert status_for("=", 100, None, 0, 101, "higher") == "exceeded"
    assert status_for("=", 100, None, 0, 101, "higher", Rule(rel_tol=0.02)) == "met"


@pytest.mark.parametrize(
    ("name", "op", "phrase", "expected"),
    [
        ("Tỷ lệ hộ nghèo", "=", None, "lower"),
        ("Tỷ lệ hộ cận nghèo", "=", None, "lower"),
        ("Tỷ lệ trẻ em suy dinh dưỡng", "=", None, "lower"),
        ("Số vụ cháy rừng", "=", None, "lower"),
        ("TY LE HO NGHEO", "=", None, "lower"),
        ("Tỷ lệ cơ sở gây ô nhiễm môi trường nghiêm trọng được xử lý", "=", None, "higher"),  # override file
        ("Tổng sản lượng lương thực", "=", None, "higher"),
        ("Tỷ lệ hộ nghèo", ">=", None, "higher"),  # the side of a one-sided target decides
        ("Số lao động có việc làm", "<", None, "lower"),
        ("Tổng đàn trâu", "=", "lower", "lower"),
    ],
)
def test_direction(name, op, phrase, expected):
    assert direction_for(name, op, phrase) == expected
