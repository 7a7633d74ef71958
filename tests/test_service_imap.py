"""The backbone against a real Dovecot and a real SMTP sink: fetched, stored, answered once."""

from __future__ import annotations

from email import message_from_bytes, policy

from sqlalchemy import func, select

from store.holds import HeldItem
from store.mail import Mail, MailboxState
from store.outbox import OutboxMessage
from tests.support import mail, query, run_once, running_service, service_runtime, wait_until


def _recipients(sink) -> list[str]:
    return sorted(str(m["To"]) for m in sink.messages)


def test_every_new_mail_gets_exactly_one_threaded_reply(dovecot, smtp_sink, database_url, tmp_path):
    # Given two customer mails, one in English and one in Chinese
    english = mail("laura@northwind.example", "Shipping", "Hello, do you ship to Norway? Laura")
    chinese = mail("wang@huaxin.example", "咨询", "您好，请问贵司的螺栓有不锈钢材质的吗？谢谢！")
    dovecot.deliver_many([english, chinese])

    # When the service runs once
    summary = run_once(
        tmp_path, imap_url=dovecot.url(), smtp_url=smtp_sink.url, database_url=database_url
    )

    # Then each sender got one reply, threaded, marked automatic, in the mail's language
    assert (summary.fetched, summary.answered, summary.sent) == (2, 2, 2)
    assert _recipients(smtp_sink) == ["laura@northwind.example", "wang@huaxin.example"]
    by_to = {str(m["To"]): m for m in smtp_sink.messages}
    reply = by_to["wang@huaxin.example"]
    original_id = message_from_bytes(chinese, policy=policy.default)["Message-ID"]
    assert reply["In-Reply-To"] == original_id
    assert reply["Auto-Submitted"] == "auto-replied"
    assert reply["Message-ID"].endswith("@mailroom.example>")
    assert "已收到" in reply.get_body(("plain",)).get_content()
    assert "received" in by_to["laura@northwind.example"].get_body(("plain",)).get_content()


def test_a_second_fetch_of_the_same_mails_stores_and_sends_nothing(dovecot, smtp_sink, tmp_path):
    # Given a mail that was fetched and answered
    dovecot.deliver(mail())
    settings = {"imap_url": dovecot.url(), "smtp_url": smtp_sink.url}
    run_once(tmp_path, **settings)

    # When the service runs again
    again = run_once(tmp_path, **settings)

    # Then nothing new is stored or sent
    assert again.fetched == 0
    assert len(smtp_sink.messages) == 1


def test_mail_is_marked_with_a_keyword_after_its_work_and_never_set_seen(
    dovecot, smtp_sink, tmp_path
):
    # Given a mail in the inbox
    uid = dovecot.deliver(mail())

    # When the service has answered it
    run_once(tmp_path, imap_url=dovecot.url(), smtp_url=smtp_sink.url)

    # Then it carries our keyword and is still unread for the people sharing the mailbox
    flags = dovecot.flags(uid)
    assert "$MailroomDone" in flags
    assert "\\Seen" not in flags


def test_done_mail_can_be_moved_to_a_folder_instead(dovecot, smtp_sink, tmp_path):
    # Given the move action
    dovecot.deliver(mail())

    # When the service has answered the mail
    run_once(
        tmp_path,
        imap_url=dovecot.url(),
        smtp_url=smtp_sink.url,
        imap_done_action="move",
        imap_done_folder="Processed",
    )

    # Then the mail left the inbox for the folder
    assert dovecot.message_count("INBOX") == 0
    assert dovecot.message_count("Processed") == 1


def test_smtp_down_then_back_delivers_the_reply_exactly_once(dovecot, smtp_sink, tmp_path):
    # Given the SMTP server is down when a mail is worked
    dovecot.deliver(mail())
    settings = {"imap_url": dovecot.url(), "smtp_url": smtp_sink.url}
    smtp_sink.stop()
    first = run_once(tmp_path, **settings)
    assert (first.answered, first.sent, first.waiting) == (1, 0, 1)

    # When it is back and the service runs again, twice
    smtp_sink.start()
    second = run_once(tmp_path, **settings)
    third = run_once(tmp_path, **settings)

    # Then the reply arrived once
    assert (second.sent, second.waiting, third.sent) == (1, 0, 0)
    assert len(smtp_sink.messages) == 1


def test_a_permanent_smtp_refusal_lands_in_the_clerks_queue(dovecot, smtp_sink, tmp_path):
    # Given an SMTP server that refuses the recipient for good
    smtp_sink.reject_recipients.add("laura@northwind.example")
    dovecot.deliver(mail("laura@northwind.example"))

    # When the service runs
    with running_service(tmp_path, imap_url=dovecot.url(), smtp_url=smtp_sink.url) as runtime:
        # Then the reply is held for a clerk with the server's answer
        item = wait_until(
            lambda: query(
                runtime, lambda s: s.scalar(select(HeldItem).where(HeldItem.kind == "outbox"))
            ),
            what="a held reply",
        )
    assert item.reasons[0]["rule"] == "send-refused"
    assert "550" in item.reasons[0]["message"]


