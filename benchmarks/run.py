"""`make bench`: the benchmarks of the project, each side measured in this run on the same files.

1. Cleaning 500 generated workbooks: `chodon clean` against reading them with pandas + calamine alone
   (and with openpyxl), in CPU time (the commands' and their children's) and wall time, medians of paired runs
   (benchmarks/cleaning.py), and where each one's CPU goes. Goal: CPU ratio <= 1.3.
2. Scale: 700 districts x 5 years (3,500 files), measured at 500, 1,000 and 3,500 files. Goal: < 30 s, < 1 GB.
3. The yearly run (benchmarks/yearly.py): `chodon run --year 2024 --force` against a plain script doing the same
   analysis and charts without notebooks, in pairs run one after the other (wall and CPU, medians). Goal: ratio
   <= 1.5; a second run with nothing changed: < 1 s.
4. One sheet at the reader's row limit (100,000 indicator rows): cleaned in bounded time and memory.
   Goal (issue 11): a file up to 50 MB read or refused in < 10 s per MB and < 1 GB.
5. Small files with huge costs (tests/data/bad/hostile.py, full size): each read or refused, time and peak
   memory per file. Goal: < 10 s per MB (plus the command's 1.5 s start-up), < 1 GB, never taken down.
6. One run for 100 generated areas (benchmarks/areas.py): `chodon run --area all`, three reports each. Goal: under
   0.25 s per report on the machine's cores, under 300 kB per area without the tree's shared files.

7. The province (benchmarks/province.py): 92 generated workbooks, one per commune and ward of the new Thái Nguyên;
   `chodon run --year 2025 --area all` once, and in four shards side by side: time per report and memory.

Figures are printed and written to BENCHMARKS.md with the machine they came from. `python benchmarks/run.py 1 5`
runs only sections 1 and 5 and replaces them in BENCHMARKS.md, keeping the others.
"""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import generate  # noqa: E402

BIN = Path(sys.executable).parent
CHODON = str(BIN / "chodon")
CACHE = ROOT / "benchmarks" / ".cache"
REPEAT = int(os.environ.get("BENCH_REPEAT", "5"))

READ_SCRIPT = """
import sys, pathlib, pandas as pd
for f in sorted(pathlib.Path(sys.argv[1]).glob("*.xlsx")):
    pd.read_excel(f, sheet_name=None, engine=sys.argv[2], header=None)
"""


