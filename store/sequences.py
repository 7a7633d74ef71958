"""Our document numbers (`SO-2026-00042`, `Q-2026-00007`): one counter per prefix and year.

The counter row is locked while it is bumped, so two workers never hand out the same
number, on SQLite (one writer at a time) and PostgreSQL (`SELECT ... FOR UPDATE`) alike.
The shape of a number is configuration (`mailroom.numbering.NumberFormat`); a counter whose
template has no year runs on across years (its row has year 0).
"""

from __future__ import annotations

import re
from typing import Protocol

from sqlalchemy import ColumnElement, SQLColumnExpression, String, UniqueConstraint, select
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


class Format(Protocol):
    """What a counter needs of a number format (`mailroom.numbering.NumberFormat`)."""

    @property
    def prefix(self) -> str: ...
    @property
    def yearly(self) -> bool: ...
    @property
    def first(self) -> int: ...
    def make(self, year: int, seq: int) -> str: ...


def next_number(session: Session, fmt: Format) -> str:
    """The next number of `fmt`, e.g. `SO-2026-00001` for the default order format."""
    now = utcnow().year
    prefix, year = fmt.prefix, now if fmt.yearly else 0
    query = select(Counter).where(Counter.prefix == prefix, Counter.year == year)
    counter = session.scalar(query.with_for_update())
    if counter is None:
        try:
            with session.begin_nested():
                counter = Counter(prefix=prefix, year=year, last=fmt.first - 1)
                session.add(counter)
        except IntegrityError:  # another worker created it first: use theirs
            counter = session.scalar(query.with_for_update())
    assert counter is not None
    counter.last += 1
    session.flush()
    return fmt.make(now, counter.last)


def digits_key(number: str) -> tuple[int, ...]:
    """What every spelling of one number shares: its runs of digits as integers
    (`so 2026/118`, `SO-2026-00118` and `ORD 2026-118` -> (2026, 118))."""
    return tuple(int(d) for d in re.findall(r"\d+", number))


def spelled_like(column: SQLColumnExpression[str], number: str) -> ColumnElement[bool]:
    """A cheap filter for the rows whose number may be another spelling of `number` (ends with
    its last digits); the caller compares `digits_key` on what it finds."""
    key = digits_key(number)
    return column.like(f"%{key[-1]}") if key else column.is_(None)
