"""The running service's shared parts: settings, database, broker and the reply sender.

Actors take ids and find everything else here. `open_runtime()` builds it once per process
(migrating the database first); `current()` hands it to the actors.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from typing import Any

import dramatiq
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from mailroom.errors import ConfigError
from mailroom.jobs import make_broker
from mailroom.replies.send import Sender, make_sender
from mailroom.settings import Settings, redact
from store.catalog import Customer, Product
from store.db import make_engine, migrate, session_factory

_current: Runtime | None = None


@dataclass
class Work:
    """One unit of work: a session, and the messages to enqueue once it has committed."""

    session: Session
    later: list[dramatiq.Message[Any]] = field(default_factory=list)

    def send_after_commit(self, actor: dramatiq.Actor[Any, Any], *args: Any) -> None:
        self.later.append(actor.message(*args))


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    readers: sessionmaker[Session]
    broker: dramatiq.Broker
    sender: Sender
    _catalog: tuple[Any, Any] | None = None
    _catalog_lock: threading.Lock = field(default_factory=threading.Lock)
    _write_lock: threading.RLock = field(default_factory=threading.RLock)

    @contextmanager
    def work(self) -> Iterator[Work]:
        """A transaction that commits at the end; its follow-up messages go out after.

        On SQLite the threads of this process take turns through a lock of our own: SQLite's
        busy handler would make a waiting writer sleep up to 100 ms even when the lock frees
        at once. Other processes still wait through the busy timeout.
        """
        serial = self._write_lock if self.engine.dialect.name == "sqlite" else nullcontext()
        with serial, self.sessions() as session, session.begin():
            unit = Work(session)
            yield unit
        for message in unit.later:
            self.broker.enqueue(message)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A transaction for looking only: on SQLite it does not take the write lock."""
        with self.readers() as session, session.begin():
            yield session

    def catalog(self) -> Any:
        """The catalog snapshot the parser matches against, reloaded when an import changed it."""
        from mailroom.parsers.catalog import Catalog

        with self.read() as session:
            # One round trip on the hot path (every mail): the catalog changed when any of
            # these moved.
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
                if self._catalog is None or self._catalog[0] != version:
                    self._catalog = (version, Catalog.load(session, self.settings.numbering))
                return self._catalog[1]

    def close(self) -> None:
        global _current
        self.broker.close()
        self.sender.close()
        self.engine.dispose()
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
    runtime = Runtime(
        settings=settings,
        engine=engine,
        sessions=session_factory(engine),
        readers=session_factory(_reading_engine(engine, settings.db_url)),
        broker=make_broker(settings),
        sender=make_sender(settings),
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
