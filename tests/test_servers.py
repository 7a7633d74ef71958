"""Self-tests of the real-server fixtures: each one really serves what the suite relies on."""

from __future__ import annotations

import imaplib
import smtplib
import time
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pika
import pika.exceptions
import pytest
import redis
from imapclient import IMAPClient
from imapclient.exceptions import LoginError
from sqlalchemy import inspect, text

from store.db import make_engine
from tests.servers import processes
from tests.servers.brokers import rabbitmq_namespace, redis_namespace
from tests.servers.databases import database_exists, fresh_postgres_database
from tests.servers.dovecot import DovecotServer
from tests.servers.smtp import SmtpSink


def _mail(subject: str, body: str = "Hello.\r\n") -> bytes:
    return (
        f"From: buyer@example.com\r\nTo: orders@example.com\r\nSubject: {subject}\r\n"
        f"Message-ID: <{subject.replace(' ', '.')}@example.com>\r\n\r\n{body}"
    ).encode()


# -- Dovecot ---------------------------------------------------------------------------------


def test_a_delivered_mail_comes_back_byte_for_byte_over_imap(dovecot: DovecotServer) -> None:
    # Given an empty mailbox of the test's own
    assert dovecot.message_count() == 0
    raw = _mail("PO 4711")

    # When a mail is delivered and fetched by its UID
    uid = dovecot.deliver(raw)
    with dovecot.client() as imap:
        imap.select_folder("INBOX", readonly=True)
        fetched = imap.fetch([uid], ["RFC822"])

    # Then the server has exactly that mail
    assert fetched[uid][b"RFC822"] == raw
    assert dovecot.message_count() == 1


def test_the_url_names_the_account_and_folder_and_its_credentials_log_in(
    dovecot: DovecotServer,
) -> None:
    # Given the URL of a folder of the test's account
    url = urlsplit(dovecot.url("Orders/Done"))

    # Then it names the server, folder and account, and its password logs in
    assert (url.scheme, url.hostname, url.port) == ("imap", "127.0.0.1", dovecot.port)
    assert unquote(url.path) == "/Orders/Done"
    imap = IMAPClient(url.hostname, port=url.port, ssl=False, timeout=5)
    try:
        assert b"Logged in" in imap.login(unquote(url.username or ""), unquote(url.password or ""))
    finally:
        imap.logout()


def test_deliver_many_gives_each_mail_its_uid_in_order_in_any_folder(
    dovecot: DovecotServer,
) -> None:
    # Given 50 mails for a folder that does not exist yet
    raws = [_mail(f"mail {n}") for n in range(50)]

    # When they are delivered in one go
    uids = dovecot.deliver_many(raws, folder="Orders/Inbox")

    # Then each has its own UID, in order, and the folder holds them all
    assert uids == sorted(set(uids)) and len(uids) == 50
    assert dovecot.message_count("Orders/Inbox") == 50
    with dovecot.client() as imap:
        imap.select_folder("Orders/Inbox", readonly=True)
        assert imap.fetch([uids[7]], ["RFC822"])[uids[7]][b"RFC822"] == raws[7]


def test_flags_and_keywords_of_a_mail_can_be_read_back(dovecot: DovecotServer) -> None:
    # Given a mail delivered as seen and with a keyword
    uid = dovecot.deliver(_mail("flagged"), flags=["\\Seen", "$MailroomDone"])

    # Then its flags include both, and its keywords only the keyword
    assert {"\\Seen", "$MailroomDone"} <= dovecot.flags(uid)
    assert dovecot.keywords(uid) == {"$MailroomDone"}


def test_an_idling_client_hears_of_a_new_mail_within_two_seconds(dovecot: DovecotServer) -> None:
    # Given a client idling on the INBOX
    with dovecot.client() as imap:
        imap.select_folder("INBOX")
        imap.idle()

        # When a mail arrives
        dovecot.deliver(_mail("while idling"))

        # Then the client hears of it (Dovecot batches notices for ~0.5 s)
        deadline = time.monotonic() + 2.0
        heard: list[object] = []
        while not any(b"EXISTS" in response for response in heard) and (
            time.monotonic() < deadline
        ):
            heard.extend(imap.idle_check(timeout=max(deadline - time.monotonic(), 0.01)))
        imap.idle_done()
    assert (1, b"EXISTS") in heard


def test_a_restart_keeps_the_port_and_the_mail(dovecot: DovecotServer) -> None:
    # Given a mailbox with one mail
    uid = dovecot.deliver(_mail("before restart"))
    port, uidvalidity = dovecot.port, dovecot.uidvalidity()

    # When the server restarts
    dovecot.restart()

    # Then it answers on the same port with the same mail under the same UID
    assert dovecot.port == port
    assert dovecot.uidvalidity() == uidvalidity
    with dovecot.client() as imap:
        imap.select_folder("INBOX", readonly=True)
        assert imap.search() == [uid]


