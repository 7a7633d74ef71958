"""The clerks' queue as operations: claim, accept (with corrections), reject, discard, defer.

The web page and `mailroom queue` both call these, so a decision means the same thing
wherever it is made. Accepting resumes the flow: each kind of held item has a resumer
(registered by the area that holds it) that applies the clerk's corrections and carries on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from mailroom.errors import NotFound, QueueError
from mailroom.pipeline import route
from mailroom.runtime import Runtime, Work
from store import holds, outbox
from store.holds import ACCEPTED, DISCARDED, OPEN, REJECTED, HeldItem
from store.mail import DONE, PARSED, STORED, Mail

Resumer = Callable[[Runtime, Work, HeldItem, dict[str, Any], str], None]
RESUMERS: dict[str, Resumer] = {}


def resumer(kind: str) -> Callable[[Resumer], Resumer]:
    """Register the function that carries on with an accepted item of `kind`."""

    def register(fn: Resumer) -> Resumer:
        RESUMERS[kind] = fn
        return fn

    return register


def open_item(session: Session, item_id: int) -> HeldItem:
    """The open item `item_id`.

    Raises:
        NotFound: there is no such item.
        QueueError: it was already decided.
    """
    item = session.get(HeldItem, item_id, with_for_update=True)
    if item is None:
        raise NotFound(f"there is no held item {item_id}")
    if item.status != OPEN:
        raise QueueError(f"item {item_id} is already {item.status} by {item.resolved_by}")
    return item


def claim(runtime: Runtime, item_id: int, clerk: str, *, take_over: bool = False) -> HeldItem:
    """Make `clerk` the one working the item; refuse if another clerk has it, unless told."""
    with runtime.work() as work:
        item = open_item(work.session, item_id)
        if item.assignee and item.assignee != clerk and not take_over:
            raise QueueError(f"item {item_id} is claimed by {item.assignee}")
        previous, item.assignee = item.assignee, clerk
        note = f"taken over from {previous}" if previous and previous != clerk else None
        holds.record(work.session, item, "claimed", clerk, note)
        return item


def release(runtime: Runtime, item_id: int, clerk: str) -> HeldItem:
    with runtime.work() as work:
        item = open_item(work.session, item_id)
        item.assignee = None
        holds.record(work.session, item, "released", clerk)
        return item


def accept(
    runtime: Runtime,
    item_id: int,
    clerk: str,
    corrections: dict[str, Any] | None = None,
    note: str = "",
) -> HeldItem:
    """Accept the item with the clerk's corrections and resume the flow it was held in."""
    with runtime.work() as work:
        item = open_item(work.session, item_id)
        _check_claim(item, clerk)
        RESUMERS.get(item.kind, _resume_mail)(runtime, work, item, corrections or {}, clerk)
        holds.resolve(work.session, item, ACCEPTED, clerk, note or "accepted")
        return item


def reject(runtime: Runtime, item_id: int, clerk: str, reason: str) -> HeldItem:
    """Decide against the item (e.g. refuse an order); the reason is required and kept."""
    if not reason.strip():
        raise QueueError("a rejection needs a reason")
    return _close(runtime, item_id, clerk, REJECTED, reason)


def discard(runtime: Runtime, item_id: int, clerk: str, reason: str = "") -> HeldItem:
    """Drop the item: nothing more is to be done (spam, duplicate, handled elsewhere)."""
    return _close(runtime, item_id, clerk, DISCARDED, reason or "discarded")


def defer(runtime: Runtime, item_id: int, clerk: str, note: str = "") -> HeldItem:
    """Leave the item open for later and free it for other clerks."""
    with runtime.work() as work:
        item = open_item(work.session, item_id)
        item.assignee = None
        holds.record(work.session, item, "deferred", clerk, note or None)
        return item


