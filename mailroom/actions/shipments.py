"""Shipment actors: carrier notices applied, parcels polled, stalled parcels watched.

`shipments.notice` takes a mail id like every mail actor and never replies: carrier mail is
read, applied to the shipment it names, or held for a clerk. The periodic actors take no
arguments. Each is safe to run twice: events are keyed, holds and status emails deduped.
"""

from __future__ import annotations

import logging

from mailroom.jobs import job
from mailroom.logistics import exceptions, refresh, tracking
from mailroom.logistics.notices import read_notice
from mailroom.runtime import current
from store.base import utcnow
from store.mail import PARSED, Mail, locked

log = logging.getLogger(__name__)


@job("shipments.notice")
def shipment_notice(mail_id: int) -> None:
    """Apply the carrier notice in mail `mail_id` to its shipment, or hold the mail."""
    runtime = current()
    with runtime.read() as session:
        mail = session.get(Mail, mail_id)
        if mail is None or mail.stage != PARSED:
            return
        raw = mail.raw
    notice = read_notice(raw)  # outside the write transaction: it is the slow part
    with runtime.work() as work:
        mail = locked(work.session, mail_id)
        if mail is None or mail.stage != PARSED:
            return
        tracking.apply_notice(runtime, work, mail, notice)
        log.info("mail %s: %s", mail.id, mail.outcome)


@job("shipments.watch")
def shipments_watch() -> None:
    """Flag shipments with no scan for too long or past their ETA, once per stall."""
    runtime = current()
    with runtime.work() as work:
        flagged = exceptions.watch(runtime, work, utcnow())
    if flagged:
        log.info("stalled shipments flagged: %s", ", ".join(flagged))


@job("shipments.refresh")
def shipments_refresh() -> None:
    """Poll the carriers' tracking APIs for every shipment not delivered yet."""
    updated = refresh.refresh(current())
    if updated:
        log.info("tracking updated: %s", ", ".join(updated))
