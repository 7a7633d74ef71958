"""Mail in one of our after-sales threads goes where the thread says, whatever its intent.

A reply in the thread of an open ticket (or citing its number in the subject) joins the
ticket; a reply to a feedback request is feedback on that order, unless it reports a problem
with the goods (intent `after_sales`), which opens a ticket. The intent classifier sees only
words, and in an order's thread words like "quantity" or "late" read as an order change.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from mailroom.aftersales.tickets import thread_ticket
from mailroom.numbering import Numbering
from mailroom.pipeline import FEEDBACK_THREAD, TICKET_THREAD, route
from store import relations
from store.mail import Mail


def thread_route(session: Session, numbering: Numbering, mail: Mail) -> str | None:
    """The actor for `mail` by the after-sales thread it follows, or None to route by intent."""
    if thread_ticket(session, numbering, mail) is not None:
        return TICKET_THREAD
    references = list((mail.parsed or {}).get("references") or ())
    if mail.intent != "after_sales" and relations.asked_in_thread(session, references):
        return FEEDBACK_THREAD
    return None


def actor_for(session: Session, numbering: Numbering, mail: Mail) -> str:
    """The actor that answers `mail`: by its after-sales thread, else by its intent."""
    return thread_route(session, numbering, mail) or route(mail.intent)
