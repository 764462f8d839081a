"""Parse numbers (Vietnamese or English format) and plan phrases (`trên 500`, `150 trở lên`, `80-85`)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from .text import fold

OPS = ("=", ">", ">=", "<", "<=", "range", "change")

# A number token: digit groups with `.` `,` or a space between groups of three.
_NUM = r"[-+\u2212]?(?:\d{1,3}(?: \d{3})+(?:[.,]\d+)?|\d[\d.,]*\d|\d)"
_NUM_RE = re.compile(_NUM)


class Number(NamedTuple):
    """A number as read from text: value, decimals written, whether it had `%`, and the format evidence."""

    value: float
    decimals: int
    percent: bool = False
    convention: str | None = None  # "vi" or "en" when the text shows it, None when neutral or ambiguous
    ambiguous: bool = False  # `28.320` / `28,320`: the convention decided it


class Target(NamedTuple):
    """A plan (or actual) phrase: operator, value(s), the written precision and the format evidence."""

    op: str
    value: float
    high: float | None = None
    decimals: int = 0
    percent: bool = False
    convention: str | None = None
    ambiguous: bool = False
    direction: str | None = None  # set when the phrase itself says which way is better


def _round(v: float) -> float:
    """Drop binary noise (80.50000000000001 -> 80.5) without touching written precision."""
    return float(f"{v:.10g}")


def number_convention(token: str) -> tuple[str | None, bool]:
    """What a number token says of its format: ("vi"/"en"/None, ambiguous)."""
    dots, commas = token.count("."), token.count(",")
    if dots and commas:
        return ("vi" if token.rfind(",") > token.rfind(".") else "en"), False
    if not dots and not commas:
        return None, False
    sep = "." if dots else ","
    if dots + commas > 1:
        return ("vi" if sep == "." else "en"), False
    whole, frac = token.split(sep)
    whole = whole.lstrip("+-\u2212")
    if len(frac) == 3 and 1 <= len(whole) <= 3 and whole != "0":
        return None, True
    return ("en" if sep == "." else "vi"), False


def parse_number(text: str, convention: str | None = None) -> Number | None:
    """Read a whole cell as a number; None if it is not one.

    `28.320` and `28,320` are ambiguous: `convention` ("vi" or "en", decided from the other cells)
    settles them, else Vietnamese is assumed and `ambiguous` says so.
    """
    s = text.strip().replace("\u00a0", " ")
    percent = s.endswith("%")
    if percent:
        s = s[:-1].rstrip()
    if not _NUM_RE.fullmatch(s):
        return None
    return _number_token(s, convention, percent)


def _number_token(token: str, convention: str | None, percent: bool = False) -> Number | None:
    token = token.replace(" ", "").replace("\u2212", "-")
    evidence, ambiguous = number_convention(token)
    conv = evidence or convention or "vi"
    thousands, decimal = (".", ",") if conv == "vi" else (",", ".")
    if token.count(decimal) > 1:
        return None
    whole, _, frac = token.partition(decimal)
    groups = whole.lstrip("+-").split(thousands)
    if len(groups) > 1 and (not 1 <= len(groups[0]) <= 3 or any(len(g) != 3 for g in groups[1:])):
        return None
    if not all(g.isdigit() for g in groups) or (frac and not frac.isdigit()):
        return None
    value = float(("-" if whole.startswith("-") else "") + "".join(groups) + ("." + frac if frac else ""))
    return Number(_round(value), len(frac), percent, evidence, ambiguous and convention is None)


def number_from_cell(value: float, percent_format: bool = False) -> Number:
    """A real numeric cell; a percent-formatted fraction (0.805 shown as 80.5%) becomes 80.5."""
    if percent_format:
        value = value * 100
    value = float(value)
    if value.is_integer():
        return Number(value, 0, percent_format)
    text = repr(value)
    if len(text) > 12 or "e" in text:  # binary noise (80.50000000000001) or an exponent
        value = _round(value)
        text = repr(value)
    decimals = len(text.split(".")[1]) if "." in text and "e" not in text else 0
    return Number(value, decimals, percent_format)


# ---- plan phrases ------------------------------------------------------------------------------
_FILLER = re.compile(r"^(?:phan dau|dat muc|dat|duy tri o muc|duy tri muc|duy tri|giu vung|giu|o muc|muc|bang|khoang|xap xi|uoc|chi tieu)\s+")
_PREFIX_OPS = [
    (re.compile(r"^(?:>=|≥|=>|tu|toi thieu|it nhat|khong duoi|khong thap hon)\s*"), ">="),
    (re.compile(r"^(?:<=|≤|=<|toi da|khong qua|khong vuot qua|khong cao hon|khong hon)\s*"), "<="),
    (re.compile(r"^(?:>|tren|hon|cao hon|lon hon|vuot)\s*"), ">"),
    (re.compile(r"^(?:<|duoi|thap hon|nho hon|it hon)\s*"), "<"),
]
_SUFFIX_OPS = [
    (re.compile(r"\s*(?:tro len|tro len tren)$"), ">="),
    (re.compile(r"\s*(?:tro xuong|tro lai)$"), "<="),
]
_RANGE = re.compile(rf"^(?:tu\s*)?(?P<a>{_NUM})\s*(?P<pa>%?)\s*[^\d\s(]*\s*(?:-|–|—|den|toi|~)\s*(?P<b>{_NUM})\s*(?P<pb>%?)(?P<rest>.*)$")
_REDUCE_TO = re.compile(rf"^giam\s*(?:xuong\s*)?(?P<x>{_NUM})?\s*%?.*?\(?\s*(?:con|xuong con|xuong)\s*(?P<y>{_NUM})\s*(?P<p>%?).*$")
_CHANGE = re.compile(rf"^(?P<verb>tang|giam)\s*(?:them\s*)?(?P<x>{_NUM})\s*(?P<p>%?)(?P<rest>.*)$")
_VALUE = re.compile(rf"^(?P<x>{_NUM})\s*(?P<p>%?)(?P<rest>.*)$")


_PAREN = re.compile(r"\(.*?\)")
_SPACE_PCT = re.compile(r"(?<=\d)\s*%")
_LEADING_TU = re.compile(r"^tu\s*")
_LAST_VALUE = re.compile(rf"(?P<x>{_NUM})\s*(?P<p>%?)(?P<rest>.*)$")
_OP_SIGN = re.compile(r"[<>≤≥]")
_DIGIT = re.compile(r"\d")


def _tail_ok(rest: str) -> bool:
    """What follows a number may be a unit or words, not another number."""
    return not rest or not _DIGIT.search(_PAREN.sub("", rest))


@lru_cache(maxsize=65536)
def parse_target(text: str, convention: str | None = None) -> Target | None:
    """Parse a plan phrase (CONTRACT §4) into operator and value(s); None if it says no number.

    `giảm X (còn Y)` is the level Y with lower better; `tăng X` / `giảm X` are changes (+X / -X).
    """
    f = fold(text).replace(",", ",").strip(" .;:")
    f = _SPACE_PCT.sub("%", f)
    while True:
        g = _FILLER.sub("", f)
        if g == f:
            break
        f = g
    if m := _REDUCE_TO.match(f):
        n = _number_token(m["y"], convention, bool(m["p"]))
        return None if n is None else _target("=", n, direction="lower")
    if m := _RANGE.match(f):
        a = _number_token(m["a"], convention, bool(m["pa"]))
        b = _number_token(m["b"], convention, bool(m["pb"] or m["pa"]))
        if a and b and _tail_ok(m["rest"]) and not m["a"].startswith(("-", "+")):
            lo, hi = sorted((a.value, b.value))
            ev = a.convention or b.convention
            return Target("range", lo, hi, max(a.decimals, b.decimals), a.percent or b.percent, ev,
                          (a.ambiguous or b.ambiguous) and ev is None)
    if m := _CHANGE.match(f):
        n = _number_token(m["x"], convention, bool(m["p"]))
        if n is None or not _tail_ok(m["rest"]):
            return None
        sign = -1 if m["verb"] == "giam" else 1
        t = _target("change", n)
        return Target("change", sign * abs(t.value), None, t.decimals, t.percent, t.convention, t.ambiguous,
                      "lower" if sign < 0 else None)
    op = "="
    for rx, o in _SUFFIX_OPS:
        if rx.search(f):
            f, op = rx.sub("", f), o
            f = _LEADING_TU.sub("", f)
            break
    else:
        for rx, o in _PREFIX_OPS:
            if rx.match(f) and _VALUE.match(rx.sub("", f, count=1)):
                f, op = rx.sub("", f, count=1), o
                break
    m = _VALUE.match(f)
    if not m or not _tail_ok(m["rest"]):
        # `duy trì tỷ lệ 80,5%`: words, then the one number of the cell
        nums = _NUM_RE.findall(f)
        m = _LAST_VALUE.search(f) if len(nums) == 1 and op == "=" else None
        if not m or _OP_SIGN.search(f) or not _tail_ok(m["rest"]):
            return None
    n = _number_token(m["x"], convention, bool(m["p"]))
    if n is None:
        return None
    return _target(op, n)


def _target(op: str, n: Number, direction: str | None = None) -> Target:
    return Target(op, n.value, None, n.decimals, n.percent, n.convention, n.ambiguous, direction)
