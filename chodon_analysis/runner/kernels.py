"""Kernels of the project's own interpreter, one per worker, reused across notebooks."""

from __future__ import annotations

import contextlib
import errno
import gc
import json
import os
import queue
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_EXCEPTION, Future, wait
from pathlib import Path

from ..base.files import write_text_atomic
from .execute import execute_notebook
from .export import failed_step, notebook_html, page_title, preload_exporter
from .jobs import Job
from .launch import SOCKETS_PREFIX, can_fork, fork, kernel_manager, remove_stale_sockets, warm_code
from .params import imported_modules
from .steps import Step, say

_UNWRITABLE = {errno.ENOSPC, errno.EFBIG, errno.EDQUOT, errno.EROFS}  # a file that cannot be written: the run stops


# Run in a reused kernel before each notebook but its first: a clean namespace and prompt count. The young objects the
# last notebook left in cycles (a figure and its parts) are collected, then what survives (modules, their caches) is
# frozen: the collector never scans it again, and nothing a notebook made is frozen for good.
_RESET = """\
get_ipython().run_line_magic("reset", "-f")
get_ipython().execution_count = 1
__import__("gc").collect(1)
__import__("gc").freeze()
"""


def _ignore(_msg: dict) -> None:
    """Output of the run's own kernel housekeeping is not the user's."""


