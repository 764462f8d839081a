"""The report notebooks' parameters: what each may be. Checked inside the notebook (`start`) and by `chodon run`
before anything runs, so a wrong value is one plain line naming the parameter, not a traceback half-way."""

from __future__ import annotations

import ast

from ..base import i18n

YEARS = range(1900, 2201)


def _year(value: object) -> str | None:
    if isinstance(value, str) and value.strip().isdigit():
        return f"{value!r} is text, not a number; pass it as a number (papermill -p year {value.strip()}, not -r)"
    if isinstance(value, bool) or not isinstance(value, int):
        return f"{value!r} is not a year; give a whole number such as 2024"
    return None if value in YEARS else f"{value} is not a plausible year ({YEARS.start}–{YEARS.stop - 1})"


def _optional_year(value: object) -> str | None:
    return None if value is None else _year(value)


def _text(value: object) -> str | None:
    return None if isinstance(value, str) and value.strip() else f"{value!r} should be a non-empty text"


def _folder(value: object) -> str | None:
    return None if value is None or (isinstance(value, str) and value) else (
        f"{value!r} should be a folder path (text), or None for the project's folder")


def _tolerance(value: object) -> str | None:
    ok = isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value < 1
    return None if ok else f"{value!r} should be a number from 0 (exact) to below 1"


def _optional_text(value: object) -> str | None:
    return None if isinstance(value, str) else f"{value!r} should be a text (\"\" for none)"


def _flag(value: object) -> str | None:
    return None if isinstance(value, bool) else f"{value!r} should be True or False"


RULES = {"include_shared": _flag, "year": _year, "lang": i18n.lang_problem, "district": _text,
         "commune": _optional_text, "indicator": _optional_text, "processed_dir": _folder, "external_dir": _folder,
         "base_year": _optional_year, "target_year": _optional_year, "rel_tol": _tolerance}


def problems(values: dict[str, object]) -> list[str]:
    """`name: what is wrong; what to give` for every parameter with a known rule and a value it refuses."""
    out = []
    for name, value in values.items():
        rule = RULES.get(name)
        if rule is not None and (problem := rule(value)):
            out.append(f"{name}: {problem}")
    return out


def check(**values: object) -> None:
    """Raise a one-line ParameterError for the first refused parameter (inside a notebook)."""
    if found := problems(values):
        raise i18n.ParameterError(found[0])


INJECTED = "# Parameters"  # the first line of the cell papermill injects after the notebook's parameters cell


def _assigned(source: str) -> list[str]:
    """The names a cell assigns (`year = 2024` -> year), in order; none for what does not parse."""
    try:
        body = ast.parse(source).body
    except SyntaxError:
        return []
    return [t.id for n in body if isinstance(n, ast.Assign) for t in n.targets if isinstance(t, ast.Name)]


def unknown_injected(history: list[str]) -> str | None:
    """`foo: not a parameter of this notebook; ...` for the first name papermill injected (`-p foo 1`, which
    papermill only warns about) that the notebook's parameters cell does not declare; None when every name is
    declared or nothing was injected. `history`: the sources of the cells run so far (IPython's `In`), the latest
    last: the injected cell follows the parameters cell."""
    for i in range(len(history) - 1, 0, -1):
        if history[i].split("\n", 1)[0].strip() == INJECTED:
            declared = _assigned(history[i - 1])
            unknown = [n for n in _assigned(history[i]) if n not in declared and not n.startswith("PAPERMILL_")]
            if declared and unknown:
                return f"{unknown[0]}: not a parameter of this notebook; its parameters are: {', '.join(declared)}"
            return None
    return None


def check_injected(history: list[str] | None = None) -> None:
    """Raise a one-line ParameterError for a name papermill injected that the notebook does not declare (the
    history of the running IPython kernel when not given; nothing to check outside one)."""
    if history is None:
        from IPython import get_ipython

        shell = get_ipython()
        history = list(getattr(getattr(shell, "history_manager", None), "input_hist_raw", None) or [])
    if problem := unknown_injected(history):
        raise i18n.ParameterError(problem)
