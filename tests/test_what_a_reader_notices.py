"""Small things a reader notices (issue 21, item 8): the notebook link says what it is, a table without rows says
so, a commune's workbook without sections and with one year of figures is not drawn as if it had them, every marker
of a chart is in its legend; the command line's help and usage errors read as one plain line; plain papermill
refuses a parameter in one line, an undeclared one included."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import ENV, ROOT

ONE_YEAR = "một năm chưa phải là xu hướng"


def _figures(path) -> list[dict]:
    """The plotly figures an executed notebook drew, as JSON."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return [o["data"]["application/vnd.plotly.v1+json"] for c in cells for o in c.get("outputs", [])
            if "application/vnd.plotly.v1+json" in o.get("data", {})]


def _over_years(fig: dict) -> bool:
    return (fig["layout"].get("xaxis", {}).get("title", {}) or {}).get("text") in ("Năm", "Year")


# ---- the report pages -------------------------------------------------------------------------------------------
def test_the_notebook_links_download_the_file_and_say_it_opens_in_jupyterlab(full_run, area_run):
    """A browser shows an .ipynb as JSON: every index links its notebooks as files to download, and says they
    open in JupyterLab."""
    for index in (full_run[0] / "reports" / "2024" / "index.html",
                  area_run[0] / "reports" / "2025" / "xa-nam-cuong" / "index.html"):
        page = index.read_text(encoding="utf-8")
        links = re.findall(r'<a href="[^"]+\.ipynb"[^>]*>', page)
        assert len(links) >= 3 and all(" download" in a for a in links), links
        assert "mở bằng JupyterLab" in page and "không phải trang web" in page


def test_a_table_without_rows_says_so_in_every_report_page(area_run):
    """The commune's reports (no disagreement in any year): no table is a row of headers alone."""
    from chodon_analysis.report import tables

    folder = area_run[0] / "reports" / "2025" / "xa-nam-cuong"
    for name in ("attainment", "forest_cover", "grain_per_capita"):
        page = (folder / f"{name}.html").read_text(encoding="utf-8")
        bare = [t for t in re.findall(r"<table\b.*?</table>", page, re.S) if "<td" not in t]
        assert not bare, (name, bare[0][:300])
    attainment = (folder / "attainment.html").read_text(encoding="utf-8")
    assert re.search(r"Tất cả các năm<a [^>]*>¶</a></h3>.*?<p>Không có\.</p>", attainment, re.S)
    empty = pd.DataFrame(columns=["year", "indicator", "status"])
    assert [tables.table(empty, lang)._repr_markdown_() for lang in ("vi", "en")] == ["Không có.", "None."]


def test_a_workbook_without_sections_gets_a_sentence_not_an_unnamed_bar(area_run):
    from chodon_analysis.report import plots

    page = (area_run[0] / "reports" / "2025" / "xa-nam-cuong" / "attainment.html").read_text(encoding="utf-8")
    assert "Biểu không chia các chỉ tiêu theo lĩnh vực" in page
    counts = pd.DataFrame({"section": ["", "", "KINH TẾ"], "status": ["met", "not_met", "met"], "count": [3, 1, 2]})
    fig = plots.by_section_bar(counts, "vi")  # some rows under no heading: their bar is named so
    assert {y for t in fig.data for y in t.y} == {"KINH TẾ", "(không ghi lĩnh vực)"}
    none = plots.by_section_bar(counts.assign(section=""), "en")
    assert none._repr_markdown_().startswith("The workbook does not group its indicators into sections")


