"""The running service's shared parts: settings, database, broker and the reply sender.

Actors take ids and find everything else here. `open_runtime()` builds it once per process
(migrating the database first); `current()` hands it to the actors.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import dramatiq
from sqlalchemy import Connection, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from mailroom.database_broker import DatabaseBroker
from mailroom.errors import ConfigError
from mailroom.jobs import make_broker
from mailroom.replies.send import Sender, make_sender
from mailroom.settings import Settings, redact
from store.catalog import Customer, Product
from store.catalog import generation as catalog_generation
from store.db import NoWriteLock, WriteLock, make_engine, migrate, session_factory, write_lock

_current: Runtime | None = None
# How long a catalog snapshot is used before the database is asked whether it changed.
CATALOG_CHECK_SECONDS = 2.0


@dataclass
class Work:
    """One unit of work: a session, and what to do once it has committed.

    `later` are messages to enqueue; `then` are calls made after the commit in the same
    thread (a job sending the reply it just stored, `mailroom.respond.put_in_outbox`). A unit
    opened inside another in the same thread (`Runtime.work`) hands both to the outer one.
    """

    session: Session
    later: list[dramatiq.Message[Any]] = field(default_factory=list)
    then: list[Callable[[], None]] = field(default_factory=list)

    def send_after_commit(
        self, actor: dramatiq.Actor[Any, Any], *args: Any, **options: Any
    ) -> None:
        self.later.append(actor.message_with_options(args=args, **options))

    def call_after_commit(self, call: Callable[[], None]) -> None:
        self.then.append(call)


@dataclass
class _Snapshot:
    """The catalog as loaded, with what it was loaded at and when that was last checked."""

    version: tuple[Any, ...]
    catalog: Any
    generation: int = -1
    checked_at: float = 0.0


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    readers: sessionmaker[Session]
    broker: dramatiq.Broker
    sender: Sender
    _catalog: _Snapshot | None = None
    _catalog_lock: threading.Lock = field(default_factory=threading.Lock)
    # What every write transaction takes first (`store.db.write_lock`).
    writing: WriteLock | NoWriteLock = field(default_factory=NoWriteLock)
    # The unit of work open in each thread, which a unit opened inside it joins.
    _open: threading.local = field(default_factory=threading.local)

    @contextmanager
    def work(self) -> Iterator[Work]:
        """A transaction that commits at the end; its follow-up messages go out with it.

        On the embedded broker the messages are written as jobs in this same transaction;
        on RabbitMQ or Redis they are sent once it has committed. On SQLite a writer first
        takes its turn (`store.db.WriteLock`), across threads and processes.
        """
        outer: Work | None = getattr(self._open, "work", None)
        if outer is not None:
            with self._inside(outer) as unit:
                yield unit
            return
        database = self.broker if isinstance(self.broker, DatabaseBroker) else None
        with self.writing, self.sessions() as session, session.begin():
            unit = self._open.work = Work(session)
            try:
                yield unit
            finally:
                self._open.work = None
            if database is not None and unit.later:
                database.stage(session.connection(), unit.later)
        if database is None:
            for message in unit.later:
                self.broker.enqueue(message)
        elif unit.later:
            database.wake()
        for call in unit.then:
            call()

    @contextmanager
    def _inside(self, outer: Work) -> Iterator[Work]:
        """A unit of work inside `outer`, in the same thread: a savepoint of its transaction.

        This is how one job runs another in its own transaction (`mailroom.jobs.run_here`):
        one commit, and one turn at the write lock, for both. Should the inner unit fail,
        its savepoint is rolled back and what it asked to happen after the commit is
        dropped; the outer unit's work stands.
        """
        with outer.session.begin_nested():
            unit = Work(outer.session)
            yield unit
        outer.later += unit.later
        outer.then += unit.then

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A transaction of plain statements, for a write too small to need a session."""
        with self.writing, self.engine.begin() as connection:
            yield connection

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A transaction for looking only: on SQLite it does not take the write lock.

        Inside a unit of work of this thread it is that unit's session, which sees what the
        unit wrote and has not committed yet (a step run in another's transaction).
        """
        outer: Work | None = getattr(self._open, "work", None)
        if outer is not None:
            yield outer.session
            return
        with self.readers() as session, session.begin():
            yield session

    def catalog(self) -> Any:
        """The catalog snapshot the parser matches against, reloaded when an import changed it.

        A change made by this process is seen at once (`store.catalog.generation`); one made
        by another process (`mailroom catalog import` beside a running service) within
        `CATALOG_CHECK_SECONDS`: asking the database on every mail cost about a twentieth of
        a question mail's work.
        """
        from mailroom.parsers.catalog import Catalog

        with self._catalog_lock:
            kept = self._catalog
            if (
                kept is not None
                and kept.generation == catalog_generation()
                and time.monotonic() < kept.checked_at + CATALOG_CHECK_SECONDS
            ):
                return kept.catalog
        generation, checked_at = catalog_generation(), time.monotonic()
        with self.read() as session:
            # One round trip: the catalog changed when any of these moved.
            version = tuple(
                session.execute(
                    select(
                        select(func.max(Product.updated_at)).scalar_subquery(),
                        select(func.max(Customer.updated_at)).scalar_subquery(),
                        select(func.count()).select_from(Product).scalar_subquery(),
                        select(func.count()).select_from(Customer).scalar_subquery(),
                    )
                ).one()
            )
            with self._catalog_lock:
                kept = self._catalog
                if kept is None or kept.version != version:
                    kept = _Snapshot(version, Catalog.load(session, self.settings.numbering))
                kept.generation, kept.checked_at = generation, checked_at
                self._catalog = kept
                return kept.catalog

    def close(self) -> None:
        global _current
        self.broker.close()
        self.sender.close()
        self.engine.dispose()
        self.writing.close()
        reading = self.readers.kw.get("bind")
        if reading is not None and reading is not self.engine:
            reading.dispose()
        if _current is self:
            _current = None


def open_runtime(settings: Settings) -> Runtime:
    """Migrate the database, connect the broker and make this the process's runtime.

    Raises:
        ConfigError: the database or broker cannot be used; the message says which.
    """
    global _current
    engine = make_engine(settings.db_url)
    try:
        migrate(engine)
    except Exception as exc:
        engine.dispose()
        raise ConfigError(f"cannot open the database {redact(settings.db_url)}: {exc}") from None
    reader, writing = _reading_engine(engine, settings.db_url), write_lock(engine)
    runtime = Runtime(
        settings=settings,
        engine=engine,
        sessions=session_factory(engine),
        readers=session_factory(reader),
        broker=make_broker(settings, engine, reader, writing),
        sender=make_sender(settings),
        writing=writing,
    )
    _current = runtime
    return runtime


def current() -> Runtime:
    if _current is None:
        raise RuntimeError("the mailroom runtime is not open in this process")
    return _current


def _reading_engine(engine: Engine, url: str) -> Engine:
    """SQLite gets a second engine whose transactions do not take the write lock."""
    if engine.dialect.name != "sqlite":
        return engine
    return make_engine(url, for_reading=True)
