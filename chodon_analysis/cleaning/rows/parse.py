"""Parse numbers (Vietnamese or English format) and plan phrases (`trên 500`, `150 trở lên`, `80-85`)."""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import NamedTuple

from ...base import vocab
from ...base.text import fold

OPS = ("=", ">", ">=", "<", "<=", "range", "change")

# A number token: digit groups with `.` `,` or a space between groups of three.
_NUM = r"[-+\u2212]?(?:\d{1,3}(?: \d{3})+(?:[.,]\d+)?|\d[\d.,]*\d|\d)"
_NUM_RE = re.compile(_NUM)
# a number in E notation, as a spreadsheet shows a very large or small one (`1E+27`, `1,5e-3`): never a range
_SCI = re.compile(r"^\s*(?P<x>[-+]?\d+(?:[.,]\d+)?[eE][-+]?\d{1,3})\s*(?P<p>%?)\s*$")


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
    if sci := _scientific(s):
        return sci
    percent = s.endswith("%")
    if percent:
        s = s[:-1].rstrip()
    if not _NUM_RE.fullmatch(s):
        return None
    return _number_token(s, convention, percent)


def _scientific(text: str) -> Number | None:
    """`1E+27`, `1e-320`, `1,5E3`: the number they write (a finite one), else None."""
    m = _SCI.match(text)
    if m is None:
        return None
    value = float(m["x"].replace(",", "."))
    return Number(value, 0, bool(m["p"])) if math.isfinite(value) else None


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
    if not math.isfinite(value):  # 400 nines typed as text: no number a report can hold
        return None
    # float() of a decimal text is already its shortest form (`80.5`): no rounding needed, unlike arithmetic
    return Number(value, len(frac), percent, evidence, ambiguous and convention is None)


def number_from_cell(value: float, percent_format: bool = False, decimals: int | None = None) -> Number:
    """A real numeric cell; a percent-formatted fraction (0.805 shown as 80.5%) becomes 80.5. `decimals` is what
    the cell's number format shows; without one, the decimals the value itself has."""
    if percent_format:
        value = value * 100
    value = float(value)
    if value.is_integer():
        return Number(value, 0 if decimals is None else decimals, percent_format)
    text = repr(value)
    if len(text) > 12 or "e" in text:  # binary noise (80.50000000000001) or an exponent
        value = _round(value)
        text = repr(value)
    if decimals is not None:
        return Number(value, decimals, percent_format)
    return Number(value, len(text) - text.index(".") - 1 if "." in text and "e" not in text else 0, percent_format)


# ---- plan phrases ------------------------------------------------------------------------------
# The words come from plan_phrases.csv; the symbols (≥, <=, ...) are notation and stay here.
_SYMBOLS = {"at_least": (">=", "> =", "≥", "=>"), "at_most": ("<=", "< =", "≤", "=<"), "above": (">",),
            "below": ("<",)}  # `> = 55`: a space typed inside the symbol
_PREFIX_KINDS = (("at_least", ">="), ("at_most", "<="), ("above", ">"), ("below", "<"))
_SUFFIX_KINDS = (("at_least_after", ">="), ("at_most_after", "<="))


def _alt(words: tuple[str, ...]) -> str:
    """A regex alternation of folded phrases, longest first (`tăngthêm 5%`, without a space, still reads)."""
    return "|".join(re.escape(w) for w in words)


class _Grammar(NamedTuple):
    filler: re.Pattern[str]
    prefix: list[tuple[re.Pattern[str], str]]
    suffix: list[tuple[re.Pattern[str], str]]
    leading_from: re.Pattern[str]
    range_: re.Pattern[str]
    reduce_to: re.Pattern[str]
    change: re.Pattern[str]
    decrease: frozenset[str]


@vocab.derived
@lru_cache(maxsize=1)
def _grammar() -> _Grammar:
    """The plan-phrase patterns, built once from the vocabulary."""
    w = vocab.plan_phrases()
    prefix = [(re.compile(rf"^(?:{_alt(tuple(sorted(w[k] + _SYMBOLS[k], key=len, reverse=True)))})\s*"), op)
              for k, op in _PREFIX_KINDS]
    suffix = [(re.compile(rf"\s*(?:{_alt(w[k])})$"), op) for k, op in _SUFFIX_KINDS if w[k]]
    frm = _alt(w["range_from"]) or "(?!)"
    down = _alt(w["down_to"]) or "(?!)"
    verbs = _alt(w["increase"] + w["decrease"])
    extra = _alt(w["change_filler"]) or "(?!)"
    return _Grammar(
        re.compile(rf"^(?:{_alt(w['filler']) or '(?!)'})\s+"), prefix, suffix,
        re.compile(rf"^(?:{_alt(w['at_least']) or '(?!)'})\s*"),
        re.compile(rf"^(?:(?:{frm})\s*)?(?P<a>{_NUM})\s*(?P<pa>%?)\s*[^\d\s(]*\s*(?:-|–|—|~|{_alt(w['range_to'])})"
                   rf"\s*(?P<b>{_NUM})\s*(?P<pb>%?)(?P<rest>.*)$"),
        re.compile(rf"^(?:{_alt(w['decrease'])})\s*(?:(?:{down})\s*)?(?P<x>{_NUM})?\s*%?.*?\(?\s*(?:{down})\s*"
                   rf"(?P<y>{_NUM})\s*(?P<p>%?).*$"),
        re.compile(rf"^(?P<verb>{verbs})\s*(?:(?:{extra})\s*)?(?P<x>{_NUM})\s*(?P<p>%?)(?P<rest>.*)$"),
        frozenset(w["decrease"]))


