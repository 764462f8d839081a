"""Section 1 of `make bench`: `chodon clean` of 500 generated workbooks against reading them with pandas + calamine
(and openpyxl). Both in CPU time (user + system of the command and of its reader processes: what a province's or a
nation's run pays for) and in wall time, each the median of paired runs, the two commands alternating so that a
busy moment of a shared machine falls on both; then where the CPU of each goes, stage by stage."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STAGES = ROOT / "benchmarks" / "clean_stages.py"
GOAL_CPU = 1.3  # clean / calamine read, CPU (the issue of speed close to the limit)
GOAL_WALL = 1.5  # the former goal, in wall time
# the commands as an installed project runs them: Python caches the package's bytecode (some shells forbid it)
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

Say = Callable[..., None]


def usage(cmd: list[str]) -> tuple[float, float, float]:
    """CPU seconds (user + system, the command's and its children's), wall seconds and peak memory (MB) of one run."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, use = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"benchmark command failed: {' '.join(cmd)}")
    return use.ru_utime + use.ru_stime, wall, use.ru_maxrss / 1024


def paired(a: list[str], b: list[str], repeat: int) -> tuple[list[tuple[float, ...]], list[tuple[float, ...]]]:
    """`repeat` runs of each command, alternating, after one unmeasured run of each (bytecode, the page cache)."""
    usage(a), usage(b)
    runs_a, runs_b = [], []
    for _ in range(repeat):
        runs_a.append(usage(a))
        runs_b.append(usage(b))
    return runs_a, runs_b


def _median(runs: list[tuple[float, ...]], i: int) -> float:
    return statistics.median(r[i] for r in runs)


def stages(*args: str, repeat: int = 3) -> dict[str, float]:
    """The CPU seconds of each stage (clean_stages.py), each run in a process of its own: the median of `repeat`."""
    runs = [json.loads(subprocess.run([sys.executable, str(STAGES), *args], cwd=ROOT, env=ENV, capture_output=True,
                                      text=True, check=True).stdout) for _ in range(repeat)]
    return {k: statistics.median(r[k] for r in runs) for k in runs[0]}


def bench_cleaning(d500: Path, tmp: Path, say: Say, repeat: int, chodon: str, read_script: str) -> None:
    """Section 1: the ratios in CPU and wall time, the machine's load while measured, and the stages."""
    load_before = os.getloadavg()[0]
    clean_cmd = [chodon, "clean", str(d500), "--out", str(tmp / "out500")]
    read_cmd = [sys.executable, "-c", read_script, str(d500), "calamine"]
    cleans, reads = paired(clean_cmd, read_cmd, repeat)
    opx = usage([sys.executable, "-c", read_script, str(d500), "openpyxl"])
    load_after = os.getloadavg()[0]
    cpu, wall = _median(cleans, 0) / _median(reads, 0), _median(cleans, 1) / _median(reads, 1)
    pairs = statistics.median(c[0] / r[0] for c, r in zip(cleans, reads, strict=True))
    say("## 1. Cleaning 500 workbooks (9 layouts: plain, two-row merged, Vietnamese text numbers, "
        "English text numbers, TCVN3, a provincial template with relative periods, two years side by side with "
        "a term target, English headers, notes with `Trong đó` and signatures)")
    say()
    say("| command | CPU (s) | wall (s) | peak memory (MB) |")
    say("|---|---|---|---|")
    for label, runs in (("`chodon clean` (read, repair, parse, classify, validate, write)", cleans),
                        ('`pandas.read_excel(engine="calamine")` of every sheet', reads),
                        ('`pandas.read_excel(engine="openpyxl")` of every sheet (1 run)', [opx])):
        say(f"| {label} | {_median(runs, 0):.2f} | {_median(runs, 1):.2f} | {max(r[2] for r in runs):.0f} |")
    say()
    say(f"Ratio clean / calamine read in CPU time: **{cpu:.2f}** (goal <= {GOAL_CPU}: "
        f"{'met' if cpu <= GOAL_CPU else 'NOT met'}); in wall time: {wall:.2f} (the former goal <= {GOAL_WALL}: "
        f"{'met' if wall <= GOAL_WALL else 'NOT met'}; the clean reads on {os.cpu_count()} cores, the read on one); "
        f"openpyxl read / calamine read: {opx[0] / _median(reads, 0):.1f} in CPU.")
    say(f"Medians of {repeat} paired runs (the two commands alternate, after one unmeasured run of each); the median "
        f"of each pair's own CPU ratio: {pairs:.2f}. The machine's load (1-minute average) was {load_before:.1f} "
        f"before and {load_after:.1f} after, on {os.cpu_count()} cores: CPU time is what a busy machine changes "
        "least, yet it still varies by a tenth from run to run.")
    say()
    _stages(d500, tmp, say, _median(cleans, 0), _median(reads, 0))


