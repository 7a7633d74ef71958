"""The command line's commands, one module per area; `mailroom/cli.py` registers them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

from mailroom.database_broker import DatabaseBroker
from mailroom.jobs import QUEUE
from mailroom.runtime import Runtime, open_runtime
from mailroom.settings import load_settings
from store.db import make_engine, migrate, session_factory, transaction


@contextmanager
def store_session() -> Iterator[Session]:
    """A transaction on the configured store (migrated first), for commands that only read
    or write records and start no jobs."""
    engine = make_engine(load_settings().db_url)
    try:
        migrate(engine)
        with transaction(session_factory(engine)) as session:
            yield session
    finally:
        engine.dispose()


@contextmanager
def working_runtime() -> Iterator[Runtime]:
    """The service's runtime for a command whose decision starts jobs (a reply, a status email).

    With a shared broker (RabbitMQ, Redis) the workers elsewhere take those jobs. On the
    embedded broker they are worked here before the command exits, unless a running
    `mailroom run` takes them first (a reply that cannot be sent now stays in the outbox,
    and a job waiting to be retried in the database, for `mailroom run`).
    """
    runtime = open_runtime(load_settings())
    try:
        if not isinstance(runtime.broker, DatabaseBroker):
            yield runtime
            return
        from mailroom.service import Service

        service = Service(runtime, None)
        service.start_workers()
        try:
            yield runtime
            runtime.broker.join(QUEUE, timeout=120_000)
        finally:
            service.stop_workers()
    finally:
        runtime.close()
