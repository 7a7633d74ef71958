"""The service loop: watch the mailbox, work the queue, sweep, and stop cleanly.

`run_forever` is `mailroom run`; `run_once` is `mailroom run --once`. Both use the same steps
in the same order, so what a test shows with `--once` is what the service does all day.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import dramatiq
from sqlalchemy import func, select

from mailroom.errors import MailboxError
from mailroom.mailbox import Mailbox, MailboxStatus
from mailroom.pipeline import PERIODIC
from mailroom.processes import WorkerProcesses, this_process
from mailroom.processes import gone as gone_process
from mailroom.runtime import Runtime
from mailroom.sweep import sweep
from store import documents, outbox
from store import mail as ledger
from store.base import utcnow
from store.holds import HeldItem

log = logging.getLogger(__name__)
MAX_BACKOFF = 60.0


@dataclass
class Summary:
    """What one run did, for the terminal and the exit status."""

    fetched: int = 0
    answered: int = 0
    recorded: int = 0
    held: int = 0
    sent: int = 0
    waiting: int = 0
    replies_to: str = ""
    mailbox: MailboxStatus | None = None
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [
            f"fetched {self.fetched} new mails: {self.answered} answered, "
            f"{self.recorded} recorded without reply; {self.held} held for a clerk",
            f"replies: {self.sent} sent to {self.replies_to}, {self.waiting} waiting in the outbox",
        ]
        box = self.mailbox
        if box and box.on_server is not None:
            out.append(
                f"mailbox {box.name}: {box.on_server} on the server, {box.ingested} ingested"
            )
        if box and box.not_ingested:
            out.append(f"warning: {box.not_ingested} mails in {box.name} are not ingested yet")
        return out + self.notes


class Service:
    """The service loop over one runtime and (for `run`) one mailbox.

    With `local_workers=False` (distributed mode only) this process fetches, sweeps and
    schedules but leaves every job to `mailroom worker` processes: the bench uses it to
    measure 1, 2 or 4 of them alone.
    """

    def __init__(
        self, runtime: Runtime, mailbox: Mailbox | None, *, local_workers: bool = True
    ) -> None:
        self.runtime = runtime
        self.mailbox = mailbox
        self.local_workers = local_workers or not runtime.settings.broker_url
        self.worker: dramatiq.Worker | None = None
        self.processes: WorkerProcesses | None = None
        self.holder = this_process()
        self.embedded = not runtime.settings.broker_url

    def start_workers(self) -> None:
        """This process's worker threads, and on the embedded default the extra worker
        processes (`worker_processes - 1`) beside it."""
        if not self.local_workers:
            return
        settings = self.runtime.settings
        self.worker = dramatiq.Worker(
            self.runtime.broker, worker_threads=settings.worker_threads, worker_timeout=100
        )
        self.worker.start()
        if self.embedded and settings.worker_processes > 1:
            self.processes = WorkerProcesses(settings, settings.worker_processes - 1)
            self.processes.start()

    def stop_workers(self) -> None:
        if self.processes is not None:
            self.processes.stop()
            self.processes = None
        if self.worker is not None:
            self.worker.stop()
            self.worker = None

    def recover(self) -> None:
        """Restart what a crash left: everything when we are alone (embedded), else the stale.

        Embedded, it runs before any worker of ours starts: a reply found `sending` then was
        left so by a crash, not by a job of this run (jobs kept in the database from the last
        run would otherwise be mistaken for it).
        """
        stale = timedelta(0) if self.embedded else self._stale()
        sweep(self.runtime, stale)

    def _stale(self) -> timedelta:
        return timedelta(minutes=self.runtime.settings.stale_minutes)

    # -- mailroom run --------------------------------------------------------------------

    def run_forever(self, stop: threading.Event) -> None:
        """Fetch, work and sweep until `stop` is set; then finish the work in hand."""
        assert self.mailbox is not None
        self.recover()  # before the workers: what the sweep finds half-done is really so
        self.start_workers()
        backoff, next_sweep = 1.0, time.monotonic()
        schedule = {name: time.monotonic() for name in PERIODIC}
        settings = self.runtime.settings
        try:
            while not stop.is_set():
                try:
                    if self._poll():
                        self.mailbox.wait(settings.imap_poll_seconds, stop)
                    else:
                        stop.wait(settings.imap_poll_seconds)
                    backoff = 1.0
                except MailboxError as exc:
                    if not exc.transient:
                        log.error("%s", exc)
                    else:
                        log.warning("%s; trying again in %.0f s", exc, backoff)
                    stop.wait(backoff)
                    backoff = min(backoff * 2, MAX_BACKOFF)
                if time.monotonic() >= next_sweep:
                    sweep(self.runtime, self._stale())
                    next_sweep = time.monotonic() + 60
                self._periodic(schedule)
        finally:
            self._close_mailbox()
            self.stop_workers()

    def _periodic(self, schedule: dict[str, float]) -> None:
        """Enqueue each periodic job that is due (see `pipeline.PERIODIC`)."""
        now = time.monotonic()
        for name, due in schedule.items():
            if now >= due:
                self.runtime.broker.get_actor(name).send()
                schedule[name] = now + PERIODIC[name]

    def _poll(self) -> bool:
        """One fetch-and-mark cycle if we hold the mailbox's lease; False while another does."""
        assert self.mailbox is not None
        if not self._lease():
            log.info("another mailroom process watches %s; waiting", self.mailbox.name)
            return False
        fetched = self.mailbox.fetch_new()
        if fetched:
            log.info("fetched %d new mails from %s", len(fetched), self.mailbox.name)
        self.mailbox.mark_done()
        return True

    def _lease(self) -> bool:
        assert self.mailbox is not None
        seconds = self.runtime.settings.imap_poll_seconds * 2 + 60
        try:
            with self.runtime.work() as work:
                if ledger.take_lease(work.session, self._lease_name, self.holder, seconds):
                    return True
                gone = ledger.lease_holder(work.session, self._lease_name)
                if gone is None or not gone_process(gone):
                    return False
                log.info("the poller %s is gone; taking over %s", gone, self.mailbox.name)
                return ledger.take_over_lease(
                    work.session, self._lease_name, self.holder, seconds, gone
                )
        except Exception:  # two first-time takers raced on the insert: the other one won
            return False

    @property
    def _lease_name(self) -> str:
        assert self.mailbox is not None
        return f"poller:{self.mailbox.name}"

    def _close_mailbox(self) -> None:
        """Log out and hand the mailbox back, so a restarted service need not wait for the
        lease to run out."""
        assert self.mailbox is not None
        self.mailbox.close()
        with self.runtime.work() as work:
            ledger.release_lease(work.session, self._lease_name, self.holder)

    # -- mailroom run --once ---------------------------------------------------------------

    def run_once(self) -> Summary:
        """Fetch what is new, work until it and everything it caused is done, then stop."""
        assert self.mailbox is not None
        started = utcnow()
        with self.runtime.work() as work:
            outbox.retry_now(work.session)
        self.recover()  # before the workers: what the sweep finds half-done is really so
        self.start_workers()
        try:
            fetched: list[int] = []
            if self._lease():
                fetched = self.mailbox.fetch_new()
            self._wait_until_done(started)
            self.mailbox.mark_done()
        finally:
            self._close_mailbox()
            self.stop_workers()
        return self._summary(fetched, started)

    def _wait_until_done(self, started: datetime) -> None:
        next_sweep = time.monotonic() + self._stale().total_seconds()
        while True:
            with self.runtime.read() as session:
                busy = (
                    ledger.unfinished_count(session)
                    + outbox.in_flight_count(session, started)
                    + documents.pending_count(session)
                )
            if not busy:
                return
            if time.monotonic() >= next_sweep:  # a lost broker message must not stall us
                sweep(self.runtime, self._stale())
                next_sweep = time.monotonic() + self._stale().total_seconds()
            time.sleep(0.05)  # each look is two counts that compete with the workers

    def _summary(self, fetched: list[int], started: datetime) -> Summary:
        summary = Summary(fetched=len(fetched), replies_to=self.runtime.sender.description)
        summary.mailbox = self.mailbox.status() if self.mailbox else None
        with self.runtime.read() as session:
            for stage, outcome, count in ledger.outcomes(session, fetched):
                if stage == ledger.HELD:
                    summary.held += count
                if outcome and outcome.startswith("recorded"):
                    summary.recorded += count
            summary.answered = outbox.answered_count(session, fetched)
            summary.sent = outbox.sent_since(session, started)
            summary.waiting = outbox.waiting_count(session)
            held_total = session.scalar(select(func.count()).where(HeldItem.status == "open"))
        summary.notes.append(f"clerks' queue: {held_total} open items")
        return summary
