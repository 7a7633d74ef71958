"""Running untrusted parsing work in child processes that are killed when they overrun.

A PDF or a spreadsheet from a stranger can make a parser loop, recurse or eat memory; a thread
cannot be stopped, a process can. `Sandbox` keeps a few warm worker processes (fresh
interpreters, so it is safe to use from a threaded service) and runs one call at a time in each.
A call that overruns its time limit has its worker killed and replaced; the next call gets a
fresh one. Several threads may call one sandbox at once: each call borrows its own worker.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib
import os
import select
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterable
from multiprocessing.connection import Connection
from typing import Any, TypeVar

T = TypeVar("T")

# A worker needs the readers, not the parser package's entry point, whose imports (the catalog,
# SQLAlchemy) were two thirds of a worker's start: the package is registered without running
# its __init__, and its modules import as usual.
_WORKER_MAIN = (
    "import sys, importlib.util as u; "
    "s = u.find_spec('mailroom.parsers'); sys.modules[s.name] = u.module_from_spec(s); "
    "from mailroom.parsers.sandbox import _main; _main(sys.argv[1:])"
)


# How long a worker waits for a call before it imports its `warm` modules.
WARM_AFTER_IDLE_S = 1.0


class SandboxError(Exception):
    """A sandboxed call did not return a result."""


class SandboxTimeout(SandboxError):
    """The call ran past its time limit; its worker was killed."""


class SandboxCrash(SandboxError):
    """The worker died (a crash in native code, out of memory) or the call raised."""


class _CallRaised(SandboxCrash):
    """The function raised; its worker is still sound and goes back to the pool."""


def _serve(conn: Connection, preload: list[str], warm: list[str], memory_limit: int | None) -> None:
    """The worker's loop: run each (function, args) received and send back the outcome.

    It reports ready once `preload` is imported; `warm` is imported once no call has come for
    WARM_AFTER_IDLE_S, so a burst of calls (a cold start with a queue of mail) is not slowed by
    imports it may not need.
    """
    # Ctrl-C is for the parent; a worker ends when the parent closes the pipe or kills it.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if memory_limit:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
    for name in preload:
        importlib.import_module(name)
    conn.send("ready")
    while True:
        while warm and not _readable(conn, WARM_AFTER_IDLE_S):
            _import_quietly(warm.pop(0))
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        function, args = job
        try:
            outcome: tuple[str, Any] = ("ok", function(*args))
        except BaseException as error:  # any failure, even SystemExit, is a reported reason
            outcome = ("error", f"{type(error).__name__}: {error}")
        try:
            conn.send(outcome)
        except Exception as error:  # e.g. a result that does not pickle
            conn.send(("error", f"{type(error).__name__}: {error}"))


def _readable(conn: Connection, timeout_s: float) -> bool:
    """Whether the pipe has something to read (or was closed) within the time limit.

    `Connection.poll` with a timeout costs about a millisecond a call here (it builds a
    selector each time), five times a small PDF's own reading; one poll(2) costs microseconds.
    """
    poller = select.poll()
    poller.register(conn.fileno(), select.POLLIN)
    return bool(poller.poll(max(0.0, timeout_s) * 1000))


def _import_quietly(name: str) -> None:
    """Import a module ahead of need; one that fails to import fails later, in its call."""
    with contextlib.suppress(Exception):
        importlib.import_module(name)


class _Worker:
    """One child process and the pipe to it.

    The child is a fresh interpreter running `_main`, not a multiprocessing child: that would
    re-run the parent's main script, which fails under `python -c` or a REPL and may have side
    effects.
    """

    def __init__(
        self, preload: tuple[str, ...], warm: tuple[str, ...], memory_limit: int | None
    ) -> None:
        ours, theirs = socket.socketpair()
        command = [sys.executable, "-c", _WORKER_MAIN, str(theirs.fileno()), str(memory_limit or 0)]
        command += [",".join(preload), ",".join(warm)]
        environment = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
        self.process = subprocess.Popen(
            command, pass_fds=(theirs.fileno(),), env=environment, stdin=subprocess.DEVNULL
        )
        theirs.close()
        self.conn = Connection(ours.detach())
        self.ready = False
        self.jobs = 0

    def wait_ready(self, timeout_s: float) -> None:
        """Block until the child has imported its modules; raises SandboxCrash if it cannot."""
        if self.ready:
            return
        try:
            if not _readable(self.conn, timeout_s) or self.conn.recv() != "ready":
                raise SandboxCrash("the worker process did not start")
        except (EOFError, OSError) as error:
            raise SandboxCrash("the worker process did not start") from error
        self.ready = True

    def run(self, function: Callable[..., Any], args: tuple[Any, ...], timeout_s: float) -> Any:
        """Run one call; raises SandboxTimeout or SandboxCrash."""
        self.jobs += 1
        try:
            self.conn.send((function, args))
            if not _readable(self.conn, timeout_s):
                raise SandboxTimeout(f"no result within {timeout_s:g} s")
            status, value = self.conn.recv()
        except (EOFError, OSError) as error:
            code = self.process.poll()
            raise SandboxCrash(f"the worker process died (exit code {code})") from error
        if status != "ok":
            raise _CallRaised(value)
        return value

    def stop(self) -> None:
        """End the child at once.

        A worker keeps nothing between calls, so killing it loses nothing; asking it to exit
        waited for its interpreter's teardown, and any import in progress, 0.3-0.5 s at the
        end of every `mailroom parse`.
        """
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        self.conn.close()


class Sandbox:
    """A small pool of worker processes; `call` runs a function in one with a hard time limit.

    Args:
        workers: most calls running at once (more callers wait for a free worker).
        preload: modules each worker imports before it takes calls, so calls start warm.
        warm: modules each worker imports after that, while no call waits.
        memory_limit_bytes: address-space limit of each worker (None: no limit).
        max_jobs_per_worker: a worker is replaced after this many calls, to shed any leaks
            (a replacement costs up to a second of CPU; reading PDFs, a worker stays near 90 MB).
        start_timeout_s: how long a new worker may take to start.
    """

    def __init__(
        self,
        workers: int = 2,
        *,
        preload: Iterable[str] = (),
        warm: Iterable[str] = (),
        memory_limit_bytes: int | None = None,
        max_jobs_per_worker: int = 5000,
        start_timeout_s: float = 60.0,
    ) -> None:
        self._preload = tuple(preload)
        self._warm = tuple(warm)
        self._memory_limit = memory_limit_bytes
        self._max_jobs = max_jobs_per_worker
        self._start_timeout = start_timeout_s
        self._slots = threading.BoundedSemaphore(max(1, workers))
        self._lock = threading.Lock()
        self._idle: list[_Worker] = []
        self._closed = False
        self.pid = os.getpid()

    def warm_up(self) -> None:
        """Start one worker now and wait for it, so that the first call does not pay for it."""
        worker = self._checkout()
        self._checkin(worker, healthy=True)

    def prestart(self) -> None:
        """Start one worker now without waiting for it, unless one is idle already.

        A command or service calls this as it starts: the worker's imports (0.1-0.2 s) then
        overlap with its own start instead of landing on the first attachment.
        """
        with self._lock:
            if self._closed or self._idle:
                return
            self._idle.append(self._start())

    def call(self, function: Callable[..., T], *args: Any, timeout_s: float) -> T:
        """Run `function(*args)` in a worker process and return its result.

        `function` and the arguments must pickle (a module-level function does). The time limit
        counts from the moment a started worker has the call; waiting for a free worker does not
        count against it.

        Raises:
            SandboxTimeout: no result within `timeout_s`; the worker was killed.
            SandboxCrash: the worker died or `function` raised.
        """
        with self._slots:
            worker = self._checkout()
            healthy = False
            try:
                result: T = worker.run(function, args, timeout_s)
                healthy = True
                return result
            except _CallRaised:
                healthy = True
                raise
            finally:
                self._checkin(worker, healthy=healthy)

    def close(self) -> None:
        """Stop every idle worker; busy ones stop when their call ends."""
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.stop()

    def _checkout(self) -> _Worker:
        with self._lock:
            if self._closed:
                raise SandboxCrash("the sandbox is closed")
            worker = self._idle.pop() if self._idle else None
        if worker is None:
            worker = self._start()
        try:
            worker.wait_ready(self._start_timeout)
        except SandboxCrash:
            worker.stop()
            raise
        return worker

    def _checkin(self, worker: _Worker, *, healthy: bool) -> None:
        retire = not healthy or worker.jobs >= self._max_jobs
        with self._lock:
            closed = self._closed
            if not retire and not closed:
                self._idle.append(worker)
                return
        worker.stop()
        if not closed:
            # Start the replacement now: it imports while the caller goes on with its work.
            replacement = self._start()
            with self._lock:
                self._idle.append(replacement)

    def _start(self) -> _Worker:
        return _Worker(self._preload, self._warm, self._memory_limit)


_default: Sandbox | None = None
_default_lock = threading.Lock()
# Parsing a large PDF needs a few hundred MB; a file that wants more than this is hostile.
DEFAULT_MEMORY_LIMIT = 2 * 1024**3
DEFAULT_PRELOAD = ("mailroom.parsers.pdf",)
# Imported by an idle worker after it is ready: sheets need openpyxl, unplain PDF tables
# pdfplumber; together they would double a worker's start.
DEFAULT_WARM = ("mailroom.parsers.sheets", "pdfplumber")


def default_sandbox() -> Sandbox:
    """The process-wide sandbox for attachment parsing, created on first use.

    A process forked after the sandbox was made gets its own (pipes do not survive a fork).
    """
    global _default
    with _default_lock:
        if _default is None or _default.pid != os.getpid():
            _default = Sandbox(
                # One worker per service thread (4 by default) even on a small machine: a
                # thread waiting for a worker held by a slow PDF would wait out its time limit.
                workers=min(8, max(4, os.cpu_count() or 1)),
                preload=DEFAULT_PRELOAD,
                warm=DEFAULT_WARM,
                memory_limit_bytes=DEFAULT_MEMORY_LIMIT,
            )
            atexit.register(_default.close)
        return _default


def _main(argv: list[str]) -> None:
    """Entry point of a worker process; argv is FD MEMORY_LIMIT PRELOAD WARM (comma-separated)."""
    fd, memory_limit, preload, warm = argv
    modules = [[name for name in names.split(",") if name] for names in (preload, warm)]
    _serve(Connection(int(fd)), modules[0], modules[1], int(memory_limit) or None)