_VALUE = re.compile(rf"^(?P<x>{_NUM})\s*(?P<p>%?)(?P<rest>.*)$")
_SINCE = re.compile(r"\s*\(?\s*so voi\s+(?:cung ky\s+)?(?:nam\s+)?(?:truoc|\d{4})\s*\)?\s*$")
_PLAIN = re.compile(rf"^\s*(?P<x>{_NUM})\s*(?P<p>%?)\s*$")
_PAREN = re.compile(r"\(.*?\)")
_SPACE_PCT = re.compile(r"(?<=\d)\s*%")
_LAST_VALUE = re.compile(rf"(?P<x>{_NUM})\s*(?P<p>%?)(?P<rest>.*)$")
_OP_SIGN = re.compile(r"[<>≤≥]")
# the words-then-number fallback reads prose, not markup or references: `alert(4)`, `[x](...)`, `QĐ 123/QĐ-UBND`
_NOT_WORDS = re.compile(r"[\[\]{}<>=()]|javascript")
_DOCUMENT_NO = re.compile(r"[/-]\w")
_DIGIT = re.compile(r"\d")


def _tail_ok(rest: str) -> bool:
    """What follows a number may be a unit or words, not another number."""
    return not rest or not _DIGIT.search(_PAREN.sub("", rest))


@vocab.derived
@lru_cache(maxsize=65536)
def parse_target(text: str, convention: str | None = None) -> Target | None:
    """Parse a plan phrase (docs/reading.md) into operator and value(s); None if it says no number.

    `giảm X (còn Y)` is the level Y with lower better; `tăng X` / `giảm X` are changes (+X / -X).
    """
    if sci := _scientific(text):  # `1e-320` is a number, not the range 1–320
        return _target("=", sci)
    if m := _PLAIN.match(text):  # most cells: a bare number, perhaps with %
        n = _number_token(m["x"], convention, bool(m["p"]))
        return None if n is None else _target("=", n)
    g_ = _grammar()
    f = _SINCE.sub("", fold(text)).strip(" .;:,")  # `tăng 10% so với năm 2023`: the base year is not a second number
    f = _SPACE_PCT.sub("%", f)
    while True:
        g = g_.filler.sub("", f)
        if g == f:
            break
        f = g
    if m := g_.reduce_to.match(f):
        n = _number_token(m["y"], convention, bool(m["p"]))
        return None if n is None else _target("=", n, direction="lower")
    if m := g_.range_.match(f):
        a = _number_token(m["a"], convention, bool(m["pa"]))
        b = _number_token(m["b"], convention, bool(m["pb"] or m["pa"]))
        if a and b and _tail_ok(m["rest"]) and not m["a"].startswith(("-", "+")):
            lo, hi = sorted((a.value, b.value))
            ev = a.convention or b.convention
            return Target("range", lo, hi, max(a.decimals, b.decimals), a.percent or b.percent, ev,
                          (a.ambiguous or b.ambiguous) and ev is None)
    if m := g_.change.match(f):
        n = _number_token(m["x"], convention, bool(m["p"]))
        if n is None or not _tail_ok(m["rest"]):
            return None
        sign = -1 if m["verb"] in g_.decrease else 1
        t = _target("change", n)
        return Target("change", sign * abs(t.value), None, t.decimals, t.percent, t.convention, t.ambiguous,
                      "lower" if sign < 0 else None)
    op = "="
    for rx, o in g_.suffix:
        if rx.search(f):
            f, op = rx.sub("", f), o
            f = g_.leading_from.sub("", f)
            break
    else:
        for rx, o in g_.prefix:
            if rx.match(f) and _VALUE.match(rx.sub("", f, count=1)):
                f, op = rx.sub("", f, count=1), o
                break
    m = _VALUE.match(f)
    if not m or not _tail_ok(m["rest"]):
        # `duy trì tỷ lệ 80,5%`: words, then the one number of the cell
        f = _PAREN.sub(" ", f)  # `tỷ lệ (bình quân) 80,5%`: an aside is not the number, `alert(4)` neither
        nums = _NUM_RE.findall(f)
        m = _LAST_VALUE.search(f) if len(nums) == 1 and op == "=" and not _NOT_WORDS.search(f) else None
        if not m or _OP_SIGN.search(f) or not _tail_ok(m["rest"]) or _DOCUMENT_NO.match(m["rest"]):
            return None
    n = _number_token(m["x"], convention, bool(m["p"]))
    if n is None:
        return None
    return _target(op, n)


def _target(op: str, n: Number, direction: str | None = None) -> Target:
    return Target(op, n.value, None, n.decimals, n.percent, n.convention, n.ambiguous, direction)