def test_every_marker_drawn_is_in_the_legend(bundled, published, provenance):
    """The former district's 2025 forest cover and population, rebuilt from its communes, are diamonds; published
    points filled circles; the workbooks' values open circles: each kind has its legend entry, named."""
    from chodon_analysis.analysis import trends
    from chodon_analysis.analysis.communes import rebuilt_for
    from chodon_analysis.report import plots

    ind = bundled.indicators
    rebuilt = rebuilt_for(ind[ind.area_level == "commune"], "Chợ Đồn")
    district = ind[ind.area_level == "district"]
    forest = trends.forest_cover(district, published, provenance, 2025, "Chợ Đồn", rebuilt=rebuilt)
    grain = trends.grain_per_capita(district, published, provenance, 2025, "Chợ Đồn", rebuilt=rebuilt)
    for fig in (plots.forest_cover_chart(forest, "vi"), plots.grain_chart(grain, "vi")):
        drawn, legend = set(), {}
        for t in fig.data:
            if t.type != "scatter" or "markers" not in (t.mode or "") or t.marker.symbol is None:
                continue
            symbols = [t.marker.symbol] if isinstance(t.marker.symbol, str) else list(t.marker.symbol)
            drawn |= set(symbols)
            if t.showlegend is not False:
                assert len(set(symbols)) == 1, t.name  # a legend entry shows one symbol: its trace draws only it
                legend[symbols[0]] = t.name
        assert "diamond" in drawn and drawn <= set(legend), (drawn, legend)
        assert "tính lại từ các xã" in legend["diamond"] and "công bố" in legend["circle"]
    per_head = plots.per_capita_chart(grain, lang="vi")  # diamonds are the rebuilt year here too, not the reported
    marks = {t.marker.symbol: (t.name, list(t.x)) for t in per_head.data if "markers" in (t.mode or "")}
    assert "tính lại từ các xã" in marks["diamond"][0] and marks["diamond"][1] == [2025]
    assert "báo cáo" in marks["square-open"][0]


def test_a_chart_over_the_years_with_one_year_says_it_is_not_a_trend(area_run, full_run):
    """The commune's first reports have the figures of 2025 alone: each chart over the years says so on it; the
    district's charts over several years do not."""
    commune = area_run[0] / "reports" / "2025" / "xa-nam-cuong"
    for name in ("attainment", "forest_cover", "grain_per_capita"):
        charts = [f for f in _figures(commune / f"{name}.ipynb") if _over_years(f)]
        assert charts, name
        for fig in charts:
            assert any(ONE_YEAR in (a.get("text") or "") for a in fig["layout"].get("annotations", [])), name
    district = full_run[0] / "reports" / "2024"
    for name in ("attainment", "forest_cover", "grain_per_capita"):
        texts = [a.get("text") or "" for f in _figures(district / f"{name}.ipynb") for a in
                 f["layout"].get("annotations", [])]
        assert not [t for t in texts if ONE_YEAR in t], name


def test_a_chart_without_any_figure_says_so_and_nothing_of_cho_don_is_said_of_another_district(tmp_path):
    """A tester's cases: a ward without forest drew three empty charts (years -1 to 6), said computed and reported
    grain per head agree where nothing was compared, and Ba Bể's pages told of Chợ Đồn's 2009 point and atlas."""
    import numpy as np
    import pandas as pd

    from chodon_analysis.analysis.context import Context, load_published
    from chodon_analysis.base import i18n
    from chodon_analysis.report import plots
    from chodon_analysis.report.sentences import per_capita_agreement

    none = pd.DataFrame({"year": [2025], "forest_cover_pct": [np.nan], "plan_pct": [np.nan], "source": [""],
                         "series_break": [""], "new_forest_ha": [np.nan], "new_forest_plan_ha": [np.nan],
                         "new_forest_source": [""], "cumulative_new_forest_ha": [np.nan]})
    for fig in (plots.forest_cover_chart(none, "vi"), plots.planting_chart(none, "vi"),
                plots.cumulative_chart(none, float("nan"), "vi")):
        assert [a.text for a in fig.layout.annotations] == [i18n.text("chart.no_data", "vi")]
        assert fig.layout.xaxis.visible is False
    planned = plots.forest_cover_chart(none.assign(plan_pct=[80.5]), "vi")  # a plan alone is drawn
    assert planned.layout.xaxis.visible is not False and not planned.layout.annotations
    grain = pd.DataFrame({"grain_per_capita_kg": [np.nan, 512.0], "reported_kg": [510.0, np.nan]})
    assert per_capita_agreement(grain, "vi") == i18n.text("grain.pc_none", "vi")
    assert per_capita_agreement(grain.assign(reported_kg=[510.0, 512.0]), "vi") == i18n.text("grain.pc_agree", "vi")
    published = load_published(ROOT / "data" / "external" / "published_figures.csv")
    ctx = Context(pd.DataFrame(), published, pd.DataFrame(), tmp_path, tmp_path, scope="Ba Bể")
    assert not ctx.published_here and Context(pd.DataFrame(), published, pd.DataFrame(), tmp_path, tmp_path,
                                              scope="Chợ Đồn").published_here


