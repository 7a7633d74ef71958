"""`mail.received`: read a stored mail, record what it is, and route it by intent.

Parsing runs outside any transaction (it may read PDFs); the result is recorded, the
attachments of a mail from a person are filed (`mailroom.documents.filing`) and the next
actor chosen in one short transaction. Running it twice changes nothing the second time.

In that same transaction this worker runs the next actor itself (`mailroom.jobs.run_here`),
unless the mail brought documents, whose filing must follow that actor as a job of its own:
one job and one commit fewer for most mails. Should it fail, it is queued and retried like
any job.
"""

from __future__ import annotations

import logging

from mailroom.aftersales.threads import actor_for
from mailroom.bounces import hold_bounce
from mailroom.documents.filing import file_received
from mailroom.jobs import job, run_here
from mailroom.parsers import parse_mail
from mailroom.parsers.decode import decode
from mailroom.parsers.result import ParseResult
from mailroom.pipeline import CARRIER_NOTICE, NO_FOLLOW_UP
from mailroom.replies.safety import is_carrier_mail, why_no_reply
from mailroom.runtime import current
from store.history import StoreHistory
from store.mail import DONE, PARSED, STORED, Mail, intake_input, locked

log = logging.getLogger(__name__)


@job("mail.received")
def mail_received(mail_id: int) -> None:
    """Parse mail `mail_id`; record machines and lists, route mail from people."""
    runtime = current()
    with runtime.read() as session:
        waiting = intake_input(session, mail_id)
    if waiting is None:
        return
    raw, stored_error = waiting
    result = parse_mail(raw, runtime.catalog(), history=StoreHistory(runtime.readers))
    if stored_error:  # the mailbox kept only part of it (too large): a clerk must look
        result.intent, result.error = "unreadable", stored_error
    settings = runtime.settings
    no_reply = why_no_reply(raw, result, settings.from_address, settings.mail_domain)
    payloads = decode(raw).attachments if result.attachments and not no_reply else []
    carrier = is_carrier_mail(result, settings.from_address, settings.mail_domain)
    with runtime.work() as work:
        mail = locked(work.session, mail_id)
        if mail is None or mail.stage != STORED:
            return
        _record(mail, result)
        if carrier:  # read and applied (see pipeline.CARRIER_NOTICE)
            mail.stage, mail.intent = PARSED, "shipment_notice"
            # Why it must not be answered; None for a person who passed a notice on to us.
            mail.parsed = {**(mail.parsed or {}), "no_reply": no_reply}
            work.send_after_commit(runtime.broker.get_actor(CARRIER_NOTICE), mail_id)
            return
        if no_reply:
            # A bounce of what we sent goes to a clerk: the customer was not told.
            held = hold_bounce(work, mail, result) if result.intent == "bounce" else None
            if held is None:
                mail.stage = DONE
            mail.outcome = held or f"recorded without reply: {no_reply}"
            log.info("mail %s from %s: %s", mail.id, mail.sender, mail.outcome)
            return
        mail.stage = PARSED
        filed = file_received(work.session, mail, result, payloads)
        # Mail in an open ticket's thread, or answering a feedback request, goes there.
        actor = runtime.broker.get_actor(actor_for(work.session, settings.numbering, mail))
        if filed:  # a job, so that the filing of its documents follows it (FOLLOW_UPS)
            work.send_after_commit(actor, mail_id)
        else:  # nothing follows: this worker goes on with the mail, in this transaction
            run_here(work, actor, mail_id, **NO_FOLLOW_UP)


def _record(mail: Mail, result: ParseResult) -> None:
    mail.message_id = (result.message_id or "")[:998] or None
    mail.sender = result.sender
    mail.subject = result.subject
    mail.intent = result.intent
    mail.language = result.language
    mail.customer_id = result.customer_id
    # The contract's object, plus the thread references a reply needs.
    mail.parsed = {
        **result.to_json(),
        "references": result.references[-20:],
        # Not in the contract, kept for the order checks: unreadable attachments and lines
        # whose SKU came from a loose match.
        "findings": [
            {"filename": a.filename, "finding": a.finding} for a in result.attachments if a.finding
        ],
        "unsure_lines": [i for i, line in enumerate(result.lines) if line.sku and not line.sure],
        "unread": result.unread,
    }
    mail.error = result.error
