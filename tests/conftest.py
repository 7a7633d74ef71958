"""Shared fixtures: the real servers at the edges of mailroom, one fixture helper each.

- `dovecot`: an IMAP account of its own on a Dovecot started once per session.
- `smtp_sink`: an SMTP server that keeps what it receives.
- `database_url`: each test runs on SQLite and on a fresh PostgreSQL database
  (`@pytest.mark.sqlite_only` or the `sqlite_url` fixture for SQLite alone).
- `rabbitmq_url`, `redis_url`: the machine's brokers, emptied around each test.

A server the machine should run but does not is skipped locally and fails when `CI=true`.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.servers.brokers import rabbitmq_namespace, redis_namespace
from tests.servers.databases import fresh_postgres_database, sqlite_file_url
from tests.servers.dovecot import DovecotServer
from tests.servers.smtp import SmtpSink

_accounts = itertools.count(1)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sqlite_only: run a `database_url` test on SQLite only")
    # The sink offers AUTH without TLS on purpose; aiosmtpd warns about it on every session.
    config.addinivalue_line(
        "filterwarnings", "ignore:Requiring AUTH while not requiring TLS:UserWarning"
    )
    config.addinivalue_line("filterwarnings", "ignore:Session.login_data is deprecated")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run every test that takes `database_url` once per database backend."""
    if "database_url" not in metafunc.fixturenames:
        return
    backends = [pytest.param("sqlite", id="sqlite")]
    if metafunc.definition.get_closest_marker("sqlite_only") is None:
        backends.append(pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres))
    metafunc.parametrize("database_url", backends, indirect=True)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark broker tests, so `-m "not rabbitmq"` or `-m redis` select them."""
    for item in items:
        names = getattr(item, "fixturenames", ())
        if "rabbitmq_url" in names:
            item.add_marker(pytest.mark.rabbitmq)
        if "redis_url" in names:
            item.add_marker(pytest.mark.redis)


# -- IMAP ------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def dovecot_server() -> Iterator[DovecotServer]:
    """The session's Dovecot (started once, ~40 ms); tests normally use `dovecot`."""
    server = DovecotServer()
    try:
        yield server.start()
    finally:
        server.close()


@pytest.fixture
def dovecot(dovecot_server: DovecotServer) -> Iterator[DovecotServer]:
    """The session's Dovecot, running, with a new empty account as its default user.

    `dovecot.url()` is that account's INBOX. A test may stop, restart or reset the server;
    the next test gets it running again. Connections left open are dropped at the end.
    """
    server = dovecot_server
    server.start()
    name = f"user{next(_accounts)}"
    server.add_user(name, f"secret-{name}")
    server.user, server.password = name, f"secret-{name}"
    yield server
    server.kill_connections()


# -- SMTP ------------------------------------------------------------------------------------


@pytest.fixture
def smtp_sink() -> Iterator[SmtpSink]:
    """A running SMTP sink on a free loopback port; `smtp_sink.url` is where to send."""
    sink = SmtpSink()
    try:
        yield sink.start()
    finally:
        sink.stop()


# -- databases -------------------------------------------------------------------------------


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A SQLite database file of the test's own, for tests that need one database only."""
    return sqlite_file_url(tmp_path)


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database of the test's own: SQLite, then PostgreSQL (see the module doc)."""
    if request.param == "sqlite":
        yield sqlite_file_url(tmp_path)
        return
    with fresh_postgres_database() as url:
        yield url


# -- brokers ---------------------------------------------------------------------------------


@pytest.fixture
def rabbitmq_url() -> Iterator[str]:
    """`amqp://guest:guest@127.0.0.1:5672/` with no queues; the test's queues go afterwards."""
    with rabbitmq_namespace() as url:
        yield url


@pytest.fixture
def redis_url() -> Iterator[str]:
    """`redis://127.0.0.1:6379/N`: a Redis database flushed before and after the test."""
    with redis_namespace() as url:
        yield url