HOSTILE = [  # (file, how hostile.py makes it): the cases of issue 11 at full size
    ("cell-at-XFD1048576.xlsx", "far_cell(p, 'XFD1048576')"),
    ("cell-at-XFD10000.xlsx", "far_cell(p, 'XFD10000')"),
    ("declared-whole-sheet.xlsx", "declared_extent(p)"),
    ("ods-16000-cells-x-6000-rows.ods", "ods_repeated(p, 16_000, 6_000)"),
    ("formulas-2000.xlsx", "many_formulas(p, 2_000)"),
    ("formulas-4000.xlsx", "many_formulas(p, 4_000)"),
    ("formulas-40000.xlsx", "many_formulas(p, 40_000)"),
    ("csv-line-of-200-MB.csv", "long_line_csv(p, 200_000_000)"),
    ("csv-line-of-40-MB.csv", "long_line_csv(p, 40_000_000)"),
    ("cell-of-200-KB.csv", "big_cell_csv(p, 200_000)"),
    ("cell-of-200-KB.xlsx", "big_cell(p, 200_000)"),
    ("shared-string-x-20000-cells.xlsx", "shared_text(p, 30_000, 20_000)"),
    # issue 22: what the measuring pass read otherwise than the value reader, and costs that grew too fast
    ("lower-case-zz150000.xlsx", "far_cell(p, 'zz150000')"),
    ("row-of-10-digits-A1234567890.xlsx", "far_cell(p, 'A1234567890')"),
    ("target-xl-dotdot-evil.xlsx", "escaped_target(p)"),
    ("SharedStrings-in-another-case.xlsx", "shared_strings_case(p, 30_000, 20_000)"),
    ("ods-value-without-type-10M-cells.ods", "ods_untyped(p, 16_000, 600)"),
    ("ods-150000-column-records.ods", "ods_column_records(p, 150_000)"),
    ("xlsx-150000-hidden-column-records.xlsx", "hidden_columns(p, 150_000)"),
    ("merges-10000.xlsx", "many_merges(p, 10_000)"),
    ("merges-1000000.xlsx", "many_merges(p, 1_000_000)"),
    ("one-name-on-4000-rows.xlsx", "repeated_name(p, 4_000)"),
    ("one-name-on-20000-rows.xlsx", "repeated_name(p, 20_000)"),
]
# The same files read by the code before issue 11 (commit afc7544), measured once on the machine of BENCHMARKS.md
BEFORE = {"cell-at-XFD1048576.xlsx": "process aborted (0.9 s): nothing written",
          "cell-at-XFD10000.xlsx": "read in 30.5 s, 6,525 MB",
          "declared-whole-sheet.xlsx": "read in 0.7 s",
          "ods-16000-cells-x-6000-rows.ods": "over 9,100 MB in 26 s, then aborted",
          "formulas-2000.xlsx": "read in 7.2 s", "formulas-4000.xlsx": "read in 23.8 s",
          "csv-line-of-200-MB.csv": "read in 60.3 s, 2,857 MB",
          "cell-of-200-KB.csv": "failed: \"unexpected error ... please report it\"",
          "cell-of-200-KB.xlsx": "read in 0.8 s", "shared-string-x-20000-cells.xlsx": "read in 6.8 s, 1,700 MB",
          # issue 22, as its adversarial run measured them
          "lower-case-zz150000.xlsx": "14 s, 4,300 MB", "row-of-10-digits-A1234567890.xlsx": "process aborted",
          "target-xl-dotdot-evil.xlsx": "process aborted", "SharedStrings-in-another-case.xlsx": "110 s, 3,700 MB",
          "ods-value-without-type-10M-cells.ods": "10 M cells made", "ods-150000-column-records.ods":
          "over 5,000 MB, MemoryError", "xlsx-150000-hidden-column-records.xlsx": "2,300 MB",
          "merges-10000.xlsx": "17 s", "merges-1000000.xlsx": "still running at 300 s",
          "one-name-on-4000-rows.xlsx": "a 396 MB issues.csv", "one-name-on-20000-rows.xlsx": "killed at 24 GB"}
SECTIONS = 7  # the sections of BENCHMARKS.md, numbered as above
START_UP = 1.5  # seconds the command needs before it reads anything (Python, the package): allowed on top


def make_in_child(code: str) -> None:
    """Build an input in a process of its own: a big input built here would count in the peak memory of every
    command measured after it (a child starts as a copy of this process)."""
    subprocess.run([sys.executable, "-c", "import sys; from pathlib import Path; "
                    f"sys.path[:0] = [{str(ROOT / 'benchmarks')!r}, {str(ROOT / 'tests' / 'data' / 'bad')!r}]; "
                    + code], check=True)


def measure(cmd: list[str], cwd: Path = ROOT) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MB) of one command and its children."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - t
    if proc.returncode not in (0, 1):
        raise SystemExit(f"benchmark command failed ({proc.returncode}): {' '.join(cmd)}")
    return wall, usage.ru_maxrss / 1024


def median_of(cmd: list[str], repeat: int = REPEAT) -> tuple[float, float]:
    """Median wall seconds and highest peak memory (MB) of `repeat` runs of one command: one run is noisy."""
    runs = [measure(cmd) for _ in range(repeat)]
    return statistics.median(r[0] for r in runs), max(r[1] for r in runs)


def subset(files: list[Path], n: int, tmp: Path) -> Path:
    """A folder of links to the first `n` files: each size reads a prefix of one corpus, no copies."""
    d = tmp / f"subset-{n}"
    d.mkdir()
    for f in files[:n]:
        (d / f.name).symlink_to(f)
    return d


