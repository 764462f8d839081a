"""The reader's language: words from the string catalog (data/strings.csv) and numbers in the language's format
(Babel's CLDR data: Vietnamese `28.320` and `80,5%`, English `28,320` and `80.5%`). Every stage uses it."""

from __future__ import annotations

import decimal
import math
from functools import cache

LANGS = ("vi", "en")  # the report languages: every key of strings.csv has both


class ParameterError(ValueError):
    """A report parameter that cannot work; shown as one line in a notebook (no traceback) and by `chodon run`."""

    def _render_traceback_(self) -> list[str]:  # IPython shows this instead of the traceback
        return [f"ParameterError: {self}"]


def lang_problem(lang: object) -> str | None:
    """What is wrong with `lang` as a report language, naming the allowed values; None when it is one."""
    return None if lang in LANGS else f"{lang!r} is not a report language; use one of: {', '.join(LANGS)}"


def check_lang(lang: object) -> str:
    """`lang` if it is a report language, else a ParameterError naming the allowed values."""
    if problem := lang_problem(lang):
        raise ParameterError(f"lang: {problem}")
    return lang  # type: ignore[return-value]


def _catalog(lang: str) -> dict[str, str]:
    from . import vocab

    return vocab.strings()[check_lang(lang)]


def has(key: str, lang: str = "vi") -> bool:
    return key in _catalog(lang)


def text(key: str, lang: str = "vi", **values: object) -> str:
    """The words of `key` in `lang`, with `{name}` filled from `values` (already formatted by the caller)."""
    words = _catalog(lang).get(key)
    if words is None:
        from ..paths import vocabulary_dir

        raise KeyError(f"{vocabulary_dir() / 'strings.csv'}: no line for the key '{key}'; add one (key,vi,en)")
    return words.format(**values) if values else words


def status(code: object, lang: str = "vi") -> str:
    """`met` -> `Đạt kế hoạch`; an empty or unknown code stays as it is."""
    return text(f"status.{code}", lang) if isinstance(code, str) and has(f"status.{code}", lang) else (
        "" if code is None or (isinstance(code, float) and math.isnan(code)) else str(code))


@cache
def _locale(lang: str):
    from babel import Locale

    return Locale.parse(check_lang(lang))


def _missing(value: object) -> bool:
    """None, NaN or pandas' NA."""
    try:
        return value is None or bool(value != value)
    except TypeError:  # pd.NA compares to NA
        return True


def number(value: object, lang: str = "vi", decimals: int | None = None, sign: bool = False) -> str:
    """28320 -> `28.320` (vi) / `28,320` (en); `decimals` fixed, else as needed up to two; empty for a missing value."""
    if _missing(value):
        return ""
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "0" * decimals if decimals else "" if decimals == 0 else ".##")
    if sign:
        pattern = f"+{pattern};-{pattern}"
    v = float(value)
    if not math.isfinite(v):
        return "∞" if v > 0 else "-∞" if v < 0 else ""
    with decimal.localcontext() as ctx:  # 1e27 or a 30-digit figure: more digits than decimal's default 28
        ctx.prec = max(ctx.prec, 350 + (decimals or 2))
        return format_decimal(v, format=pattern, locale=_locale(lang))


def percent(value: object, lang: str = "vi", decimals: int | None = 1, sign: bool = False) -> str:
    """A value in percent (80.5) -> `80,5%` (vi) / `80.5%` (en)."""
    return "" if _missing(value) else number(value, lang, decimals, sign) + "%"


def rate(value: object, lang: str = "vi") -> str:
    """A growth rate as a fraction (0.0123) -> `+1,23%`."""
    return "" if _missing(value) else percent(float(value) * 100, lang, 2, sign=True)


def separators(lang: str = "vi") -> str:
    """plotly's `separators` (decimal mark, then thousands mark) of the language: `,.` for vi, `.,` for en."""
    from babel.numbers import get_decimal_symbol, get_group_symbol

    return get_decimal_symbol(_locale(lang)) + get_group_symbol(_locale(lang))
