"""After-sales tickets: a complaint, defect, return or question, its order, lines and messages.

A ticket is opened once per mail (a unique key on the opening mail), so opening the same
mail twice finds the ticket already there. Its messages (the customer's mails, our replies)
are kept in order; a mail belongs to one ticket at most. The SLA deadlines are stored on the
ticket when it opens, and each warning is remembered, so a clerk is warned once per deadline.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text, or_, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from store.base import Base, Timestamped, utcnow
from store.mail import Mail
from store.orders import CLOSED as ORDER_CLOSED
from store.orders import DELIVERED, SHIPPED, Order, OrderLine
from store.outbox import OutboxMessage

KINDS = (
    "complaint",
    "defect",
    "wrong_item",
    "short_shipment",
    "transport_damage",
    "return",
    "question",
)
OPEN, WAITING_CUSTOMER, RESOLVED, CLOSED = "open", "waiting_customer", "resolved", "closed"
STATUSES = (OPEN, WAITING_CUSTOMER, RESOLVED, CLOSED)
# Tickets a new mail in the thread is added to, and whose deadlines still run.
ACTIVE = (OPEN, WAITING_CUSTOMER)
# A message is the customer's mail, our reply, or a clerk's note on the ticket.
INBOUND, OUTBOUND, NOTE = "in", "out", "note"
# The two deadlines a ticket has; the names are used in hold keys and messages.
FIRST_RESPONSE, RESOLUTION = "first_response", "resolution"


class Ticket(Timestamped, Base):
    __tablename__ = "tickets"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(24), default=OPEN, index=True)
    customer_id: Mapped[str | None] = mapped_column(String(64), index=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), index=True)
    # The mail that opened the ticket: one ticket per mail.
    mail_id: Mapped[int | None] = mapped_column(ForeignKey("mails.id"), unique=True)
    sender: Mapped[str | None] = mapped_column(String(320))
    subject: Mapped[str | None] = mapped_column(Text)
    # [{"sku": "HX-2040", "quantity": "200"}]: the lines the customer says are affected.
    lines: Mapped[list[Any]] = mapped_column(default=list)
    rma_number: Mapped[str | None] = mapped_column(String(32), unique=True)
    # How the kind and order were found, for the clerk: ["kind: 'short shipped'", ...].
    evidence: Mapped[list[Any]] = mapped_column(default=list)
    first_response_due: Mapped[datetime]
    resolution_due: Mapped[datetime]
    first_responded_at: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None]
    resolution: Mapped[str | None] = mapped_column(Text)
    first_response_warned_at: Mapped[datetime | None]
    resolution_warned_at: Mapped[datetime | None]

    messages: Mapped[list[TicketMessage]] = relationship(
        back_populates="ticket", order_by="TicketMessage.id", cascade="all, delete-orphan"
    )


class TicketMessage(Base):
    """One message of a ticket: a customer's mail, or a reply we sent."""

    __tablename__ = "ticket_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    direction: Mapped[str] = mapped_column(String(8))
    # The customer's mail (inbound), or the mail our reply answered (outbound).
    mail_id: Mapped[int | None] = mapped_column(ForeignKey("mails.id"), index=True)
    outbox_id: Mapped[int | None] = mapped_column(ForeignKey("outbox.id"))
    author: Mapped[str | None] = mapped_column(String(320))
    text: Mapped[str] = mapped_column(Text, default="")
    # Photos and files sent with it, as references to the stored mail's attachments:
    # [{"filename", "content_type", "size"}].
    attachments: Mapped[list[Any]] = mapped_column(default=list)
    at: Mapped[datetime] = mapped_column(default=utcnow)

    ticket: Mapped[Ticket] = relationship(back_populates="messages")


def by_number(session: Session, number: str) -> Ticket | None:
    return session.scalar(select(Ticket).where(Ticket.number == number.strip().upper()))


def opened_by(session: Session, mail_id: int) -> Ticket | None:
    """The ticket mail `mail_id` opened, or None."""
    return session.scalar(select(Ticket).where(Ticket.mail_id == mail_id))


def holding_mail(session: Session, mail_id: int) -> Ticket | None:
    """The ticket mail `mail_id` was added to (opening it or later), or None."""
    query = select(TicketMessage.ticket_id).where(
        TicketMessage.mail_id == mail_id, TicketMessage.direction == INBOUND
    )
    return session.scalar(select(Ticket).where(Ticket.id.in_(query)))


def in_thread(session: Session, message_ids: list[str]) -> Ticket | None:
    """The latest active ticket that a mail or one of our messages in this thread belongs to.

    Args:
        message_ids: the Message-IDs a mail refers to (In-Reply-To and References).
    """
    if not message_ids:
        return None
    mails = select(Mail.id).where(Mail.message_id.in_(message_ids))
    ours = select(OutboxMessage.mail_id).where(OutboxMessage.message_id.in_(message_ids))
    touched = select(TicketMessage.ticket_id).where(
        or_(TicketMessage.mail_id.in_(mails), TicketMessage.mail_id.in_(ours))
    )
    query = select(Ticket).where(Ticket.id.in_(touched), Ticket.status.in_(ACTIVE))
    return session.scalar(query.order_by(Ticket.id.desc()).limit(1))


def outbox_exists(session: Session, dedupe_key: str) -> bool:
    """Whether a message under `dedupe_key` is in the outbox (a clerk's answer sent before)."""
    query = select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key)
    return session.scalar(query) is not None


def all_tickets(session: Session) -> list[Ticket]:
    return list(session.scalars(select(Ticket).order_by(Ticket.id)))


def for_customer(session: Session, customer_id: str) -> list[Ticket]:
    query = select(Ticket).where(Ticket.customer_id == customer_id)
    return list(session.scalars(query.order_by(Ticket.id.desc())))


def first_response_late(session: Session, now: datetime) -> list[Ticket]:
    """Active tickets with no first response past their deadline, not warned about yet."""
    query = select(Ticket).where(
        Ticket.status.in_(ACTIVE),
        Ticket.first_responded_at.is_(None),
        Ticket.first_response_due < now,
        Ticket.first_response_warned_at.is_(None),
    )
    return list(session.scalars(query.order_by(Ticket.id)))


def resolution_late(session: Session, now: datetime) -> list[Ticket]:
    """Active tickets past their resolution deadline, not warned about yet."""
    query = select(Ticket).where(
        Ticket.status.in_(ACTIVE),
        Ticket.resolution_due < now,
        Ticket.resolution_warned_at.is_(None),
    )
    return list(session.scalars(query.order_by(Ticket.id)))


def latest_received_with(session: Session, customer_id: str, skus: list[str]) -> Order | None:
    """The customer's latest shipped or delivered order with a line of one of `skus`."""
    if not skus:
        return None
    having = select(OrderLine.order_id).where(OrderLine.sku.in_(skus))
    query = select(Order).where(
        Order.customer_id == customer_id,
        Order.status.in_((SHIPPED, DELIVERED, ORDER_CLOSED)),
        Order.id.in_(having),
    )
    return session.scalar(query.order_by(Order.id.desc()).limit(1))
