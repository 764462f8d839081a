"""Section 7 of `make bench` (issue 26): the whole new Thái Nguyên, one generated workbook for each of its 92 communes
and wards (named as new_units.csv names them, the bundled communes' layout, values scaled at random), then
`chodon run --year 2025 --area all` once, and the same work split in four shards run side by side, as a
scheduler's job array would (`--shard K/4`, each with one kernel)."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
from sample_communes import COMMUNES, HEAD, _rows, _xlsx  # noqa: E402

SHARDS = 4
PER_HEAD = 2  # the row of grain per head in the bundled communes' layout: a ratio of two amounts, never scaled
TITLE = "BÁO CÁO KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU KINH TẾ - XÃ HỘI NĂM 2025"


def generate_province(folder: Path, seed: int = 26) -> list[tuple[str, str]]:
    """A workbook per new unit of the province: (type, name) of each, in the code list's order."""
    from chodon_analysis.base import reform

    units = [(r["new_unit_type"], r["new_unit"]) for r in reform.new_units()]
    rng = random.Random(seed)
    templates = [values for _f, _layout, values in COMMUNES.values()]
    folder.mkdir(parents=True, exist_ok=True)
    for i, (kind, name) in enumerate(units):
        scale = rng.uniform(0.5, 1.8)  # amounts scaled together: grain per head (the third row) and shares are not
        values = [(p, a) if j == PER_HEAD else
                  (p if p is None or p < 100 else round(p * scale), a if a is None or a < 100 else round(a * scale))
                  for j, (p, a) in enumerate(templates[i % len(templates)])]
        heading = [f"ỦY BAN NHÂN DÂN {kind.upper()} {name.upper()}", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", TITLE]
        _xlsx(folder / f"bao-cao-{i:02d}-2025.xlsx", heading, [HEAD], _rows(values))
    return units


def side_by_side(cmds: list[list[str]]) -> tuple[float, float]:
    """Wall seconds until the last of `cmds` (started together) ends, and the highest peak memory (MB) of any."""
    t = time.perf_counter()
    procs = [subprocess.Popen(c, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for c in cmds]
    peak = 0.0
    for p in procs:
        _, status, usage = os.wait4(p.pid, 0)
        if os.waitstatus_to_exitcode(status) not in (0, 1):
            raise SystemExit(f"benchmark command failed: {' '.join(p.args)}")
        peak = max(peak, usage.ru_maxrss / 1024)
    return time.perf_counter() - t, peak


def _reports(year: Path) -> tuple[int, int]:
    folders = [p for p in year.iterdir() if p.is_dir() and not p.name.startswith(".")]
    return len(folders), sum(1 for f in folders for p in f.glob("*.html") if p.name != "index.html")


def bench_province(tmp: Path, chodon: str, measure, say) -> None:
    """Generate, clean once (not counted), run the province in one process, then in four shards side by side."""
    raw, processed = tmp / "province-raw", tmp / "province-processed"
    units = generate_province(raw)
    measure([chodon, "clean", str(raw), "--out", str(processed)])
    base = [chodon, "run", "--year", "2025", "--area", "all", "--raw", str(raw), "--processed", str(processed)]
    wall, mem = measure([*base, "--reports", str(tmp / "province-one")])
    areas, reports = _reports(tmp / "province-one" / "2025")
    shards = [[*base, "--reports", str(tmp / "province-shards"), "--shard", f"{k}/{SHARDS}", "--jobs", "1"]
              for k in range(1, SHARDS + 1)]
    s_wall, s_mem = side_by_side(shards)
    s_areas, s_reports = _reports(tmp / "province-shards" / "2025")
    kinds = {k: sum(1 for u in units if u[0] == k) for k, _ in units}
    say("## 7. The province: 92 communes and wards of the new Thái Nguyên (issue 26)")
    say()
    say(f"One generated workbook for each unit of `new_units.csv` ({', '.join(f'{n} {k}' for k, n in kinds.items())}"
        f"; the bundled communes' layout, values scaled at random), cleaned beforehand; then `chodon run --year 2025 "
        f"--area all`: once with one kernel per core ({os.cpu_count()} here), and split in {SHARDS} shards "
        f"(`--shard K/{SHARDS} --jobs 1`) started together into one report folder, as a job array runs them.")
    say()
    say("| run | areas | reports | wall (s) | per report (s) | peak memory (MB) |")
    say("|---|---|---|---|---|---|")
    say(f"| one process | {areas} | {reports} | {wall:.1f} | {wall / max(reports, 1):.2f} | {mem:.0f} |")
    say(f"| {SHARDS} shards side by side | {s_areas} | {s_reports} | {s_wall:.1f} | {s_wall / max(s_reports, 1):.2f} "
        f"| {s_mem:.0f} (the largest shard) |")
    say()
    same = "yes" if (s_areas, s_reports) == (areas, reports) else "NO"
    say(f"Every area written once by the shards together: {same}. "
        f"On {os.cpu_count()} cores the shards share the same cores, so they take about as long as one run; on a "
        f"job array each shard has its own node and the wall time divides by the number of nodes.")
    say()


if __name__ == "__main__":  # on its own: python benchmarks/province.py
    import tempfile

    from run import CHODON, measure

    with tempfile.TemporaryDirectory() as d:
        bench_province(Path(d), CHODON, measure, print)
