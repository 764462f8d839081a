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
measured by `make bench`): in the run's own process, start-up and its imports 0.4 (Python, pandas: the script pays
them too), the clean 0.1 (and its reader process), importing what the notebooks import and drawing one chart and one
table before the kernels are forked from it 0.5 (paid once instead of once per kernel: a kernel launched as a fresh
interpreter spent 0.8 s starting and importing), papermill and nbclient imported 0.1, papermill's side of the four
notebooks 0.3 (the kernels' messages decoded into nbformat's nodes, the notebook read, parameterized and written),
nbconvert's exporter 0.2 and the four pages 0.1, the Excel workbook and data-quality page 0.25, the Word appendix 0.2
(python-docx), the index and run.json 0.05. In the processes it forks: the two kernels 1.2 (the notebooks' cells
0.8: the script's analysis and charts, the figures built through plotly's validating API at about 10 ms a chart as
in the script, the tables styled by pandas' Styler at 5 to 7 ms a table where the script writes plain
`DataFrame.to_html`; ipykernel's messages and resets 0.4), the derived tables 0.45 (as in the script) and the clean's
reader 0.06. The run's wall time is close to its CPU spread over the two cores after the start-up and the clean,
which only one core can do: every part that can wait runs beside another (the derived tables beside the kernels'
start, the workbook and appendix beside the notebooks, each folder finished on a thread of its own), so on a machine
whose other work takes a core the run loses more than the one-process script does. What it no longer pays: a second
interpreter importing pandas and plotly for each kernel, the 0.2 s a new client waited for each notebook
(jupyter_client's `wait_for_ready`) and again for each reset, nbconvert's second parse of every page with
BeautifulSoup, nbformat's schema checked after each of nbconvert's preprocessors, the collector scanning the run's
modules, the district rebuilt for years the report does not show (the analyst's `attainment`), a kernel waiting while
a report folder is finished.""".splitlines())


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
