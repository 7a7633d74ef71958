"""The embedded job queue's table: Dramatiq messages waiting in the service's own database.

A row is a message that has not run to the end yet. It is written in the same transaction as
the work that caused it (so a job exists exactly when that work committed), claimed by one
process at a time (`owner` is `host:pid`), and deleted once its actor has run. A claim whose
process died is given back (`release_owners`); the job then runs again, as every actor may.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import BigInteger, Connection, Index, String, Text, bindparam, text
from sqlalchemy.orm import Mapped, mapped_column

from store.base import Base


class Job(Base):
    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_waiting", "queue_name", "owner", "priority", "eta"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    queue_name: Mapped[str] = mapped_column(String(64))
    actor_name: Mapped[str] = mapped_column(String(64))
    priority: Mapped[int]
    # Milliseconds since the epoch before which the job must not run (retries wait).
    eta: Mapped[int] = mapped_column(BigInteger)
    message: Mapped[str] = mapped_column(Text)
    owner: Mapped[str | None] = mapped_column(String(255))
    claimed_at: Mapped[int | None] = mapped_column(BigInteger)


_INSERT = text(
    "INSERT INTO jobs (queue_name, actor_name, priority, eta, message) "
    "VALUES (:queue_name, :actor_name, :priority, :eta, :message)"
)
_NEXT_ETA = text("SELECT min(eta) FROM jobs WHERE queue_name = :queue_name AND owner IS NULL")
# One statement claims a batch. The outer `owner IS NULL` is checked again on a row another
# claimer took meanwhile (PostgreSQL), so no job is ever claimed twice.
_CLAIM = text(
    "UPDATE jobs SET owner = :owner, claimed_at = :now WHERE owner IS NULL AND id IN ("
    " SELECT id FROM jobs WHERE queue_name = :queue_name AND owner IS NULL AND eta <= :now"
    " ORDER BY priority, id LIMIT :limit"
    ") RETURNING id, priority, message"
)
_DELETE = text("DELETE FROM jobs WHERE id IN :ids").bindparams(bindparam("ids", expanding=True))
_RELEASE = text("UPDATE jobs SET owner = NULL, claimed_at = NULL WHERE id IN :ids").bindparams(
    bindparam("ids", expanding=True)
)


def add(connection: Connection, rows: Sequence[dict[str, object]]) -> None:
    """Write jobs (queue_name, actor_name, priority, eta, message) in the caller's transaction."""
    if rows:
        connection.execute(_INSERT, list(rows))


def next_eta(connection: Connection, queue_name: str) -> int | None:
    """When the earliest unclaimed job of the queue may run (ms), or None if there is none."""
    return connection.execute(_NEXT_ETA, {"queue_name": queue_name}).scalar()


def claim(
    connection: Connection, queue_name: str, owner: str, limit: int, now: int
) -> list[tuple[int, int, str]]:
    """Take up to `limit` due jobs of the queue for `owner`, first by priority then by age."""
    found = connection.execute(
        _CLAIM, {"owner": owner, "now": now, "queue_name": queue_name, "limit": limit}
    )
    return sorted((row.priority, row.id, row.message) for row in found)


def delete(connection: Connection, ids: Iterable[int]) -> None:
    ids = list(ids)
    if ids:
        connection.execute(_DELETE, {"ids": ids})


def delete_queue(connection: Connection, queue_name: str) -> None:
    connection.execute(text("DELETE FROM jobs WHERE queue_name = :q"), {"q": queue_name})


def release(connection: Connection, ids: Iterable[int]) -> None:
    """Give claimed jobs back to the queue (a worker stopping with jobs it did not start)."""
    ids = list(ids)
    if ids:
        connection.execute(_RELEASE, {"ids": ids})


def owners(connection: Connection) -> list[str]:
    found = connection.execute(text("SELECT DISTINCT owner FROM jobs WHERE owner IS NOT NULL"))
    return list(found.scalars())


def release_owners(connection: Connection, gone: Iterable[str]) -> int:
    """Give back every job claimed by the processes `gone`; returns how many."""
    released = 0
    for owner in gone:
        result = connection.execute(
            text("UPDATE jobs SET owner = NULL, claimed_at = NULL WHERE owner = :owner"),
            {"owner": owner},
        )
        released += result.rowcount
    return released


def left_for(connection: Connection, queue_name: str, owner: str, now: int) -> int:
    """Due jobs of the queue not yet finished that `owner` may still run."""
    query = text(
        "SELECT count(*) FROM jobs WHERE queue_name = :queue_name AND eta <= :now"
        " AND (owner IS NULL OR owner = :owner)"
    )
    found = connection.execute(query, {"queue_name": queue_name, "now": now, "owner": owner})
    return int(found.scalar() or 0)
