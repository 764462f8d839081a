"""`chodon run --year`: clean, derive, execute every report notebook with papermill, export offline HTML.

Incremental (a fingerprint of inputs, code, notebook and parameters per step), safe (temporary names
moved into place, one run at a time per report folder), and plain-spoken about failures.
"""

from __future__ import annotations

import ast
import contextlib
import fcntl
import hashlib
import html
import json
import os
import re
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
OUTPUTS = ("indicators.csv", "indicators.parquet", "issues.csv")
DERIVED = ("attainment_summary.csv", "forest_cover.csv", "grain_per_capita.csv")


def _say(msg: str) -> None:
    """Progress on a terminal only; logs stay quiet."""
    if sys.stderr.isatty():
        print(msg, file=sys.stderr, flush=True)


def _err(msg: str) -> None:
    print(f"error: {msg}", file=sys.stderr, flush=True)


def _hash_files(paths: list[Path]) -> str:
    h = hashlib.sha256()
    for p in sorted(paths):
        h.update(str(p.name).encode())
        h.update(hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()


def code_fingerprint() -> str:
    """The package's code and vocabulary files: a change in either redoes the work."""
    files = [p for p in PACKAGE_DIR.rglob("*") if p.is_file() and p.suffix in (".py", ".toml", ".txt", ".csv")]
    return _hash_files(files)


def raw_fingerprint(raw: Path) -> str:
    files = [p for p in raw.rglob("*") if p.is_file() and not p.name.startswith(".")] if raw.is_dir() else []
    return _hash_files(files)


@dataclass
class Notebook:
    path: Path
    params: dict[str, dict]  # name -> papermill's inferred parameter info

    @property
    def name(self) -> str:
        return self.path.stem


def report_notebooks(folder: Path) -> list[Notebook]:
    """Notebooks of `folder` with a cell tagged `parameters` (the others are exploration notebooks)."""
    out = []
    for p in sorted(folder.glob("*.ipynb")):
        nb = json.loads(p.read_text(encoding="utf-8"))
        cell = next((c for c in nb.get("cells", []) if "parameters" in c.get("metadata", {}).get("tags", [])), None)
        if cell is not None:
            out.append(Notebook(p, _declared_params("".join(cell.get("source", "")))))
    return out


def _declared_params(source: str) -> dict[str, dict]:
    """`name = literal` lines of a parameters cell -> {name: {type, default}} (what papermill would inject over)."""
    out = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            try:
                value = ast.literal_eval(node.value)
            except ValueError:
                value = None
            out[node.targets[0].id] = {"type": type(value).__name__, "default": value}
    return out


def check_params(nb: Notebook, params: dict[str, object]) -> list[str]:
    """Unknown names and wrong types, each as a message naming the notebook and the parameter."""
    problems = []
    for name, value in params.items():
        if name not in nb.params:
            known = ", ".join(nb.params)
            problems.append(f"{nb.path}: unknown parameter '{name}' (the notebook declares: {known})")
            continue
        want = nb.params[name]["type"]
        got = type(value).__name__
        ok = got == want or (want == "float" and got == "int") or want == "NoneType"
        if not ok:
            problems.append(f"{nb.path}: parameter '{name}' should be {want}, got {got} ({value!r})")
    return problems


def parse_param(text: str) -> tuple[str, object]:
    """`name=value` from the command line; the value read as a Python literal when it is one."""
    name, sep, raw = text.partition("=")
    if not sep or not name.isidentifier():
        raise ValueError(f"--param expects name=value, got '{text}'")
    try:
        return name, ast.literal_eval(raw)
    except (ValueError, SyntaxError):
        return name, raw


@dataclass
class Step:
    name: str
    status: str  # done, skipped, failed
    seconds: float = 0.0
    key: str = ""
    detail: str = ""


@dataclass
class RunState:
    steps: list[Step] = field(default_factory=list)
    failed: bool = False


def clean_state(raw: Path, processed: Path, code_fp: str, force: bool = False) -> tuple[str, bool]:
    """The fingerprint of the workbooks and the code, and whether `processed` must be cleaned again."""
    key = hashlib.sha256(f"{raw_fingerprint(raw)}|{code_fp}".encode()).hexdigest()
    stamp = processed / ".clean-key"
    have = all((processed / n).exists() for n in OUTPUTS)
    return key, force or not have or not stamp.exists() or stamp.read_text().strip() != key


def clean_into(raw: Path, processed: Path, key: str) -> Step:
    """Clean `raw` into `processed`; the stamp is written only when every file was read."""
    from .cleaner import clean, write_outputs

    s = time.perf_counter()
    _say(f"cleaning {raw} ...")
    processed.mkdir(parents=True, exist_ok=True)
    result = clean([raw])
    write_outputs(result, processed)
    for path, reason in result.failed:
        _err(f"{path}: {reason}")
    stamp = processed / ".clean-key"
    if result.failed:
        stamp.unlink(missing_ok=True)
    else:
        _write_atomic(stamp, key)
    _say(f"  cleaned {len(result.files)} files in {time.perf_counter() - s:.1f} s")
    return Step("clean", "failed" if result.failed else "done", time.perf_counter() - s, key,
                f"{len(result.files)} files, {len(result.indicators)} rows, {len(result.failed)} failed")


@contextlib.contextmanager
def run_lock(folder: Path):
    """One run at a time per report folder; the lock goes away with the process, even on kill -9."""
    folder.mkdir(parents=True, exist_ok=True)
    fh = (folder / ".lock").open("a+")
    try:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        fh.close()
        raise RuntimeError(f"another `chodon run` is writing {folder} right now; wait for it to finish") from None
    try:
        yield
    finally:
        fcntl.flock(fh, fcntl.LOCK_UN)
        fh.close()


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def run_year(year: int, raw: Path = Path("data/raw"), processed: Path = Path("data/processed"),
             reports: Path = Path("reports"), notebooks: Path | None = None, jobs: int | None = None,
             force: bool = False, show_code: bool = False, extra_params: dict[str, object] | None = None) -> int:
    """The yearly run; returns the exit status of CONTRACT §2 (0 ok, 1 a file or notebook failed)."""
    t0 = time.perf_counter()
    raw, processed, reports = raw.resolve(), processed.resolve(), reports.resolve()
    notebooks = (notebooks or _default_notebooks()).resolve()
    out_dir = reports / str(year)
    try:
        lock = run_lock(out_dir)
        lock.__enter__()
    except RuntimeError as e:
        _err(str(e))
        return 1
    try:
        return _run_locked(year, raw, processed, out_dir, notebooks, jobs, force, show_code, extra_params or {}, t0)
    finally:
        lock.__exit__(None, None, None)


def _default_notebooks() -> Path:
    from .paths import project_root

    root = project_root() or Path.cwd()
    return root / "notebooks"


def _run_locked(year: int, raw: Path, processed: Path, out_dir: Path, nb_dir: Path, jobs: int | None, force: bool,
                show_code: bool, extra: dict[str, object], t0: float) -> int:
    state = RunState()
    for stale in out_dir.glob(".*.tmp"):  # left by a run that was killed; we hold the lock now
        stale.unlink(missing_ok=True)
    for stale in out_dir.glob(".*.ipynb"):
        stale.unlink(missing_ok=True)
    log_path = out_dir / "run.json"
    previous = json.loads(log_path.read_text(encoding="utf-8")) if log_path.exists() else {}
    prev_keys = {s["name"]: s.get("key", "") for s in previous.get("steps", []) if s.get("status") in ("done", "skipped")}
    code_fp = code_fingerprint()
    nbs = report_notebooks(nb_dir)

    # 1. clean
    clean_key, clean_needed = clean_state(raw, processed, code_fp, force)
    pool = None
    if nbs and (clean_needed or previous.get("code") != code_fp or
                any(not (out_dir / f"{nb.name}.html").exists() for nb in nbs)):
        # notebooks will run: start their kernels now, so that they boot while the data is cleaned
        pool = WorkerPool(max(1, min(jobs or os.cpu_count() or 1, len(nbs))), nb_dir, out_dir, show_code)
    if clean_needed:
        step = clean_into(raw, processed, clean_key)
    else:
        step = Step("clean", "skipped", 0.0, clean_key, "inputs and code unchanged")
    state.steps.append(step)
    state.failed |= step.status == "failed"

    # 2. derived tables
    data_key = hashlib.sha256(f"{_hash_files([processed / n for n in OUTPUTS])}|{code_fp}|{year}".encode()).hexdigest()
    derived_ok = all((processed / n).exists() for n in DERIVED)
    if not force and derived_ok and prev_keys.get("derived") == data_key:
        state.steps.append(Step("derived", "skipped", 0.0, data_key))
    else:
        s = time.perf_counter()
        from .derive import derived_tables, write_derived
        from .report import load

        ctx = load(processed, raw)
        write_derived(derived_tables(ctx, year), processed)
        state.steps.append(Step("derived", "done", time.perf_counter() - s, data_key))

    # 3. notebooks
    base = {"year": year, "processed_dir": str(processed), "raw_dir": str(raw)}
    todo = []
    for nb in nbs:
        params = {k: v for k, v in base.items() if k in nb.params} | extra
        problems = check_params(nb, params)
        if problems:
            for p in problems:
                _err(p)
            state.steps.append(Step(f"notebook:{nb.name}", "failed", 0.0, "", "; ".join(problems)))
            state.failed = True
            continue
        key = hashlib.sha256(json.dumps([data_key, _hash_files([nb.path]), params, show_code], sort_keys=True,
                                        default=str).encode()).hexdigest()
        done = (out_dir / f"{nb.name}.html").exists() and (out_dir / f"{nb.name}.ipynb").exists()
        if not force and done and prev_keys.get(f"notebook:{nb.name}") == key:
            state.steps.append(Step(f"notebook:{nb.name}", "skipped", 0.0, key, "unchanged"))
        else:
            todo.append((nb, params, key))
    if todo:
        if pool is None:
            pool = WorkerPool(max(1, min(jobs or os.cpu_count() or 1, len(todo))), nb_dir, out_dir, show_code)
        _say(f"executing {len(todo)} notebook(s) with {pool.size} worker(s) ...")
        for step in pool.run(todo):
            state.steps.append(step)
            state.failed |= step.status == "failed"
    elif pool is not None:
        pool.run([])

    # 4. index and log
    did_work = any(s.status != "skipped" for s in state.steps)
    if did_work or not (out_dir / "index.html").exists():
        _write_atomic(out_dir / "index.html", _index_html(year, nbs, out_dir, processed))
    log = {"year": year, "finished": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "code": code_fp,
           "seconds": round(time.perf_counter() - t0, 3), "failed": state.failed,
           "steps": [s.__dict__ | {"seconds": round(s.seconds, 3)} for s in state.steps]}
    if did_work or not log_path.exists():
        _write_atomic(log_path, json.dumps(log, ensure_ascii=False, indent=2))
    if not did_work:
        print(f"reports/{year}: nothing changed; no work done (use --force to redo)", file=sys.stderr)
    else:
        n_done = sum(s.status == "done" for s in state.steps if s.name.startswith("notebook:"))
        print(f"{out_dir}: {n_done} notebook(s) executed in {time.perf_counter() - t0:.1f} s"
              + (" with errors" if state.failed else ""), file=sys.stderr)
    return 1 if state.failed else 0


def _quiet_kernel_manager(log_path: Path):
    """A kernel manager for the project's interpreter (no NoSuchKernel, no foreign Python), whose kernels
    write their own stderr (start-up warnings, shutdown noise) to `log_path` instead of the user's terminal;
    cell errors still land in the notebook."""
    from jupyter_client.manager import AsyncKernelManager

    class KernelManager(AsyncKernelManager):
        @property
        def kernel_spec(self):
            """The project's own interpreter, whatever `python3` kernel spec a user has installed elsewhere."""
            if self._kernel_spec is None:
                from jupyter_client.kernelspec import KernelSpec

                self._kernel_spec = KernelSpec(
                    # no IPython history database: a scheduled run writes nothing to ~/.ipython, and a reused
                    # kernel's prompt numbers can start again at 1
                    argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}",
                          "--HistoryManager.enabled=False"],
                    display_name="Python 3 (chodon-analysis)", language="python", resource_dir=str(PACKAGE_DIR))
            return self._kernel_spec

        async def _async_launch_kernel(self, kernel_cmd, **kw):
            kw.setdefault("stderr", log_path.open("ab"))
            return await super()._async_launch_kernel(kernel_cmd, **kw)

    return KernelManager


