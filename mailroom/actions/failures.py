"""`jobs.exhausted`: a job out of retries lands in the clerks' queue with its traceback.

Nothing ends in a log line alone: the mail or reply the job was about is marked held, and a
clerk sees which step failed, how often, and why. A person whose mail broke a step still gets
the acknowledgement every person gets (never silence), unless the reply itself is what fails.
"""

from __future__ import annotations

import email.policy
import logging
from email.parser import BytesHeaderParser
from typing import Any

from mailroom.jobs import EXHAUSTED, job
from mailroom.parsers.decode import address
from mailroom.parsers.result import ParseResult
from mailroom.pipeline import FILE_DOCUMENTS, ROUTES
from mailroom.replies.safety import why_no_reply
from mailroom.respond import answer
from mailroom.runtime import Runtime, Work, current
from store import documents, holds
from store.mail import HELD as MAIL_HELD
from store.mail import Mail
from store.outbox import HELD as OUTBOX_HELD
from store.outbox import OutboxMessage

log = logging.getLogger(__name__)


@job(EXHAUSTED, max_retries=3)
def exhausted(message: dict[str, Any], retry_info: dict[str, Any]) -> None:
    """Hold what the failed `message` was working on, with the last traceback."""
    name = str(message.get("actor_name"))
    args = list(message.get("args") or [])
    trace = str((message.get("options") or {}).get("traceback") or "")
    last_line = trace.strip().splitlines()[-1] if trace.strip() else "no traceback"
    tries = int(retry_info.get("retries", 0)) + 1
    runtime = current()
    with runtime.work() as work:
        mail = _mark_held(work.session, name, args)
        mail_id = mail.id if mail is not None else None
        holds.hold(
            work.session,
            dedupe_key=f"job:{message.get('message_id')}",
            kind="job",
            reasons=[holds.reason("job-failed", f"{name} failed {tries} times: {last_line}")],
            mail_id=mail_id,
            ref=f"{name}:{','.join(map(str, args))}"[:64],
            detail=trace,
        )
        if mail is not None:
            _acknowledge(runtime, work, mail)


def _acknowledge(runtime: Runtime, work: Work, mail: Mail) -> None:
    """Send the person the acknowledgement, in a savepoint: if that fails too, hold is enough."""
    raw = mail.raw
    headers = BytesHeaderParser(policy=email.policy.compat32).parsebytes(raw)
    result = ParseResult(
        sender=mail.sender or address(str(headers.get("From", "") or "")),
        intent=mail.intent or "other",
        message_id=mail.message_id or str(headers.get("Message-ID", "")).strip("<> ") or None,
    )
    settings = runtime.settings
    if why_no_reply(raw, result, settings.from_address, settings.mail_domain):
        return
    mail.sender, mail.message_id = result.sender, result.message_id
    mail.subject = mail.subject or str(headers.get("Subject", "") or "") or None
    try:
        with work.session.begin_nested():
            answer(runtime, work, mail, "ack/received")
    except Exception:
        log.exception("could not acknowledge mail %s after its job failed", mail.id)


def _mark_held(session: Any, actor_name: str, args: list[Any]) -> Mail | None:
    """Mark the mail or outbox row the job was about as held; return the mail it is about."""
    if not args or not isinstance(args[0], int):
        return None
    if actor_name == "outbox.send":
        row = session.get(OutboxMessage, args[0])
        if row is not None and row.status != "sent":
            row.status = OUTBOX_HELD
        return None
    if actor_name == FILE_DOCUMENTS:  # the mail was answered; its documents wait for a clerk
        for document in documents.pending_of_mail(session, args[0]):
            document.state = documents.FAILED
        return None
    if actor_name != "mail.received" and actor_name not in ROUTES.values():
        return None
    mail = session.get(Mail, args[0])
    if mail is None:
        return None
    if mail.stage in ("stored", "parsed"):
        mail.stage = MAIL_HELD
    return mail
