"""The sweep: finds work a crash or a lost broker message left behind, and starts it again.

The database is the truth and the broker only a doorbell, so losing a message loses nothing:
every unfinished mail and every due reply is found here and enqueued again. Each actor is
safe to run twice, so enqueuing too often costs time, never a second reply.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from mailroom.aftersales.threads import actor_for
from mailroom.database_broker import DatabaseBroker
from mailroom.pipeline import FILE_DOCUMENTS
from mailroom.processes import gone
from mailroom.runtime import Runtime, Work
from store import documents, holds, outbox
from store.mail import STORED, Mail, stale_mails

log = logging.getLogger(__name__)


@dataclass
class SweepReport:
    mails: int = 0
    replies: int = 0
    resent: int = 0
    half_sent: int = 0
    jobs: int = 0


def sweep(runtime: Runtime, older_than: timedelta) -> SweepReport:
    """Re-enqueue unfinished mails and due replies untouched for `older_than`.

    A reply left `sending` (the process died during the SMTP conversation) may have reached
    the server or not. It is sent again under the same Message-ID, so the customer gets the
    reply, at worst twice as one identical message; only after `outbox.MAX_RESENDS` such
    crashes is it held for a clerk.
    """
    report = SweepReport()
    if isinstance(runtime.broker, DatabaseBroker):
        report.jobs = runtime.broker.release_dead(gone)
    with runtime.work() as work:
        for mail_id, stage, _intent in stale_mails(work.session, older_than):
            name = "mail.received" if stage == STORED else _actor(runtime, work, mail_id)
            work.send_after_commit(runtime.broker.get_actor(name), mail_id)
            report.mails += 1
        for mail_id in documents.stale_pending_mails(work.session, older_than):
            work.send_after_commit(runtime.broker.get_actor(FILE_DOCUMENTS), mail_id)
            report.mails += 1
        for row_id in outbox.due_ids(work.session, untouched_for=older_than):
            work.send_after_commit(runtime.broker.get_actor("outbox.send"), row_id)
            report.replies += 1
        for row in outbox.stuck_sending(work.session, older_than):
            if row.resends < outbox.MAX_RESENDS:
                _resend(runtime, work, row)
                report.resent += 1
            else:
                _hold_half_sent(work, row)
                report.half_sent += 1
    if report.mails or report.replies or report.resent or report.half_sent:
        log.info(
            "sweep: %d mails and %d replies restarted, %d half-sent replies sent again, %d held",
            report.mails,
            report.replies,
            report.resent,
            report.half_sent,
        )
    return report


def _actor(runtime: Runtime, work: Work, mail_id: int) -> str:
    """The actor a parsed mail waits for (its thread's, or its intent's)."""
    mail = work.session.get(Mail, mail_id)
    return actor_for(work.session, runtime.settings.numbering, mail) if mail else "mail.received"


def _resend(runtime: Runtime, work: Work, row: outbox.OutboxMessage) -> None:
    """Send a half-sent reply again as it is: same bytes, same Message-ID."""
    row.status, row.resends, row.next_attempt_at = outbox.PENDING, row.resends + 1, None
    row.last_error = (
        f"sent again (time {row.resends}) under the same Message-ID: the service stopped "
        "during the SMTP conversation"
    )
    work.send_after_commit(runtime.broker.get_actor("outbox.send"), row.id)
    log.warning("reply %s to %s was half-sent; sending it again", row.message_id, row.recipient)


def _hold_half_sent(work: Work, row: outbox.OutboxMessage) -> None:
    """The process died while sending this reply every time: a clerk decides."""
    row.status = outbox.HELD
    message = (
        f"the reply {row.message_id} to {row.recipient} was being sent each of the "
        f"{row.resends + 1} times the service stopped; it may have left, perhaps more than "
        "once. Check the recipient's copy, then resend or discard"
    )
    holds.hold(
        work.session,
        dedupe_key=f"outbox:{row.id}",
        kind="outbox",
        reasons=[holds.reason("half-sent", message)],
        mail_id=row.mail_id,
        message_id=row.message_id,
    )