def test_a_uidvalidity_reset_gives_a_new_epoch_and_keeps_the_mail(dovecot: DovecotServer) -> None:
    # Given a folder with three mails, one of them removed, so the UIDs have a gap
    uids = dovecot.deliver_many([_mail("one"), _mail("two"), _mail("three")], folder="Archive")
    with dovecot.client() as imap:
        imap.select_folder("Archive")
        imap.delete_messages([uids[0]])
        imap.expunge()
    before = dovecot.uidvalidity("Archive")

    # When the server resets the folder's UIDVALIDITY
    after = dovecot.reset_uidvalidity("Archive")

    # Then it reports a new UIDVALIDITY, and the two mails are there, numbered anew from 1
    assert after != before
    assert dovecot.uidvalidity("Archive") == after
    with dovecot.client() as imap:
        imap.select_folder("Archive", readonly=True)
        assert imap.search() == [1, 2]
        subjects = {
            m[b"BODY[HEADER.FIELDS (SUBJECT)]"]
            for m in imap.fetch([1, 2], ["BODY.PEEK[HEADER.FIELDS (SUBJECT)]"]).values()
        }
    assert subjects == {b"Subject: two\r\n\r\n", b"Subject: three\r\n\r\n"}


def test_kill_connections_breaks_an_open_client_session(dovecot: DovecotServer) -> None:
    # Given a client in the middle of a session
    imap = IMAPClient("127.0.0.1", port=dovecot.port, ssl=False, timeout=5)
    imap.login(dovecot.user, dovecot.password)
    imap.select_folder("INBOX")

    # When the server drops every connection
    dropped = dovecot.kill_connections()

    # Then the client's next command fails, and a new connection works
    assert dropped >= 1
    with pytest.raises((imaplib.IMAP4.abort, OSError)):
        imap.noop()
    assert dovecot.message_count() == 0


def test_a_wrong_password_is_refused_every_time_without_a_growing_delay(
    dovecot: DovecotServer,
) -> None:
    # Given three login attempts with a wrong password
    started = time.monotonic()
    for _ in range(3):
        imap = IMAPClient("127.0.0.1", port=dovecot.port, ssl=False, timeout=10)
        # Then each is refused
        with pytest.raises(LoginError):
            imap.login(dovecot.user, "wrong")
        imap.shutdown()
    # And fast: Dovecot's default penalty would make the third wait 4 s more than the first
    assert time.monotonic() - started < 5.0


def test_stopping_dovecot_leaves_no_process_behind_not_even_a_zombie(tmp_path: Path) -> None:
    # Given a server of its own with a client connected
    server = DovecotServer(root=tmp_path / "dovecot")
    server.start()
    assert server._process is not None
    master = server._process.pid
    with server.client() as imap:
        imap.select_folder("INBOX")
        family = [master, *processes.children(master)]

        # When it is stopped
        server.stop()

    # Then every one of its processes is gone, reaped, not left as a zombie
    assert len(family) > 3
    assert [pid for pid in family if Path(f"/proc/{pid}").exists()] == []
    assert not server.running


# -- SMTP sink -------------------------------------------------------------------------------


def _reply(subject: str, to: str = "buyer@example.com") -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "orders@example.com", to, subject
    message.set_content("Your order is confirmed.\n")
    return message


def test_the_sink_keeps_a_mail_with_its_envelope(smtp_sink: SmtpSink) -> None:
    # Given a mail for two recipients, one only in the envelope
    with smtplib.SMTP("127.0.0.1", smtp_sink.port, timeout=5) as client:
        # When it is sent over SMTP
        client.send_message(
            _reply("订单确认 PO 4711"), to_addrs=["buyer@example.com", "audit@example.com"]
        )

    # Then the sink has the parsed mail and the envelope
    [received] = smtp_sink.wait_for(1, timeout=5)
    assert received["Subject"] == "订单确认 PO 4711"
    assert received.envelope_from == "orders@example.com"
    assert received.envelope_to == ("buyer@example.com", "audit@example.com")
    assert received.get_content() == "Your order is confirmed.\n"
    assert smtp_sink.url == f"smtp://127.0.0.1:{smtp_sink.port}"


def test_the_sink_refuses_connections_when_stopped_and_accepts_again_on_the_same_port(
    smtp_sink: SmtpSink,
) -> None:
    # Given a stopped sink
    port = smtp_sink.port
    smtp_sink.stop()

    # Then a client cannot connect
    with pytest.raises(ConnectionRefusedError):
        smtplib.SMTP("127.0.0.1", port, timeout=5)

    # When it starts again, it listens on the same port and takes mail
    smtp_sink.start()
    assert smtp_sink.port == port
    with smtplib.SMTP("127.0.0.1", port, timeout=5) as client:
        client.send_message(_reply("back again"))
    assert [m["Subject"] for m in smtp_sink.wait_for(1)] == ["back again"]


