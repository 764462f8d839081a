"""Every repair and doubt has a stable code (`year_typo`, `hidden_row`, ...) and parameters; its words come from
the string catalog as `issue.<code>.problem` (what was seen) and `issue.<code>.action` (what was done or what to
do), in the reader's language, with `{name}` filled from the parameters. issues.csv keeps the English words too."""

from __future__ import annotations

import json
from collections.abc import Mapping

from . import i18n


def words(code: str, params: Mapping[str, object] | None = None, lang: str = "vi") -> tuple[str, str]:
    """(problem, action) of `code` in `lang`; a code without both lines in strings.csv is a KeyError."""
    values = {k: _plain(v) for k, v in (params or {}).items()}
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
    """A parameter as it is written: whole floats without `.0`, other values as they are."""
    if isinstance(value, float):
        return f"{value:.15g}"
    return value if isinstance(value, int | str) else str(value)