def machine() -> str:
    """The machine the figures come from (CPU, cores, memory, system, Python), said with them in BENCHMARKS.md."""
    cpu = ""
    with open("/proc/cpuinfo", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    return (f"{platform.node()}: {cpu}, {os.cpu_count()} cores, {mem:.0f} GiB, {platform.system()} "
            f"{platform.release()}, Python {platform.python_version()}")


Say = Callable[[str], None]


def met(ok: bool) -> str:
    """The verdict against a goal, as the tables say it."""
    return "met" if ok else "NOT met"


def bench_scale(files: list[Path], d500: Path, tmp: Path, say: Say) -> None:
    """Section 2: 500, 1,000 and 3,500 files cleaned once each; the 3,500 against a calamine read of them."""
    say("## 2. Scale: one workbook per district and year, 700 districts x 5 years")
    say()
    say("| files | wall (s) | per file (ms) | peak memory (MB) |")
    say("|---|---|---|---|")
    big = {}
    for n in (500, 1000, 3500):
        d = d500 if n == 500 else subset(files, n, tmp)
        w, m = measure([CHODON, "clean", str(d), "--out", str(tmp / f"out{n}")])
        big[n] = (w, m)
        say(f"| {n} | {w:.1f} | {w / n * 1000:.1f} | {m:.0f} |")
    w, m = big[3500]
    cal_big, _ = measure([sys.executable, "-c", READ_SCRIPT, str(d), "calamine"])
    slope = (big[3500][0] - big[500][0]) / 3000
    fixed = big[500][0] - 500 * slope
    say()
    say(f"3,500 files: {w:.1f} s and {m:.0f} MB (goal < 30 s and < 1 GB: "
        f"{met(w < 30 and m < 1024)}). The cost grows linearly with the number of files: "
        f"about {slope * 1000:.1f} ms a file on top of {fixed:.1f} s of start-up (Python, pandas, the writers), "
        f"from the 500- and 3,500-file runs; memory grows with the rows held ({big[500][1]:.0f} MB at 500 files, "
        f"{m:.0f} MB at 3,500). Every file is read once; the whole table is classified and validated once.")
    say()
    say(f"Against reading the 3,500 files with pandas + calamine ({cal_big:.1f} s, one process): ratio "
        f"**{w / cal_big:.2f}** (`chodon clean` reads on every core, {os.cpu_count()} here).")
    say()


def bench_yearly_run(tmp: Path, say: Say) -> None:
    """Section 3 (benchmarks/yearly.py): `chodon run` of the bundled data against a plain script, in pairs."""
    from yearly import bench_yearly

    bench_yearly(tmp, say, CHODON, REPEAT, met)


def bench_row_limit(tmp: Path, say: Say) -> None:
    """Section 4: one sheet of indicator rows up to the reader's row limit, cleaned in bounded time and memory."""
    from chodon_analysis.cleaning.formats.bounds import MAX_ROWS

    make_in_child(f"from big_sheet import big_sheet; big_sheet(Path({str(tmp / 'big.xlsx')!r}), {MAX_ROWS - 2})")
    size = (tmp / "big.xlsx").stat().st_size / 1024**2
    w, m = measure([CHODON, "clean", str(tmp / "big.xlsx"), "--out", str(tmp / "out-big")])
    say(f"## 4. One sheet at the row limit ({MAX_ROWS:,} rows)")
    say()
    say(f"`chodon clean` of one .xlsx ({size:.1f} MB) with {MAX_ROWS - 2:,} indicator rows: {w:.1f} s and {m:.0f} MB "
        f"(goal < 10 s per MB and < 1 GB: {met(w < 10 * size + START_UP and m < 1024)}).")
    say()


def bench_hostile(tmp: Path, say: Say) -> None:
    """Section 5: each hostile file of HOSTILE, made at full size, read or refused: time, memory, outcome."""
    say("## 5. Small files with huge costs")
    say()
    say("| file | size (MB) | outcome | wall (s) | peak memory (MB) | goal | before (issue 11 or 22) |")
    say("|---|---|---|---|---|---|---|")
    for name, make in HOSTILE:
        path = tmp / name
        make_in_child(f"import hostile; p = Path({str(path)!r}); hostile.{make}")
        size = path.stat().st_size / 1024**2
        out = tmp / f"out-{name}"
        proc_t = time.perf_counter()
        proc = subprocess.Popen([CHODON, "clean", str(path), "--out", str(out)], stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        w, m, code = time.perf_counter() - proc_t, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)
        outcome = {0: "read", 1: "refused"}.get(code, f"crashed ({code})")
        ok = code in (0, 1) and w < 10 * size + START_UP and m < 1024
        say(f"| {name} | {size:.2f} | {outcome} | {w:.1f} | {m:.0f} | {met(ok)} | {BEFORE.get(name, '')} |")
        path.unlink()
    say()
    say("The goal of each row: read or refused (never a crash), within 10 s per MB (plus start-up) and 1 GB.")
    say()
    for n in (2_000, 8_000):  # the explorer's page of n indicators over 5 years (issue 22: 49 s, 1.8 GB at 2,000)
        code = ("import pandas as pd; from chodon_analysis.analysis.series import HISTORY_COLUMNS as C; "
                "from chodon_analysis.report.explorer import explorer, overview; "
                f"rows = [dict(key=f'?x{{i}}', year=y, name=f'Chỉ tiêu {{i}}', unit='ha', section='Kinh tế', "
                f"plan_value=100.0, actual_value=90.0 + i % 20, status='met', segment=0, indicator_id='', "
                f"break_reason='') for i in range({n}) for y in range(2020, 2025)]; "
                "h = pd.DataFrame(rows).reindex(columns=C); explorer(h).html(); overview(h)._repr_html_()")
        w, m = measure([sys.executable, "-c", code])
        say(f"The explorer's page of {n:,} indicators (5 years each): {w:.1f} s, {m:.0f} MB "
            f"(before issue 22: 49 s and 1,800 MB at 2,000; 296 s and 12 GB at 8,000).")
    say()


def main(only: set[int] | None = None) -> None:
    """Run every section (or those of `only`) on one corpus and one temporary folder; print the figures and write
    BENCHMARKS.md (the sections not run kept as they were)."""
    only = only or set(range(1, SECTIONS + 1))
    lines: list[str] = []

    def say(s: str = "") -> None:
        print(s, flush=True)
        lines.append(s)

    print(f"Machine: {machine()}")
    t = time.perf_counter()
    files = generate(CACHE / "corpus-v2", 700)
    print(f"(corpus of {len(files)} workbooks ready in {time.perf_counter() - t:.0f} s)", flush=True)
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        d500 = subset(files, 500, tmp)
        if 1 in only:
            from cleaning import bench_cleaning

            bench_cleaning(d500, tmp, say, REPEAT, CHODON, READ_SCRIPT)
        if 2 in only:
            bench_scale(files, d500, tmp, say)
        if 3 in only:
            bench_yearly_run(tmp, say)
        if 4 in only:
            bench_row_limit(tmp, say)
        if 5 in only:
            bench_hostile(tmp, say)
        if 6 in only:
            from areas import bench_areas

            bench_areas(tmp, CHODON, measure, say)  # section 6: many areas
        if 7 in only:
            from province import bench_province

            bench_province(tmp, CHODON, measure, say)  # section 7: the province, at once and in four shards
    write_benchmarks(lines, only)
    shutil.rmtree(tmp, ignore_errors=True)


def write_benchmarks(lines: list[str], only: set[int]) -> None:
    """BENCHMARKS.md: the sections just measured, and the others as the file had them; a section measured by a run
    of only some sections says so under its heading, with its date."""
    path = ROOT / "BENCHMARKS.md"
    old = _sections(path.read_text(encoding="utf-8").splitlines()) if path.exists() else {0: []}
    new = _sections(lines)
    date = time.strftime("%Y-%m-%d %H:%M %Z")
    head = ["# Benchmarks", "", "Written by `make bench` (`benchmarks/run.py`); both sides of each ratio are measured "
            "in the same run on the same files.", "", f"Machine: {machine()}",
            f"Date: {date}; median of {REPEAT} runs unless said otherwise", ""]
    if any(n in old and n not in only for n in range(1, SECTIONS + 1)):  # some sections only: the rest keep their date
        head = old[0] if old[0] else head
        for n in only & set(new):
            new[n][1:1] = ["", f"_Measured {date} by `python benchmarks/run.py {' '.join(map(str, sorted(only)))}` "
                               "(a section without such a line: as dated above)._"]
    body = [line for n in range(1, SECTIONS + 1) for line in (new.get(n) or old.get(n) or [])]
    path.write_text("\n".join([*head, *body]).rstrip("\n") + "\n", encoding="utf-8")
    print(f"\nwritten to {path}")


def _sections(lines: list[str]) -> dict[int, list[str]]:
    """The lines of each `## N.` section (0: what comes before the first)."""
    out: dict[int, list[str]] = {0: []}
    n = 0
    for line in lines:
        if line.startswith("## ") and line[3:].split(".")[0].isdigit():
            n = int(line[3:].split(".")[0])
            out[n] = []
        out[n].append(line)
    return out


if __name__ == "__main__":
    main({int(a) for a in sys.argv[1:]})
