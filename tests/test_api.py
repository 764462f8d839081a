"""The analyst's functions (docs/api.md): every example of the page and of the docstrings run against the bundled
data, the clean redone when a workbook changes, names found in either language, errors that say what to give, the
package's import kept light, and the explore notebook made of these functions only."""

from __future__ import annotations

import ast
import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from conftest import ROOT, table, write_xlsx

import chodon_analysis
from chodon_analysis import api
from chodon_analysis.base import files

DOC = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
FUNCTIONS = ["load", "series", "attainment", "compare", "chart", "quality", "catalog"]


def _project(base, raw):
    """A project as cloned (its workbooks `raw`, the bundled reference data) and a working folder elsewhere."""
    project = base / "project"
    (project / "data").mkdir(parents=True)
    (project / "data" / "raw").symlink_to(raw)
    (project / "data" / "external").symlink_to(ROOT / "data" / "external")
    (base / "elsewhere").mkdir()
    return project


@pytest.fixture(scope="module")
def bundled_project(tmp_path_factory, bundled):
    """The bundled workbooks, cleaned already (the suite's one clean, with the key a clean of them leaves): load()
    finds nothing changed. The package points at it, as an editable install points at its clone."""
    from chodon_analysis import write_outputs
    from chodon_analysis.runner.stamps import clean_key, code_fingerprint

    base = tmp_path_factory.mktemp("api")
    project = _project(base, ROOT / "data" / "raw")
    processed = project / "data" / "processed"
    write_outputs(bundled, processed)
    (processed / ".clean-key").write_text(clean_key(project / "data" / "raw", code_fingerprint()))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("chodon_analysis.paths.project_dir", lambda: project)
        mp.setattr("chodon_analysis.report.start.project_dir", lambda: project)
        mp.chdir(base / "elsewhere")
        yield project


def test_every_example_of_the_page_holds_on_the_bundled_data(bundled_project, capsys):
    """docs/api.md's ```python blocks, run in order in one namespace as a reader would type them (each carries its
    own assertions: the 2024 counts 10/22/8/2 as published, the former district rebuilt, ...)."""
    blocks = re.findall(r"```python\n(.*?)```", DOC, re.S)
    assert len(blocks) >= 9
    ns: dict = {}
    for block in blocks:
        exec(compile(block, "docs/api.md", "exec"), ns)
    assert capsys.readouterr().out == ""  # the workbooks had not changed: nothing cleaned again
    assert {"grain", "ranked", "found", "fig"} <= set(ns)
    readme = (ROOT / "README.md").read_text(encoding="utf-8").split("## For analysts")[1]
    ns = {}
    for line in re.search(r"```python\n(.*?)```", readme, re.S).group(1).splitlines():  # the README's, line by line
        exec(line, ns)
        if line.startswith("attainment(2024).counts"):
            assert eval(line.split("#")[0], ns) == eval(line.split("#")[1], ns)  # what its comment says


def test_every_function_is_documented_with_an_example_that_runs(bundled_project):
    """Each public function: in __all__ (Tab finds it), a section of docs/api.md, a short docstring with an example
    that runs as written."""
    ns = {name: getattr(chodon_analysis, name) for name in FUNCTIONS}
    for name in FUNCTIONS:
        assert name in chodon_analysis.__all__ and name in dir(chodon_analysis)
        assert f"\n## {name}\n" in DOC and f"[`{name}(" in DOC
        doc = getattr(chodon_analysis, name).__doc__
        summary, _, example = doc.partition("Example:")
        assert len(summary.strip().splitlines()) <= 2 and example, name
        for code in re.findall(r"``(.+?)``", example):
            exec(code, dict(ns))


def test_the_2024_counts_are_the_published_ones(bundled, published):
    """10 exceeded, 22 met, 8 not met, 2 not evaluated (data/external/published_figures.csv)."""
    pub = published[(published["year"] == "2024") & published["figure"].str.startswith("indicators_")]
    expected = {f.removeprefix("indicators_"): int(n) for f, n in zip(pub["figure"], pub["number"], strict=True)}
    result = api.attainment(2024, data=bundled.indicators)
    assert result.counts == {s: expected[s] for s in result.counts} == {"exceeded": 10, "met": 22, "not_met": 8,
                                                                        "not_evaluated": 2}
    assert sum(result.counts.values()) == expected["total"] == len(result.indicators)
    assert result.area == "huyện Chợ Đồn" and "Trong tổng 42 chỉ tiêu" in result._repr_html_()
    english = api.attainment(2024, data=bundled.indicators, lang="en")
    assert english.area == "Chợ Đồn district" and "Exceeded" in english._repr_html_()


