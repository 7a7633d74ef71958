"""A clerk's own reply to a held item's mail: prefilled from a template, sent through the outbox.

The clerk edits the text; the message then goes out like every reply (an outbox row written in
the clerk's transaction, `outbox.send` after the commit), threaded to the customer's mail.
Its dedupe key carries a token from the form, so a double-submitted form sends one reply,
while a second, deliberate reply to the same mail is still possible.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from mailroom.errors import QueueError
from mailroom.replies.compose import reply_subject_prefix
from mailroom.replies.render import Rendered, render, reply_language
from mailroom.respond import put_in_outbox
from mailroom.runtime import Runtime, Work
from store import outbox
from store.catalog import Customer
from store.mail import Mail

PURPOSE = "clerk/reply"


def reply_key(item_id: int, token: str) -> str:
    return f"clerk-reply:item:{item_id}:{token[:64]}"


def prefill(runtime: Runtime, session: Session, mail: Mail, clerk: str) -> Rendered:
    """The reply template for `mail` in the customer's language, for the clerk to edit."""
    customer = session.get(Customer, mail.customer_id) if mail.customer_id else None
    language = reply_language(customer.language if customer else None, mail.language)
    context: dict[str, Any] = {
        "reference": mail.reference,
        "company_name": runtime.settings.company_name,
        "greeting_name": customer.name
        if customer
        else ("客户" if language == "zh" else "Customer"),
        "original_subject": mail.subject,
        "subject_prefix": reply_subject_prefix(mail.subject, language),
        "clerk_name": clerk,
    }
    return render(PURPOSE, language, **context)


def write_reply(
    runtime: Runtime, work: Work, mail: Mail, key: str, subject: str, text: str
) -> outbox.OutboxMessage | None:
    """Put the clerk's reply to `mail` in the outbox and send it after the commit.

    Returns:
        The new outbox row, or None when a reply with this key was written already.

    Raises:
        QueueError: the mail has no sender to answer, or the subject or text is blank.
    """
    recipient = (mail.sender or "").strip().lower()
    if not recipient:
        raise QueueError(f"mail {mail.id} has no sender address to reply to")
    if not subject.strip() or not text.strip():
        raise QueueError("a reply needs a subject and a text")
    if outbox.exists(work.session, key):
        return None
    rendered = Rendered(subject=subject.strip(), text=text.replace("\r\n", "\n"), html=None)
    return put_in_outbox(
        runtime,
        work,
        rendered,
        mail=mail,
        key=key,
        purpose=PURPOSE,
        recipient=recipient,
        automatic=False,
    )
