"""Linux process plumbing for servers the tests run as children: wait, kill and reap.

On these machines PID 1 never reaps orphans, so a server's helper processes that outlive
their parent would stay zombies. The test process makes itself a child subreaper: orphans
of its descendants become its own children, and `reap` collects them.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import select
import signal
import time
from collections.abc import Iterable
from pathlib import Path

_PR_SET_PDEATHSIG = 1
_PR_SET_CHILD_SUBREAPER = 36
_libc = ctypes.CDLL(None, use_errno=True)


def become_subreaper() -> None:
    """Adopt the orphans of this process's descendants, so they can be reaped here."""
    _libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def die_with_parent() -> None:
    """For `preexec_fn`: the child gets SIGTERM when the test process dies, even by SIGKILL.

    Linux sends it when the *thread* that started the child ends, so start servers from the
    main thread (pytest fixtures do).
    """
    _libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)


def children(pid: int) -> list[int]:
    """The direct children of a process (of all its threads), from /proc."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found.extend(int(child) for child in (task / "children").read_text().split())
    return found


def comm(pid: int) -> str:
    """A process's short name (`imap`, `log`), or "" once it is gone."""
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def cmdline(pid: int) -> bytes:
    """A process's command line as set by its title; empty for zombies and vanished ones."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def signal_all(pids: Iterable[int], sig: int) -> None:
    """Send a signal to each process that still exists."""
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)


def wait_exited(pids: Iterable[int], timeout: float) -> list[int]:
    """Wait until each process has exited, with one deadline for all.

    A pidfd turns readable when its process exits, after the kernel has closed its sockets,
    so a caller that gets an empty list knows the connections are gone too.

    Returns:
        The processes still alive at the deadline.
    """
    deadline = time.monotonic() + timeout
    alive: list[int] = []
    for pid in pids:
        try:
            fd = os.pidfd_open(pid)
        except ProcessLookupError:
            continue
        try:
            ready, _, _ = select.select([fd], [], [], max(deadline - time.monotonic(), 0))
            if not ready:
                alive.append(pid)
        finally:
            os.close(fd)
    return alive


def terminate(pids: Iterable[int], timeout: float) -> None:
    """SIGTERM the processes, wait for them, and SIGKILL whatever is left at the deadline."""
    targets = list(pids)
    signal_all(targets, signal.SIGTERM)
    stubborn = wait_exited(targets, timeout)
    signal_all(stubborn, signal.SIGKILL)
    wait_exited(stubborn, timeout)


def reap(pids: Iterable[int], timeout: float) -> None:
    """Wait for adopted orphans to exit (killing them at the deadline), then reap them.

    A pid that is not this process's child (its own parent reaped it first) is skipped;
    this never blocks on a process it did not adopt.
    """
    orphans = set(pids)
    stubborn = wait_exited(orphans, timeout)
    signal_all(stubborn, signal.SIGKILL)
    wait_exited(stubborn, timeout)
    for pid in orphans:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
