"""The embedded broker: Dramatiq jobs kept in the service's own database (table `jobs`).

Without `MAILROOM_BROKER_URL` every process of one installation (the service and the worker
processes it starts, `worker_processes`) takes its jobs from this table, so the work spreads
over the machine's cores with nothing else to run. What it gives over an in-memory queue:

- A job is written in the transaction of the work that caused it (`Runtime.work` hands its
  follow-up messages to `stage`), so it exists exactly when that work committed, survives a
  crash, and costs no transaction of its own.
- A claim is one `UPDATE ... RETURNING` of a batch; finished jobs are deleted in the next
  claim's transaction. A job whose process died is given back by the sweep (`release_dead`)
  and runs again, as any actor may.
- Within a process a commit wakes the consumer at once; other processes' jobs are found by
  polling, every `POLL_SECONDS` while there is work and less often when idle.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from typing import Any

import dramatiq
from dramatiq.broker import Consumer, MessageProxy
from dramatiq.common import current_millis
from dramatiq.errors import QueueNotFound
from dramatiq.message import Message
from dramatiq.middleware import Middleware
from sqlalchemy import Connection
from sqlalchemy.engine import Engine

from mailroom.processes import this_process
from store import jobs

log = logging.getLogger(__name__)

POLL_SECONDS = 0.02
IDLE_POLL_SECONDS = 0.25
# Empty looks after which a consumer polls at the idle pace.
IDLE_AFTER = 50
# Jobs one claim may take; the rest stay for the other processes.
CLAIM_BATCH = 4


class DatabaseBroker(dramatiq.Broker):
    """A Dramatiq broker over the `jobs` table of `engine`.

    Args:
        engine: the service's database (writes go through `writing`).
        reader: an engine whose transactions take no write lock, for looking.
        writing: what a write transaction takes first (see `store.db.WriteLock`).
    """

    def __init__(
        self,
        engine: Engine,
        reader: Engine,
        writing: AbstractContextManager[Any],
        *,
        middleware: list[Middleware] | None = None,
    ) -> None:
        super().__init__(middleware=middleware)
        self.engine, self.reader, self.writing = engine, reader, writing
        self.owner = this_process()
        self._arrived = threading.Condition()
        self._arrivals = 0

    # -- producing ---------------------------------------------------------------------

    def declare_queue(self, queue_name: str) -> None:
        if queue_name not in self.queues:
            self.emit_before("declare_queue", queue_name)
            self.queues[queue_name] = None
            self.emit_after("declare_queue", queue_name)
            # No delay queue: a delayed job waits in the table under its `eta`.

    def enqueue(self, message: Message[Any], *, delay: int | None = None) -> Message[Any]:
        """Write one job in a transaction of its own (a job caused by work goes in with that
        work's transaction instead, through `stage`)."""
        with self.writing, self.engine.begin() as connection:
            self.stage(connection, [message], delay=delay)
        self.wake()
        return message

    def stage(
        self, connection: Connection, messages: list[Message[Any]], *, delay: int | None = None
    ) -> None:
        """Write jobs in the caller's open transaction; call `wake` after it commits."""
        rows = []
        eta = current_millis() + (delay or 0)
        for message in messages:
            if message.queue_name not in self.queues:
                raise QueueNotFound(message.queue_name)
            self.emit_before("enqueue", message, delay)
            actor = self.get_actor(message.actor_name)
            rows.append(
                {
                    "queue_name": message.queue_name,
                    "actor_name": message.actor_name,
                    "priority": actor.priority,
                    "eta": eta,
                    "message": message.encode().decode(),
                }
            )
        jobs.add(connection, rows)
        for message in messages:
            self.emit_after("enqueue", message, delay)

    def wake(self) -> None:
        """Tell this process's consumers that jobs were committed."""
        with self._arrived:
            self._arrivals += 1
            self._arrived.notify_all()

    def wait_for_jobs(self, seen: int, seconds: float) -> None:
        with self._arrived:
            self._arrived.wait_for(lambda: self._arrivals != seen, timeout=seconds)

    @property
    def arrivals(self) -> int:
        return self._arrivals

    # -- consuming ---------------------------------------------------------------------

    def consume(self, queue_name: str, prefetch: int = 1, timeout: int = 100) -> Consumer:
        if queue_name not in self.queues:
            raise QueueNotFound(queue_name)
        return _Consumer(self, queue_name, prefetch, timeout)

    def get_declared_delay_queues(self) -> set[str]:
        return set()

    def flush(self, queue_name: str) -> None:
        with self.writing, self.engine.begin() as connection:
            jobs.delete_queue(connection, queue_name)

    def flush_all(self) -> None:
        for queue_name in self.queues:
            self.flush(queue_name)

    def join(self, queue_name: str, *, timeout: int | None = None) -> None:
        """Wait until no job of the queue that is due is left for this process: none waiting
        unclaimed, none claimed here and unfinished. A job claimed by another process is
        that process's; a job waiting to be retried later stays for later.

        Raises:
            TimeoutError: jobs were still left after `timeout` milliseconds.
        """
        deadline = None if timeout is None else time.monotonic() + timeout / 1000
        while True:
            seen = self.arrivals
            with self.reader.connect() as connection:
                left = jobs.left_for(connection, queue_name, self.owner, current_millis())
            if not left:
                return
            if deadline is not None and time.monotonic() >= deadline:
                raise TimeoutError(f"{left} jobs of {queue_name} still left after {timeout} ms")
            self.wait_for_jobs(seen, POLL_SECONDS)

    def release_dead(self, is_dead: Callable[[str], bool]) -> int:
        """Give back the jobs claimed by processes that are gone; returns how many."""
        with self.reader.connect() as connection:
            gone = [owner for owner in jobs.owners(connection) if is_dead(owner)]
        if not gone:
            return 0
        with self.writing, self.engine.begin() as connection:
            released = jobs.release_owners(connection, gone)
        log.info("%d jobs of the stopped processes %s run again", released, ", ".join(gone))
        self.wake()
        return released


class _Consumer(Consumer):
    """Claims jobs of one queue for this process and deletes them once they have run.

    `ack` and `nack` come from the worker threads; they only note the job, and the consumer
    thread deletes the noted jobs with its next claim.
    """

    def __init__(self, broker: DatabaseBroker, queue_name: str, prefetch: int, timeout: int):
        self.broker, self.queue_name = broker, queue_name
        self.prefetch, self.timeout = prefetch, timeout / 1000
        self.ready: deque[MessageProxy] = deque()
        # id(proxy) -> (job id, proxy), for the jobs handed out and not finished yet.
        self.claimed: dict[int, tuple[int, MessageProxy]] = {}
        self.done: list[int] = []
        self.lock = threading.Lock()
        self.empty_looks = 0

    def ack(self, message: MessageProxy) -> None:
        with self.lock:
            claim = self.claimed.pop(id(message), None)
            if claim is not None:
                self.done.append(claim[0])

    # A failed job was either retried (the Retries middleware enqueued a new job) or is out of
    # retries (the clerks' queue has it): either way this one is finished.
    nack = ack

    def requeue(self, messages: Iterable[MessageProxy]) -> None:
        with self.lock:
            ids = [self.claimed.pop(id(m))[0] for m in messages if id(m) in self.claimed]
        if ids:
            with self.broker.writing, self.broker.engine.begin() as connection:
                jobs.release(connection, ids)

    def close(self) -> None:
        self._settle()

    def __next__(self) -> MessageProxy | None:
        if self.ready:
            return self.ready.popleft()
        deadline = time.monotonic() + self.timeout
        while True:
            seen = self.broker.arrivals
            with self.lock:
                room = self.prefetch - len(self.claimed)
            if room > 0 and self._due():
                self._take(min(room, CLAIM_BATCH))
                if self.ready:
                    self.empty_looks = 0
                    return self.ready.popleft()
            elif self.done:
                self._settle()
            self.empty_looks += 1
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            pace = IDLE_POLL_SECONDS if self.empty_looks > IDLE_AFTER else POLL_SECONDS
            self.broker.wait_for_jobs(seen, min(left, pace))

    def _due(self) -> bool:
        """Whether a job may be waiting: a look on the reading engine, which takes no lock."""
        with self.broker.reader.connect() as connection:
            eta = jobs.next_eta(connection, self.queue_name)
        return eta is not None and eta <= current_millis()

    def _take(self, limit: int) -> None:
        rows = self._settle_and_claim(limit)
        with self.lock:
            for _priority, job_id, encoded in rows:
                proxy = MessageProxy(Message.decode(encoded.encode()))
                self.claimed[id(proxy)] = (job_id, proxy)
                self.ready.append(proxy)

    def _settle_and_claim(self, limit: int) -> list[tuple[int, int, str]]:
        with self.broker.writing, self.broker.engine.begin() as connection:
            jobs.delete(connection, self._finished())
            return jobs.claim(
                connection, self.queue_name, self.broker.owner, limit, current_millis()
            )

    def _settle(self) -> None:
        done = self._finished()
        if done:
            with self.broker.writing, self.broker.engine.begin() as connection:
                jobs.delete(connection, done)

    def _finished(self) -> list[int]:
        """The jobs noted done since the last look, handed over once."""
        with self.lock:
            done, self.done = self.done, []
        return done
