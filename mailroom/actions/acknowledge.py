"""`mail.acknowledge`: the reply for mail no domain actor answers yet, and for unreadable mail.

The customer hears at once that the mail arrived, with a reference number; a clerk follows
up. Unreadable mail is also held, so a person reads what the service could not.
"""

from __future__ import annotations

from mailroom.jobs import job
from mailroom.respond import answer, hold_mail
from mailroom.runtime import current
from store import holds
from store.mail import DONE, PARSED, locked


@job("mail.acknowledge")
def acknowledge(mail_id: int) -> None:
    """Acknowledge mail `mail_id` with its reference number; hold it if it was unreadable."""
    runtime = current()
    with runtime.work() as work:
        mail = locked(work.session, mail_id)
        if mail is None or mail.stage != PARSED:
            return
        mail.stage, mail.outcome = DONE, "acknowledged"
        if mail.intent == "unreadable":
            reason = holds.reason("unreadable", mail.error or "the mail could not be read")
            hold_mail(work, mail, [reason])
        answer(runtime, work, mail, "ack/received")
