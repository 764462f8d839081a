"""The project explains itself: its rules in docs/, a pipeline of sub-packages that depend one way, short
modules, one place naming the folders, and no pointer to anything outside the repository."""

from __future__ import annotations

import ast
import re
import subprocess
from functools import cache

from conftest import ROOT

PACKAGE = ROOT / "chodon_analysis"
STAGES = ["base", "cleaning", "analysis", "report", "runner"]  # each may import only the ones before it


@cache
def _modules() -> dict[str, ast.Module]:
    return {".".join(p.relative_to(ROOT).with_suffix("").parts): ast.parse(p.read_text(encoding="utf-8"))
            for p in PACKAGE.rglob("*.py")}


def _imports(name: str, tree: ast.Module) -> set[str]:
    """Every module of the package that `name` imports, at the top or inside a function."""
    package = name.split(".")[:-1] if not name.endswith("__init__") else name.split(".")[:-1]
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            target = ".".join([*base, *(node.module.split(".") if node.module else [])])
            if target.startswith("chodon_analysis"):
                out.add(target)
                out.update(f"{target}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("chodon_analysis"))
    mods = _modules()
    return {m if m in mods else f"{m}.__init__" for m in out if m in mods or f"{m}.__init__" in mods} - {name}


def _stage(module: str) -> int | None:
    parts = module.split(".")
    return STAGES.index(parts[1]) if len(parts) > 2 and parts[1] in STAGES else None


def test_at_least_three_stages_and_dependencies_point_one_way():
    assert all((PACKAGE / s / "__init__.py").exists() for s in STAGES)
    wrong = []
    for name, tree in _modules().items():
        here = _stage(name)
        for imported in _imports(name, tree):
            there = _stage(imported)
            if here is not None and there is not None and there > here:
                wrong.append(f"{name} imports {imported}")
    assert not wrong


def test_no_import_cycle():
    graph = {name: _imports(name, tree) for name, tree in _modules().items()}
    graph = {k: {v for v in vs if not v.endswith("__init__")} for k, vs in graph.items()}
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in graph.get(node, ()):
            assert state.get(nxt) != 1, " -> ".join([*path, node, nxt])
            if nxt not in state:
                visit(nxt, [*path, node])
        state[node] = 2

    for node in graph:
        if node not in state:
            visit(node, [])


def test_no_module_over_350_lines():
    long = {str(p.relative_to(ROOT)): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 350}
    assert not long


def test_no_function_over_80_lines():
    """In the package, its tests, the benchmarks and the scripts alike."""
    files = [p for folder in ("chodon_analysis", "tests", "benchmarks", "scripts")
             for p in (ROOT / folder).rglob("*.py")]
    assert len(files) > 80
    long = [f"{p.relative_to(ROOT)}:{n.lineno} {n.name}: {n.end_lineno - n.lineno + 1}" for p in files
            for n in ast.walk(ast.parse(p.read_text(encoding="utf-8")))
            if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) and n.end_lineno - n.lineno + 1 > 80]
    assert not long


def test_folders_are_named_in_one_place():
    pattern = re.compile(r"^(data/(raw|external|processed)|reports|notebooks)(/|$)")
    named = []
    for name, tree in _modules().items():
        docs = {id(n.body[0].value) for n in ast.walk(tree)
                if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef))
                and n.body and isinstance(n.body[0], ast.Expr)}
        named += [f"{name}:{n.lineno}" for n in ast.walk(tree)
                  if isinstance(n, ast.Constant) and isinstance(n.value, str)
                  and id(n) not in docs and pattern.match(n.value) and not name.endswith("paths")]
    assert not named


def test_nothing_points_outside_the_repository():
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    # spelled in pieces so that this test does not find itself
    word = re.compile("CON" + "TRACT|" + re.escape("../sha" + "red") + "|sha" + "red/")
    found = []
    for f in files:
        path = ROOT / f
        if f.startswith(".ci/") or not path.is_file() or path.suffix in (".xlsx", ".xls", ".ods", ".parquet"):
            continue
        text = path.read_bytes().decode("utf-8", errors="ignore")
        found += [f"{f}:{i}" for i, line in enumerate(text.splitlines(), 1) if word.search(line)]
    assert not found


def test_the_docs_table_of_columns_is_the_one_the_checks_use():
    from chodon_analysis.base.table import markdown_table

    doc = (ROOT / "docs" / "tidy-table.md").read_text(encoding="utf-8")
    shown = doc.split("<!-- columns:start -->\n")[1].split("\n<!-- columns:end -->")[0].strip()
    assert shown == markdown_table(), "docs/tidy-table.md differs from chodon_analysis/data/columns.csv"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/" in readme
    for page in ("tidy-table", "reading", "attainment", "progress", "derived-tables", "yearly-run", "vocabulary"):
        assert (ROOT / "docs" / f"{page}.md").exists(), page


