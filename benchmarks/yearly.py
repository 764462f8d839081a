"""Section 3 of `make bench`: the yearly run on the bundled data against a plain script doing the same analysis and
charts without notebooks (benchmarks/plain_report.py), in pairs run one after the other, which goes first alternating,
so that both sides of each ratio meet the same load; wall and CPU (the run's own process apart from the processes it
forks), medians; and a second run with nothing changed. Goals: ratio <= 1.5, second run < 1 s."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def bytecode_env(tmp: Path) -> dict[str, str]:
    """The environment of the commands of sections 3 and 6: Python's bytecode cache on (in `tmp`), as an installed
    package has it; a shell with PYTHONDONTWRITEBYTECODE set would otherwise compile the package's modules again in
    every process (a tenth of a second each, on both sides of a ratio)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return env | {"PYTHONPYCACHEPREFIX": str(tmp / "pycache")}


def measure_cpu(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float, float, float]:
    """Wall seconds, CPU seconds (user + system: the command's and the children it waited for, the kernels), the
    part of it in the command's own process, and its peak resident memory (MB); the command must succeed."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    own = None
    try:  # the ended process still in the table (not reaped): its own CPU apart from its children's
        os.waitid(os.P_PID, proc.pid, os.WEXITED | os.WNOWAIT)
        fields = Path(f"/proc/{proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        own = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, AttributeError, IndexError, ValueError):
        pass
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"benchmark command failed: {' '.join(cmd)}")
    cpu = usage.ru_utime + usage.ru_stime
    return wall, cpu, cpu if own is None else own, usage.ru_maxrss / 1024


def load() -> str:
    """The machine's load (1, 5 and 15 minutes), said with figures measured on shared cores."""
    return "load average " + " / ".join(f"{x:.2f}" for x in os.getloadavg())


def bench_yearly(tmp: Path, say: Callable[..., None], chodon: str, repeat: int, met: Callable[[bool], str]) -> None:
    """Section 3: `chodon run` of the bundled data against a plain script, in pairs run one after the other (which
    goes first alternating), so that both sides of each ratio meet the same load; and a second run with nothing
    changed."""
    processed, reports, env = tmp / "processed", tmp / "reports", bytecode_env(tmp)
    run_cmd = [chodon, "run", "--year", "2024", "--raw", str(ROOT / "data" / "raw"), "--processed",
               str(processed), "--reports", str(reports)]
    plain_cmd = [sys.executable, str(ROOT / "benchmarks" / "plain_report.py"), "2024", str(ROOT / "data" / "raw"),
                 str(tmp / "plain-processed"), str(tmp / "plain"), str(ROOT / "data" / "external")]
    measure_cpu(run_cmd, env), measure_cpu(plain_cmd, env)  # warm: the kernel spec, the bytecode cache
    before, runs, plains = load(), [], []
    for i in range(max(repeat, 5)):
        first, second = ([*run_cmd, "--force"], plain_cmd) if i % 2 == 0 else (plain_cmd, [*run_cmd, "--force"])
        a, b = measure_cpu(first, env), measure_cpu(second, env)
        runs.append(a if i % 2 == 0 else b)
        plains.append(b if i % 2 == 0 else a)
    again = statistics.median(measure_cpu(run_cmd, env)[0] for _ in range(repeat))
    med = statistics.median
    run_t, run_c, plain_t, plain_c = (med(x[k] for x in xs) for xs, k in ((runs, 0), (runs, 1), (plains, 0),
                                                                        (plains, 1)))
    ratio = med(r[0] / p[0] for r, p in zip(runs, plains, strict=True))  # the paired ratio: each pair's own load
    say("## 3. The yearly run on the bundled data (4 report notebooks)")
    say()
    say(f"{len(runs)} pairs: `chodon run --year 2024 --force` and the plain script one after the other, the first of "
        f"each pair alternating; medians. CPU is user + system time, the kernels' included. Machine {before} before, "
        f"{load()} after ({os.cpu_count()} cores).")
    say()
    say("| command | wall (s) | CPU (s) | peak memory (MB) |")
    say("|---|---|---|---|")
    say(f"| `chodon run --year 2024 --force` (clean, derive, 4 notebooks by papermill, HTML, workbook, appendix) | "
        f"{run_t:.2f} | {run_c:.2f} | {max(r[3] for r in runs):.0f} |")
    say(f"| plain script: same analysis, same charts into HTML, no notebooks | {plain_t:.2f} | {plain_c:.2f} | "
        f"{max(p[3] for p in plains):.0f} |")
    say(f"| `chodon run --year 2024` again, nothing changed | {again:.2f} | | |")
    say()
    say(f"Ratio run / plain script: **{ratio:.2f}** (median of the {len(runs)} pairs' ratios; goal <= 1.5: "
        f"{met(ratio <= 1.5)}); ratio of the medians {run_t / plain_t:.2f}; CPU {run_c / plain_c:.2f}; second run "
        f"{again:.2f} s (goal < 1 s: {met(again < 1)}). Pairs (run / plain, s): "
        + ", ".join(f"{r[0]:.2f}/{p[0]:.2f}" for r, p in zip(runs, plains, strict=True)) + ".")
    say()
    say(where_the_time_goes(reports / "2024", med(r[2] for r in runs), run_c, plain_c))
    say()
    say(PROFILE_3)
    say()


