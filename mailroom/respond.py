"""Answering a mail: the one reply per mail, written to the outbox with the state change.

Every domain actor answers through `answer()`, which enforces the lasting rules: one
automatic reply per mail (a unique key), a cap per sender per period (RFC 3834), threading.
Later news (a reminder, a quote a clerk released) goes through `notify()`, once per key.
"""

from __future__ import annotations

from datetime import timedelta
from functools import partial
from typing import Any

from dramatiq.middleware import CurrentMessage

from mailroom.delivery import deliver
from mailroom.replies.compose import (
    Document,
    Thread,
    compose,
    new_message_id,
    reply_subject_prefix,
)
from mailroom.replies.render import Rendered, render, reply_language
from mailroom.runtime import Runtime, Work
from mailroom.settings import Settings
from store import holds, outbox
from store.catalog import Customer
from store.mail import HELD, Mail


def reply_key(mail: Mail) -> str:
    return f"reply:mail:{mail.id}"


def answer(
    runtime: Runtime,
    work: Work,
    mail: Mail,
    purpose: str,
    *,
    context: dict[str, Any] | None = None,
    documents: tuple[Document, ...] = (),
) -> outbox.OutboxMessage | None:
    """Write the reply to `mail` into the outbox and send it after the commit.

    Returns:
        The outbox row, or None when the mail was answered already or the sender is over the
        reply cap (then the mail is held for a clerk with that reason).
    """
    settings = runtime.settings
    recipient = (mail.sender or "").lower()
    period = timedelta(hours=settings.reply_cap_hours)
    # Outbox rows are inserted as they are added (`outbox.add`), so these two looks need not
    # flush the step's other pending changes first; they go out once, with the reply.
    with work.session.no_autoflush:
        if outbox.exists(work.session, reply_key(mail)):
            return None
        sent_lately = outbox.recent_count(work.session, recipient, period)
    if sent_lately >= settings.reply_cap:
        message = (
            f"{recipient} already had {settings.reply_cap} automatic replies in the last "
            f"{settings.reply_cap_hours:g} hours; answer by hand"
        )
        hold_mail(work, mail, [holds.reason("reply-cap", message)])
        return None
    return _write(
        runtime, work, mail, reply_key(mail), purpose, recipient, None, context, documents
    )


def notify(
    runtime: Runtime,
    work: Work,
    *,
    key: str,
    purpose: str,
    recipient: str,
    mail: Mail,
    thread: Thread | None = None,
    context: dict[str, Any] | None = None,
    documents: tuple[Document, ...] = (),
) -> outbox.OutboxMessage | None:
    """Write a status email (later news, not the answer to a mail) into the outbox, once.

    Status emails are not replies to what just arrived, so the per-sender reply cap does not
    apply; `key` (e.g. `quote:Q-2026-00042:reminder`) makes a second one for the same news
    impossible.

    Args:
        key: the outbox dedupe key naming the news.
        purpose: the template, e.g. `quote/reminder`.
        recipient: the address to write to (one the customer record allows).
        mail: the mail the news is about; its customer and language choose the language,
            and it gives the template its reference and subject.
        thread: what the email follows in the customer's thread; by default the mail itself.
        context: values for the template.
        documents: files to attach.

    Returns:
        The outbox row, or None when that news was written already.
    """
    if outbox.exists(work.session, key):
        return None
    return _write(runtime, work, mail, key, purpose, recipient, thread, context, documents)


def _write(
    runtime: Runtime,
    work: Work,
    mail: Mail,
    key: str,
    purpose: str,
    recipient: str,
    thread: Thread | None,
    context: dict[str, Any] | None,
    documents: tuple[Document, ...],
) -> outbox.OutboxMessage:
    """Render one message in the customer's language and put it in the outbox."""
    customer = work.session.get(Customer, mail.customer_id) if mail.customer_id else None
    language = reply_language(customer.language if customer else None, mail.language)
    rendered = render(
        purpose, language, **_common(runtime, mail, customer, language), **(context or {})
    )
    return put_in_outbox(
        runtime,
        work,
        rendered,
        mail=mail,
        key=key,
        purpose=purpose,
        recipient=recipient.lower(),
        thread=thread,
        documents=documents,
    )


