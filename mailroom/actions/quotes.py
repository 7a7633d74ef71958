"""`quotes.prepare`, `quotes.accept`, `quotes.follow_up`: thin actors over mailroom.quotes.

Each loads by id, reads the mail outside the transaction (decoding may take a moment), then
decides and writes the quote, the reply and any hold in one transaction. A mail no longer
waiting for its actor (answered already, held) is left alone, so each is safe to run twice.
"""

from __future__ import annotations

from mailroom.jobs import job
from mailroom.quotes.prepare import prepare_quote, read_asking
from mailroom.runtime import current
from store.mail import DONE, PARSED, Mail


@job("quotes.prepare")
def quotes_prepare(mail_id: int) -> None:
    """Answer request-for-quote mail `mail_id`: a quote, a question back, or a hold."""
    runtime = current()
    with runtime.read() as session:
        mail = session.get(Mail, mail_id)
        if mail is None or mail.stage != PARSED:
            return
        parsed, raw = dict(mail.parsed or {}), mail.raw
    asking = read_asking(parsed, raw, runtime.catalog())
    with runtime.work() as work:
        mail = work.session.get(Mail, mail_id, with_for_update=True)
        if mail is None or mail.stage != PARSED:
            return
        mail.stage = DONE
        mail.outcome = prepare_quote(runtime, work, mail, asking)
