"""`jobs.exhausted`: a job out of retries lands in the clerks' queue with its traceback.

Nothing ends in a log line alone: the mail or reply the job was about is marked held, and a
clerk sees which step failed, how often, and why.
"""

from __future__ import annotations

from typing import Any

from mailroom.jobs import EXHAUSTED, job
from mailroom.pipeline import ROUTES
from mailroom.runtime import current
from store import holds
from store.mail import HELD as MAIL_HELD
from store.mail import Mail
from store.outbox import HELD as OUTBOX_HELD
from store.outbox import OutboxMessage


@job(EXHAUSTED, max_retries=3)
def exhausted(message: dict[str, Any], retry_info: dict[str, Any]) -> None:
    """Hold what the failed `message` was working on, with the last traceback."""
    name = str(message.get("actor_name"))
    args = list(message.get("args") or [])
    trace = str((message.get("options") or {}).get("traceback") or "")
    last_line = trace.strip().splitlines()[-1] if trace.strip() else "no traceback"
    tries = int(retry_info.get("retries", 0)) + 1
    with current().work() as work:
        mail_id = _mark_held(work.session, name, args)
        holds.hold(
            work.session,
            dedupe_key=f"job:{message.get('message_id')}",
            kind="job",
            reasons=[holds.reason("job-failed", f"{name} failed {tries} times: {last_line}")],
            mail_id=mail_id,
            ref=f"{name}:{','.join(map(str, args))}"[:64],
            detail=trace,
        )


def _mark_held(session: Any, actor_name: str, args: list[Any]) -> int | None:
    """Mark the mail or outbox row the job was about as held; return the mail's id."""
    if not args or not isinstance(args[0], int):
        return None
    if actor_name == "outbox.send":
        row = session.get(OutboxMessage, args[0])
        if row is not None and row.status != "sent":
            row.status = OUTBOX_HELD
        return row.mail_id if row is not None else None
    if actor_name != "mail.received" and actor_name not in ROUTES.values():
        return None
    mail = session.get(Mail, args[0])
    if mail is None:
        return None
    if mail.stage in ("stored", "parsed"):
        mail.stage = MAIL_HELD
    return int(mail.id)