class KernelRunner:
    """Executes notebooks one after another in one kernel of the project's environment (`python3`).

    A kernel launched as a fresh interpreter spends most of a second importing pandas and plotly; one forked from the
    run (launch.py) starts with them. A worker pays the start once and clears the namespace between notebooks. After a
    failure the kernel is replaced (by a fresh interpreter).
    """

    def __init__(self, cwd: Path, log_path: Path):
        self.cwd, self.log_path = cwd, log_path
        self.km = None
        self.started = False  # the manager's kernel started (launched, or forked and taken on)
        self.sockets: Path | None = None  # the kernel's socket folder
        self.used = self.stopping = False
        self.launching = threading.RLock()
        self.writing = threading.Lock()  # held while a notebook's files are written: a stop waits for them
        self.warm_with = ""  # code run in the kernel once it has started (WorkerPool: the notebooks' imports)

    def _manager(self) -> None:
        """A kernel manager for the worker's next kernel, on unix sockets in a private folder, not TCP ports: kernels
        started at the same moment by parallel runs cannot race for a port ("Address already in use")."""
        self.sockets = Path(tempfile.mkdtemp(prefix=f"{SOCKETS_PREFIX}{os.getpid()}-"))
        self.km = kernel_manager(self.log_path)(kernel_name="python3", transport="ipc", ip=str(self.sockets / "k"))
        self.started = False

    def fork(self) -> bool:
        """Fork the worker's kernel from this process (launch.py; the main thread, no other thread running), to be
        taken on by `_kernel`. False when it was not forked (it is then launched as a fresh interpreter)."""
        self._manager()
        return fork(self.km, self.cwd, self.log_path) is not None

    def _kernel(self):
        """The worker's kernel: started on first use, its namespace cleared before each later notebook."""
        from jupyter_core.utils import run_sync

        if not self.started:
            with self.launching:  # a stop waits for a launch under way, then kills what it started
                if self.stopping:
                    raise RuntimeError("the run is stopping")
                if self.km is None:
                    self._manager()
                run_sync(self.km.start_kernel)(cwd=str(self.cwd))
                self.started = True
            self.km.share_client()
            self.used = False
        elif self.used:
            self._run_silently(_RESET)
        return self.km

    def _run_silently(self, code: str, timeout: float = 120) -> None:
        """Run housekeeping code in the kernel: no output shown, no prompt number used."""
        from jupyter_core.utils import run_sync

        run_sync(self.km.client().execute_interactive)(code, silent=True, store_history=False, timeout=timeout,
                                                       output_hook=_ignore)

    def warm(self) -> None:
        """Start the kernel and import the report libraries in it (not if the run stopped meanwhile); a forked kernel
        has them already."""
        if self.stopping:
            return
        self._kernel()
        if self.stopping:
            self.kill()
            return
        if self.warm_with:
            self._run_silently(self.warm_with + '__import__("gc").freeze()\n')

    def kill(self) -> bool:
        """Kill the kernel and whatever it started at once (its own process group), from any thread: the run is
        stopping. The worker's notebook then ends with a dead kernel. True once no kernel of this runner lives
        (killed, or none started); False while one is still being launched."""
        with self.launching:
            self.stopping = True
        return self._kill()

    def _kill(self) -> bool:
        """Kill the kernel's process group at once (kill's work, without marking the runner as stopping)."""
        with self.launching:
            km = self.km
        if km is None:
            return True
        provisioner = getattr(km, "provisioner", None)
        child = getattr(km, "child", None)  # forked, not yet taken on
        pgid = getattr(provisioner, "pgid", None) or (child.pid if child else None)
        pid = getattr(getattr(provisioner, "process", None), "pid", None)
        with contextlib.suppress(OSError):
            if pgid:
                os.killpg(pgid, signal.SIGKILL)
            elif pid:
                os.kill(pid, signal.SIGKILL)
        if (pgid or pid) and self.sockets is not None:
            shutil.rmtree(self.sockets, ignore_errors=True)
        return bool(pgid or pid) or not self.started

    def shutdown(self) -> None:
        if self.km is not None and (self.stopping or not self.started):
            self._kill()  # no polite shutdown when the run is stopping (nor of a forked kernel never taken on)
            child = getattr(self.km, "child", None) or getattr(self.km.provisioner, "process", None)
            if child is not None:
                with contextlib.suppress(Exception):
                    child.wait(2)  # reaped, not left a zombie
            self.km = None
        if self.km is not None:
            from jupyter_core.utils import run_sync

            self.km.close_clients(shared=True)
            with contextlib.suppress(Exception):
                run_sync(self.km.shutdown_kernel)(now=True)
            self.km = None
        self.started = False
        if self.sockets is not None:
            shutil.rmtree(self.sockets, ignore_errors=True)
            self.sockets = None

    def execute(self, job: Job, show_code: bool) -> Step:
        """Execute one notebook into a temporary file; on success move notebook and HTML into place."""
        s = time.perf_counter()
        nb, params, name, out_dir = job.notebook, dict(job.params), job.step_name, job.target.out_dir
        tmp_nb = out_dir / f".{nb.name}.{os.getpid()}.{threading.get_ident()}.ipynb"
        try:
            node = execute_notebook(nb.path, tmp_nb, params, self._kernel(), nb.path.parent)
        except Exception as e:
            self.shutdown()  # a fresh kernel for the next notebook
            with self.writing:
                if self.stopping or (isinstance(e, OSError) and e.errno in _UNWRITABLE):
                    tmp_nb.unlink(missing_ok=True)  # the run is being stopped, or cannot write: nothing to keep
                    if not self.stopping:
                        e.filename = e.filename or str(tmp_nb)  # the notebook being written, named where it goes
                        raise
                    return Step(name, "failed", time.perf_counter() - s, "", "the run was stopped")
                return failed_step(job, tmp_nb, e, time.perf_counter() - s)
        finally:
            self.used = True
            if self.km is not None:
                self.km.close_clients()  # the notebook's client: its heartbeat thread and sockets
        plotly_src = job.target.plotly_src
        assets = (out_dir / plotly_src).parent.resolve() if plotly_src else None  # the tree's root
        # the executed notebook without nbformat's indentation (a chart's numbers one per line): a third the size;
        # made before the page, whose export may change the node (it is not copied for it)
        text = json.dumps(node, ensure_ascii=False, separators=(",", ":"))
        html = notebook_html(node, show_code, page_title(nb.name, params), str(params.get("lang", "vi")), plotly_src,
                             assets, copy=False)
        with self.writing:  # none of these once the run is stopping (its staging folder is being thrown away)
            if self.stopping:
                tmp_nb.unlink(missing_ok=True)
                return Step(name, "failed", time.perf_counter() - s, "", "the run was stopped")
            write_text_atomic(out_dir / f"{nb.name}.html", html)
            tmp_nb.write_text(text, encoding="utf-8")
            tmp_nb.replace(out_dir / f"{nb.name}.ipynb")
            with contextlib.suppress(FileNotFoundError):
                (out_dir / f"{nb.name}.failed.ipynb").unlink()
        return Step(name, "done", time.perf_counter() - s, job.key)


def pool_size(jobs: int, notebooks: int) -> int:
    """Workers for `notebooks` executions: `jobs` (0: one per processor core), never more than there are notebooks."""
    return max(1, min(jobs or os.cpu_count() or 1, notebooks))