def test_the_table_is_declared_once(bundled):
    """columns.csv gives the columns, their order and types to every stage: the bundled table has them all."""
    from chodon_analysis.base import table

    df = bundled.indicators
    assert list(df.columns) == [s["column"] for s in table.declared()] == table.columns()
    import pandas as pd

    is_type = {"text": pd.api.types.is_string_dtype, "integer": lambda s: str(s.dtype) == "Int64",
               "number": lambda s: str(s.dtype) == "float64", "boolean": pd.api.types.is_bool_dtype}
    assert [c for c, kind in table.types().items() if not is_type[kind](df[c])] == []


def test_a_column_is_added_by_one_line_of_columns_csv(tmp_path, monkeypatch):
    """A line in columns.csv and a value in the record the walk builds: the column is read, typed, checked, written."""
    import shutil

    from conftest import table as body
    from conftest import write_xlsx

    from chodon_analysis import clean
    from chodon_analysis.base import datafiles, table
    from chodon_analysis.cleaning import workbooks
    from chodon_analysis.paths import VOCABULARY_DIR

    folder = tmp_path / "vocabulary"
    shutil.copytree(VOCABULARY_DIR, folder)
    with (folder / "columns.csv").open("a", encoding="utf-8") as f:
        f.write('checked_by,text,,yes,"Who checked the row."\nchecked_on,text,,yes,"Not filled by any code yet."\n')
    monkeypatch.setattr(table, "VOCABULARY_DIR", folder)
    monkeypatch.setenv("CHODON_VOCABULARY", str(folder))
    real = workbooks.record_row
    monkeypatch.setattr(workbooks, "record_row", lambda r: real({**r, "checked_by": "Lan"}))
    caches = (table.declared, table.types, table.row_columns)
    try:
        for c in caches:
            c.cache_clear()
        path = write_xlsx(tmp_path / "x.xlsx", body(["1", "Diện tích trồng rừng mới", "ha", 500, 510, "Đạt"]))
        df = clean([path], jobs=1).indicators
        assert list(df.columns)[-3:] == ["source_sha256", "checked_by", "checked_on"]
        assert df["checked_by"].tolist() == ["Lan"] and df["checked_on"].fillna("").tolist() == [""]  # declared only
    finally:
        monkeypatch.undo()
        for c in caches:
            c.cache_clear()
        datafiles.check_all()


def test_the_schema_refuses_a_table_that_breaks_its_definition(bundled):
    import pytest

    from chodon_analysis.base.table import SchemaError, validate

    bad = bundled.indicators.copy()
    bad.loc[0, "direction"] = "sideways"
    with pytest.raises(SchemaError, match=r"direction has values \['sideways'\]"):
        validate(bad)
    bad = bundled.indicators.copy()
    bad.loc[0, "source_file"] = ""
    with pytest.raises(SchemaError, match="source_file is empty in 1 rows"):
        validate(bad)


def test_importing_the_package_changes_no_global_state():
    import importlib
    import sys

    import plotly.io as pio

    import chodon_analysis
    from chodon_analysis.report import plots

    before = pio.renderers.default
    importlib.reload(chodon_analysis)
    importlib.reload(plots)
    assert pio.renderers.default == before and sys.modules.get("rfc3987_syntax", "absent") is not None
    try:
        plots.setup()  # the explicit call the report notebooks make
        assert pio.renderers.default == plots.RENDERER
    finally:
        pio.renderers.default = before


def test_pages_come_from_autoescaping_templates_only():
    """No page is pieced together in code (an f-string of tags, html.escape by hand) and no template lets a value
    through unescaped (`|safe`): a value forgotten cannot run as markup."""
    templates = list((PACKAGE / "report" / "templates").glob("*.html"))
    assert len(templates) >= 5 and not [t.name for t in templates if "|safe" in t.read_text(encoding="utf-8")]
    tag = re.compile(r"<(h[1-6]|p|td|th|tr|table|ul|li|a|div|span)[\s>]")
    built = [f"{name}:{n.lineno}" for name, tree in _modules().items() if name.split(".")[1] == "runner"
             for n in ast.walk(tree)
             if isinstance(n, ast.Constant) and isinstance(n.value, str) and tag.search(n.value)]
    escaped = [name for name, tree in _modules().items() if name.split(".")[1] == "runner"
               and any(isinstance(n, ast.Attribute) and n.attr == "escape" for n in ast.walk(tree))]
    assert not built and not escaped, (built, escaped)


def test_notebook_code_lines_within_120_characters():
    """ruff does not read notebooks: their code cells are held to the same 120 characters here."""
    import json

    long = [f"{nb.name}: {line[:60]}" for nb in (ROOT / "notebooks").glob("*.ipynb")
            for cell in json.loads(nb.read_text(encoding="utf-8"))["cells"] if cell["cell_type"] == "code"
            for line in "".join(cell["source"]).splitlines() if len(line) > 120]
    assert not long