def reply(
    runtime: Runtime, item_id: int, clerk: str, subject: str, text: str, token: str
) -> HeldItem:
    """Send the clerk's reply to the customer whose mail is held; the item stays open.

    `token` comes from the form (or the command): the same token twice sends one reply.

    Raises:
        NotFound, QueueError: no such open item, claimed by another clerk, no mail to answer.
    """
    from mailroom.replies.clerk import reply_key, write_reply

    with runtime.work() as work:
        item = open_item(work.session, item_id)
        _check_claim(item, clerk)
        mail = work.session.get(Mail, item.mail_id) if item.mail_id else None
        if mail is None:
            raise QueueError(f"item {item_id} has no mail to reply to")
        row = write_reply(runtime, work, mail, reply_key(item.id, token), subject, text)
        if row is not None:
            holds.record(work.session, item, "replied", clerk, f"{row.recipient}: {subject}")
            if item.kind == "ticket":  # the answer is the ticket's first response too
                from mailroom.aftersales.handling import answered_from_queue

                answered_from_queue(work.session, item.ref or "", clerk, text, row.id)
        return item


def _close(runtime: Runtime, item_id: int, clerk: str, status: str, reason: str) -> HeldItem:
    with runtime.work() as work:
        item = open_item(work.session, item_id)
        _check_claim(item, clerk)
        if item.kind == "outbox":
            _drop_reply(work.session, item)
        _finish_mail(work.session, item)
        holds.resolve(work.session, item, status, clerk, reason)
        return item


def _check_claim(item: HeldItem, clerk: str) -> None:
    if item.assignee and item.assignee != clerk:
        raise QueueError(f"item {item.id} is claimed by {item.assignee}")


def _finish_mail(session: Session, item: HeldItem) -> None:
    mail = session.get(Mail, item.mail_id) if item.mail_id else None
    if mail is not None and mail.stage not in (DONE,):
        mail.stage = DONE
        mail.outcome = mail.outcome or "decided by a clerk"


def _drop_reply(session: Session, item: HeldItem) -> None:
    row = _reply_of(session, item)
    if row is not None and row.status != outbox.SENT:
        row.status = outbox.FAILED


def _reply_of(session: Session, item: HeldItem) -> outbox.OutboxMessage | None:
    key = item.dedupe_key
    if not key.startswith("outbox:"):
        return None
    return session.get(outbox.OutboxMessage, int(key.split(":", 1)[1]))


@resumer("outbox")
def _resume_outbox(
    runtime: Runtime, work: Work, item: HeldItem, corrections: dict[str, Any], clerk: str
) -> None:
    """Accepting a held reply sends it (again): the clerk checked it had not arrived."""
    from mailroom.actions.outbox import outbox_send

    row = _reply_of(work.session, item)
    if row is None or row.status == outbox.SENT:
        return
    row.status, row.next_attempt_at, row.last_error = outbox.PENDING, None, None
    work.send_after_commit(outbox_send, row.id)


@resumer("job")
def _resume_job(
    runtime: Runtime, work: Work, item: HeldItem, corrections: dict[str, Any], clerk: str
) -> None:
    """Accepting a failed job runs its mail through intake again (the cause was fixed)."""
    from mailroom.actions.intake import mail_received

    mail = work.session.get(Mail, item.mail_id) if item.mail_id else None
    if mail is not None:
        mail.stage = STORED
        work.send_after_commit(mail_received, mail.id)


def _resume_mail(
    runtime: Runtime, work: Work, item: HeldItem, corrections: dict[str, Any], clerk: str
) -> None:
    """Accepting a held mail: with a corrected intent it is routed again, else it is done."""
    mail = work.session.get(Mail, item.mail_id) if item.mail_id else None
    if mail is None:
        return
    if corrections:
        mail.parsed = {**(mail.parsed or {}), **corrections, "corrected_by": clerk}
        mail.intent = str(corrections.get("intent") or mail.intent)
        mail.customer_id = corrections.get("customer_id", mail.customer_id)
        mail.stage = PARSED
        work.send_after_commit(runtime.broker.get_actor(route(mail.intent)), mail.id)
        return
    mail.stage, mail.outcome = DONE, mail.outcome or "accepted by a clerk"
