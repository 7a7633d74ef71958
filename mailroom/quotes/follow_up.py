"""Following up sent quotes: one polite reminder when unanswered, and expiry when time is up.

Run periodically (`quotes.follow_up`). Quotes whose validity ended are marked expired first,
so an expired quote never gets a reminder. Each reminder is a status email keyed
`quote:<number>:reminder`, so a second run (or two workers at once) cannot send it twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from mailroom.quotes.build import products_for
from mailroom.quotes.document import template_context
from mailroom.replies.compose import Thread
from mailroom.respond import notify
from mailroom.runtime import Runtime, Work
from store import quotes as store
from store.mail import Mail
from store.quotes import EXPIRED, Quote


@dataclass
class FollowUp:
    """What one run did: quote numbers reminded and expired."""

    reminded: list[str] = field(default_factory=list)
    expired: list[str] = field(default_factory=list)


def follow_up(runtime: Runtime, now: datetime) -> FollowUp:
    """Expire lapsed quotes and remind customers of quotes unanswered for the set days.

    Args:
        runtime: the service's runtime (settings, store, outbox).
        now: the current time (UTC-aware); a reminder is due `quote_follow_up_days` after
            the quote was sent.

    Returns:
        The quote numbers reminded and expired by this run.
    """
    done = FollowUp()
    cutoff = now - timedelta(days=runtime.settings.quote_follow_up_days)
    with runtime.work() as work:
        for quote in store.lapsed(work.session, now.date()):
            quote.status = EXPIRED
            quote.status_note = f"expired on {quote.valid_until:%Y-%m-%d} without an answer"
            done.expired.append(quote.number)
        for quote in store.unanswered_since(work.session, cutoff):
            if remind(runtime, work, quote, now):
                done.reminded.append(quote.number)
    return done


def remind(runtime: Runtime, work: Work, quote: Quote, now: datetime) -> bool:
    """Write the one reminder for `quote`, threaded under the quote mail we sent.

    Returns:
        True when a reminder was written now; False when there is no mail to answer or the
        reminder exists already.
    """
    mail = work.session.get(Mail, quote.mail_id) if quote.mail_id else None
    if mail is None or not mail.sender:
        return False
    earlier = [*((mail.parsed or {}).get("references") or ()), mail.message_id]
    thread = Thread(quote.sent_message_id, tuple(ref for ref in earlier if ref))
    products = products_for(work.session, (line.sku for line in quote.lines))
    row = notify(
        runtime,
        work,
        key=f"quote:{quote.number}:reminder",
        purpose="quote/reminder",
        recipient=mail.sender,
        mail=mail,
        thread=thread,
        context=template_context(quote, products, mail.subject),
    )
    quote.reminded_at = now
    if row is None:
        return False
    quote.reminder_message_id = row.message_id
    return True
