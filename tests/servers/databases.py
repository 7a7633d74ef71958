"""Databases for tests: a SQLite file, or a fresh PostgreSQL database on the local server.

The PostgreSQL server at 127.0.0.1:5432 trusts the `postgres` user on loopback. Each test
that asks for it gets its own database `mailroom_test_<random>`, dropped (FORCE: even with
connections still open) when the test ends.
"""

from __future__ import annotations

import contextlib
import functools
import secrets
from collections.abc import Iterator
from pathlib import Path

import psycopg
from psycopg import sql

from . import server_missing

POSTGRES_HOST = "127.0.0.1"
POSTGRES_PORT = 5432
POSTGRES_USER = "postgres"
_ADMIN = (
    f"host={POSTGRES_HOST} port={POSTGRES_PORT} user={POSTGRES_USER} dbname=postgres"
    " connect_timeout=3"
)


def sqlite_file_url(folder: Path) -> str:
    """The URL of a SQLite database file in `folder` (created on first connect)."""
    return f"sqlite:///{folder / 'mailroom.db'}"


def postgres_url(database: str) -> str:
    """The SQLAlchemy URL of a database on the local PostgreSQL server."""
    return f"postgresql+psycopg://{POSTGRES_USER}@{POSTGRES_HOST}:{POSTGRES_PORT}/{database}"


@functools.cache
def postgres_problem() -> str | None:
    """Why the local PostgreSQL server cannot be used, or None if it can (asked once)."""
    try:
        with psycopg.connect(_ADMIN, autocommit=True) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as exc:
        return f"{POSTGRES_HOST}:{POSTGRES_PORT}: {str(exc).strip() or type(exc).__name__}"
    return None


@contextlib.contextmanager
def fresh_postgres_database() -> Iterator[str]:
    """Create an empty database for one test and drop it afterwards.

    Yields:
        Its SQLAlchemy URL (`postgresql+psycopg://postgres@127.0.0.1:5432/mailroom_test_...`).

    Raises:
        pytest.skip.Exception / pytest.fail.Exception: the server does not answer (see
            `server_missing`).
    """
    problem = postgres_problem()
    if problem is not None:
        server_missing("PostgreSQL", problem)
    name = f"mailroom_test_{secrets.token_hex(6)}"
    _admin(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield postgres_url(name)
    finally:
        _admin(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def database_exists(name: str) -> bool:
    """Whether the local PostgreSQL server has a database of that name."""
    with psycopg.connect(_ADMIN, autocommit=True) as conn:
        row = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
    return row is not None


def _admin(statement: sql.Composed) -> None:
    # CREATE/DROP DATABASE cannot run inside a transaction block: autocommit.
    with psycopg.connect(_ADMIN, autocommit=True) as conn:
        conn.execute(statement)
