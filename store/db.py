"""Engines, sessions and migrations: how the code reaches the database.

SQLite (the embedded default) runs in WAL mode with a busy timeout so the poller and the
worker threads can write side by side; PostgreSQL needs nothing special.
"""

from __future__ import annotations

import fcntl
import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from mailroom.errors import ConfigError

MIGRATIONS = Path(__file__).parent / "migrations"


def make_engine(url: str, *, for_reading: bool = False) -> Engine:
    """Create an engine for `url`, creating the SQLite folder when needed.

    With `for_reading`, SQLite transactions start deferred: WAL lets readers run beside the
    one writer, so status queries never queue behind the workers for the write lock.

    Raises:
        ConfigError: the URL is not a database URL SQLAlchemy knows.
    """
    try:
        parsed = make_url(url)
    except Exception:
        raise ConfigError(f"MAILROOM_DATABASE_URL is not a database URL: {url!r}") from None
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, connect_args={"timeout": 30, "check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin if for_reading else _sqlite_begin_immediate)
        return engine
    try:
        return create_engine(parsed, pool_pre_ping=True, pool_size=10, max_overflow=20)
    except (ImportError, SQLAlchemyError) as exc:
        raise ConfigError(f"MAILROOM_DATABASE_URL cannot be used: {exc}") from None


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the driver, open transactions, so BEGIN IMMEDIATE below takes the
    # write lock at the start: two writers then wait in turn instead of failing on upgrade.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    # Every mail reads and writes the same few tables and indexes: keep them in memory
    # (32 MB instead of SQLite's 2 MB page cache), and sort in memory rather than temp files.
    cursor.execute("PRAGMA cache_size=-32000")
    cursor.execute("PRAGMA temp_store=MEMORY")
    cursor.close()


def _sqlite_begin_immediate(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def _sqlite_begin(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN")


class WriteLock:
    """Takes turns at writing one SQLite database: threads by a lock, processes by `flock`.

    SQLite's own busy handler makes a waiting writer sleep (1, 2, 5 ... 100 ms) however soon
    the lock frees; with several worker processes on one file those sleeps, not the work,
    would set the pace. A blocking `flock` on `<database>.writer` wakes the next writer the
    moment the last one is done. Re-entrant within a thread, like the transactions it wraps.
    """

    def __init__(self, database: str | None) -> None:
        self._threads = threading.RLock()
        self._depth = 0
        self._path = Path(f"{database}.writer") if database and database != ":memory:" else None
        self._file: IO[bytes] | None = None

    def __enter__(self) -> WriteLock:
        self._threads.acquire()
        if self._depth == 0 and self._path is not None:
            if self._file is None:
                self._file = self._path.open("ab")
            fcntl.flock(self._file, fcntl.LOCK_EX)
        self._depth += 1
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._depth -= 1
        if self._depth == 0 and self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
        self._threads.release()

    def close(self) -> None:
        with self._threads:
            if self._file is not None:
                self._file.close()
                self._file = None


class NoWriteLock(nullcontext[None]):
    """What a write transaction takes first where the database needs nothing (PostgreSQL
    locks rows, not the whole file)."""

    def close(self) -> None:
        pass


def write_lock(engine: Engine) -> WriteLock | NoWriteLock:
    """What a write transaction on `engine` takes first, shared by every writer of a runtime."""
    if engine.dialect.name != "sqlite":
        return NoWriteLock()
    return WriteLock(engine.url.database)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session that commits at the end of the block, or rolls back on an exception."""
    with factory() as session, session.begin():
        yield session


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def migrate(engine: Engine) -> None:
    """Bring a new or old database up to the current schema (Alembic `upgrade head`)."""
    command.upgrade(alembic_config(engine), "head")