# ---- the command line -------------------------------------------------------------------------------------------
def _commands():
    import typer.main

    from chodon_analysis.cli import app

    group = typer.main.get_command(app)
    return app, group, group.commands


def test_help_shows_no_type_tags_beside_flags_or_any_option(tmp_path):
    """`chodon --help` and each command's: a flag is its name alone, a value its metavar (YEAR, DIR, N)."""
    from typer.testing import CliRunner

    app, group, commands = _commands()
    for args in ([], *([name] for name in commands)):
        out = CliRunner().invoke(app, [*args, "--help"]).output
        assert "Usage: chodon" in out, args
        assert not re.findall(r"<[^>\s]+>", out), (args, re.findall(r"<[^>\s]+>", out))  # no <bool>, <int>, <path>
        assert not re.search(r"\[x>=", out) and "─" not in out, args
        params = [p for p in commands[args[0]].params if p.param_type_name == "option"] if args else group.params
        for p in params:
            if getattr(p, "is_flag", False):
                assert re.search(rf"^\s+{re.escape(p.opts[-1])}\s\s+\S", out, re.M), (args, p.opts)


def _whole_options():
    """(command, option, the other arguments it needs) for every whole-number option of every command."""
    _, _, commands = _commands()
    needs = {"run": ["--year", "2024"], "areas": ["--year", "2024"], "inspect": ["x.xlsx"]}
    return [(name, p.opts[0], [] if p.opts[0] == "--year" else needs.get(name, []))
            for name, c in commands.items() for p in c.params
            if p.param_type_name == "option" and getattr(p.type_descriptor, "annotation", None) is int]


@pytest.mark.parametrize("bad", ["abc", "2.5", "-5", ""])
def test_a_bad_value_of_any_whole_number_option_is_one_line(bad):
    from typer.testing import CliRunner

    from chodon_analysis.cli import app

    found = _whole_options()
    assert {(c, o) for c, o, _ in found} >= {("run", "--year"), ("run", "--jobs"), ("areas", "--year"),
                                             ("inspect", "--rows")}
    for command, option, others in found:
        result = CliRunner().invoke(app, [command, *others, option, bad])
        lines = result.stderr.splitlines()
        assert result.exit_code == 2 and len(lines) == 1, (command, option, result.stderr)
        assert lines[0].startswith(f"error: {option}: ") and f"see chodon {command} --help" in lines[0], lines
        assert "-5" in lines[0] or repr(bad) in lines[0], lines


def test_every_usage_error_is_one_line():
    from typer.testing import CliRunner

    from chodon_analysis.cli import app

    for args, said in ((["run", "--yaer", "2024"], "no such option: --yaer"), (["run"], "missing option '--year'"),
                       (["nope"], "no such command 'nope'"), (["inspect"], "missing argument 'FILE'")):
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 2 and result.stderr.splitlines() == [result.stderr.strip()], result.stderr
        assert result.stderr.startswith(f"error: {said}"), result.stderr


# ---- plain papermill ----------------------------------------------------------------------------------------------
RAISE_IT = ("import papermill.cli\nfrom papermill.exceptions import PapermillExecutionError as E\n"
            "raise E(1, 3, 'ctx = start.start(year)', {ename!r}, 'year: the data has no rows of 1999', "
            "['{ename}: year: the data has no rows of 1999'])\n")