# Run in a reused kernel before each notebook but its first: a clean namespace and prompt count.
_RESET = """\
get_ipython().run_line_magic("reset", "-f")
get_ipython().execution_count = 1
"""


def _ignore(_msg: dict) -> None:
    """Output of the run's own kernel housekeeping is not the user's."""


class KernelRunner:
    """Executes notebooks one after another in one kernel of the project's environment (`python3`).

    Starting a kernel and importing pandas and plotly in it costs a second or two; a worker pays it once
    and clears the namespace between notebooks. After a failure the kernel is replaced.
    """

    def __init__(self, cwd: Path, log_path: Path):
        self.cwd, self.log_path = cwd, log_path
        self.km = None
        self.used = False

    def _kernel(self):
        """The worker's kernel: started on first use, its namespace cleared before each later notebook."""
        from jupyter_core.utils import run_sync

        if self.km is None:
            self.km = _quiet_kernel_manager(self.log_path)(kernel_name="python3")
            run_sync(self.km.start_kernel)(cwd=str(self.cwd))
            self.used = False
        elif self.used:
            self._run_silently(_RESET)
        return self.km

    def _run_silently(self, code: str, timeout: float = 120) -> None:
        """Run housekeeping code in the kernel: no output shown, no prompt number used."""
        from jupyter_core.utils import run_sync

        kc = self.km.client()
        kc.start_channels()
        try:
            run_sync(kc.wait_for_ready)(timeout=60)
            run_sync(kc.execute_interactive)(code, silent=True, store_history=False, timeout=timeout,
                                             output_hook=_ignore)
        finally:
            kc.stop_channels()

    def warm(self) -> None:
        """Start the kernel and import the report libraries in it."""
        self._kernel()
        self._run_silently(_WARM)

    def shutdown(self) -> None:
        if self.km is not None:
            from jupyter_core.utils import run_sync

            with contextlib.suppress(Exception):
                run_sync(self.km.shutdown_kernel)(now=True)
            self.km = None

    def execute(self, nb: Notebook, params: dict, key: str, *, out_dir: Path, show_code: bool) -> Step:
        """Execute one notebook into a temporary file; on success move notebook and HTML into place."""
        import papermill as pm

        s = time.perf_counter()
        name = f"notebook:{nb.name}"
        tmp_nb = out_dir / f".{nb.name}.{os.getpid()}.{threading.get_ident()}.ipynb"
        try:
            node = pm.execute_notebook(str(nb.path), str(tmp_nb), parameters=params, kernel_name="python3",
                                       progress_bar=False, log_output=False, cwd=str(nb.path.parent),
                                       request_save_on_cell_execute=False, km=self._kernel())
        except Exception as e:
            self.shutdown()  # a fresh kernel for the next notebook
            failed_copy = out_dir / f"{nb.name}.failed.ipynb"
            if tmp_nb.exists():
                tmp_nb.replace(failed_copy)
            cell, what = _failing_cell(failed_copy, e)
            _err(f"{nb.path}: cell {cell} failed: {what} (partly executed notebook saved as {failed_copy})")
            return Step(name, "failed", time.perf_counter() - s, "", f"cell {cell}: {what}")
        finally:
            self.used = True
        _write_atomic(out_dir / f"{nb.name}.html", notebook_html(node, show_code))
        tmp_nb.replace(out_dir / f"{nb.name}.ipynb")
        with contextlib.suppress(FileNotFoundError):
            (out_dir / f"{nb.name}.failed.ipynb").unlink()
        return Step(name, "done", time.perf_counter() - s, key)


