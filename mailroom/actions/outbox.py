"""`outbox.send`: hand one stored reply to the sender, once (twice at most after a crash).

The row goes `pending` → `sending` (committed) → `sent`. A transient failure (server down,
4xx) puts it back to `pending` with a time for the next try; a permanent one (5xx) is held
for a clerk. A row found still `sending` after a crash may or may not have left: the sweep
sends it again under the same Message-ID, so the customer is never left without the reply
and a second copy is the same message (see `store.outbox`).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from mailroom.errors import SendError
from mailroom.jobs import PRIORITY_SEND, job
from mailroom.runtime import current
from store import holds, outbox
from store.base import utcnow
from store.outbox import FAILED, PENDING, OutboxMessage

log = logging.getLogger(__name__)


@job("outbox.send", priority=PRIORITY_SEND)
def outbox_send(outbox_id: int) -> None:
    """Send outbox row `outbox_id` if it is still pending."""
    runtime = current()
    with runtime.work() as work:
        claimed = outbox.claim(work.session, outbox_id)
    if claimed is None:
        return
    raw, recipient, message_id = claimed
    try:
        runtime.sender.send(raw, runtime.settings.from_address, recipient, message_id)
    except SendError as exc:
        _failed(outbox_id, exc)
        return
    with runtime.work() as work:
        outbox.mark_sent(work.session, outbox_id)
    log.info("sent %s to %s via %s", message_id, recipient, runtime.sender.description)


def _failed(outbox_id: int, exc: SendError) -> None:
    runtime = current()
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
