"""`outbox.send`: hand one stored, pending reply to the sender (twice at most after a crash).

The row goes `pending` → `sending` (committed) → `sent`; `mailroom.delivery` does the
sending and records a failure. Replies a job wrote while answering a mail skip this job: they
are stored `sending` and sent by that job at once (`mailroom.respond.put_in_outbox`).
"""

from __future__ import annotations

from mailroom.delivery import deliver
from mailroom.jobs import PRIORITY_SEND, job
from mailroom.runtime import current
from store import outbox


@job("outbox.send", priority=PRIORITY_SEND)
def outbox_send(outbox_id: int) -> None:
    """Send outbox row `outbox_id` if it is still pending."""
    runtime = current()
    with runtime.work() as work:
        claimed = outbox.claim(work.session, outbox_id)
    if claimed is not None:
        raw, recipient, message_id = claimed
        deliver(runtime, outbox_id, raw, recipient, message_id)
