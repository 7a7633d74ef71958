"""Orders: our order number, the customer's PO, lines, dates, status and its history.

An order is created once per customer PO: a unique key on (customer, PO number) makes a
second order for the same PO impossible, even when two workers read the same PO at once.
Every status change is an `OrderEvent`, so the history is kept, not overwritten.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ForeignKey, Numeric, String, Text, UniqueConstraint, or_, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from store.base import Base, Timestamped, utcnow
from store.catalog import Money
from store.mail import Mail
from store.outbox import OutboxMessage
from store.sequences import digits_key, spelled_like

# Statuses, in the order an order normally goes through them.
RECEIVED, CONFIRMED, IN_PRODUCTION, READY = "received", "confirmed", "in_production", "ready"
SHIPPED, DELIVERED, CLOSED = "shipped", "delivered", "closed"
ON_HOLD, CANCELLED = "on_hold", "cancelled"
STATUSES = (
    RECEIVED,
    CONFIRMED,
    IN_PRODUCTION,
    READY,
    SHIPPED,
    DELIVERED,
    CLOSED,
    ON_HOLD,
    CANCELLED,
)
# Until it ships, an order can still be changed or cancelled by mail.
CHANGEABLE = (RECEIVED, ON_HOLD, CONFIRMED)
# Orders whose promised date still matters.
OPEN_STATUSES = (RECEIVED, ON_HOLD, CONFIRMED, IN_PRODUCTION, READY)
# Who an order on hold waits for.
WAITING_CUSTOMER, WAITING_CLERK = "customer", "clerk"


class Order(Timestamped, Base):
    __tablename__ = "orders"
    __table_args__ = (UniqueConstraint("customer_id", "po_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    customer_id: Mapped[str | None] = mapped_column(String(64), index=True)
    po_number: Mapped[str | None] = mapped_column(String(128))
    status: Mapped[str] = mapped_column(String(16), default=RECEIVED, index=True)
    waiting_for: Mapped[str | None] = mapped_column(String(16))
    requested_date: Mapped[date | None]
    promised_date: Mapped[date | None]
    ship_to: Mapped[str | None] = mapped_column(Text)
    payment_terms: Mapped[str | None] = mapped_column(String(255))
    language: Mapped[str | None] = mapped_column(String(8))
    # "mail", or "quote:Q-2026-00042" for an accepted quote.
    source: Mapped[str] = mapped_column(String(64), default="mail")
    mail_id: Mapped[int | None] = mapped_column(ForeignKey("mails.id"), index=True)
    sender: Mapped[str | None] = mapped_column(String(320))
    confidence: Mapped[float | None]
    # The last check's hits: [{"rule", "message", ...}], shown to clerks and customers.
    reasons: Mapped[list[Any]] = mapped_column(default=list)
    tracking_numbers: Mapped[list[Any]] = mapped_column(default=list)
    # Raised each time a change is confirmed, so each confirmation is a message of its own.
    revision: Mapped[int] = mapped_column(default=1)
    overdue_warned_at: Mapped[datetime | None]

    lines: Mapped[list[OrderLine]] = relationship(
        back_populates="order", order_by="OrderLine.position", cascade="all, delete-orphan"
    )

    def totals(self) -> dict[str, Decimal]:
        """The order's total per currency, over lines that have an amount."""
        totals: dict[str, Decimal] = {}
        for line in self.lines:
            if line.amount is not None and line.currency:
                totals[line.currency] = totals.get(line.currency, Decimal(0)) + line.amount
        return totals


