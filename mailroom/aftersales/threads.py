"""Mail in one of our after-sales threads goes where the thread says, whatever its intent.

A reply in the thread of an open ticket (or citing its number in the subject) joins the
ticket; a reply to a feedback request is feedback on that order, unless it reports a problem
with the goods (intent `after_sales`), which opens a ticket. The intent classifier sees only
words, and in an order's thread words like "quantity" or "late" read as an order change.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from mailroom.numbering import Numbering
from mailroom.pipeline import FEEDBACK_THREAD, TICKET_THREAD, route
from store import threads
from store import tickets as tickets_store
from store.mail import Mail


def thread_route(session: Session, numbering: Numbering, mail: Mail) -> str | None:
    """The actor for `mail` by the after-sales thread it follows, or None to route by intent."""
    references = list((mail.parsed or {}).get("references") or ())
    ticket_id, asked = threads.followed(session, references)
    if ticket_id is not None or _cites_open_ticket(session, numbering, mail.subject):
        return TICKET_THREAD
    if asked and mail.intent != "after_sales":
        return FEEDBACK_THREAD
    return None


def _cites_open_ticket(session: Session, numbering: Numbering, subject: str | None) -> bool:
    cited = numbering.ticket.find(subject)
    ticket = tickets_store.by_number(session, cited) if cited else None
    return ticket is not None and ticket.status in tickets_store.ACTIVE


def actor_for(session: Session, numbering: Numbering, mail: Mail) -> str:
    """The actor that answers `mail`: by its after-sales thread, else by its intent."""
    return thread_route(session, numbering, mail) or route(mail.intent)
