"""The command line's commands, one module per area; `mailroom/cli.py` registers them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

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
