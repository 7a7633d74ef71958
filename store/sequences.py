"""Our document numbers (`SO-2026-00042`, `Q-2026-00007`): one counter per prefix and year.

The counter row is locked while it is bumped, so two workers never hand out the same
number, on SQLite (one writer at a time) and PostgreSQL (`SELECT ... FOR UPDATE`) alike.
"""

from __future__ import annotations

from sqlalchemy import String, UniqueConstraint, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, Session, mapped_column

from store.base import Base, utcnow


class Counter(Base):
    __tablename__ = "counters"
    __table_args__ = (UniqueConstraint("prefix", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    prefix: Mapped[str] = mapped_column(String(16))
    year: Mapped[int]
    last: Mapped[int] = mapped_column(default=0)


def next_number(session: Session, prefix: str, width: int = 5) -> str:
    """The next number for `prefix` this year, e.g. `next_number(s, "SO")` -> `SO-2026-00001`."""
    year = utcnow().year
    query = select(Counter).where(Counter.prefix == prefix, Counter.year == year)
    counter = session.scalar(query.with_for_update())
    if counter is None:
        try:
            with session.begin_nested():
                counter = Counter(prefix=prefix, year=year, last=0)
                session.add(counter)
        except IntegrityError:  # another worker created it first: use theirs
            counter = session.scalar(query.with_for_update())
    assert counter is not None
    counter.last += 1
    session.flush()
    return f"{prefix}-{year}-{counter.last:0{width}d}"
