"""Periodic jobs are enqueued on their schedule by the process that watches the mailbox."""

from __future__ import annotations

import threading

from mailroom.jobs import job
from mailroom.pipeline import PERIODIC
from tests.support import running_service, wait_until

TICKS: list[float] = []
LOCK = threading.Lock()


@job("test.tick", max_retries=0)
def tick() -> None:
    with LOCK:
        TICKS.append(1.0)


def test_a_periodic_job_runs_again_and_again_while_the_service_runs(tmp_path, monkeypatch):
    # Given a job scheduled every 0.1 s
    monkeypatch.setitem(PERIODIC, "test.tick", 0.1)
    box = tmp_path / "maildir"
    (box / "new").mkdir(parents=True)
    TICKS.clear()

    # When the service runs
    with running_service(tmp_path, maildir=str(box), imap_poll_seconds=0.2):
        # Then the job runs repeatedly
        wait_until(lambda: len(TICKS) >= 3, timeout=20, what="three ticks")