# What every report notebook imports first: loaded while the data is cleaned, not on the critical path.
_WARM = "import pandas, plotly.graph_objects, chodon_analysis.plots, chodon_analysis.report, chodon_analysis.trends, " \
        "chodon_analysis.attainment"


class WorkerPool:
    """`size` threads, each with its own kernel, started at once; notebooks are handed to them later by `run`.

    The kernels boot and import the report libraries while the main thread cleans the data.
    """

    def __init__(self, size: int, nb_dir: Path, out_dir: Path, show_code: bool):
        # Import what the workers share here, once: two threads importing jupyter_client at the same time
        # meet its circular imports half-done. papermill follows in `run`, while the kernels boot.
        import jupyter_client.manager  # noqa: F401
        from jupyter_core.utils import run_sync  # noqa: F401

        self.size, self.out_dir, self.show_code = size, out_dir, show_code
        self.queue: list | None = None
        self.ready = threading.Event()
        self.qlock = threading.Lock()
        (out_dir / "kernels.log").write_bytes(b"")  # the kernels' own stderr of this run
        threading.Thread(target=_preload_exporter, args=(show_code,), daemon=True).start()
        self.executor = ThreadPoolExecutor(max_workers=size)
        self.futures = [self.executor.submit(self._worker, KernelRunner(nb_dir, out_dir / "kernels.log"))
                        for _ in range(size)]

    def _worker(self, runner: KernelRunner) -> list[Step]:
        steps: list[Step] = []
        try:
            with contextlib.suppress(Exception):  # a failed warm-up only costs time
                runner.warm()
            self.ready.wait()
            while True:
                with self.qlock:
                    if not self.queue:
                        return steps
                    nb, params, key = self.queue.pop(0)
                step = runner.execute(nb, params, key, out_dir=self.out_dir, show_code=self.show_code)
                _say(f"  {nb.name}: {step.status} in {step.seconds:.1f} s")
                steps.append(step)
        finally:
            runner.shutdown()

    def run(self, todo: list) -> list[Step]:
        """Execute `todo` (notebook, params, key) on the workers; [] just stops them."""
        import nbclient  # noqa: F401
        import papermill  # noqa: F401

        self.queue = list(todo)
        self.ready.set()
        steps = [step for f in self.futures for step in f.result()]
        self.executor.shutdown()
        return steps


