"""Customer relations: feedback asked for and given, digests due, customers gone quiet.

One `Feedback` row per order asked (a unique key on the order), so a request is written once;
a reply with a rating fills in the same row. Feedback that arrives unasked gets a row of its
own, keyed by its mail, so recording the same mail twice adds nothing.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from store.base import Base, Timestamped
from store.catalog import Customer
from store.orders import CANCELLED, CLOSED, DELIVERED, Order, OrderEvent


class Feedback(Timestamped, Base):
    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), unique=True)
    customer_id: Mapped[str | None] = mapped_column(String(64), index=True)
    asked_at: Mapped[datetime | None]
    # Our request's Message-ID: a reply in its thread is feedback on this order.
    asked_message_id: Mapped[str | None] = mapped_column(String(998), index=True)
    # The customer's answer.
    mail_id: Mapped[int | None] = mapped_column(ForeignKey("mails.id"), unique=True)
    rating: Mapped[int | None]
    comment: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[datetime | None]


def for_order(session: Session, order_id: int) -> Feedback | None:
    return session.scalar(select(Feedback).where(Feedback.order_id == order_id))


def from_mail(session: Session, mail_id: int) -> Feedback | None:
    return session.scalar(select(Feedback).where(Feedback.mail_id == mail_id))


def asked_in_thread(session: Session, message_ids: list[str]) -> Feedback | None:
    """The feedback request one of `message_ids` names (a reply's In-Reply-To, References)."""
    if not message_ids:
        return None
    query = select(Feedback).where(Feedback.asked_message_id.in_(message_ids))
    return session.scalar(query.order_by(Feedback.id.desc()).limit(1))


def all_feedback(session: Session) -> list[Feedback]:
    return list(session.scalars(select(Feedback).order_by(Feedback.id)))


def delivered_unasked(session: Session, delivered_before: datetime) -> list[Order]:
    """Orders delivered before `delivered_before` whose customer was not asked for feedback.

    The delivery time is the order's latest `delivered` event; closed orders count too (they
    were delivered first).
    """
    delivered = (
        select(OrderEvent.order_id, func.max(OrderEvent.at).label("at"))
        .where(OrderEvent.status == DELIVERED)
        .group_by(OrderEvent.order_id)
        .subquery()
    )
    asked = select(Feedback.order_id).where(Feedback.order_id.is_not(None))
    query = (
        select(Order)
        .join(delivered, delivered.c.order_id == Order.id)
        .where(
            Order.status.in_((DELIVERED, CLOSED)),
            delivered.c.at < delivered_before,
            Order.id.not_in(asked),
        )
    )
    return list(session.scalars(query.order_by(Order.id)))


def open_orders(session: Session, customer_id: str) -> list[Order]:
    """The customer's orders not yet delivered, closed or cancelled, oldest first."""
    query = select(Order).where(
        Order.customer_id == customer_id,
        Order.status.not_in((DELIVERED, CLOSED, CANCELLED)),
    )
    return list(session.scalars(query.order_by(Order.id)))


def digest_customers(session: Session) -> list[Customer]:
    """Customers whose record asks for a digest (weekly or monthly)."""
    query = select(Customer).where(Customer.digest.in_(("weekly", "monthly")))
    return list(session.scalars(query.order_by(Customer.customer_id)))


def last_orders(session: Session) -> list[tuple[Customer, datetime | None]]:
    """Every customer with the time of its latest order (None when it never ordered)."""
    latest = (
        select(Order.customer_id, func.max(Order.created_at).label("at"))
        .group_by(Order.customer_id)
        .subquery()
    )
    query = (
        select(Customer, latest.c.at)
        .outerjoin(latest, latest.c.customer_id == Customer.customer_id)
        .order_by(Customer.customer_id)
    )
    return [(customer, at) for customer, at in session.execute(query)]