class WorkerPool:
    """`size` threads, each with its own kernel, started at once; jobs are handed to them later by `run`.

    Started while no other thread runs, the kernels are forked from this process once it has imported what
    `notebooks` import (launch.py); otherwise they boot and import it while the main thread goes on. They write their
    own messages to `log` (a fresh file unless `fresh_log` is False: slices of an area run share one).
    """

    def __init__(self, size: int, cwd: Path, log: Path, show_code: bool, notebooks: list[Path] = (),
                 fresh_log: bool = True, lang: str | None = None):
        # Import what the workers share here, once: two threads importing jupyter_client at the same time
        # meet its circular imports half-done. papermill follows in `run`, while the kernels boot.
        import jupyter_client.manager  # noqa: F401
        from jupyter_core.utils import run_sync  # noqa: F401

        remove_stale_sockets()
        self.size, self.show_code = size, show_code
        self.queue: list[Job] | None = None
        self.on_step: Callable[[Job, Step], None] | None = None  # called (from a worker thread) as each job ends
        self.ready = threading.Event()
        self.qlock = threading.Lock()
        self.ended: queue.SimpleQueue = queue.SimpleQueue()  # (job, step) as each job ends, for `_report`
        self.reported: Future = Future()
        if fresh_log:  # a new file: the old one may be the previous set's
            log.unlink(missing_ok=True)
            log.write_bytes(b"")  # the kernels' own stderr of this run
        self.runners = [KernelRunner(cwd, log) for _ in range(size)]
        warm = warm_code(imported_modules(list(notebooks)), lang)
        if can_fork():
            self._fork(warm)
        for runner in self.runners:
            runner.warm_with = "" if runner.km is not None and runner.km.child is not None else warm
        self.futures: list[Future] = [Future() for _ in range(size)]
        # daemon threads: a worker stuck on a kernel killed under it never keeps the process from ending
        for runner, future in zip(self.runners, self.futures, strict=True):
            threading.Thread(target=self._thread, args=(runner, future), daemon=True).start()

    def _fork(self, warm: str) -> None:
        """Import what the notebooks import here, then fork each worker's kernel; a stop or an error meanwhile kills
        those already forked."""
        try:
            exec(compile(warm, "<the notebooks' imports>", "exec"), {})  # noqa: S102 (import lines of our making)
            with contextlib.suppress(ImportError):
                import ipykernel.kernelapp  # noqa: F401  (the kernel itself: imported once, not in each)
            # what exists now lives as long as the run (modules, the vocabulary): left out of every later collection
            # (a full one scans the whole heap, a tenth of a second here) and never copied into a kernel by it; not
            # collected first either (a few hundred objects left by the imports: that collection cost 0.07 s before
            # the kernels could be forked)
            gc.freeze()
            for runner in self.runners:
                runner.fork()
            import papermill  # noqa: F401  (here, while the derived tables are made beside: not once they are)

            preload_exporter(self.show_code)  # likewise, not on a thread taking Python's lock from the client
        except BaseException:
            for runner in self.runners:
                runner.kill()
                runner.shutdown()
            raise

    def _thread(self, runner: KernelRunner, future: Future) -> None:
        try:
            future.set_result(self._worker(runner))
        except BaseException as e:  # handed to whoever waits for the result
            future.set_exception(e)

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
                    job = self.queue.pop(0)
                step = runner.execute(job, self.show_code)
                say(f"  {job.target.label}{job.notebook.name}: {step.status} in {step.seconds:.1f} s")
                steps.append(step)
                self.ended.put((job, step))  # told on the reporter's thread: this kernel goes on to the next job
        finally:
            runner.shutdown()
            self.ended.put(None)  # this worker is done

    def _report(self) -> None:
        """`on_step` for each job ended, in order, on a thread of its own: finishing a report folder (its appendix,
        index, record; a fifth of a second) never keeps a kernel waiting. When it fails (a file that cannot be
        written), no more jobs are handed out and the run ends with the error."""
        try:
            working = self.size
            while working:
                if (ended := self.ended.get()) is None:
                    working -= 1
                elif self.on_step is not None:  # a report folder is finished as soon as its last notebook is done
                    self.on_step(*ended)
        except BaseException as e:
            with self.qlock:
                self.queue = []
            self.reported.set_exception(e)
        else:
            self.reported.set_result([])

    def stop(self, grace: float = 10) -> None:
        """Stop at once: nothing more is started and every kernel is killed (a running notebook ends with it), as
        soon as it exists for one still being launched (at most `grace` seconds); a notebook's files being written
        are waited for, and no worker writes any after that (the folder is about to be thrown away). The worker
        threads are not waited for: they are daemons, and end with the process."""
        with self.qlock:
            self.queue = []
        self.ready.set()
        end = time.monotonic() + grace
        while not all([runner.kill() or future.done() for runner, future in zip(self.runners, self.futures,
                                                                                    strict=True)]):
            if time.monotonic() > end:
                break
            time.sleep(0.05)
        for runner in self.runners:
            with runner.writing:  # stopping is set: whatever it was writing is done, and it writes nothing more
                pass

    def run(self, todo: list[Job]) -> list[Step]:
        """Execute `todo` on the workers; [] just stops them (each kernel shut down)."""
        import nbclient  # noqa: F401
        import papermill  # noqa: F401

        gc.freeze()  # papermill's modules too (see _fork)
        if todo:  # the HTML exporter, ready by the time the first notebook ends (the run waits on the kernels now)
            threading.Thread(target=preload_exporter, args=(self.show_code,), daemon=True).start()
        self.queue = list(todo)
        threading.Thread(target=self._report, daemon=True).start()
        self.ready.set()
        wait([*self.futures, self.reported], return_when=FIRST_EXCEPTION)  # one that cannot write stops the run at once
        for f in (self.reported, *self.futures):
            if f.done() and f.exception() is not None:
                raise f.exception()  # type: ignore[misc]
        return [step for f in self.futures for step in f.result()]
