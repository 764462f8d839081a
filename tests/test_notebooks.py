"""Notebooks are stored without outputs, and each report notebook has one `parameters` cell."""

import json
from pathlib import Path

import pytest
from conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
REPORTS = {"attainment": {"rel_tol", "lang"}, "forest_cover": {"base_year", "target_year", "lang"},
           "grain_per_capita": {"base_year", "target_year", "lang"},
           "indicators": {"lang", "indicator"}}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_stored_without_outputs(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell.get("outputs", []) == [] and cell.get("execution_count") is None, path.name


@pytest.mark.parametrize(("name", "extra"), REPORTS.items())
def test_report_notebooks_have_one_parameters_cell(name, extra):
    from chodon_analysis.runner.params import report_notebooks

    found = {nb.name: nb for nb in report_notebooks(ROOT / "notebooks")}
    assert set(found) == set(REPORTS)
    nb = json.loads((ROOT / "notebooks" / f"{name}.ipynb").read_text(encoding="utf-8"))
    tagged = [c for c in nb["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1
    assert {"year", "district", "processed_dir", "external_dir"} | extra <= set(found[name].params)
    assert nb["metadata"]["kernelspec"]["name"] == "python3"


# ---- first open: before any `make run`, from any working folder, parameters checked inside ---------------------
def _code(name: str) -> list[str]:
    nb = json.loads((ROOT / "notebooks" / f"{name}.ipynb").read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]


@pytest.fixture(scope="module")
def fresh_project(tmp_path_factory):
    """A project as cloned: the bundled workbooks and reference data, no data/processed; the working folder
    elsewhere. The package is pointed at it (as an editable install points at its clone)."""
    base = tmp_path_factory.mktemp("clone")
    project = base / "project"
    (project / "data").mkdir(parents=True)
    for name in ("raw", "external"):
        (project / "data" / name).symlink_to(ROOT / "data" / name)
    (project / "notebooks").symlink_to(ROOT / "notebooks")
    elsewhere = base / "elsewhere"
    elsewhere.mkdir()
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("chodon_analysis.paths.project_dir", lambda: project)
        mp.setattr("chodon_analysis.report.start.project_dir", lambda: project)
        mp.chdir(elsewhere)
        yield project


def test_a_notebook_on_first_open_cleans_the_bundled_data_itself(fresh_project, capsys, bundled):
    """The explore notebook (the analyst's functions only) and then the attainment report, run cell by cell as
    JupyterLab would (in this process, with the defaults: no processed_dir), find the project's data from another
    working folder."""
    assert not (fresh_project / "data" / "processed").exists()
    ns: dict = {}
    for cell in _code("explore"):
        exec(cell, ns)
    said = capsys.readouterr().out
    assert said.count("Chưa có bảng số liệu đã làm sạch") == 1 and "data/raw" in said  # one short message
    assert (fresh_project / "data" / "processed" / "indicators.parquet").exists()
    assert len(ns["table"]) == len(bundled.indicators) and len(ns["grain"]) >= 5  # the table; grain per head by year
    assert ns["result"].counts == {"exceeded": 10, "met": 22, "not_met": 8, "not_evaluated": 2}  # as published
    assert set(ns["missed"]["indicator_id"]) == {"buffalo_herd", "new_rural"}  # not met in 2023 and in 2024
    assert "Nam Cường" in set(ns["ranked"]["area"]) and ns["chart"]("forest_cover").data  # only the API's names
    assert not [n for n in ns if n.startswith("chodon") or n in ("start", "plots", "ctx")]
    ns = {}
    for cell in _code("attainment"):
        exec(cell, ns)
    assert "Chưa có bảng" not in capsys.readouterr().out  # cleaned once only
    assert len(ns["this_year"]) >= 42 and ns["ctx"].processed_dir == fresh_project / "data" / "processed"


@pytest.mark.parametrize(("name", "value", "said"), [
    ("year", "abc", "year: 'abc' is not a year; give a whole number such as 2024"),
    ("lang", "fr", "lang: 'fr' is not a report language; use one of: vi, en"),
    ("year", 2031, "year: dữ liệu không có năm 2031; các năm có số liệu: 2020, 2021, 2022, 2023, 2024, 2025"),
    ("district", "Ba Bể", "district: 'Ba Bể' không có trong dữ liệu; các huyện có trong dữ liệu: Chợ Đồn"),
    ("lang='en'\nyear", 2031, "year: the data has no rows of 2031; its years are 2020, 2021, 2022, 2023, 2024, 2025"),
    ("rel_tol", -1, "rel_tol: -1 should be a number from 0 (exact) to below 1"),
])
def test_a_wrong_parameter_stops_the_notebook_with_one_plain_line(fresh_project, name, value, said):
    """As papermill injects it (`-p year abc` gives the text 'abc'), after the parameters cell."""
    from chodon_analysis.base.i18n import ParameterError

    params, setup, *_ = _code("attainment")
    ns: dict = {}
    exec(params + f"\n{name} = {value!r}", ns)
    with pytest.raises(ParameterError) as e:
        exec(setup, ns)
    assert e.value._render_traceback_() == [f"ParameterError: {said}"]  # what the notebook and papermill show


def test_a_notebook_run_in_jupyterlab_keeps_its_outputs_and_git_stores_none():
    """Your file keeps what you ran: no pre-save hook strips it (an older install's is removed); what git stores
    has no outputs through the nbstripout filter that `make install` sets up with the project's extra keys."""
    import sys

    from chodon_analysis.lab import EXTRA_KEYS

    hooks = [c for c in (Path(sys.prefix) / "etc" / "jupyter").glob("jupyter_server_config*.json")
             if "pre_save_hook" in c.read_text(encoding="utf-8")]
    assert not hooks  # JupyterLab saves a notebook as it is
    make = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "nbstripout --install" in make and "filter.nbstripout.extrakeys" in make and "pre_save_hook" not in make
    assert "rm -f $(VENV)/etc/jupyter/jupyter_server_config.json" in make
    assert {"metadata.language_info", "metadata.papermill", "cell.metadata.papermill"} <= set(EXTRA_KEYS)
