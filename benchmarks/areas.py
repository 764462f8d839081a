"""Section 6 of `make bench` (issue 13): 100 generated commune workbooks, `chodon run --area all` writing three reports
for each; total time and CPU, seconds per report (goal: under 0.25 s), and each area's folder size without the tree's
shared files."""

from __future__ import annotations

import itertools
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
from sample_communes import COMMUNES, HEAD, _rows, _xlsx  # noqa: E402

SYLLABLES = ["An", "Bình", "Cẩm", "Đông", "Hòa", "Khánh", "Lạc", "Minh", "Ngọc", "Phú", "Quang", "Sơn", "Tân",
             "Thanh", "Trung", "Vĩnh"]


def generate_areas(folder: Path, n: int = 100, seed: int = 13) -> list[str]:
    """`n` commune workbooks (the bundled communes' layout with a heading, values scaled at random) under made-up
    two-syllable names that are no commune of the crosswalk; returns the names."""
    from chodon_analysis.base import reform
    from chodon_analysis.base.text import fold

    real = {fold(r[k]) for r in reform.crosswalk() for k in ("old_unit", "new_unit")}
    names = [f"{a} {b}" for a, b in itertools.permutations(SYLLABLES, 2) if fold(f"{a} {b}") not in real][:n]
    rng = random.Random(seed)
    templates = [values for _f, _layout, values in COMMUNES.values()]
    folder.mkdir(parents=True, exist_ok=True)
    for i, name in enumerate(names):
        scale = rng.uniform(0.6, 1.6)
        values = [(p if p is None or p < 100 else round(p * scale), a if a is None or a < 100 else round(a * scale))
                  for p, a in templates[i % len(templates)]]
        heading = [f"ỦY BAN NHÂN DÂN XÃ {name.upper()}", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                   "BÁO CÁO KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU KINH TẾ - XÃ HỘI NĂM 2025"]
        _xlsx(folder / f"bao-cao-{i:03d}-2025.xlsx", heading, [HEAD], _rows(values))
    return names


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def bench_areas(tmp: Path, chodon: str, measure, say, n: int = 100) -> None:
    """Generate, run once (`--jobs` = the machine's cores), and say the figures against the goals. (`measure`: the
    caller's; this section measures CPU too, with benchmarks/yearly.py's measure_cpu.)"""
    import os

    from yearly import bytecode_env, load, measure_cpu

    raw = tmp / "areas-raw"
    generate_areas(raw, n)
    processed, reports, env = tmp / "areas-processed", tmp / "areas-reports", bytecode_env(tmp)
    measure_cpu([chodon, "clean", str(raw), "--out", str(processed)], env)  # the clean on its own, not in the figure
    t, before = time.perf_counter(), load()
    wall, cpu, own, mem = measure_cpu([chodon, "run", "--year", "2025", "--area", "all", "--raw", str(raw),
                                       "--processed", str(processed), "--reports", str(reports)], env)
    year = reports / "2025"
    folders = [p for p in year.iterdir() if p.is_dir() and not p.name.startswith(".")]
    reports_n = sum(1 for f in folders for _ in f.glob("*.html") if _.name != "index.html")
    sizes = sorted(folder_bytes(f) for f in folders)
    shared = sorted(p for p in reports.iterdir() if p.is_file() and not p.name.startswith("."))
    per_report = wall / max(reports_n, 1)
    mean_kb = sum(sizes) / len(sizes) / 1024 if sizes else 0
    say(f"## 6. One run for {n} areas (issue 13)")
    say()
    say(f"{n} generated commune workbooks (the bundled communes' layout, values scaled at random), cleaned "
        f"beforehand; then `chodon run --year 2025 --area all` with one kernel per core ({os.cpu_count()} here). "
        f"Machine {before} before, {load()} after.")
    say()
    say("| areas | reports | wall (s) | per report (s) | CPU (s): all / the run's own process | peak memory (MB) | "
        "folder per area: mean / max (kB) |")
    say("|---|---|---|---|---|---|---|")
    say(f"| {len(folders)} | {reports_n} | {wall:.1f} | {per_report:.2f} | {cpu:.1f} / {own:.1f} | {mem:.0f} | "
        f"{mean_kb:.0f} / {sizes[-1] / 1024 if sizes else 0:.0f} |")
    say()
    say(f"Goals: under 0.25 s per report ({'met' if per_report < 0.25 else 'NOT met'}: {per_report:.2f} s) and under "
        f"300 kB per area ({'met' if sizes and sizes[-1] < 300 * 1024 else 'NOT met'}: largest "
        f"{sizes[-1] / 1024 if sizes else 0:.0f} kB; three HTML reports, their executed notebooks, an index, a "
        f"summary and a run log). Shared once by the whole tree, not counted per area: "
        + ", ".join(f"`{p.name}` ({p.stat().st_size / 1024:.0f} kB)" for p in shared) + ". "
        f"CPU per report: {cpu / max(reports_n, 1):.2f} s, of which {own / max(reports_n, 1):.2f} s in the run's own "
        "process (papermill's side, the HTML, each area's appendix, index and record) and the rest in its kernels.")
    say(f"(measured in {time.perf_counter() - t:.0f} s)")
    say()


if __name__ == "__main__":  # on its own: python benchmarks/areas.py [N]
    import tempfile

    from run import CHODON, measure

    with tempfile.TemporaryDirectory() as d:
        bench_areas(Path(d), CHODON, measure, print, int(sys.argv[1]) if len(sys.argv) > 1 else 100)
