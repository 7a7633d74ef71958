"""A bounce of a mail we sent: the customer was not told, so a clerk must tell them another way.

A bounce is never answered (RFC 3834), and one that returns nothing of ours (backscatter from
mail that forged our address) is only recorded. One that returns our own message, found by the
Message-ID it quotes or the thread it names, or that names one of our orders or quotes, puts
the bounce in the clerks' queue with what was lost and why, on the customer whose mail it was.
A delay warning is recorded only: the server is still trying, and a failure would follow.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from mailroom.parsers.result import ParseResult, Returned
from mailroom.respond import hold_mail
from mailroom.runtime import Work
from store import holds, orders, quotes
from store.mail import Mail
from store.outbox import OutboxMessage

# RFC 3464 actions that are not a failure.
_NOT_FAILED = frozenset({"delayed", "delivered", "relayed", "expanded"})


def hold_bounce(work: Work, mail: Mail, result: ParseResult) -> str | None:
    """Hold bounce `mail` for a clerk when it returns what we sent; the mail's outcome, or None
    when the bounce is only to be recorded."""
    returned = result.returned or Returned()
    if returned.action in _NOT_FAILED:
        return None
    session = work.session
    ours = _our_message(session, [returned.message_id, *reversed(result.references)])
    order = orders.by_number(session, result.order_number) if result.order_number else None
    customer_id = _customer_of(session, ours, order, result)
    if ours is None and customer_id is None and not (result.order_number or result.quote_number):
        return None
    what = (ours.purpose if ours else None) or "mail"
    recipient = returned.recipient or (ours.recipient if ours else None) or "the customer"
    about = result.order_number or result.quote_number
    why = " ".join(filter(None, (returned.status, returned.diagnostic))) or _first_line(result)
    message = f"our {what} to {recipient}{f' about {about}' if about else ''} was not delivered"
    message += f": {why}" if why else ""
    if ours is not None:
        ours.last_error = f"bounced: {why or 'returned by the mail server'}"[:1000]
    if customer_id and not mail.customer_id:
        mail.customer_id = customer_id  # the clerk finds it on the customer the mail was for
    hold_mail(work, mail, [holds.reason("bounced", message)])
    if order is not None:
        orders.record(session, order, order.status, note=message, mail_id=mail.id)
    return f"held: {message}"


def _our_message(session: Session, message_ids: list[str | None]) -> OutboxMessage | None:
    """The outbox row of the first of `message_ids` that is a message we sent (one look)."""
    wanted = [m for m in message_ids if m]
    query = select(OutboxMessage).where(OutboxMessage.message_id.in_(wanted))
    rows = {row.message_id: row for row in session.scalars(query)} if wanted else {}
    return next((rows[m] for m in wanted if m in rows), None)


def _customer_of(
    session: Session, ours: OutboxMessage | None, order: orders.Order | None, result: ParseResult
) -> str | None:
    """The customer the lost mail was for: its thread's, else the order's or quote's it names."""
    if ours is not None and ours.mail_id is not None:
        answered = session.get(Mail, ours.mail_id)
        if answered is not None and answered.customer_id:
            return answered.customer_id
    if order is not None:
        return order.customer_id
    if result.quote_number and (quote := quotes.by_number(session, result.quote_number)):
        return quote.customer_id
    return result.customer_id


def _first_line(result: ParseResult) -> str:
    """A plain-text bounce's own explanation: its first line that says something."""
    for line in result.text.splitlines():
        if len(line.split()) >= 4:
            return " ".join(line.split())[:200]
    return ""
