"""A crash during the SMTP conversation never leaves a customer without the reply.

The service is a real `mailroom run` process, killed with SIGKILL by the SMTP sink at the
moment named in each test; then it is started again and must finish the job.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
from collections import defaultdict
from pathlib import Path

import pytest
from sqlalchemy import select

from store import outbox
from store.holds import HeldItem
from store.outbox import OutboxMessage
from tests.support import mail, query, run_once, service_runtime

ROOT = Path(__file__).resolve().parents[1]
CUSTOMERS = [f"c{n}@customers.example" for n in range(3)]


def environment(home: Path, **values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAILROOM_")}
    env.update({"MAILROOM_HOME": str(home), "MAILROOM_FROM": "orders@mailroom.example"})
    env.update({f"MAILROOM_{k.upper()}": v for k, v in values.items()})
    return env


def run_and_kill_at(command: str, smtp_sink, env: dict[str, str]) -> None:
    """Start `mailroom run` and SIGKILL it when the sink sees `command` the first time."""
    process = subprocess.Popen(
        [sys.executable, "-m", "mailroom", "run"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    killed = threading.Event()

    def kill(seen: str) -> None:
        if seen == command and not killed.is_set():
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)  # gone before the server answers the command
            killed.set()

    smtp_sink.on_command = kill
    try:
        assert killed.wait(timeout=60), f"the service never reached {command}"
    finally:
        smtp_sink.on_command = None
        process.kill()
        process.wait(timeout=30)


def copies_by_customer(smtp_sink) -> dict[str, list]:
    copies = defaultdict(list)
    for message in smtp_sink.messages:
        copies[str(message["To"])].append(message)
    return copies


def resends(home: Path) -> list[int]:
    with sqlite3.connect(home / "mailroom.db") as conn:
        return [n for (n,) in conn.execute("select resends from outbox order by id")]


@pytest.mark.parametrize(
    ("moment", "most_copies"),
    [("RCPT", 1), ("DATA", 2)],
    ids=["before-the-message-went", "after-the-server-took-it"],
)
def test_a_reply_half_sent_when_the_process_was_killed_is_sent_again_after_the_restart(
    moment, most_copies, dovecot, smtp_sink, tmp_path
):
    # Given customers' mails, and the service killed outright in the middle of an SMTP
    # conversation (before the recipient was accepted, or after the server took the message
    # but before it said so)
    dovecot.deliver_many([mail(address) for address in CUSTOMERS])
    env = environment(tmp_path, imap_url=dovecot.url(), smtp_url=smtp_sink.url)
    run_and_kill_at(moment, smtp_sink, env)

    # When the service starts again
    summary = run_once(tmp_path, imap_url=dovecot.url(), smtp_url=smtp_sink.url)

    # Then every customer has the reply, at most twice, as one identical message
    copies = copies_by_customer(smtp_sink)
    assert sorted(copies) == CUSTOMERS
    for received in copies.values():
        assert 1 <= len(received) <= most_copies
        assert len({m["Message-ID"] for m in received}) == 1
        assert len({m.raw for m in received}) == 1
    # And the half-sent reply is recorded as sent again; nothing waits for a clerk
    assert max(resends(tmp_path)) == 1
    assert summary.held == 0 and summary.waiting == 0
    with service_runtime(tmp_path, imap_url=dovecot.url()) as runtime:
        assert query(runtime, lambda s: s.scalars(select(HeldItem)).all()) == []


def test_a_second_crash_on_the_same_reply_sends_it_again_too(dovecot, smtp_sink, tmp_path):
    # Given one customer's mail and the service killed twice after the server took the reply
    dovecot.deliver(mail(CUSTOMERS[0]))
    env = environment(tmp_path, imap_url=dovecot.url(), smtp_url=smtp_sink.url)
    run_and_kill_at("DATA", smtp_sink, env)
    run_and_kill_at("DATA", smtp_sink, env)

    # When the service starts a third time
    run_once(tmp_path, imap_url=dovecot.url(), smtp_url=smtp_sink.url)

    # Then the customer has three identical copies, and the row says it was sent again twice
    received = smtp_sink.messages
    assert len(received) == 3
    assert len({m.raw for m in received}) == 1
    assert resends(tmp_path) == [2]


def test_a_reply_that_keeps_crashing_the_service_is_held_for_a_clerk(tmp_path, smtp_sink):
    # Given a reply already sent again after each of the crashes allowed, found half-sent again
    box = tmp_path / "maildir"
    (box / "new").mkdir(parents=True)
    (box / "new" / "1.eml").write_bytes(mail())
    run_once(tmp_path, maildir=str(box))  # answered into files: the row is "sent"
    with service_runtime(tmp_path, maildir=str(box)) as runtime:

        def crashed_every_time(session):
            row = session.scalar(select(OutboxMessage))
            row.status, row.sent_at, row.resends = outbox.SENDING, None, outbox.MAX_RESENDS

        query(runtime, crashed_every_time)

    # When the service restarts with SMTP
    run_once(tmp_path, maildir=str(box), smtp_url=smtp_sink.url)

    # Then it is not sent a further time but held for a clerk with the reason
    assert smtp_sink.messages == []
    with service_runtime(tmp_path, maildir=str(box)) as runtime:
        item = query(runtime, lambda s: s.scalar(select(HeldItem)))
    assert item.reasons[0]["rule"] == "half-sent"


def test_a_service_started_after_a_kill_fetches_new_mail_at_once(dovecot, smtp_sink, tmp_path):
    # Given a service killed outright while it held the mailbox (its lease never handed back)
    dovecot.deliver(mail(CUSTOMERS[0]))
    env = environment(tmp_path, imap_url=dovecot.url(), smtp_url=smtp_sink.url)
    run_and_kill_at("DATA", smtp_sink, env)
    # And a new mail arriving meanwhile
    dovecot.deliver(mail(CUSTOMERS[1]))

    # When the service starts again on the same machine
    summary = run_once(tmp_path, imap_url=dovecot.url(), smtp_url=smtp_sink.url)

    # Then it takes the mailbox over from the dead process and fetches the new mail at once
    assert summary.fetched == 1
    assert sorted(copies_by_customer(smtp_sink)) == CUSTOMERS[:2]