_EXPORTERS: dict[bool, object] = {}
_EXPORTER_LOCK = threading.Lock()


def _exporter(show_code: bool):
    """One HTMLExporter per setting: building one compiles its templates (a quarter of a second)."""
    with _EXPORTER_LOCK:
        if show_code not in _EXPORTERS:
            from nbconvert import HTMLExporter

            _EXPORTERS[show_code] = HTMLExporter(exclude_input=not show_code, exclude_input_prompt=True,
                                                 exclude_output_prompt=True)
            import nbformat

            _EXPORTERS[show_code].from_notebook_node(nbformat.v4.new_notebook())  # compile the templates
        return _EXPORTERS[show_code]


def _preload_exporter(show_code: bool) -> None:
    with contextlib.suppress(Exception):
        _exporter(show_code)


def _failing_cell(path: Path, exc: Exception) -> tuple[str, str]:
    """The failing cell as numbered in the source notebook (1-based, papermill's added cells not counted)
    with its first line, and the error."""
    what = f"{getattr(exc, 'ename', type(exc).__name__)}: {getattr(exc, 'evalue', str(exc)).strip()[:200]}"
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "?", what
    added = {"injected-parameters", "papermill-error-cell-tag"}
    cells = [c for c in nb.get("cells", []) if not added & set(c.get("metadata", {}).get("tags", []))]
    for i, c in enumerate(cells, start=1):
        if any(o.get("output_type") == "error" for o in c.get("outputs", [])):
            first = "".join(c.get("source", "")).strip().splitlines()[:1]
            return (f"{i} (`{first[0][:60]}`)" if first else str(i)), what
    return "?", what