def test_a_rejected_recipient_gets_a_permanent_550(smtp_sink: SmtpSink) -> None:
    # Given a sink that refuses one address
    smtp_sink.reject_recipients = {"gone@example.com"}

    # When a mail goes to it, the server answers 550 and keeps nothing
    with (
        smtplib.SMTP("127.0.0.1", smtp_sink.port, timeout=5) as client,
        pytest.raises(smtplib.SMTPRecipientsRefused) as refused,
    ):
        client.send_message(_reply("lost", to="gone@example.com"))
    assert refused.value.recipients["gone@example.com"][0] == 550
    assert smtp_sink.messages == []


def test_wait_for_gives_up_at_its_deadline_when_too_few_mails_arrive(smtp_sink: SmtpSink) -> None:
    # Given no mail sent, When waiting for one, Then it times out with the count
    with pytest.raises(TimeoutError, match="got 0"):
        smtp_sink.wait_for(1, timeout=0.05)


def test_a_sink_with_a_password_takes_mail_only_after_login() -> None:
    # Given a sink that requires AUTH
    with SmtpSink(user="mailer", password="s3cret:pw") as sink:
        assert sink.url == f"smtp://mailer:s3cret%3Apw@127.0.0.1:{sink.port}"
        # Then a client without login is refused, and one with it gets through
        with (
            smtplib.SMTP("127.0.0.1", sink.port, timeout=5) as client,
            pytest.raises(smtplib.SMTPSenderRefused),
        ):
            client.send_message(_reply("anonymous"))
        with smtplib.SMTP("127.0.0.1", sink.port, timeout=5) as client:
            client.login("mailer", "s3cret:pw")
            client.send_message(_reply("signed in"))
        assert [m["Subject"] for m in sink.wait_for(1)] == ["signed in"]


# -- databases -------------------------------------------------------------------------------


def test_database_url_is_an_empty_database_that_takes_writes(database_url: str) -> None:
    # Given the test's database
    engine = make_engine(database_url)
    try:
        # Then it starts empty, and a table can be created and written
        assert inspect(engine).get_table_names() == []
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE probe (id INTEGER PRIMARY KEY, name TEXT)"))
            conn.execute(text("INSERT INTO probe (id, name) VALUES (1, '上海')"))
        with engine.connect() as conn:
            assert conn.execute(text("SELECT name FROM probe")).scalar_one() == "上海"
    finally:
        engine.dispose()


@pytest.mark.sqlite_only
def test_the_sqlite_only_marker_runs_a_database_test_on_sqlite_alone(database_url: str) -> None:
    assert database_url.startswith("sqlite:///")


def test_sqlite_url_is_a_file_in_the_tests_own_folder(sqlite_url: str, tmp_path: Path) -> None:
    assert sqlite_url == f"sqlite:///{tmp_path / 'mailroom.db'}"


@pytest.mark.postgres
def test_a_postgres_database_exists_during_the_test_and_is_dropped_after() -> None:
    # Given a fresh database with a connection still open at the end
    with fresh_postgres_database() as url:
        name = url.rsplit("/", 1)[1]
        engine = make_engine(url)
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            # Then it exists while in use
            assert name.startswith("mailroom_test_") and database_exists(name)
    # And is gone afterwards, despite the open connection (DROP ... WITH (FORCE))
    assert not database_exists(name)
    engine.dispose()


# -- brokers ---------------------------------------------------------------------------------


def test_rabbitmq_url_carries_a_message(rabbitmq_url: str) -> None:
    # Given a connection to the broker
    connection = pika.BlockingConnection(pika.URLParameters(rabbitmq_url))
    try:
        channel = connection.channel()
        channel.queue_declare("mailroom.selftest")
        # When a message is published, Then it can be taken off the queue
        channel.basic_publish("", "mailroom.selftest", b"mail:42")
        _, _, body = channel.basic_get("mailroom.selftest", auto_ack=True)
        assert body == b"mail:42"
    finally:
        connection.close()


@pytest.mark.rabbitmq
def test_rabbitmq_queues_of_a_test_are_gone_after_it() -> None:
    # Given a test that left a queue with a message behind
    with rabbitmq_namespace() as url:
        connection = pika.BlockingConnection(pika.URLParameters(url))
        channel = connection.channel()
        channel.queue_declare("mailroom.leftover")
        channel.basic_publish("", "mailroom.leftover", b"stale")
        connection.close()

    # Then the queue no longer exists
    connection = pika.BlockingConnection(pika.URLParameters(url))
    try:
        with pytest.raises(pika.exceptions.ChannelClosedByBroker, match="NOT_FOUND"):
            connection.channel().queue_declare("mailroom.leftover", passive=True)
    finally:
        connection.close()


def test_redis_url_is_an_empty_database_that_works(redis_url: str) -> None:
    client = redis.Redis.from_url(redis_url)
    try:
        assert client.dbsize() == 0
        client.set("mailroom:selftest", "1")
        assert client.get("mailroom:selftest") == b"1"
    finally:
        client.close()


@pytest.mark.redis
def test_redis_keys_of_a_test_are_gone_after_it() -> None:
    # Given a test that left a key behind
    with redis_namespace() as url:
        redis.Redis.from_url(url).set("mailroom:leftover", "1")
    # Then the database is empty again
    assert redis.Redis.from_url(url).dbsize() == 0
