"""The processes of one installation: whether one is gone, and the embedded worker processes.

On the embedded default (`MAILROOM_BROKER_URL` unset) `mailroom run` starts
`worker_processes - 1` worker processes beside itself. Each takes jobs from the database
(`mailroom.database_broker`) with its own threads, so the work is not held to one core by
Python's interpreter lock; the service process alone watches the mailbox.
"""

from __future__ import annotations

import logging
import os
import pickle
import signal
import socket
import subprocess
import sys
import threading

import dramatiq

from mailroom.settings import Settings

log = logging.getLogger(__name__)
# How often a worker process looks whether the service that started it still runs.
PARENT_CHECK_SECONDS = 0.5


def this_process() -> str:
    """This process as a holder of leases and jobs: `host:pid`."""
    return f"{socket.gethostname()}:{os.getpid()}"


def gone(holder: str) -> bool:
    """Whether a holder (`host:pid`, of a lease or a job) was a process on this host that no
    longer runs.

    A process killed outright (SIGKILL, power loss of a container) never hands back what it
    held; without this a restarted service would wait for the lease to run out, and its
    claimed jobs would never run. A holder on another host, or a pid that is alive (even if
    reused), is left alone.
    """
    host, _, pid = holder.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, under another user
        return False
    return False


class WorkerProcesses:
    """`count` worker processes on the service's settings.

    Each is a new interpreter (`python -c`, not a fork: the service's threads and database
    connections must not be copied), handed the settings on its standard input.
    """

    def __init__(self, settings: Settings, count: int) -> None:
        self.settings, self.count = settings, count
        self.processes: list[subprocess.Popen[bytes]] = []

    def start(self) -> None:
        # The worker logs at the service's level, to the same standard error.
        level = logging.getLogger().getEffectiveLevel()
        handed = pickle.dumps((self.settings, os.getpid(), level))
        for _ in range(self.count):
            process = subprocess.Popen(
                [sys.executable, "-c", "from mailroom.processes import main; main()"],
                stdin=subprocess.PIPE,
            )
            assert process.stdin is not None
            process.stdin.write(handed)
            process.stdin.close()
            self.processes.append(process)
        log.info("%d worker processes started beside the service", self.count)

    def stop(self, timeout: float = 60.0) -> None:
        """Let each finish the jobs in hand (SIGTERM), then kill what is still running."""
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                log.warning(
                    "worker process %d did not stop in %.0f s; killed", process.pid, timeout
                )
                process.kill()
                process.wait()
        self.processes = []


def main() -> None:
    """A worker process's life: work jobs until SIGTERM, or until the service is gone."""
    from mailroom.commands.run import setup_logging
    from mailroom.runtime import open_runtime

    settings, parent, level = pickle.loads(sys.stdin.buffer.read())
    setup_logging(verbose=level <= logging.DEBUG)
    logging.getLogger().setLevel(level)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda _signum, _frame: stop.set())
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the service, which stops us
    runtime = open_runtime(settings)
    worker = dramatiq.Worker(
        runtime.broker, worker_threads=settings.worker_threads, worker_timeout=100
    )
    worker.start()
    try:
        while not stop.wait(PARENT_CHECK_SECONDS):
            if os.getppid() != parent:
                log.warning("the service that started this worker is gone; stopping")
                break
    finally:
        worker.stop()
        runtime.close()
