"""Replies go out over one SMTP connection per worker thread, kept open between messages."""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from mailroom.errors import SendError
from mailroom.replies.send import SmtpSender
from tests.servers.smtp import SmtpSink


def reply(n: int) -> bytes:
    message = EmailMessage()
    message["From"] = "orders@mailroom.example"
    message["To"] = f"c{n}@customers.example"
    message["Subject"] = f"Re: order {n}"
    message["Message-ID"] = f"<reply-{n}@mailroom.example>"
    message.set_content("Thank you.")
    return message.as_bytes()


def send(sender: SmtpSender, n: int) -> None:
    sender.send(reply(n), "orders@mailroom.example", f"c{n}@customers.example", f"reply-{n}")


def test_several_replies_from_one_thread_share_one_connection(smtp_sink):
    # Given a sender
    sender = SmtpSender(smtp_sink.url)
    try:
        # When it sends three replies
        for n in range(3):
            send(sender, n)
    finally:
        sender.close()

    # Then all three arrived over one connection
    received = smtp_sink.wait_for(3)
    assert len({m.peer for m in received}) == 1


def test_a_connection_the_server_dropped_is_replaced_before_anything_is_sent(
    smtp_sink, monkeypatch
):
    # Given a sender whose connection the server closed while it sat idle
    monkeypatch.setattr(SmtpSender, "IDLE_CHECK_SECONDS", 0.0)
    sender = SmtpSender(smtp_sink.url)
    try:
        send(sender, 1)
        smtp_sink.stop()
        smtp_sink.start()

        # When it sends the next reply
        send(sender, 2)
    finally:
        sender.close()

    # Then that reply goes out over a new connection
    received = smtp_sink.wait_for(2)
    assert [str(m["To"]) for m in received] == ["c1@customers.example", "c2@customers.example"]
    assert received[0].peer != received[1].peer


def test_a_refused_recipient_leaves_the_connection_usable_for_the_next_reply():
    # Given a server that refuses one address
    with SmtpSink(reject_recipients=["c1@customers.example"]) as sink:
        sender = SmtpSender(sink.url)
        try:
            # When a reply to it is refused, and the next reply is sent
            with pytest.raises(SendError) as refused:
                send(sender, 1)
            send(sender, 2)
        finally:
            sender.close()

        # Then the refusal is permanent, and the next reply still went out
        assert not refused.value.transient
        received = sink.wait_for(1)
    assert [str(m["To"]) for m in received] == ["c2@customers.example"]
