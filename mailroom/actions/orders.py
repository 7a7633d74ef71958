"""Order actors: new orders, changes, status questions, and the periodic overdue check.

Each actor loads the mail by id, leaves it alone unless it is waiting for this step, and
calls the domain code in `mailroom.orders` inside one unit of work: the order, any hold and
the one reply are committed together, and the reply is sent after the commit.
"""

from __future__ import annotations

import logging

from mailroom.jobs import job

# Modules, not names: the order modules import this package's `respond` in turn.
from mailroom.orders import changes, overdue, place, resume, status
from mailroom.respond import answer, hold_mail
from mailroom.runtime import current
from store import holds
from store.base import utcnow
from store.mail import PARSED, locked

log = logging.getLogger(__name__)

__all__ = ["change_order", "check_order", "orders_overdue", "resume", "status_answer"]


@job("orders.check")
def check_order(mail_id: int) -> None:
    """Check the order in mail `mail_id`; a mail correcting a held order releases it."""
    runtime = current()
    with runtime.work() as work:
        mail = locked(work.session, mail_id)
        if mail is None or mail.stage != PARSED:
            return
        held = changes.held_order_for(work.session, mail)
        if held is not None:
            changes.correct(runtime, work, mail, held)
            return
        order = place.place_order(runtime, work, mail, place.request_from_mail(mail))
        log.info("mail %s: order %s is %s", mail.id, order.number, order.status)


@job("orders.change")
def change_order(mail_id: int) -> None:
    """Apply the change or cancellation in mail `mail_id`, or hold it for a clerk."""
    runtime = current()
    with runtime.work() as work:
        mail = locked(work.session, mail_id)
        if mail is None or mail.stage != PARSED:
            return
        order = changes.find_order(work.session, mail)
        if order is None:
            why = "the mail asks to change an order, but no order matches its numbers or thread"
            hold_mail(work, mail, [holds.reason("order-not-found", why)])
            answer(runtime, work, mail, "ack/received")
            return
        changes.change(runtime, work, mail, order)


@job("status.answer")
def status_answer(mail_id: int) -> None:
    """Answer the status question in mail `mail_id` (only to allowed addresses)."""
    runtime = current()
    with runtime.work() as work:
        mail = locked(work.session, mail_id)
        if mail is None or mail.stage != PARSED:
            return
        status.answer_inquiry(runtime, work, mail)


@job("orders.overdue")
def orders_overdue() -> None:
    """Hold orders past their promised date and warn their customers, once each."""
    runtime = current()
    with runtime.work() as work:
        held = overdue.hold_overdue(runtime, work, utcnow().date())
    if held:
        log.info("overdue orders held: %s", ", ".join(held))
