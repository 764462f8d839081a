"""How a worker's kernel is started: the kernel manager of the project's own interpreter, and the fast start, a kernel
forked from the run itself once it has imported what the notebooks import.

A fresh interpreter spends most of a second importing ipykernel, pandas, plotly and the package before the first
cell runs, in every kernel; a forked kernel starts with them loaded (pages shared with the run, nothing imported
again) and the vocabulary read. The kernel is the same IPython kernel, started from the same command line and
connection file. The fork is only taken while the run has no other thread (a fork then copies a consistent process);
otherwise, or on a system without fork, or with CHODON_FRESH_KERNELS=1 in the environment, the kernel is a fresh
interpreter as before. A forked kernel shows as `chodon-kernel` in `ps -o comm`."""

from __future__ import annotations

import contextlib
import functools
import gc
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import NoReturn

from ..paths import PACKAGE_DIR

SOCKETS_PREFIX = "chodon-kernel-"  # + the run's pid: a folder of a run that no longer lives is removed
LAUNCHER = "ipykernel_launcher"


def remove_stale_sockets() -> None:
    """Socket folders of kernels whose run was killed (`kill -9`): removed by the next run."""
    for folder in Path(tempfile.gettempdir()).glob(f"{SOCKETS_PREFIX}*-*"):
        pid = folder.name.removeprefix(SOCKETS_PREFIX).split("-")[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def can_fork() -> bool:
    """Whether a kernel may be forked from this process now: fork exists and no other thread runs."""
    return (hasattr(os, "fork") and threading.active_count() == 1 and sys.platform.startswith("linux")
            and not os.environ.get("CHODON_FRESH_KERNELS"))


def warm_code(modules: list[str], lang: str | None = None) -> str:
    """Code that imports `modules` (what the notebooks will import), and for the package's reports pays their first
    chart's and table's costs in `lang` (None: every language; report/start.warm_up), where the kernels start from:
    the run before it forks them, or a fresh kernel while the data is cleaned. A name that is not a module, or fails
    to import, is left to the notebook."""
    ours = any(m.startswith("chodon_analysis") for m in modules)
    head = "import chodon_analysis.speed; chodon_analysis.speed.skip_unused_imports()\n" if ours else ""
    langs = "" if lang is None else repr((lang,))
    tail = (f"try:\n    from chodon_analysis.report.start import warm_up as _w\n    _w({langs})\nexcept Exception:\n"
            "    pass\n" if ours else "")
    return (head + "import importlib as _il\n"
            f"for _m in {modules!r}:\n    try:\n        _il.import_module(_m)\n    except Exception:\n        pass\n"
            + tail)


def kernel_manager(log_path: Path):
    """A kernel manager for the project's interpreter (no NoSuchKernel, no foreign Python), whose kernels write their
    own stderr (start-up warnings, shutdown noise) to `log_path` instead of the user's terminal (cell errors still land
    in the notebook); its kernel forked by `fork` when one was, else launched as a fresh interpreter."""
    from jupyter_client.manager import AsyncKernelManager

    class KernelManager(AsyncKernelManager):
        def __init__(self, *a, **kw):
            super().__init__(*a, **kw)
            self.open_clients = []
            self.shared = None  # the one client of the worker, once its kernel is ready (`share_client`)
            self.child: Child | None = None  # a kernel forked for this manager, not yet taken on

        @property
        def kernel_spec(self):
            """The project's own interpreter, whatever `python3` kernel spec a user has installed elsewhere."""
            if self._kernel_spec is None:
                from jupyter_client.kernelspec import KernelSpec

                self._kernel_spec = KernelSpec(
                    # no IPython history database: a scheduled run writes nothing to ~/.ipython, and a reused
                    # kernel's prompt numbers can start again at 1
                    argv=[sys.executable, "-m", LAUNCHER, "-f", "{connection_file}", "--HistoryManager.enabled=False"],
                    display_name="Python 3 (chodon-analysis)", language="python", resource_dir=str(PACKAGE_DIR))
            return self._kernel_spec

        def client(self, **kw):
            """The worker's one client once shared (`share_client`), else one on the manager's own ZeroMQ context,
            remembered so that `close_clients` can stop it: nbclient leaves a client open when it does not own the
            kernel, each with a heartbeat thread, a context and sockets (5 MB a notebook; 2.6 GB over 300 reports)."""
            if self.shared is not None:
                return self.shared
            kw.setdefault("context", self.context)
            c = super().client(**kw)
            # no heartbeat thread: the run watches its kernels itself, and a heartbeat stopped from another thread
            # can die with a traceback on the user's terminal
            c.start_channels = functools.partial(c.start_channels, hb=False)
            self.open_clients.append(c)
            return c

        def share_client(self) -> None:
            """One client for every notebook of the worker (and its resets), ready once: a new client per notebook
            waits for the kernel to answer and for 0.2 s of silence on its output channel (jupyter_client's
            `wait_for_ready`), twice a notebook with the reset. nbclient ignores the messages of other executions."""
            from jupyter_core.utils import run_sync

            c = self.client()
            c.start_channels()
            run_sync(c.wait_for_ready)(timeout=60)

            async def ready(timeout: float | None = None) -> None:
                """Ready already."""

            c.wait_for_ready = ready
            self.open_clients.remove(c)
            self.shared = c

        def close_clients(self, shared: bool = False) -> None:
            """Stop the clients nbclient left (and the shared one too when the kernel goes)."""
            if shared and self.shared is not None:
                self.open_clients.append(self.shared)
                self.shared = None
            while self.open_clients:
                with contextlib.suppress(Exception):
                    self.open_clients.pop().stop_channels()

        async def _async_launch_kernel(self, kernel_cmd, **kw):
            if self.child is not None:  # forked already (`fork`): taken on as if launched
                p, child, self.child = self.provisioner, self.child, None
                p.process, p.pid, p.pgid, p.cwd = child, child.pid, child.pid, kw.get("cwd")
                self._reconcile_connection_info(p.connection_info)
                return None
            kw.setdefault("stderr", log_path.open("ab"))
            return await super()._async_launch_kernel(kernel_cmd, **kw)

    return KernelManager


def fork(km, cwd: Path, log_path: Path) -> Child | None:
    """Fork `km`'s kernel from this process (its connection file written first): the child becomes the kernel, the
    manager takes it on when started. None, and nothing forked, when the command is not the project's own."""
    import asyncio

    cmd, kw = asyncio.run(km._async_pre_start_kernel(cwd=str(cwd)))
    if LAUNCHER not in cmd or not can_fork():
        return None
    env = {**kw["env"], "JPY_PARENT_PID": str(os.getpid())}
    argv = [*cmd[cmd.index(LAUNCHER) + 1:], f"--IPKernelApp.parent_handle={os.getpid()}"]
    log = os.open(log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()  # nothing buffered is written twice
    pid = os.fork()
    if pid == 0:
        _kernel(argv, env, kw.get("cwd") or str(cwd), log)
    os.close(log)
    km.child = Child(pid, cmd)
    return km.child


def _kernel(argv: list[str], env: dict[str, str], cwd: str, log: int) -> NoReturn:
    """The forked child: a process of its own group with the signals, files, folder, environment and arguments a
    freshly launched kernel has (none of the run's locks or handlers), then the kernel until it is shut down."""
    status = 1
    try:
        os.setsid()
        signal.pthread_sigmask(signal.SIG_SETMASK, ())
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        for sig in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, signal.SIG_DFL)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.dup2(log, 2)
        for fd in [int(f) for f in os.listdir("/proc/self/fd")]:  # the run's locks and files are not the kernel's
            if fd > 2:
                with contextlib.suppress(OSError):
                    os.close(fd)
        os.chdir(cwd)
        os.environ.clear()
        os.environ.update(env)
        sys.argv = [LAUNCHER, *argv]
        sys.path[0] = cwd  # as `python -m` puts its working folder first
        gc.freeze()  # what the run had made is never scanned (nor copied) by the kernel's collector
        with contextlib.suppress(OSError), open("/proc/self/comm", "w") as comm:
            comm.write("chodon-kernel")
        _no_debugger()
        from ipykernel.kernelapp import IPKernelApp

        IPKernelApp.launch_instance(argv=argv)
        status = 0
    except SystemExit as e:
        status = e.code if isinstance(e.code, int) else int(e.code is not None)
    except BaseException:
        import traceback

        with contextlib.suppress(Exception):
            traceback.print_exc()
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(status)


def _no_debugger() -> None:
    """A forked kernel runs a report, never a debugging session: ipykernel finds debugpy absent instead of importing
    it and pydevd (145 modules, a twentieth of a second of each kernel's start)."""
    if "debugpy" not in sys.modules:
        sys.modules["debugpy"] = None  # type: ignore[assignment]  # `import debugpy...` now raises ImportError


class Child:
    """A forked kernel as the kernel manager handles a launched one (subprocess.Popen's poll, wait, signals)."""

    def __init__(self, pid: int, args: list[str]) -> None:
        self.pid, self.args = pid, args
        self.returncode: int | None = None
        self.stdin = self.stdout = self.stderr = None
        self._lock = threading.Lock()

    def poll(self) -> int | None:
        """Its exit status once it has ended (reaped here), else None."""
        with self._lock:
            if self.returncode is None:
                try:
                    pid, status = os.waitpid(self.pid, os.WNOHANG)
                except ChildProcessError:  # reaped elsewhere
                    self.returncode = 0
                else:
                    if pid:
                        self.returncode = os.waitstatus_to_exitcode(status)
            return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        """Its exit status, waiting at most `timeout` seconds (then subprocess.TimeoutExpired, as Popen raises)."""
        end = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if end is not None and time.monotonic() > end:
                raise subprocess.TimeoutExpired(self.args, timeout or 0)
            time.sleep(0.01)
        assert self.returncode is not None
        return self.returncode

    def send_signal(self, sig: int) -> None:
        """`sig` to the kernel, unless it has ended (its pid may be another process's by then)."""
        if self.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, sig)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)
