"""A bounce of a reply we sent reaches a clerk; other bounces are only recorded."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

from sqlalchemy import select

from mailroom.parsers.decode import decode
from store.holds import HeldItem
from store.mail import DONE, HELD, Mail
from store.outbox import OutboxMessage
from tests.support import mail, query, run_once, service_runtime


def delivery_report(message_id: str, recipient: str, *, action: str = "failed") -> bytes:
    """A DSN as Postfix writes one (RFC 3464): the explanation, the report, the headers."""
    return f"""\
From: MAILER-DAEMON@mx.customers.example (Mail Delivery System)
To: orders@mailroom.example
Subject: Undelivered Mail Returned to Sender
Message-ID: <dsn.{action}.{message_id}>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="b1"

--b1
Content-Type: text/plain

I'm sorry to have to inform you that your message could not be delivered.

--b1
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.customers.example

Final-Recipient: rfc822; {recipient}
Action: {action}
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 <{recipient}>: Recipient address rejected

--b1
Content-Type: text/rfc822-headers

From: orders@mailroom.example
To: {recipient}
Message-ID: <{message_id}>
Subject: Re: A question about your catalogue

--b1--
""".encode()


def _box(tmp_path: Path, *raws: bytes) -> Path:
    box = tmp_path / "maildir"
    (box / "new").mkdir(parents=True, exist_ok=True)
    for raw in raws:
        count = len(list((box / "new").iterdir())) + len(list((box / "cur").glob("*")))
        (box / "new" / f"{count:04d}.eml").write_bytes(raw)
    return box


def _answered_once(tmp_path: Path) -> tuple[Path, OutboxMessage]:
    box = _box(tmp_path, mail("laura@northwind.example"))
    assert run_once(tmp_path, maildir=str(box)).sent == 1
    with service_runtime(tmp_path, maildir=str(box)) as runtime:
        reply = query(runtime, lambda s: s.scalar(select(OutboxMessage)))
    return box, reply


def test_a_bounce_of_our_reply_is_held_for_a_clerk_with_what_was_lost(tmp_path):
    # Given a reply we sent to Laura, and then the customer's server returning it
    box, reply = _answered_once(tmp_path)
    _box(tmp_path, delivery_report(reply.message_id, "laura@northwind.example"))

    # When the service reads the bounce
    summary = run_once(tmp_path, maildir=str(box))

    # Then it is not answered, but it waits for a clerk with the recipient and the reason
    assert (summary.sent, summary.held) == (0, 1)
    with service_runtime(tmp_path, maildir=str(box)) as runtime:
        item = query(runtime, lambda s: s.scalar(select(HeldItem)))
        bounce = query(runtime, lambda s: s.get(Mail, item.mail_id))
        row = query(runtime, lambda s: s.get(OutboxMessage, reply.id))
    assert item.reasons[0]["rule"] == "bounced"
    message = item.reasons[0]["message"]
    assert "ack/received to laura@northwind.example" in message and "5.1.1" in message
    assert bounce.stage == HELD and bounce.intent == "bounce"
    # And the reply itself says it came back
    assert row.last_error is not None and row.last_error.startswith("bounced: 5.1.1")


def test_a_bounce_of_mail_we_never_sent_is_only_recorded(tmp_path):
    # Given a bounce of a message that is not ours (spam that forged our address)
    box = _box(tmp_path, delivery_report("spam.1@elsewhere.example", "x@nowhere.example"))

    # When the service reads it
    summary = run_once(tmp_path, maildir=str(box))

    # Then it is recorded, with no reply and nothing for a clerk
    assert (summary.recorded, summary.held, summary.sent) == (1, 0, 0)
    with service_runtime(tmp_path, maildir=str(box)) as runtime:
        assert query(runtime, lambda s: s.scalar(select(HeldItem))) is None
        assert query(runtime, lambda s: s.scalar(select(Mail.stage))) == DONE


def test_a_delay_warning_for_our_reply_is_only_recorded(tmp_path):
    # Given our reply, and a server saying it is still trying to deliver it
    box, reply = _answered_once(tmp_path)
    _box(tmp_path, delivery_report(reply.message_id, "laura@northwind.example", action="delayed"))

    # When the service reads the warning
    summary = run_once(tmp_path, maildir=str(box))

    # Then nobody is bothered yet: a failure would follow
    assert (summary.recorded, summary.held) == (1, 0)


def test_a_plain_text_bounce_names_the_message_it_quotes():
    # Given a bounce written as plain text (Exim), quoting the returned message's headers
    bounce = EmailMessage()
    bounce["From"] = "Mail Delivery System <Mailer-Daemon@relay.example>"
    bounce["To"] = "orders@mailroom.example"
    bounce["Subject"] = "Mail delivery failed: returning message to sender"
    bounce.set_content(
        "This message was created automatically by mail delivery software.\n\n"
        "A message that you sent could not be delivered to one or more of its recipients.\n\n"
        "  buyer@typo-domain.example\n    Unrouteable address\n\n"
        "------ This is a copy of the message, including all the headers. ------\n\n"
        "From: orders@mailroom.example\nTo: buyer@typo-domain.example\n"
        "Subject: Order confirmation SO-2026-00140\nMessage-ID: <conf.140@mailroom.example>\n\n"
        "We confirm your order.\n"
    )

    # When it is decoded
    returned = decode(bounce.as_bytes()).returned

    # Then the returned message is known by its Message-ID, subject and recipient
    assert returned is not None
    assert returned.message_id == "conf.140@mailroom.example"
    assert returned.subject == "Order confirmation SO-2026-00140"
    assert returned.recipient == "buyer@typo-domain.example"


def test_a_delivery_report_gives_the_failure_of_the_first_failed_recipient():
    raw = delivery_report("r.1@mailroom.example", "a@customers.example")
    returned = decode(raw).returned
    assert returned is not None
    assert (returned.action, returned.status, returned.recipient) == (
        "failed",
        "5.1.1",
        "a@customers.example",
    )
    assert returned.diagnostic == "550 5.1.1 <a@customers.example>: Recipient address rejected"
