"""The distributed mode: the same service over PostgreSQL or SQLite with RabbitMQ or Redis."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import mail, run_once

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(params=["rabbitmq", "redis"])
def broker_url(request):
    return request.getfixturevalue(f"{request.param}_url")


def test_each_mail_is_answered_once_through_a_real_broker(
    dovecot, smtp_sink, database_url, broker_url, tmp_path
):
    # Given mails in the mailbox and a broker between the poller and the workers
    dovecot.deliver_many([mail(f"c{n}@customers.example") for n in range(10)])

    # When the service runs once
    summary = run_once(
        tmp_path,
        imap_url=dovecot.url(),
        smtp_url=smtp_sink.url,
        database_url=database_url,
        broker_url=broker_url,
    )

    # Then every mail got one reply
    assert (summary.fetched, summary.sent) == (10, 10)
    assert len({str(m["To"]) for m in smtp_sink.messages}) == len(smtp_sink.messages) == 10


def test_a_separate_worker_process_shares_the_work_without_doubling_it(
    dovecot, smtp_sink, redis_url, tmp_path
):
    # Given a `mailroom worker` process on the same broker and database
    dovecot.deliver_many([mail(f"c{n}@customers.example") for n in range(20)])
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAILROOM_")}
    db = f"sqlite:///{tmp_path / 'mailroom.db'}"
    env.update(
        MAILROOM_HOME=str(tmp_path),
        MAILROOM_BROKER_URL=redis_url,
        MAILROOM_DATABASE_URL=db,
        MAILROOM_SMTP_URL=smtp_sink.url,
        MAILROOM_FROM="orders@mailroom.example",
    )
    worker = subprocess.Popen(
        [sys.executable, "-m", "mailroom", "worker"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    started = ""
    while "working jobs" not in started and worker.poll() is None:
        started = worker.stderr.readline()
    try:
        # When the poller runs once
        summary = run_once(
            tmp_path,
            imap_url=dovecot.url(),
            smtp_url=smtp_sink.url,
            database_url=db,
            broker_url=redis_url,
        )
    finally:
        worker.terminate()
        _out, err = worker.communicate(timeout=60)

    # Then each mail was answered once, and the worker stopped cleanly
    assert summary.fetched == 20
    assert len(smtp_sink.messages) == 20
    assert len({str(m["To"]) for m in smtp_sink.messages}) == 20
    assert worker.returncode == 0, err
