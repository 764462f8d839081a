"""Notebooks are stored without outputs, and each report notebook has one `parameters` cell."""

import json

import pytest
from conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
REPORTS = {"attainment": {"rel_tol", "lang"}, "forest_cover": {"base_year", "target_year", "lang"},
           "grain_per_capita": {"base_year", "target_year", "lang"}}


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
