"""`mailroom run` as a user runs it: real processes, signals, clear errors, the demo."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
from email import message_from_bytes
from pathlib import Path

from tests.support import mail, wait_until

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "fixtures" / "demo"
MACHINES = ("05-out-of-office.eml", "06-bounce.eml", "07-newsletter.eml")


def mailroom(*args: str, env: dict[str, str], **kwargs) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mailroom", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        **kwargs,
    )


def start(*args: str, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "mailroom", *args],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def environment(home: Path, **values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAILROOM_")}
    env.update({"MAILROOM_HOME": str(home), "MAILROOM_FROM": "orders@mailroom.example"})
    env.update({f"MAILROOM_{k.upper()}": v for k, v in values.items()})
    return env


def outbox_rows(home: Path) -> list[tuple[str, str, int]]:
    db = home / "mailroom.db"
    if not db.exists():
        return []
    with sqlite3.connect(db) as conn:
        try:
            return conn.execute("select recipient, status, attempts from outbox").fetchall()
        except sqlite3.OperationalError:
            return []


def all_tried_and_waiting(home: Path, count: int) -> bool:
    rows = outbox_rows(home)
    return len(rows) == count and all(s == "pending" and n >= 1 for _r, s, n in rows)


def test_run_without_a_mailbox_says_so_and_exits_2(tmp_path):
    result = mailroom("run", env=environment(tmp_path))
    assert result.returncode == 2
    assert "no mailbox configured" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_wrong_setting_is_named_in_one_line(tmp_path):
    result = mailroom(
        "run", "--once", env=environment(tmp_path, maildir=str(tmp_path), worker_threads="lots")
    )
    assert result.returncode == 2
    assert "MAILROOM_WORKER_THREADS" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_wrong_imap_password_is_a_clear_error(dovecot, tmp_path):
    url = re.sub(r"//([^:/]+):[^@]+@", r"//\1:not-the-password@", dovecot.url())
    result = mailroom("run", "--once", env=environment(tmp_path, imap_url=url))
    assert result.returncode == 1
    assert "refused the login" in result.stderr
    assert "not-the-password" not in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unreachable_imap_server_is_a_clear_error(tmp_path):
    url = "imap://u:p@127.0.0.1:1/INBOX"
    result = mailroom("run", "--once", env=environment(tmp_path, imap_url=url))
    assert result.returncode == 1
    assert "cannot reach the mailbox" in result.stderr
    assert "Traceback" not in result.stderr


def test_run_once_with_smtp_down_exits_1_saying_how_many_replies_wait(dovecot, tmp_path):
    dovecot.deliver(mail())
    env = environment(tmp_path, imap_url=dovecot.url(), smtp_url="smtp://127.0.0.1:1")
    result = mailroom("run", "--once", env=env)
    assert result.returncode == 1
    assert "1 replies wait in the outbox" in result.stderr


def test_sigterm_finishes_the_work_in_hand_and_exits_0(dovecot, smtp_sink, tmp_path):
    # Given the service running on a mailbox with mail
    dovecot.deliver(mail())
    env = environment(tmp_path, imap_url=dovecot.url(), smtp_url=smtp_sink.url)
    process = start("run", env=env)
    try:
        smtp_sink.wait_for(1, timeout=30)
        # When it is told to stop
        process.send_signal(signal.SIGTERM)
        _out, err = process.communicate(timeout=30)
    finally:
        process.kill()
    # Then it exits 0
    assert process.returncode == 0, err


def test_a_killed_service_restarted_sends_each_reply_exactly_once(dovecot, smtp_sink, tmp_path):
    # Given the service working while SMTP is down, so replies wait in the outbox
    dovecot.deliver_many([mail(f"c{n}@customers.example") for n in range(5)])
    smtp_sink.stop()
    env = environment(tmp_path, imap_url=dovecot.url(), smtp_url=smtp_sink.url)
    process = start("run", env=env)
    try:
        wait_until(lambda: all_tried_and_waiting(tmp_path, 5), timeout=60, what="5 waiting replies")
    finally:
        # When the process is killed outright
        process.kill()
        process.communicate(timeout=30)

    # And started again once SMTP is back
    smtp_sink.start()
    result = mailroom("run", "--once", env=env)

    # Then every customer got exactly one reply
    assert result.returncode == 0, result.stderr
    assert sorted(str(m["To"]) for m in smtp_sink.messages) == [
        f"c{n}@customers.example" for n in range(5)
    ]


def test_the_demo_answers_the_people_and_not_the_machines(tmp_path):
    result = mailroom("demo", "--home", str(tmp_path / "demo"), env=environment(tmp_path))
    assert result.returncode == 0, result.stderr
    people = len(list(DEMO.glob("*.eml"))) - len(MACHINES)
    assert f"{people} answered, {len(MACHINES)} recorded without reply" in result.stdout
    replies = list((tmp_path / "demo" / "outbox").glob("*.eml"))
    recipients = {message_from_bytes(p.read_bytes())["To"] for p in replies}
    machines = {message_from_bytes((DEMO / name).read_bytes())["From"] for name in MACHINES}
    assert len(replies) == len(recipients) == people
    assert not any(address in sender for sender in machines for address in recipients)
