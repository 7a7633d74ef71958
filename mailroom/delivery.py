"""Handing one stored reply to SMTP and recording how it went.

A reply is in the outbox, `sending`, before this runs (see `store.outbox`): a crash during
the SMTP conversation leaves it `sending`, and the sweep sends it again under the same
Message-ID. Two ways lead here. A job that answered a mail sends its reply itself, right
after the transaction that stored it committed (`mailroom.respond.put_in_outbox`): one job
and one transaction fewer per mail than a separate send job. Everything else (a clerk's reply
from the web page, a retry after a transient failure, a resend after a crash) goes through
the `outbox.send` job, which claims the row first.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from mailroom.errors import SendError
from mailroom.runtime import Runtime
from store import holds, outbox
from store.base import utcnow
from store.outbox import FAILED, PENDING, OutboxMessage

log = logging.getLogger(__name__)


def deliver(runtime: Runtime, outbox_id: int, raw: bytes, recipient: str, message_id: str) -> None:
    """Send the `sending` outbox row `outbox_id` and mark it sent, waiting or refused."""
    try:
        runtime.sender.send(raw, runtime.settings.from_address, recipient, message_id)
    except SendError as exc:
        _failed(runtime, outbox_id, exc)
        return
    with runtime.write() as connection:
        outbox.mark_sent(connection, outbox_id)
    log.info("sent %s to %s via %s", message_id, recipient, runtime.sender.description)


def _failed(runtime: Runtime, outbox_id: int, exc: SendError) -> None:
    """A transient failure (server down, 4xx) waits for a retry; a permanent one is held."""
    with runtime.work() as work:
        row = work.session.get(OutboxMessage, outbox_id, with_for_update=True)
        if row is None:
            return
        row.last_error = str(exc)
        if exc.transient:
            row.status = PENDING
            row.next_attempt_at = utcnow() + timedelta(seconds=runtime.settings.smtp_retry_seconds)
            log.warning("reply %s waits: %s", row.message_id, exc)
            return
        row.status = FAILED
        holds.hold(
            work.session,
            dedupe_key=f"outbox:{row.id}",
            kind="outbox",
            reasons=[holds.reason("send-refused", str(exc))],
            mail_id=row.mail_id,
            message_id=row.message_id,
        )
        log.error("reply %s refused for good: %s", row.message_id, exc)