def test_the_clean_is_redone_when_a_workbook_changes_and_only_then(tmp_path, monkeypatch, capsys):
    """From another working folder: cleaned on first use, not again while nothing changed, again when a workbook
    changed (one line each time); a workbook that cannot be read is said once, not cleaned again at every call."""
    raw = tmp_path / "workbooks"
    raw.mkdir()
    book = raw / "bieu-2024.xlsx"
    write_xlsx(book, table(["1", "Tỷ lệ che phủ rừng", "%", "80,5", "80,6", "Đạt"]))
    project = _project(tmp_path, raw)
    monkeypatch.setattr("chodon_analysis.paths.project_dir", lambda: project)
    monkeypatch.setattr("chodon_analysis.report.start.project_dir", lambda: project)
    monkeypatch.chdir(tmp_path / "elsewhere")

    first = api.load()
    assert "Chưa có bảng số liệu đã làm sạch" in capsys.readouterr().out
    assert first["actual_value"].tolist() == [80.6] and (project / "data" / "processed" / ".clean-key").exists()
    first.loc[0, "actual_value"] = 0  # the caller's copy: the next load() is not changed by it
    assert api.load()["actual_value"].tolist() == [80.6] and capsys.readouterr().out == ""
    write_xlsx(book, table(["1", "Tỷ lệ che phủ rừng", "%", "80,5", "79,9", "Không đạt"]))
    assert api.series("forest_cover")["actual_value"].tolist() == [79.9]
    assert "đã thay đổi từ lần làm sạch trước: đang làm sạch lại" in capsys.readouterr().out
    (raw / "hong.xlsx").write_bytes(b"not a workbook")
    assert len(api.load(lang="en")) == 1
    said = capsys.readouterr()
    assert "changed since the last clean" in said.out and "hong.xlsx" in said.err
    assert len(api.load()) == 1 and capsys.readouterr().out == ""  # the same inputs: not cleaned at every call
    read, digest = [], hashlib.file_digest  # what the fingerprint of the workbooks and code reads
    monkeypatch.setattr(files, "hashlib", SimpleNamespace(
        sha256=hashlib.sha256, file_digest=lambda fh, name: read.append(fh.name) or digest(fh, name)))
    assert len(api.load()) == 1 and read == []  # nor a workbook or code file read again to tell so
    (raw / "hong.xlsx").write_bytes(b"not a workbook either")
    api.load()
    assert [Path(f).name for f in read] == ["hong.xlsx"] and "hong.xlsx" in capsys.readouterr().err


def test_an_indicator_is_found_by_any_of_its_names_and_an_unknown_one_is_refused_with_the_closest(bundled):
    data = bundled.indicators
    grain = api.series("grain_per_capita", data=data)
    for name in ("Grain per capita", "LƯƠNG THỰC BÌNH QUÂN ĐẦU NGƯỜI (kg)", "luong thuc binh quan dau nguoi"):
        assert api.series(name, data=data).equals(grain), name
    assert api.series("Tổng sản lượng lương thực", data=data)["indicator_id"].unique().tolist() == ["grain_output"]
    with pytest.raises(ValueError, match=r"grain_per_capita \(Grain per capita\)") as e:
        api.series("grain per capta", lang="en", data=data)
    assert e.value._render_traceback_() == [f"ParameterError: {e.value}"]  # one line in JupyterLab
    with pytest.raises(ValueError, match=r"give its id \(grain_per_capita\)"):
        api.chart("xyzzy", lang="en", data=data)
    assert api.series("buffalo_herd", "Nam Cường", data=data).empty  # known, but no figure of that commune


def test_areas_as_a_reader_names_them(bundled):
    data = bundled.indicators
    nam_cuong = api.attainment(2025, "Nam Cường", data=data).counts
    for name in ("xã Nam Cường", "Nam Cường commune", "xa-nam-cuong", "nam cuong"):
        assert api.attainment(2025, name, data=data).counts == nam_cuong, name
    assert api.attainment(2025, "huyện Chợ Đồn (cũ)", data=data).area == "huyện Chợ Đồn (cũ)"
    with pytest.raises(ValueError, match="“Chợ Đồn” là tên của nhiều địa bàn: huyện Chợ Đồn, xã Chợ Đồn"):
        api.series("grain_output", "Chợ Đồn", data=data)
    with pytest.raises(ValueError, match="“Ba Bể” is no area of the data; the areas are: Chợ Đồn district, "):
        api.chart("grain_output", "Ba Bể", lang="en", data=data)
    with pytest.raises(ValueError, match="xã Nam Cường không có số liệu năm 2024; các năm có số liệu: 2025"):
        api.attainment(2024, "Nam Cường", data=data)
    with pytest.raises(ValueError, match="2024 has no figures of communes .* the years with communes: 2025"):
        api.compare(2024, lang="en", data=data)
    assert api.attainment(np.int64(2024), data=data).counts == api.attainment("2024", data=data).counts
    with pytest.raises(ValueError, match="year: .20x4. không phải một năm"):
        api.quality("20x4", data=data)
    with pytest.raises(ValueError, match="data: give the tidy table"):
        api.compare(2025, lang="en", data="indicators.csv")
    # a name the reader left as written, without marks, because two units share it (Văn Lang, Văn Lăng): a tester
    # asking for `xã Văn Lăng` was given its figures
    import pandas as pd

    odd = data[data["area"] == "Nam Cường"].assign(area="Van Lang", area_code="", district="")
    both = pd.concat([data, odd])
    assert len(api.series("grain_output", "Van Lang", data=both)) == 1
    with pytest.raises(ValueError, match="“xã Văn Lăng” không phải địa bàn nào trong số liệu"):
        api.series("grain_output", "xã Văn Lăng", data=both)