def test_a_uidvalidity_change_loses_nothing_and_doubles_nothing(dovecot, smtp_sink, tmp_path):
    # Given three mails fetched and answered
    dovecot.deliver_many([mail(subject=f"PO-{n}") for n in range(3)])
    settings = {"imap_url": dovecot.url(), "smtp_url": smtp_sink.url}
    run_once(tmp_path, **settings)

    # When the server renumbers the folder and a fourth mail arrives
    dovecot.reset_uidvalidity()
    dovecot.deliver(mail(subject="PO-3"))
    summary = run_once(tmp_path, **settings)

    # Then only the new mail was stored and answered; the old ones are marked where they now are
    assert summary.fetched == 1
    assert len(smtp_sink.messages) == 4
    assert all("$MailroomDone" in dovecot.flags(uid) for uid in range(1, 5))


def test_the_same_mail_twice_in_one_fetch_is_stored_and_answered_once(
    dovecot, smtp_sink, database_url, tmp_path
):
    # Given a mail delivered twice (a list expanding to us twice, say) beside another one
    twice = mail("laura@northwind.example", "Question", "Do you ship to Norway? Laura")
    dovecot.deliver_many([twice, mail("wang@huaxin.example", "PO-1"), twice])

    # When the service fetches all three in one batch
    summary = run_once(
        tmp_path, imap_url=dovecot.url(), smtp_url=smtp_sink.url, database_url=database_url
    )

    # Then two mails are in the ledger, each answered once
    assert (summary.fetched, summary.sent) == (2, 2)
    assert _recipients(smtp_sink) == ["laura@northwind.example", "wang@huaxin.example"]


def test_a_connection_dropped_mid_fetch_still_brings_every_mail_once(dovecot, smtp_sink, tmp_path):
    # Given many mails, fetched in small batches
    count = 120
    dovecot.deliver_many([mail(f"c{n}@customers.example", f"PO-{n}") for n in range(count)])
    settings = {"imap_url": dovecot.url(), "smtp_url": smtp_sink.url, "imap_batch_size": 10}

    with running_service(tmp_path, **settings) as runtime:
        # When every connection is dropped while the service is fetching
        wait_until(
            lambda: query(runtime, lambda s: s.scalar(select(func.count(Mail.id)))),
            what="the first stored mail",
        )
        assert dovecot.kill_connections() >= 1
        # Then every mail is still answered exactly once
        smtp_sink.wait_for(count, timeout=60)
        stored = query(runtime, lambda s: s.scalar(select(func.count(Mail.id))))
        replies = query(runtime, lambda s: s.scalar(select(func.count(OutboxMessage.id))))
    assert stored == replies == count
    assert len(set(_recipients(smtp_sink))) == count == len(smtp_sink.messages)


def test_idle_brings_a_new_mail_in_about_a_second(dovecot, smtp_sink, tmp_path):
    # Given the service running and idle on an empty inbox
    with running_service(
        tmp_path, imap_url=dovecot.url(), smtp_url=smtp_sink.url, imap_poll_seconds=300
    ) as runtime:
        wait_until(
            lambda: query(runtime, lambda s: s.scalar(select(MailboxState.last_fetch_at))),
            what="the first fetch",
        )
        # When a mail arrives long before the next poll would be due
        dovecot.deliver(mail())
        # Then IDLE brings it in and the reply goes out well within the poll interval
        smtp_sink.wait_for(1, timeout=15)


def test_a_server_restart_is_ridden_out_and_later_mail_still_answered(dovecot, smtp_sink, tmp_path):
    # Given the service running and one mail answered
    dovecot.deliver(mail("first@customers.example"))
    with running_service(
        tmp_path, imap_url=dovecot.url(), smtp_url=smtp_sink.url, imap_poll_seconds=1
    ) as runtime:
        smtp_sink.wait_for(1, timeout=20)
        # When the IMAP server restarts and then a new mail arrives
        dovecot.restart()
        dovecot.deliver(mail("second@customers.example"))
        # Then the service reconnects and answers it, once
        smtp_sink.wait_for(2, timeout=30)
        replies = query(runtime, lambda s: s.scalar(select(func.count(OutboxMessage.id))))
    assert replies == 2
    assert sorted(_recipients(smtp_sink)) == ["first@customers.example", "second@customers.example"]


def test_a_mail_over_the_size_limit_is_kept_by_its_headers_and_held_with_the_reason(
    dovecot, smtp_sink, tmp_path
):
    # Given a mail far larger than the configured limit (a giant attachment)
    giant = mail("big@customers.example", "Drawings", "See attached. " + "x" * 400_000)
    dovecot.deliver(giant)

    # When the service runs with a 100 kB limit
    summary = run_once(
        tmp_path, imap_url=dovecot.url(), smtp_url=smtp_sink.url, max_mail_bytes=100_000
    )

    # Then its headers are stored, the sender is acknowledged, and a clerk sees why
    assert (summary.fetched, summary.sent, summary.held) == (1, 1, 1)
    with service_runtime(tmp_path, imap_url=dovecot.url()) as runtime:
        stored = query(runtime, lambda s: s.scalar(select(Mail)))
        item = query(runtime, lambda s: s.scalar(select(HeldItem)))
        assert stored.size < 100_000
    assert "over the 100,000-byte limit" in item.reasons[0]["message"]
    assert dovecot.message_count() == 1  # the full mail stays on the server
