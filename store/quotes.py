"""Quotes we made: our number, the customer, the priced lines, validity and where it stands.

A quote is `held` while a clerk must look at a line (below the margin floor, a currency we
have no rate for), `sent` once the customer has it, then `accepted` (it became an order),
`expired` (its validity passed) or `declined`. Every query on quotes lives here.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ForeignKey, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from store.base import Base, Timestamped
from store.catalog import Money
from store.sequences import digits_key, spelled_like

HELD, SENT, ACCEPTED, EXPIRED, DECLINED = "held", "sent", "accepted", "expired", "declined"
STATUSES = (HELD, SENT, ACCEPTED, EXPIRED, DECLINED)


class Quote(Timestamped, Base):
    __tablename__ = "quotes"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    customer_id: Mapped[str] = mapped_column(String(64), index=True)
    mail_id: Mapped[int | None] = mapped_column(ForeignKey("mails.id"), index=True)
    language: Mapped[str] = mapped_column(String(8), default="en")
    status: Mapped[str] = mapped_column(String(16), default=HELD, index=True)
    quote_date: Mapped[date]
    valid_until: Mapped[date]
    promised_date: Mapped[date | None]
    payment_terms: Mapped[str | None] = mapped_column(String(255))
    # The customer's own reference (their RFQ or PO number), printed on the document.
    customer_ref: Mapped[str | None] = mapped_column(String(128))
    # The quote this one replaces (an expired quote re-quoted at today's prices).
    replaces: Mapped[str | None] = mapped_column(String(32))
    # Message-IDs of what we sent, so a reply to either finds the quote.
    sent_message_id: Mapped[str | None] = mapped_column(String(998), index=True)
    sent_at: Mapped[datetime | None]
    reminder_message_id: Mapped[str | None] = mapped_column(String(998), index=True)
    reminded_at: Mapped[datetime | None]
    accepted_mail_id: Mapped[int | None] = mapped_column(ForeignKey("mails.id"))
    order_number: Mapped[str | None] = mapped_column(String(32))
    status_note: Mapped[str | None] = mapped_column(Text)

    lines: Mapped[list[QuoteLine]] = relationship(
        back_populates="quote",
        order_by="QuoteLine.position",
        cascade="all, delete-orphan",
        lazy="selectin",  # a quote is never used without its lines
    )

    def totals(self) -> dict[str, Decimal]:
        """Totals per currency over the lines that carry a price."""
        totals: dict[str, Decimal] = {}
        for line in self.lines:
            if line.amount is not None:
                totals[line.currency] = totals.get(line.currency, Decimal(0)) + line.amount
        return totals

    def is_valid_on(self, day: date) -> bool:
        """True while the quote can still be accepted as it stands on `day`."""
        return self.status == SENT and day <= self.valid_until


class QuoteLine(Base):
    __tablename__ = "quote_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    quote_id: Mapped[int] = mapped_column(ForeignKey("quotes.id"), index=True)
    position: Mapped[int]
    sku: Mapped[str] = mapped_column(String(64))
    description: Mapped[str] = mapped_column(Text, default="")
    quantity_requested: Mapped[Decimal] = mapped_column(Money)
    quantity: Mapped[Decimal] = mapped_column(Money)
    unit: Mapped[str] = mapped_column(String(16), default="pcs")
    currency: Mapped[str] = mapped_column(String(3))
    list_price: Mapped[Decimal | None] = mapped_column(Money)
    unit_price: Mapped[Decimal | None] = mapped_column(Money)
    amount: Mapped[Decimal | None] = mapped_column(Money)
    from_stock: Mapped[bool] = mapped_column(default=False)
    dispatch_date: Mapped[date | None]
    # [{"code": ..., "message": ...}]: what the customer reads next to the line.
    notes: Mapped[list[Any]]
    # [{"code": ..., "message": ...}]: why a clerk must look at the line; empty when offered.
    holds: Mapped[list[Any]]

    quote: Mapped[Quote] = relationship(back_populates="lines")


def add(session: Session, quote: Quote) -> Quote:
    session.add(quote)
    session.flush()
    return quote


def by_number(session: Session, number: str, *, for_update: bool = False) -> Quote | None:
    """The quote with our number `number`, as written in a mail (`Q 2026/31` finds
    `Q-2026-00031`)."""
    query = select(Quote).where(Quote.number == number.strip().upper())
    exact = session.scalar(query.with_for_update() if for_update else query)
    if exact is not None:
        return exact
    key = digits_key(number)
    query = select(Quote).where(spelled_like(Quote.number, number))
    candidates = session.scalars(query.with_for_update() if for_update else query)
    return next((q for q in candidates if digits_key(q.number) == key), None)


def by_message_ids(session: Session, message_ids: Iterable[str]) -> Quote | None:
    """The newest quote whose mail (the quote or its reminder) has one of these Message-IDs."""
    ids = [m.strip("<> ") for m in message_ids if m and m.strip("<> ")]
    if not ids:
        return None
    query = (
        select(Quote)
        .where(Quote.sent_message_id.in_(ids) | Quote.reminder_message_id.in_(ids))
        .order_by(Quote.id.desc())
    )
    return session.scalars(query).first()


def for_mail(session: Session, mail_id: int) -> Quote | None:
    """The quote made in answer to mail `mail_id`, if any."""
    query = select(Quote).where(Quote.mail_id == mail_id).order_by(Quote.id)
    return session.scalars(query).first()


def listing(
    session: Session, *, status: str | None = None, customer_id: str | None = None
) -> list[Quote]:
    """Quotes, newest first, optionally of one status or one customer."""
    query = select(Quote).order_by(Quote.id.desc())
    if status:
        query = query.where(Quote.status == status)
    if customer_id:
        query = query.where(Quote.customer_id == customer_id)
    return list(session.scalars(query))


def unanswered_since(session: Session, cutoff: datetime) -> list[Quote]:
    """Sent quotes with no reminder yet whose quote went out at or before `cutoff`."""
    query = select(Quote).where(
        Quote.status == SENT,
        Quote.reminded_at.is_(None),
        Quote.sent_at.is_not(None),
        Quote.sent_at <= cutoff,
    )
    return list(session.scalars(query.order_by(Quote.id)))


def lapsed(session: Session, today: date) -> list[Quote]:
    """Sent quotes whose validity ended before `today`."""
    query = select(Quote).where(Quote.status == SENT, Quote.valid_until < today)
    return list(session.scalars(query.order_by(Quote.id)))