def put_in_outbox(
    runtime: Runtime,
    work: Work,
    rendered: Rendered,
    *,
    mail: Mail,
    key: str,
    purpose: str,
    recipient: str,
    thread: Thread | None = None,
    documents: tuple[Document, ...] = (),
    automatic: bool = True,
) -> outbox.OutboxMessage:
    """Compose `rendered`, store it in the outbox under `key`, and send it after the commit.

    Inside a job the row is stored `sending` and this thread sends it as soon as the
    transaction committed: no send job to enqueue, claim and finish, and the reply leaves
    before the worker takes its next mail. Elsewhere (the clerks' web page) it is stored
    `pending` for the `outbox.send` job, so a page never waits on SMTP.

    Args:
        mail: the mail the message is about.
        recipient: the address to write to, as stored.
        thread: what the message follows in the customer's thread; by default `mail` itself.
        automatic: False for a reply a clerk wrote (it goes without `Auto-Submitted`).

    Returns:
        The new outbox row.
    """
    thread = thread or Thread(mail.message_id, tuple((mail.parsed or {}).get("references", ())))
    message_id, raw = composed(runtime.settings, rendered, recipient, thread, documents, automatic)
    return store_and_send(
        runtime,
        work,
        outbox.OutboxMessage(
            dedupe_key=key,
            mail_id=mail.id,
            purpose=purpose,
            recipient=recipient,
            message_id=message_id,
            raw=raw,
        ),
    )


def store_and_send(runtime: Runtime, work: Work, row: outbox.OutboxMessage) -> outbox.OutboxMessage:
    """Add the composed message `row` to the outbox and have it sent after the commit.

    Inside a job it is stored `sending` and this thread sends it (see `put_in_outbox`);
    elsewhere it is stored `pending` for the `outbox.send` job.
    """
    in_job = CurrentMessage.get_current_message() is not None
    row.status, row.attempts = (outbox.SENDING, 1) if in_job else (outbox.PENDING, 0)
    outbox.add(work.session, row)
    if in_job:
        raw, recipient, message_id = row.raw, row.recipient, row.message_id
        work.call_after_commit(partial(deliver, runtime, row.id, raw, recipient, message_id))
    else:
        work.send_after_commit(runtime.broker.get_actor("outbox.send"), row.id)
    return row


def composed(
    settings: Settings,
    rendered: Rendered,
    recipient: str,
    thread: Thread,
    documents: tuple[Document, ...],
    automatic: bool,
) -> tuple[str, bytes]:
    """A new Message-ID in our domain, and the message from us composed under it."""
    message_id = new_message_id(settings.mail_domain)
    raw = compose(
        rendered,
        sender=settings.from_address,
        sender_name=settings.company_name,
        recipient=recipient,
        message_id=message_id,
        thread=thread,
        documents=documents,
        automatic=automatic,
    )
    return message_id, raw


def hold_mail(work: Work, mail: Mail, reasons: list[dict[str, str]]) -> holds.HeldItem:
    """Put `mail` in the clerks' queue with `reasons` (added to any already there)."""
    mail.stage = HELD
    return holds.hold(
        work.session,
        dedupe_key=f"mail:{mail.id}",
        kind="mail",
        reasons=reasons,
        mail_id=mail.id,
        customer_id=mail.customer_id,
        message_id=mail.message_id,
    )


def _common(
    runtime: Runtime, mail: Mail, customer: Customer | None, language: str
) -> dict[str, Any]:
    fallback = "客户" if language == "zh" else "Customer"
    return {
        "reference": mail.reference,
        "company_name": runtime.settings.company_name,
        "greeting_name": customer.name if customer else fallback,
        "original_subject": mail.subject,
        "subject_prefix": reply_subject_prefix(mail.subject, language),
    }
