"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from store.db import make_engine, migrate
from store.models import Base


def test_migrating_a_new_database_gives_the_models_schema_and_can_run_again(database_url):
    # Given a new, empty database
    engine = make_engine(database_url)
    try:
        # When it is migrated twice (as every start of `mailroom run` does)
        migrate(engine)
        migrate(engine)

        # Then the schema is exactly what the models say
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()
    assert differences == []
