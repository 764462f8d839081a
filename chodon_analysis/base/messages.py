"""Every repair and doubt has a stable code (`year_typo`, `hidden_row`, ...) and parameters; its words come from
the string catalog as `issue.<code>.problem` (what was seen) and `issue.<code>.action` (what was done or what to
do), in the reader's language, with `{name}` filled from the parameters. issues.csv keeps the English words too."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from functools import lru_cache

from . import i18n

# A parameter is shown as it is, but a number in the reader's format (`80,5` / `80.5`, `1.048.576` / `1,048,576`;
# a year of YEARS stays `2024`), and a parameter of CHOICES, whose value is one of a few words, as the catalog's
# words: `where="title"` as `issue_param.where.title`
CHOICES: dict[str, tuple[str, ...]] = {"where": ("header", "title", "sheet", "file")}
YEARS = ("year", "fixed", "report_year", "named")  # parameters that are years: never grouped by thousands


def words(code: str, params: Mapping[str, object] | None = None, lang: str = "vi") -> tuple[str, str]:
    """(problem, action) of `code` in `lang`; a code without both lines in strings.csv is a KeyError."""
    values = {k: _shown(k, v, lang) for k, v in (params or {}).items()}
    return (i18n.text(f"issue.{code}.problem", lang, **values), i18n.text(f"issue.{code}.action", lang, **values))


def english(code: str, params: Mapping[str, object] | None = None) -> str:
    """`problem; action` in English: a ReadError's message, the CLI's `error:` line."""
    problem, action = words(code, params, "en")
    return f"{problem}; {action}" if action else problem


def dump(params: Mapping[str, object] | None) -> str:
    """The parameters as issues.csv stores them: JSON, Vietnamese letters kept ("" when there are none)."""
    return json.dumps({k: _plain(v) for k, v in params.items()}, ensure_ascii=False, sort_keys=True) if params else ""


def load(text: object) -> dict[str, object]:
    """The parameters of an issues.csv row back from their JSON ({} for an empty cell)."""
    return json.loads(text) if isinstance(text, str) and text.strip() else {}


def _plain(value: object) -> object:
    """A parameter as it is stored: numbers as JSON numbers (without a float's binary noise), text as text."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return "" if math.isnan(value) or math.isinf(value) else float(f"{value:.15g}")
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value if isinstance(value, int | str) else str(value)


def _shown(name: str, value: object, lang: str) -> str:
    """A parameter in the reader's words: `80,5` and `1.048.576` in Vietnamese, a choice's word, anything else as
    it is; a list of them joined by ` / ` (`-` when empty)."""
    if isinstance(value, list | tuple):
        return " / ".join(_shown(name, v, lang) for v in value) or "-"
    if isinstance(value, float) or (isinstance(value, int) and not isinstance(value, bool) and name not in YEARS):
        return _number(value, repr(value), lang)  # by its repr too: -0.0 equals 0 but shows `-0`
    if name in CHOICES and value in CHOICES[name]:
        return i18n.text(f"issue_param.{name}.{value}", lang)
    return str(value)


@lru_cache(maxsize=4096)
def _number(value: float, _written: str, lang: str) -> str:
    """A number in the reader's format (Babel: slow, and the same counts recur in every workbook's log)."""
    from babel.numbers import format_decimal

    return format_decimal(value, format="#,##0.##########", locale=i18n._locale(lang))
