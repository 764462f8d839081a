"""Where the CPU time of a clean goes, stage by stage, and of the pandas + calamine read it is compared with: `make
bench` runs this in a process of its own and prints the table under section 1.

    python benchmarks/clean_stages.py clean FOLDER OUT    # the stages of `chodon clean FOLDER --out OUT`
    python benchmarks/clean_stages.py read FOLDER         # the stages of the read it is compared with

The clean's stages are those of `cleaner.clean`, each timed (CPU of this process) as the clean runs it, every file
read here rather than in a reader process (the reader processes add a few hundredths of a second). Prints one JSON
object: stage -> CPU seconds, `start-up` being the interpreter's own before this script runs.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

T = time.process_time


def _start() -> float:
    """CPU seconds spent before this script's first line: the interpreter starting."""
    use = resource.getrusage(resource.RUSAGE_SELF)
    return use.ru_utime + use.ru_stime


def clean_stages(folder: Path, out: Path) -> dict[str, float]:
    stages = {"start-up (Python)": _start()}
    t = T()
    from chodon_analysis.base.datafiles import check_all
    from chodon_analysis.base.issues import Log
    from chodon_analysis.cleaning import cleaner, workbooks
    from chodon_analysis.cleaning.formats import calamine, xlsx
    from chodon_analysis.cleaning.layout.override import load_override
    from chodon_analysis.cleaning.rows.walk import extract_workbook

    stages["imports of the package"] = T() - t
    t = T()
    check_all()
    files, _ = cleaner.discover([folder])
    stages["vocabulary checked, files found"] = T() - t
    names = ("measuring pass (limits, styles)", "value read (calamine)", "rows read (layout, repair, parse)",
             "records (status per row)")
    spent = dict.fromkeys(names, 0.0)
    rows: list[tuple] = []
    issues: list[dict] = []
    described: list[dict] = []
    for f in files:
        t0 = T()
        styles = xlsx.xlsx_styles(f)
        t1 = T()
        book = calamine.read_values(f, ".xlsx", styles)
        t2 = T()
        log = Log(workbooks.shown(f.name))
        records, layout = extract_workbook(book, f.name, workbooks.DEFAULT_DISTRICT, log,
                                           load_override(f, [s.name for s in book.sheets]))
        workbooks.stamp(records, f)
        t3 = T()
        rows += [workbooks.record_row(r) for r in records]
        issues += log.rows
        described += layout
        t4 = T()
        for name, dt in zip(names, (t1 - t0, t2 - t1, t3 - t2, t4 - t3), strict=True):
            spent[name] += dt
    stages.update(spent)
    t = T()
    import pandas as pd

    from chodon_analysis.cleaning.doubts import issue_frame
    from chodon_analysis.cleaning.outputs import preload_writers

    preload_writers()
    stages["imports of pandas and Arrow"] = T() - t
    t = T()
    frame = cleaner.judged(rows, issues)
    frame = frame[cleaner.columns()].sort_values(["area_level", "area", "year", "source_file", "source_sheet",
                                                  "source_row"], kind="stable").reset_index(drop=True)
    lay = pd.DataFrame(described, columns=cleaner.LAYOUT_COLUMNS)
    lay["year"] = pd.array(lay["year"], dtype="Int64")
    result = cleaner.CleanResult(cleaner.validate(frame), issue_frame(issues), [], files, lay)
    stages["the table: catalog, statuses, doubts, checks"] = T() - t
    t = T()
    cleaner.write_outputs(result, out)
    stages["writing CSV and parquet"] = T() - t
    return stages


def read_stages(folder: Path) -> dict[str, float]:
    stages = {"start-up (Python)": _start()}
    t = T()
    import pandas as pd
    import python_calamine as pc

    stages["imports of pandas and Arrow"] = T() - t
    files = sorted(folder.glob("*.xlsx"))
    t = T()
    for f in files:
        book = pc.CalamineWorkbook.from_path(str(f))
        for name in book.sheet_names:
            book.get_sheet_by_name(name).to_python()
    stages["value read (calamine)"] = T() - t
    t = T()
    for f in files:
        pd.read_excel(f, sheet_name=None, engine="calamine", header=None)
    stages["pandas.read_excel (calamine and the DataFrames)"] = T() - t
    return stages


if __name__ == "__main__":
    what, folder = sys.argv[1], Path(sys.argv[2])
    found = clean_stages(folder, Path(sys.argv[3])) if what == "clean" else read_stages(folder)
    print(json.dumps(found))
