"""The report notebooks of a folder, the parameters they declare, and checks of what the user passes."""

from __future__ import annotations

import ast
import json
from dataclasses import dataclass
from pathlib import Path

from ..report import parameters


@dataclass
class Notebook:
    path: Path
    params: dict[str, dict]  # name -> papermill's inferred parameter info

    @property
    def name(self) -> str:
        return self.path.stem


def report_notebooks(folder: Path) -> list[Notebook]:
    """Notebooks of `folder` with a cell tagged `parameters` (the others are exploration notebooks)."""
    out = []
    for p in sorted(folder.glob("*.ipynb")):
        nb = json.loads(p.read_text(encoding="utf-8"))
        cell = next((c for c in nb.get("cells", []) if "parameters" in c.get("metadata", {}).get("tags", [])), None)
        if cell is not None:
            out.append(Notebook(p, _declared_params("".join(cell.get("source", "")))))
    return out


def imported_modules(paths: list[Path]) -> list[str]:
    """The modules the code cells of these notebooks import (`from a import b` gives a and a.b, which may be a
    module), in first-seen order: what a kernel can load before the notebooks run."""
    seen: dict[str, None] = {}
    for p in paths:
        nb = json.loads(p.read_text(encoding="utf-8"))
        for cell in nb.get("cells", []):
            if cell.get("cell_type") != "code":
                continue
            try:
                tree = ast.parse("".join(cell.get("source", "")))
            except SyntaxError:  # IPython magics: what cannot be parsed is not warmed
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    seen.update(dict.fromkeys(a.name for a in node.names))
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    seen[node.module] = None
                    seen.update(dict.fromkeys(f"{node.module}.{a.name}" for a in node.names))
    return list(seen)


def _declared_params(source: str) -> dict[str, dict]:
    """`name = literal` lines of a parameters cell -> {name: {type, default}} (what papermill would inject over)."""
    out = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            try:
                value = ast.literal_eval(node.value)
            except ValueError:
                value = None
            out[node.targets[0].id] = {"type": type(value).__name__, "default": value}
    return out


def check_params(nb: Notebook, params: dict[str, object]) -> list[str]:
    """Unknown names, wrong types and refused values (report/parameters.py), each a message naming the parameter."""
    problems = []
    for name, value in params.items():
        if name not in nb.params:
            known = ", ".join(nb.params)
            problems.append(f"{nb.path}: unknown parameter '{name}' (the notebook declares: {known})")
            continue
        want = nb.params[name]["type"]
        got = type(value).__name__
        ok = got == want or (want == "float" and got == "int") or want == "NoneType"
        if not ok:
            problems.append(f"{nb.path}: parameter '{name}' should be {want}, got {got} ({value!r})")
            continue
        problems += [f"parameter {p}" for p in parameters.problems({name: value})]
    return list(dict.fromkeys(problems))


def parse_param(text: str) -> tuple[str, object]:
    """`name=value` from the command line; the value read as a Python literal when it is one."""
    name, sep, raw = text.partition("=")
    if not sep or not name.isidentifier():
        raise ValueError(f"--param expects name=value, got '{text}'")
    try:
        return name, ast.literal_eval(raw)
    except (ValueError, SyntaxError):
        return name, raw
