"""Which of our after-sales threads a mail follows: an open ticket's, or a feedback request's.

Asked for every mail with thread headers before it is routed, so both questions are one
statement, composed once (a round trip and composing cost more than the indexed look-ups).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import BindParameter, Select, bindparam, or_, select
from sqlalchemy.orm import Session

from store.mail import Mail
from store.outbox import OutboxMessage
from store.relations import Feedback
from store.tickets import ACTIVE, Ticket, TicketMessage


def _statement() -> Select[Any]:
    """(latest active ticket id, a feedback request id) for the Message-IDs bound as `refs`."""
    refs: BindParameter[list[str]] = bindparam("refs", expanding=True)
    mails = select(Mail.id).where(Mail.message_id.in_(refs))
    ours = select(OutboxMessage.mail_id).where(OutboxMessage.message_id.in_(refs))
    touched = select(TicketMessage.ticket_id).where(
        or_(TicketMessage.mail_id.in_(mails), TicketMessage.mail_id.in_(ours))
    )
    ticket = (
        select(Ticket.id)
        .where(Ticket.id.in_(touched), Ticket.status.in_(ACTIVE))
        .order_by(Ticket.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    asked = select(Feedback.id).where(Feedback.asked_message_id.in_(refs)).limit(1)
    return select(ticket, asked.scalar_subquery())


# Built once: composing the statement costs more than running it.
_FOLLOWED = _statement()


def followed(session: Session, message_ids: list[str]) -> tuple[int | None, bool]:
    """What the thread of `message_ids` (a mail's In-Reply-To and References) belongs to.

    Returns:
        (the id of the latest active ticket in the thread or None, whether one of our
        feedback requests is in it).
    """
    if not message_ids:
        return None, False
    row = session.execute(_FOLLOWED, {"refs": list(message_ids)}).one()
    return row[0], row[1] is not None