def _stages(d500: Path, tmp: Path, say: Say, command_cpu: float, read_cpu: float) -> None:
    """Where the CPU of each command goes (one run each, in one process), and what the clean does on top."""
    clean = stages("clean", str(d500), str(tmp / "out-stages"))
    read = stages("read", str(d500))
    calamine = read.pop("value read (calamine)")
    say("Where the CPU goes (each stage's median of three runs in one process, the clean reading every file "
        "itself):")
    say()
    say("| stage | `chodon clean` (s) | calamine read (s) |")
    say("|---|---|---|")
    for name in dict.fromkeys([*clean, *read]):
        c, r = clean.get(name), read.get(name)
        say(f"| {name} | {'' if c is None else f'{c:.2f}'} | {'' if r is None else f'{r:.2f}'} |")
    say(f"| total | {sum(clean.values()):.2f} | {sum(read.values()):.2f} |")
    say()
    shared_names = ("start-up (Python)", "imports of pandas and Arrow", "value read (calamine)")
    shared = sum(clean[name] for name in shared_names)
    extra = sum(clean.values()) - shared
    frames = read["pandas.read_excel (calamine and the DataFrames)"] - calamine
    budget = max(GOAL_CPU * read_cpu - (command_cpu - extra), 0.0)
    say(f"Both pay Python's start-up, pandas and calamine's own read ({shared:.2f} s in the clean; calamine alone "
        f"{calamine:.2f} s of the read's). On top, the read builds DataFrames ({frames:.2f} s), and the clean does "
        f"its work ({extra:.2f} s, {extra / sum(read.values()):.1f} times the read's whole CPU): the measuring pass "
        "that refuses a file before calamine could be made to allocate past the limits and reads what calamine does "
        "not give (percent cells, decimals shown, hidden rows and columns, error cells); the rows read into records "
        "(the header and each column's role, year and period found, legacy text repaired, Vietnamese numbers and plan "
        "phrases read, headings, notes and parts told from indicators, each repair logged); the status of each "
        "record; the table with its catalog ids, doubts and checks; and the CSV and parquet files. The command "
        f"itself took {command_cpu - sum(clean.values()):+.2f} s beside these stages run in one process (its reader "
        "processes, forked, their results sent back; the command line; and the noise of a run). That work is Python "
        "code run for "
        f"every row of every file: within {GOAL_CPU} times the read ({GOAL_CPU * read_cpu:.2f} s), it would have "
        f"{budget:.2f} s, {budget / extra:.0%} of what it takes; {_largest(clean, shared_names, extra - budget)}")
    say()
    say(_floor(clean, sum(read.values())))
    say()


def _largest(clean: dict[str, float], shared: tuple[str, ...], gap: float) -> str:
    """Whether the largest stage of the clean's own work, dropped whole, would close the `gap` to the goal."""
    name, cpu = max(((k, v) for k, v in clean.items() if k not in shared), key=lambda kv: kv[1])
    if cpu < gap:
        return f"even its largest part ({name}, {cpu:.2f} s), dropped whole, would not close the gap ({gap:.2f} s)."
    return f"its largest part ({name}, {cpu:.2f} s) is as large as the gap ({gap:.2f} s)."


def _floor(clean: dict[str, float], read_total: float) -> str:
    """What the clean pays before it reads a row (start-up, pandas, the measuring pass, calamine) against the read's
    whole CPU: the part of the goal left for everything done with the rows."""
    names = ("start-up (Python)", "imports of pandas and Arrow", "measuring pass (limits, styles)",
             "value read (calamine)")
    floor = sum(clean[name] for name in names)
    left, rest = max(GOAL_CPU * read_total - floor, 0.0), sum(clean.values()) - floor
    table = sum(v for k, v in clean.items() if k.startswith(("records", "the table", "writing")))
    return (f"The clean's reading alone (start-up, pandas' import, the measuring pass that keeps calamine within the "
            f"limits, calamine's read: {floor:.2f} s) is already {floor / read_total:.2f} times the read's whole CPU "
            f"in these stages: within {GOAL_CPU} times, {left:.2f} s would be left for all that is done with the rows "
            f"(the layout, the repair and parsing of every cell, the records, the table's checks, the files written: "
            f"{rest:.2f} s today, {table:.2f} s of it from the records on), about {left / rest:.0%} of it. Python code "
            "run for every row and cell does not fit there, nor a measuring pass in Python beside calamine's own "
            "parse: it would take a reader compiled to native code that measures, reads and parses each part once, "
            "the rows' rules with it, and a leaner table; a decision for the project (a compiler on every machine "
            "that installs it, or wheels built for each), more than a change of its Python code.")