def papermill_refusal(_folder: Path) -> subprocess.CompletedProcess:
    """A papermill process reaching the notebook's refusal of `-p year 1999`; started in the background when the
    session starts (conftest.py)."""
    return subprocess.run([sys.executable, "-c", RAISE_IT.format(ename="ParameterError")], capture_output=True,
                          text=True, cwd=ROOT, env=ENV)


def test_papermill_ends_a_refused_parameter_with_its_one_line(background):
    """What papermill raises when the notebook refused `-p year 1999`, reaching the top of a papermill process (which
    loads the package's plugin as it starts): the notebook's line alone, status 1; another error keeps its report."""
    refused = background["papermill"].result()
    assert refused.returncode == 1
    assert refused.stderr.splitlines() == ["ParameterError: year: the data has no rows of 1999"], refused.stderr
    from papermill.exceptions import PapermillExecutionError

    from chodon_analysis import papermill_plugin

    other = PapermillExecutionError(1, 3, "x = {}['a']", "KeyError", "'a'", ["KeyError: 'a'"])
    assert papermill_plugin.one_line(other) is None  # a notebook's own error: papermill's whole report


def _history(name: str, params: dict) -> list[str]:
    """The cells a kernel has run when `papermill notebooks/<name>.ipynb out.ipynb -p ...` reaches the notebook's
    first call: IPython's `In` (an empty first entry), the parameters cell, the cell papermill injects, the call."""
    from papermill.iorw import load_notebook_node
    from papermill.parameterize import parameterize_notebook

    nb = parameterize_notebook(load_notebook_node(str(ROOT / "notebooks" / f"{name}.ipynb")), params)
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    return ["", *code[:3]]


@pytest.mark.parametrize("name", ["attainment", "forest_cover", "grain_per_capita", "indicators"])
def test_a_parameter_the_notebook_does_not_declare_is_refused_in_one_line(name, monkeypatch):
    """`papermill ... -p foo 1` only warns, then runs the notebook with the name unused: the notebook's first call
    refuses it, naming the parameters it has; the declared ones, and papermill's own paths, pass."""
    from types import SimpleNamespace

    import IPython

    from chodon_analysis.base.i18n import ParameterError
    from chodon_analysis.report import parameters

    history = _history(name, {"year": 2024, "foo": 1})
    with pytest.raises(ParameterError) as e:
        parameters.check_injected(history)
    said = e.value._render_traceback_()
    assert len(said) == 1 and said[0].startswith("ParameterError: foo: not a parameter of this notebook; its "
                                                 "parameters are: year, lang, district"), said
    parameters.check_injected(_history(name, {"year": 2024, "lang": "en", "PAPERMILL_INPUT_PATH": "x.ipynb"}))
    # in the kernel: the notebook's own first call looks at IPython's history
    shell = SimpleNamespace(history_manager=SimpleNamespace(input_hist_raw=history))
    monkeypatch.setattr(IPython, "get_ipython", lambda: shell)
    params, injected, setup = history[1:]
    ns: dict = {}
    exec(params + "\n" + injected, ns)
    with pytest.raises(ParameterError, match="foo: not a parameter"):
        exec(setup, ns)


def test_an_office_that_assessed_nothing_has_a_dash_not_zeros(area_run):
    """Nam Cường's workbook has no assessment column: the attainment page's office column is a dash in every row
    (0 would read as "none met"), and the chart draws no bars of 0 for it."""
    page = (area_run[0] / "reports" / "2025" / "xa-nam-cuong" / "attainment.html").read_text(encoding="utf-8")
    table = re.search(r"<table\b.*?Cơ quan tự đánh giá.*?</table>", page, re.S).group(0)
    office = [cells[2] for cells in (re.findall(r"<td[^>]*>\s*(.*?)\s*</td>", row) for row in
                                     re.findall(r"<tr>.*?</tr>", table, re.S)) if len(cells) >= 3]
    assert office == ["—"] * 4, office
    chart = re.search(r"Plotly\.newPlot\(.*?\)", page, re.S).group(0)
    assert "Cơ quan tự đánh giá" not in chart.encode().decode("unicode_escape", "ignore")