# Not measured by this script: the run profiled part by part (py-spy, and each thread's CPU time) on the machine of
# BENCHMARKS.md with the bundled data; said with the figures so that they can be read.
PROFILE_3 = " ".join("""What is left, part by part (CPU seconds, profiled on this machine while this was worked on, not
measured by `make bench`): in the run's own process, start-up and its imports 0.35 (Python, pandas: the script pays
them too), the command line 0.03 (read without typer: speed.plain_run), the clean 0.05 (and its reader process 0.06),
what the kernels are forked with 0.27 (the notebooks' imports and ipykernel's 0.15, one chart and one table drawn
0.12: paid once instead of in each kernel; a kernel launched as a fresh interpreter spent 0.8 s starting and
importing), papermill and nbclient imported 0.07, nbconvert imported 0.11 and its templates read compiled 0.01
(Jinja2's bytecode cache: compiling them took 0.07), papermill's side of the four notebooks 0.16 (the kernels' messages
decoded into nbformat's nodes, each output checked against nbformat's schema), the four pages 0.03, the index and
run.json 0.02. In the process of the derived tables: the tables 0.45 (as in the script), then, while the notebooks
run, the Excel workbook and data-quality page 0.2 and the Word appendix 0.1. In the two kernels, 0.95: the notebooks'
cells 0.75 once a kernel is warm (the script's analysis and charts; the tables styled by pandas' Styler at 3 to 8 ms a
table where the script writes plain `DataFrame.to_html`), each kernel's first notebook 0.05 more (the data read, the
first regular expressions), a kernel's start 0.03, its messages and the reset between notebooks about 0.04 a notebook.
What it no longer pays: the debugger (debugpy and pydevd, 145 modules) imported by each kernel; each chart's figure
validated a second time for its div; each source notebook read and checked again for every report, and each executed
notebook checked and written indented by papermill before the run wrote it compact; nbconvert's deep copy of each
executed notebook; nbconvert's templates compiled in every run; typer's parameter machinery (pydantic); a full
collection before the kernels are forked; python-docx walking every row of the appendix's tables; the workbook,
data-quality page and appendix on a thread of the run, where they held Python's lock against the notebooks' client
(they are made by the process of the derived tables); and, from before, a second interpreter importing pandas and
plotly for each kernel, the 0.2 s a new client waited for each notebook and each reset, nbconvert's second parse of
every page. Left: the analysis the script shares (the former district rebuilt from its communes, the forest and grain
series, plotly's template copied into each figure): made faster, it makes the script faster too and the ratio no
lower; the Styler's tables (about 0.05 s over the four reports), which a table of our own would have to match;
papermill's and nbclient's bookkeeping of each message (the dates of its header parsed, each output checked); importing
nbconvert (most of it BeautifulSoup and mistune, imported by its filters). The run's wall time is close to its CPU
spread over the two cores after the start-up and the clean: on a machine whose other work takes its cores, the run,
which does about 1.7 times the script's work, loses more than the one-process script does.""".splitlines())


def where_the_time_goes(year: Path, own: float, run_c: float, plain_c: float) -> str:
    """What the run's time is made of, from this run: its CPU in its own process and in its kernels, its steps
    (run.json), and each notebook's cells against papermill's time for it (the executed notebooks' metadata)."""
    import json

    steps = {s["name"]: s["seconds"] for s in json.loads((year / "run.json").read_text(encoding="utf-8"))["steps"]}
    nbs = []
    for name in sorted(k.removeprefix("notebook:") for k in steps if k.startswith("notebook:")):
        nb = json.loads((year / f"{name}.ipynb").read_text(encoding="utf-8"))
        cells = sum(c["metadata"].get("papermill", {}).get("duration") or 0 for c in nb["cells"])
        nbs.append(f"{name} {steps[f'notebook:{name}']:.2f} ({cells:.2f} in its cells)")
    return (f"Where the time goes, from this section's runs: the run's CPU is {own:.2f} s in its own process "
            "(start-up, the clean, what the kernels are forked with, papermill's side of the notebooks and their HTML) "
            f"and {run_c - own:.2f} s in the processes it forks (its kernels: the notebooks' cells; the derived "
            "tables, made while the kernels start, then in the same process the workbook, the data-quality page and "
            f"the Word appendix; the clean's reader), against {plain_c:.2f} s for the whole script. Its last run's "
            f"steps (wall, s): clean {steps.get('clean', 0):.2f}, derived tables {steps.get('derived', 0):.2f}; "
            "notebooks, two kernels side by side, each with its HTML export: " + ", ".join(nbs)
            + f"; meanwhile, in the derived tables' process, the workbook and data-quality page "
            f"{steps.get('workbook', 0):.2f}, then the Word appendix.")
