"""How `chodon run` is stopped: Ctrl-C, SIGTERM (a scheduler's stop, `kill`) or SIGHUP (a closed terminal), at any
moment of the run, end it with exit status 130 and no file half written (docs/yearly-run.md#safety).

Three phases. Before the run has started (the command line still importing and checking) a stop ends the process
at once: nothing is written yet. While it runs, the first stop raises KeyboardInterrupt in the main thread (after
the step under way, when that step must not be cut in two: `base.files.whole`), so that the run kills its kernels
and throws away what it had not put in place; later stops are only noted. Once it has ended, a stop only makes the
status 130; the process then ends through `os._exit`, so that no stop can fall into Python's own shutdown (where
the default action of SIGTERM would end it with -15).

Imported first thing by the command line: nothing heavy here."""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
STOPPED = 130
PAUSE = "CHODON_TEST_PAUSE"  # test-only: `<moment>=<file>` (see pause)
_paused: set[str] = set()


def _name(signum: int) -> str:
    return "Ctrl-C" if signum == signal.SIGINT else signal.Signals(signum).name


def _command(args: list[str]) -> str | None:
    """The command a `chodon` command line names (its first word that is not an option)."""
    return next((a for a in args if not a.startswith("-")), None)


def before_run(argv: list[str], program: bool) -> None:
    """From the first moment of `chodon run` started as a program: a stop ends the process at once, with 130 and one
    line (nothing has been written yet). Not in a process that imports the command line (a test's)."""
    if program and _command(argv[1:]) == "run":
        for sig in SIGNALS:
            signal.signal(sig, _at_once)


def _at_once(signum: int, _frame: object) -> None:
    os.write(2, f"error: the run was stopped ({_name(signum)}) before it started; nothing was written\n".encode())
    os._exit(STOPPED)


class Stopping:
    """The stops of a run while it runs, then once it has ended (`ended`); `exit` gives the final status."""

    def __init__(self) -> None:
        self.received: list[str] = []
        self.raised = False  # the first stop was raised (or waits for a step to end): later ones are only noted
        self.ended = False
        self.previous = {sig: signal.getsignal(sig) for sig in SIGNALS}
        for sig in SIGNALS:
            signal.signal(sig, self._handler)

    def _handler(self, signum: int, _frame: object) -> None:
        from ..base.files import stop_deferred

        self.received.append(_name(signum))
        if self.raised or self.ended:
            return
        self.raised = True
        if not stop_deferred():
            raise KeyboardInterrupt

    @property
    def name(self) -> str:
        """The first stop received: Ctrl-C, SIGTERM or SIGHUP."""
        return self.received[0] if self.received else "Ctrl-C"

    def end(self) -> None:
        """The run has ended (done, refused, failed or stopped): a stop from now on only makes the status 130."""
        self.ended = True

    def exit(self, status: int, program: bool) -> int:
        """The run's exit status, 130 when a stop came at any moment. As a program the process ends here, every
        stop blocked first (none can fall between this and the end); otherwise the handlers are put back."""
        self.ended = True
        pause("end")
        if program:
            signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS)
            self.received += [_name(s) for s in sorted(signal.sigpending()) if s in SIGNALS]
        if self.received and status != STOPPED:
            print(f"error: the run was stopped ({self.name}) as it ended, its work done", file=sys.stderr)
            status = STOPPED
        if program:
            for stream in (sys.stdout, sys.stderr):
                stream.flush()
            os._exit(status)
        for sig, handler in self.previous.items():
            signal.signal(sig, handler)
        return status


def pause(moment: str) -> None:
    """Test-only hook: with `CHODON_TEST_PAUSE=<moment>=<file>` in the environment, the run writes <file> the first
    time it reaches <moment> and waits there until the file is removed (60 s at most), so that a test can stop it
    at that very moment. The moments: `start` (the command line, before the run begins), `clean` (the data step,
    under the processed folder's lock), `swap` (a report folder just put in place, its old set not yet removed),
    `end` (the run over, before the process exits)."""
    name, _, marker = os.environ.get(PAUSE, "").partition("=")
    if name != moment or not marker or moment in _paused:
        return
    _paused.add(moment)
    path = Path(marker)
    path.write_text(moment, encoding="utf-8")
    end = time.monotonic() + 60
    while path.exists() and time.monotonic() < end:
        time.sleep(0.02)
