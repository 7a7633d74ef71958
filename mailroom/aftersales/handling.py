"""A clerk's work on a ticket: answering the customer, and resolving the ticket.

A clerk's answer goes to the customer through the outbox like every reply, in the thread of
the customer's latest mail on the ticket, and only to an address the customer record allows.
The first answer stops the first-response clock; the ticket then waits for the customer.
Resolving tells the customer once (the outbox key `ticket:<number>:resolved`).
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy.orm import Session

from mailroom.errors import UsageError
from mailroom.orders.rules import may_act_for
from mailroom.replies.compose import reply_subject_prefix
from mailroom.replies.render import Rendered
from mailroom.respond import notify, put_in_outbox
from mailroom.runtime import Runtime, Work
from store import tickets as store
from store.base import utcnow
from store.catalog import Customer
from store.mail import Mail
from store.orders import Order
from store.tickets import INBOUND, NOTE, OUTBOUND, Ticket, TicketMessage


def recipient(session: Session, ticket: Ticket) -> str | None:
    """Who hears about the ticket: its sender if the customer allows them, else the
    customer's first listed address; None when nobody may be told."""
    customer = session.get(Customer, ticket.customer_id) if ticket.customer_id else None
    if customer is None:
        return None
    if ticket.sender and may_act_for(customer, ticket.sender):
        return ticket.sender.lower()
    listed = [str(e).lower() for e in customer.emails or () if e]
    return listed[0] if listed else None


def latest_mail(session: Session, ticket: Ticket) -> Mail | None:
    """The customer's latest mail on the ticket: what an answer follows in the thread."""
    inbound = [m for m in ticket.messages if m.direction == INBOUND and m.mail_id]
    return session.get(Mail, inbound[-1].mail_id) if inbound else None


def reply(
    runtime: Runtime, work: Work, ticket: Ticket, clerk: str, text: str, now: datetime
) -> bool:
    """Send the clerk's answer `text` to the ticket's customer.

    The same text sent twice on one ticket goes out once (the outbox key carries its hash).

    Returns:
        True when the answer was written now; False when it was written before.

    Raises:
        UsageError: the text is blank, the ticket is resolved, or nobody may be told.
    """
    session = work.session
    if not text.strip():
        raise UsageError("an answer needs a text")
    if ticket.status not in store.ACTIVE:
        raise UsageError(f"ticket {ticket.number} is {ticket.status}; there is nothing to answer")
    to, mail = recipient(session, ticket), latest_mail(session, ticket)
    if to is None or mail is None:
        raise UsageError(
            f"ticket {ticket.number} has no customer address to answer; link the customer first"
        )
    digest = hashlib.sha256(text.strip().encode()).hexdigest()[:16]
    key = f"ticket:{ticket.number}:reply:{digest}"
    if store.outbox_exists(session, key):
        return False
    language = "zh" if mail.language == "zh" else "en"
    subject = (
        f"{reply_subject_prefix(mail.subject, language)}{mail.subject or ''} [{ticket.number}]"
    )
    rendered = Rendered(subject=subject.strip(), text=text.replace("\r\n", "\n"), html=None)
    row = put_in_outbox(
        runtime,
        work,
        rendered,
        mail=mail,
        key=key,
        purpose="ticket/reply",
        recipient=to,
        automatic=False,
    )
    ticket.messages.append(
        TicketMessage(
            direction=OUTBOUND, mail_id=mail.id, outbox_id=row.id, author=clerk, text=text, at=now
        )
    )
    ticket.first_responded_at = ticket.first_responded_at or now
    ticket.status = store.WAITING_CUSTOMER
    return True


def answered_from_queue(
    session: Session, number: str, clerk: str, text: str, outbox_id: int
) -> None:
    """Record on ticket `number` a clerk's reply sent from the queue (a held ticket's item):
    it is an answer like `reply`'s, so it stops the first-response clock."""
    ticket = store.by_number(session, number)
    if ticket is None:
        return
    now = utcnow()
    ticket.messages.append(
        TicketMessage(direction=OUTBOUND, outbox_id=outbox_id, author=clerk, text=text, at=now)
    )
    ticket.first_responded_at = ticket.first_responded_at or now
    if ticket.status == store.OPEN:
        ticket.status = store.WAITING_CUSTOMER


def resolve(
    runtime: Runtime, work: Work, ticket: Ticket, clerk: str, resolution: str, now: datetime
) -> None:
    """Resolve the ticket with `resolution` (what was done) and tell the customer once.

    Raises:
        UsageError: the resolution is blank, or the ticket is resolved or closed already.
    """
    from mailroom.aftersales.tickets import ticket_context

    if not resolution.strip():
        raise UsageError("say how the ticket was resolved (--note)")
    if ticket.status not in store.ACTIVE:
        raise UsageError(f"ticket {ticket.number} is {ticket.status} already")
    session = work.session
    ticket.status, ticket.resolved_at, ticket.resolution = store.RESOLVED, now, resolution
    ticket.messages.append(
        TicketMessage(direction=NOTE, author=clerk, text=f"resolved: {resolution}", at=now)
    )
    to, mail = recipient(session, ticket), latest_mail(session, ticket)
    if to is None or mail is None:
        return
    order = session.get(Order, ticket.order_id) if ticket.order_id else None
    context = {"ticket": ticket_context(ticket, order), "resolution": resolution}
    notify(
        runtime,
        work,
        key=f"ticket:{ticket.number}:resolved",
        purpose="ticket/resolved",
        recipient=to,
        mail=mail,
        context=context,
    )
