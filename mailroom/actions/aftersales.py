"""After-sales actors: a mail about a problem opens or joins a ticket; deadlines are watched.

`aftersales.open` reads the mail's new text before its transaction (decoding is the slow
part), then opens the ticket (or adds the mail to the ticket of its thread) and writes the
one acknowledgement in one unit of work. `tickets.sla` runs periodically and warns clerks
of tickets past a deadline, once per ticket and deadline.
"""

from __future__ import annotations

import logging

from mailroom.aftersales import resume, sla, tickets
from mailroom.jobs import job
from mailroom.runtime import current
from store.base import utcnow
from store.mail import PARSED, Mail, locked

log = logging.getLogger(__name__)


@job("aftersales.open")
def open_ticket(mail_id: int) -> None:
    """Open a ticket for mail `mail_id`, or add it to the ticket whose thread it follows."""
    runtime = current()
    catalog = runtime.catalog()
    with runtime.read() as session:
        mail = session.get(Mail, mail_id)
        if mail is None or mail.stage != PARSED:
            return
        incoming = tickets.read_mail(mail.raw, mail, catalog)
    with runtime.work() as work:
        mail = locked(work.session, mail_id)
        if mail is None or mail.stage != PARSED:
            return
        ticket = tickets.take(runtime, work, mail, incoming)
        log.info("mail %s: ticket %s (%s)", mail.id, ticket.number, ticket.kind)


@job("tickets.sla")
def tickets_sla() -> None:
    """Warn clerks of tickets past their first-response or resolution deadline."""
    runtime = current()
    with runtime.work() as work:
        raised = sla.warn_late(work.session, utcnow())
    if raised:
        log.info("ticket deadlines passed: %s", ", ".join(f"{n} {w}" for n, w in raised))


__all__ = ["open_ticket", "resume", "tickets_sla"]
