"""Work done in a process forked from the run while the run goes on (runner/data.py): the derived tables while the
kernels start, and then, when asked, the year's workbook, data-quality page and Word appendix while the notebooks run
(runner/book.py): a process of its own, not a thread of the run, where the kernels' notebooks are taken in and turned
into pages. Each answer goes back through a pipe as a pickle after its length; an error as itself."""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import threading
from collections.abc import Callable
from typing import Any

_SIZE = 8  # the bytes of an answer's length


def fork_beside(fn: Callable[..., Any], args: tuple, meanwhile: Callable[[], None],
                then: Callable[[], Any] | None = None) -> tuple[Any, Later | None]:
    """`fn(*args)` in a forked process while `meanwhile()` runs here: its result (its error raised here), and, with
    `then`, the process going on with `then()` once it has answered (a Later; not when `fn` failed). The caller
    makes sure that no other thread runs (launch.can_fork)."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: its answers through the pipe, then gone, whatever happens, without the run's handlers
        try:
            os.close(r)
            with os.fdopen(w, "wb") as out:
                if _answer(out, fn, args) and then is not None:
                    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):  # a stop is the run's to say: it
                        signal.signal(sig, signal.SIG_IGN)  # waits for this work, or kills it (Later)
                    _answer(out, then, ())
        finally:
            os._exit(0)
    os.close(w)
    answer = os.fdopen(r, "rb")
    try:
        meanwhile()
        data = _message(answer)
    except BaseException:  # a stop or an error here: the child goes too
        answer.close()
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        raise
    later = Later(pid, answer) if then is not None and data is not None and pickle.loads(data)[0] else None
    if later is None:
        answer.close()
        os.waitpid(pid, 0)
    return _value(data), later


def _answer(out, fn: Callable[..., Any], args: tuple) -> bool:
    """Write `fn(*args)`'s result, or its error, as one answer; whether it succeeded."""
    try:
        answer = (True, fn(*args))
    except BaseException as e:  # noqa: BLE001 (handed to the run, which says it)
        answer = (False, e)
    try:
        data = pickle.dumps(answer)
        pickle.loads(data)  # an error rebuilt from its arguments only (VocabularyError): said in its words
    except Exception:
        data = pickle.dumps((False, RuntimeError(str(answer[1]))))
    out.write(len(data).to_bytes(_SIZE, "big") + data)
    out.flush()
    return answer[0]


def _message(answer) -> bytes | None:
    """One answer's bytes; None when the child ended without it."""
    head = answer.read(_SIZE)
    if len(head) < _SIZE:
        return None
    data = answer.read(int.from_bytes(head, "big"))
    return data if data else None


def _value(data: bytes | None) -> Any:
    """The result an answer carries, or its error raised."""
    if not data:
        raise RuntimeError("the process working beside the run ended without a word")
    ok, value = pickle.loads(data)  # noqa: S301 (our own child's answer)
    if not ok:
        raise value
    return value


class Later:
    """The forked process going on with its second piece of work: its result once it is done (`result`, waited
    for), or the process killed (`kill`: the run is stopping)."""

    def __init__(self, pid: int, answer) -> None:
        self.pid, self._answer = pid, answer
        self._lock = threading.Lock()
        self._data: bytes | None = None
        self._done = False

    def result(self) -> Any:
        """Its result (its error raised), waiting for it."""
        with self._lock:
            if not self._done:
                try:
                    self._data = _message(self._answer)
                finally:
                    self._end()
        return _value(self._data)

    def kill(self) -> None:
        """The process killed if it still works, and reaped."""
        with self._lock:
            if not self._done:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(self.pid, signal.SIGKILL)
                self._end()

    def _end(self) -> None:
        self._done = True
        self._answer.close()
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)
