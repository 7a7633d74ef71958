"""`quotes.prepare`, `quotes.accept`, `quotes.follow_up`: thin actors over mailroom.quotes.

Each loads by id, reads the mail outside the transaction (decoding may take a moment), then
decides and writes the quote, the reply and any hold in one transaction. A mail no longer
waiting for its actor (answered already, held) is left alone, so each is safe to run twice.
"""

from __future__ import annotations

import logging

from mailroom.jobs import job

# `release` registers the clerks' queue resumer for held quotes.
from mailroom.quotes import accept, follow_up, prepare, release  # noqa: F401
from mailroom.runtime import current
from store.base import utcnow
from store.mail import DONE, PARSED, Mail, locked

log = logging.getLogger(__name__)


@job("quotes.prepare")
def quotes_prepare(mail_id: int) -> None:
    """Answer request-for-quote mail `mail_id`: a quote, a question back, or a hold."""
    runtime = current()
    with runtime.read() as session:
        mail = session.get(Mail, mail_id)
        if mail is None or mail.stage != PARSED:
            return
        parsed, raw = dict(mail.parsed or {}), mail.raw
    asking = prepare.read_asking(parsed, raw, runtime.catalog())
    with runtime.work() as work:
        mail = locked(work.session, mail_id)
        if mail is None or mail.stage != PARSED:
            return
        mail.stage = DONE
        mail.outcome = prepare.prepare_quote(runtime, work, mail, asking)


@job("quotes.accept")
def quotes_accept(mail_id: int) -> None:
    """Act on quote-acceptance mail `mail_id`: an order, a new quote, or a hold."""
    runtime = current()
    with runtime.work() as work:
        mail = locked(work.session, mail_id)
        if mail is None or mail.stage != PARSED:
            return
        mail.stage = DONE
        mail.outcome = accept.accept_quote(runtime, work, mail)


@job("quotes.follow_up")
def quotes_follow_up() -> None:
    """Remind customers of unanswered quotes (once each) and expire lapsed ones."""
    done = follow_up.follow_up(current(), utcnow())
    if done.reminded or done.expired:
        log.info("quotes: reminded %s; expired %s", done.reminded, done.expired)