class OrderLine(Base):
    __tablename__ = "order_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    position: Mapped[int]
    sku: Mapped[str | None] = mapped_column(String(64))
    description: Mapped[str] = mapped_column(Text, default="")
    quantity: Mapped[Decimal] = mapped_column(Numeric(14, 3))
    unit: Mapped[str] = mapped_column(String(16), default="pcs")
    # What the customer wrote (price, currency; whether the SKU match was sure), and what we
    # charge (unit price, currency, amount).
    requested_price: Mapped[Decimal | None] = mapped_column(Money)
    requested_currency: Mapped[str | None] = mapped_column(String(3))
    sure: Mapped[bool] = mapped_column(default=True)
    unit_price: Mapped[Decimal | None] = mapped_column(Money)
    currency: Mapped[str | None] = mapped_column(String(3))
    amount: Mapped[Decimal | None] = mapped_column(Money)
    dispatch_date: Mapped[date | None]
    from_stock: Mapped[bool] = mapped_column(default=False)

    order: Mapped[Order] = relationship(back_populates="lines")


class OrderEvent(Base):
    """One step in an order's history: a status change, a change by mail, a clerk's decision."""

    __tablename__ = "order_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(64), default="mailroom")
    mail_id: Mapped[int | None] = mapped_column(ForeignKey("mails.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)


def record(
    session: Session,
    order: Order,
    status: str,
    *,
    note: str | None = None,
    actor: str = "mailroom",
    mail_id: int | None = None,
) -> None:
    """Set the order's status and add the step to its history."""
    order.status = status
    session.add(
        OrderEvent(order_id=order.id, status=status, note=note, actor=actor, mail_id=mail_id)
    )


def history(session: Session, order_id: int) -> list[OrderEvent]:
    query = select(OrderEvent).where(OrderEvent.order_id == order_id).order_by(OrderEvent.id)
    return list(session.scalars(query))


def by_number(session: Session, number: str) -> Order | None:
    """The order with our number `number`, as written in a mail (`so 2026/118` finds
    `SO-2026-00118`)."""
    exact = session.scalar(select(Order).where(Order.number == number.strip().upper()))
    if exact is not None:
        return exact
    key = digits_key(number)
    candidates = session.scalars(select(Order).where(spelled_like(Order.number, number)))
    return next((o for o in candidates if digits_key(o.number) == key), None)


def by_po(session: Session, customer_id: str, po_number: str) -> Order | None:
    query = select(Order).where(Order.customer_id == customer_id, Order.po_number == po_number)
    return session.scalar(query)


def from_mail(session: Session, mail_id: int, source: str) -> Order | None:
    """The order a mail already created (so a second run of the same step creates none)."""
    query = select(Order).where(Order.mail_id == mail_id, Order.source == source)
    return session.scalar(query)


def in_thread(session: Session, message_ids: list[str]) -> Order | None:
    """The latest order that a mail or one of our messages in this thread belongs to.

    Args:
        message_ids: the Message-IDs a mail refers to (In-Reply-To and References).
    """
    if not message_ids:
        return None
    mails = select(Mail.id).where(Mail.message_id.in_(message_ids))
    ours = select(OutboxMessage.mail_id).where(OutboxMessage.message_id.in_(message_ids))
    touched = select(OrderEvent.order_id).where(
        or_(OrderEvent.mail_id.in_(mails), OrderEvent.mail_id.in_(ours))
    )
    query = select(Order).where(
        or_(Order.id.in_(touched), Order.mail_id.in_(mails), Order.mail_id.in_(ours))
    )
    return session.scalar(query.order_by(Order.id.desc()).limit(1))


def for_customer(session: Session, customer_id: str, limit: int = 5) -> list[Order]:
    """The customer's latest orders that are not closed or cancelled, newest first."""
    query = select(Order).where(
        Order.customer_id == customer_id, Order.status.not_in((CLOSED, CANCELLED))
    )
    return list(session.scalars(query.order_by(Order.id.desc()).limit(limit)))


def all_orders(session: Session) -> list[Order]:
    return list(session.scalars(select(Order).order_by(Order.id)))


def overdue(session: Session, today: date) -> list[Order]:
    """Open orders whose promised date has passed and that have not been dealt with yet."""
    query = select(Order).where(
        Order.status.in_((CONFIRMED, IN_PRODUCTION, READY)),
        Order.promised_date < today,
        Order.overdue_warned_at.is_(None),
    )
    return list(session.scalars(query.order_by(Order.id)))