_REMOTE_TAG = re.compile(r'<script[^>]*\bsrc="https?://[^"]*"[^>]*>\s*</script>|<link[^>]*\bhref="https?://[^"]*"[^>]*>')


def notebook_html(nb, show_code: bool = False) -> str:
    """HTML of an executed notebook (a node or a path), code hidden unless asked; plotly.js is in the outputs."""
    import nbformat

    if isinstance(nb, str | Path):
        nb = nbformat.read(str(nb), as_version=4)
    exporter = _exporter(show_code)
    with _EXPORTER_LOCK:
        body, _ = exporter.from_notebook_node(nb)
    # the template's require.js and MathJax come from a CDN; the reports need neither, and must not call out
    body = _REMOTE_TAG.sub("", body)
    if "Plotly.newPlot" in body:  # the charts' outputs carry no plotly.js: the page gets it once, inline
        from .plots import plotlyjs_script

        body = body.replace("</head>", plotlyjs_script() + "\n</head>", 1)
    return body


def _index_html(year: int, nbs: list[Notebook], out_dir: Path, processed: Path) -> str:
    """reports/YEAR/index.html: links to the reports and the headline figures (no script, no network)."""
    import pandas as pd

    rows = []
    for nb in nbs:
        ok = (out_dir / f"{nb.name}.html").exists()
        failed = (out_dir / f"{nb.name}.failed.ipynb").exists()
        link = f'<a href="{nb.name}.html">{html.escape(nb.name)}</a>' if ok else html.escape(nb.name)
        note = " (failed in the last run; see the .failed.ipynb)" if failed else ""
        rows.append(f"<li>{link} · <a href=\"{nb.name}.ipynb\">notebook</a>{note}</li>")
    heads = []
    summary = processed / "attainment_summary.csv"
    if summary.exists():
        s = pd.read_csv(summary, encoding="utf-8-sig")
        s = s[s["year"] == year]
        if len(s):
            cells = "".join(f"<tr><td>{html.escape(r.status)}</td><td>{r.computed}</td><td>{r.reported}</td></tr>"
                            for r in s.itertuples())
            heads.append(f"<h2>Plan attainment {year}</h2><table><tr><th>status</th><th>computed</th>"
                         f"<th>reported</th></tr>{cells}</table>")
    for fname, col, label in (("forest_cover.csv", "forest_cover_pct", "Forest cover (%)"),
                              ("grain_per_capita.csv", "grain_per_capita_kg", "Grain per capita (kg/person/year)")):
        p = processed / fname
        if p.exists():
            d = pd.read_csv(p, encoding="utf-8-sig")
            d = d[(d["year"] <= year) & d[col].notna()]
            if len(d):
                r = d.iloc[-1]
                heads.append(f"<p><b>{label}</b>: {r[col]:g} in {int(r['year'])} "
                             f"(source: {html.escape(str(r['source']))})</p>")
    return f"""<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>Chợ Đồn — reports {year}</title>
<style>body{{font-family:sans-serif;max-width:52em;margin:2em auto}}td,th{{padding:.2em .8em;border-bottom:1px solid #ddd}}</style>
</head><body>
<h1>Chợ Đồn — báo cáo năm {year} / reports for {year}</h1>
<ul>{''.join(rows)}</ul>
{''.join(heads)}
<p><small>Values marked <i>illustrative</i> are sample values, not official figures: see data/raw/PROVENANCE.md.</small></p>
</body></html>
"""