def test_import_stays_light_and_the_names_come_when_asked():
    """`import chodon_analysis` loads neither pandas nor plotly; `chodon_analysis.attainment` is the function."""
    code = ("import sys, chodon_analysis as c; print(sorted(m for m in ('pandas', 'plotly', 'numpy') if m in "
            "sys.modules)); print(c.attainment.__module__, 'pandas' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split("\n")
    assert out[:2] == ["[]", "chodon_analysis.api True"]


def test_the_explore_notebook_uses_the_analysts_functions_only():
    nb = json.loads((ROOT / "notebooks" / "explore.ipynb").read_text(encoding="utf-8"))
    code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    imports = [n for n in ast.walk(ast.parse(code)) if isinstance(n, ast.Import | ast.ImportFrom)]
    assert [(n.module, sorted(a.name for a in n.names)) for n in imports] == [("chodon_analysis", sorted(FUNCTIONS))]
    for name in ("attainment", "compare", "chart", "series", "quality"):
        assert f"{name}(" in code
    reports = "".join((ROOT / "notebooks" / f"{n}.ipynb").read_text(encoding="utf-8")
                      for n in ("attainment", "forest_cover", "grain_per_capita", "indicators"))
    assert reports.count("table = load(processed_dir)") == 4 and "judged = attainment(year, area," in reports


def test_the_reports_options_a_tolerance_and_the_shared_communes(bundled):
    """`rule` and `include_shared`, as the attainment report's `rel_tol` and `include_shared` parameters."""
    from chodon_analysis import Rule

    data = bundled.indicators
    loose = api.attainment(2023, rule=Rule(rel_tol=0.01), data=data).indicators.set_index("indicator_id")
    assert loose.loc["land_use_factor", "status"] == "met"  # 1.77 within 1% of 1.78
    inside = api.attainment(2025, data=data).indicators.set_index("indicator_id")
    wider = api.attainment(2025, include_shared=True, data=data).indicators.set_index("indicator_id")
    assert (inside.loc["grain_output", "coverage"], wider.loc["grain_output", "coverage"]) == ("6/6", "8/8")
    assert inside.loc["grain_output", "actual_value"] < wider.loc["grain_output", "actual_value"]  # an upper bound


def test_the_explorers_indicator_parameter_finds_names_as_the_api_does(bundled):
    """`-p indicator="Forest cover"` opens the explorer on the series the API's series("Forest cover") gives."""
    from chodon_analysis.analysis import series
    from chodon_analysis.report import explorer

    rows = bundled.indicators[bundled.indicators["area_level"] == "district"]
    hist = series.history(rows, "en")
    assert explorer.pick(hist, "Forest cover") == explorer.pick(hist, "tỷ lệ che phủ rừng") == "forest_cover"
    with pytest.raises(ValueError, match="is not an indicator of the data"):
        explorer.pick(hist, "forest cover ratio of mars")


def test_a_ward_a_township_and_a_former_city_are_named_as_readers_name_them():
    """The reviewer's case: `phường Phan Đình Phùng` and `Sông Công city` were refused, while the error listed them."""
    import pandas as pd

    from chodon_analysis.api import _area

    table = pd.DataFrame({"area": ["Phan Đình Phùng", "Nam Cường", "Sông Công", "Chợ Đồn", "Chợ Đồn"],
                          "area_level": ["commune", "commune", "district", "district", "commune"]})
    assert _area(table, "phường Phan Đình Phùng", "vi") == _area(table, "Phan Đình Phùng ward", "en") == (
        "Phan Đình Phùng", "commune")
    city = ("Sông Công", "district")
    assert _area(table, "thành phố Sông Công", "vi") == _area(table, "Sông Công city", "en") == city
    assert _area(table, "xã Chợ Đồn", "vi") == ("Chợ Đồn", "commune")
