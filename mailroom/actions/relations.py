"""Relations actors: feedback asked after delivery, feedback recorded, digests sent.

`feedback.ask` and `customers.digest` are periodic and take no arguments; each keeps its
"once" through the store and the outbox keys (see `mailroom.aftersales.relations`).
`feedback.record` answers a mail whose intent is feedback: the rating and comment are stored
with the thank-you in one unit of work.
"""

from __future__ import annotations

import logging

from mailroom.aftersales import relations
from mailroom.aftersales.text import new_text
from mailroom.jobs import job
from mailroom.runtime import current
from store.base import utcnow
from store.mail import PARSED, Mail, locked

log = logging.getLogger(__name__)


@job("feedback.ask")
def feedback_ask() -> None:
    """Ask customers for feedback on orders delivered the set days ago, once per order."""
    runtime = current()
    with runtime.work() as work:
        asked = relations.ask_feedback(runtime, work, utcnow())
    if asked:
        log.info("feedback asked for: %s", ", ".join(asked))


@job("feedback.record")
def feedback_record(mail_id: int) -> None:
    """Record the rating and comment in mail `mail_id` and thank the sender."""
    runtime = current()
    with runtime.read() as session:
        mail = session.get(Mail, mail_id)
        if mail is None or mail.stage != PARSED:
            return
        text = new_text(mail.raw, mail.subject)
    with runtime.work() as work:
        mail = locked(work.session, mail_id)
        if mail is None or mail.stage != PARSED:
            return
        row = relations.record_feedback(runtime, work, mail, text, utcnow())
        log.info("mail %s: feedback %s/5", mail.id, row.rating or "-")


@job("customers.digest")
def customers_digest() -> None:
    """Send each customer on a digest schedule its open orders, once per period."""
    runtime = current()
    with runtime.work() as work:
        run = relations.send_digests(runtime, work, utcnow())
    if run.sent:
        log.info("digests sent: %s", ", ".join(f"{c} {p}" for c, p in run.sent))
