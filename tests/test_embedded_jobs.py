"""The embedded job queue: jobs live in the service's database, beside the work they follow.

Jobs are written in the transaction of the work that caused them, survive the process, are
given back when the process that claimed them died, and are worked by every process of the
installation (`worker_processes`), each taking its turn at writing the one SQLite file.
"""

from __future__ import annotations

import json
import socket
import sqlite3
import subprocess
from pathlib import Path

import dramatiq
import pytest
from sqlalchemy import select

from mailroom.jobs import QUEUE, run_here
from mailroom.mailbox import open_mailbox
from mailroom.processes import WorkerProcesses
from mailroom.replies.render import Rendered
from mailroom.respond import put_in_outbox
from mailroom.runtime import Runtime
from store.mail import Mail
from tests.support import mail, query, run_once, service_runtime, wait_until


def jobs_in(home: Path) -> list[tuple[str, str | None]]:
    with sqlite3.connect(home / "mailroom.db") as conn:
        return list(conn.execute("select actor_name, owner from jobs order by id"))


def maildir_with(home: Path, count: int) -> Path:
    box = home / "maildir"
    (box / "new").mkdir(parents=True)
    for n in range(count):
        sender = f"buyer{n}@customer{n}.example"
        (box / "new" / f"{n}.eml").write_bytes(mail(sender, subject=f"Question {n}"))
    return box


def dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def test_a_job_is_written_with_the_work_that_caused_it_and_only_if_that_work_commits(
    tmp_path: Path,
):
    with service_runtime(tmp_path, maildir=str(maildir_with(tmp_path, 0))) as runtime:
        acknowledge = runtime.broker.get_actor("mail.acknowledge")
        # When one step commits with a follow-up job and another fails after asking for one
        with runtime.work() as work:
            work.send_after_commit(acknowledge, 1)
        with pytest.raises(RuntimeError), runtime.work() as work:
            work.send_after_commit(acknowledge, 2)
            raise RuntimeError("the step failed")

    # Then the job of the committed step is in the database, unclaimed, and nothing else
    assert jobs_in(tmp_path) == [("mail.acknowledge", None)]


def test_jobs_left_by_a_stopped_process_are_worked_by_the_next_run(tmp_path: Path):
    # Given mails fetched and stored by a process that stopped before working them
    box = maildir_with(tmp_path, 3)
    with service_runtime(tmp_path, maildir=str(box)) as runtime:
        open_mailbox(runtime).fetch_new()
    assert [actor for actor, _owner in jobs_in(tmp_path)] == ["mail.received"] * 3

    # When the service runs
    summary = run_once(tmp_path, maildir=str(box))

    # Then each mail was answered, and no job is left
    assert summary.sent == 3
    assert jobs_in(tmp_path) == []


def test_a_job_claimed_by_a_process_that_died_is_given_back_and_runs(tmp_path: Path):
    # Given a mail whose intake job a worker process had claimed when it was killed
    box = maildir_with(tmp_path, 1)
    with service_runtime(tmp_path, maildir=str(box)) as runtime:
        open_mailbox(runtime).fetch_new()
    with sqlite3.connect(tmp_path / "mailroom.db") as conn:
        conn.execute("update jobs set owner = ?", (f"{socket.gethostname()}:{dead_pid()}",))

    # When the service runs again
    summary = run_once(tmp_path, maildir=str(box))

    # Then the job was given back and done: the mail is answered and no claim is left
    assert summary.sent == 1
    assert jobs_in(tmp_path) == []


def test_a_job_claimed_by_a_process_that_still_runs_is_left_to_it(tmp_path: Path):
    # Given a job claimed by a process that is alive (a worker busy with it)
    box = maildir_with(tmp_path, 0)
    alive = subprocess.Popen(["sleep", "60"])
    try:
        with service_runtime(tmp_path, maildir=str(box)) as runtime, runtime.work() as work:
            work.send_after_commit(runtime.broker.get_actor("mail.acknowledge"), 1)
        owner = f"{socket.gethostname()}:{alive.pid}"
        with sqlite3.connect(tmp_path / "mailroom.db") as conn:
            conn.execute("update jobs set owner = ?", (owner,))

        # When the service runs
        run_once(tmp_path, maildir=str(box))

        # Then the claim stands
        assert jobs_in(tmp_path) == [("mail.acknowledge", owner)]
    finally:
        alive.kill()
        alive.wait()


def test_a_worker_process_works_the_jobs_of_the_service_that_started_it(tmp_path: Path, smtp_sink):
    # Given mails fetched by a service process that works no jobs itself
    box = maildir_with(tmp_path, 12)
    with service_runtime(tmp_path, maildir=str(box), smtp_url=smtp_sink.url) as runtime:
        open_mailbox(runtime).fetch_new()

        # When one worker process is started on the same settings
        workers = WorkerProcesses(runtime.settings, 1)
        workers.start()
        try:
            # Then it answers every mail, once
            wait_until(lambda: len(smtp_sink.messages) >= 12, timeout=60, what="12 replies")
            wait_until(lambda: not jobs_in(tmp_path), timeout=30, what="no jobs left")
        finally:
            workers.stop()
        assert answered_mails(runtime) == 12
    recipients = sorted(str(m["To"]) for m in smtp_sink.messages)
    assert recipients == sorted(f"buyer{n}@customer{n}.example" for n in range(12))


def test_the_embedded_service_with_two_processes_answers_every_mail_once(tmp_path: Path, smtp_sink):
    # Given many mails and a service that works jobs in two processes
    box = maildir_with(tmp_path, 40)

    # When it runs once
    summary = run_once(tmp_path, maildir=str(box), smtp_url=smtp_sink.url, worker_processes=2)

    # Then every mail is answered exactly once, and nothing is left behind
    assert summary.answered == 40 and summary.sent == 40 and summary.held == 0
    assert len({str(m["To"]) for m in smtp_sink.messages}) == len(smtp_sink.messages) == 40
    assert jobs_in(tmp_path) == []


def test_the_worker_that_read_a_mail_answers_and_sends_it_without_further_jobs(
    tmp_path: Path, smtp_sink
):
    # Given a mail, and a log of every job written to the queue
    box = maildir_with(tmp_path, 1)
    with service_runtime(tmp_path, maildir=str(box)):
        pass
    with sqlite3.connect(tmp_path / "mailroom.db") as conn:
        conn.executescript(JOB_LOG)

    # When the service runs
    summary = run_once(tmp_path, maildir=str(box), smtp_url=smtp_sink.url)

    # Then intake's job went on to answer the mail and send the reply, on its first attempt
    assert summary.sent == 1 and len(smtp_sink.messages) == 1
    with sqlite3.connect(tmp_path / "mailroom.db") as conn:
        logged = [actor for (actor,) in conn.execute("select actor_name from job_log")]
        sent = list(conn.execute("select status, attempts from outbox"))
    assert logged == ["mail.received"]
    assert sent == [("sent", 1)]


def test_a_reply_written_outside_a_job_waits_for_the_send_job(tmp_path: Path, smtp_sink):
    # Given a reply stored by code that is not a job (a clerk's reply from the web page)
    box = maildir_with(tmp_path, 0)
    with service_runtime(tmp_path, maildir=str(box), smtp_url=smtp_sink.url) as runtime:
        with runtime.work() as work:
            stored = Mail(
                account="test",
                folder="INBOX",
                uidvalidity=1,
                uid=1,
                sha256="0" * 64,
                size=0,
                raw=b"",
                stage="done",
                sender="buyer@customer.example",
            )
            work.session.add(stored)
            work.session.flush()
            put_in_outbox(
                runtime,
                work,
                Rendered("Re: hello", "Thank you.", None),
                mail=stored,
                key="clerk:1",
                purpose="clerk/reply",
                recipient="buyer@customer.example",
                automatic=False,
            )

        # Then it is pending, with its send job queued, and nothing has left yet
        with sqlite3.connect(tmp_path / "mailroom.db") as conn:
            assert list(conn.execute("select status, attempts from outbox")) == [("pending", 0)]
        assert jobs_in(tmp_path) == [("outbox.send", None)]
        assert smtp_sink.messages == []

    # When the service runs, the send job sends it
    run_once(tmp_path, maildir=str(box), smtp_url=smtp_sink.url)
    assert [str(m["Subject"]) for m in smtp_sink.messages] == ["Re: hello"]


def test_a_step_run_in_the_same_thread_that_fails_is_queued_to_be_tried_again(tmp_path: Path):
    # Given a step that writes, then fails, when it is run at once in another step's work
    calls: list[int] = []

    with service_runtime(tmp_path, maildir=str(maildir_with(tmp_path, 0))) as runtime:

        @dramatiq.actor(actor_name="test.fails_once", queue_name=QUEUE, broker=runtime.broker)
        def fails_once(mail_id: int) -> None:
            calls.append(mail_id)
            with runtime.work() as work:
                work.session.add(stored_mail(uid=2, sha256="2" * 64))
                work.send_after_commit(runtime.broker.get_actor("mail.acknowledge"), 2)
                work.session.flush()
                raise RuntimeError("the database went away")

        # When it is run in the work of a step that wrote too
        with runtime.work() as work:
            work.session.add(stored_mail(uid=1, sha256="1" * 64))
            run_here(work, fails_once, 7, documents=False)

        # Then it ran once, and its writes and its follow-up are gone, the outer step's kept
        assert calls == [7]
        with sqlite3.connect(tmp_path / "mailroom.db") as conn:
            assert list(conn.execute("select uid from mails")) == [(1,)]
            ((actor, message),) = conn.execute("select actor_name, message from jobs")
        # And it waits in the queue as a job, with its options, for a retry
        assert actor == "test.fails_once"
        assert json.loads(message)["args"] == [7]
        assert json.loads(message)["options"]["documents"] is False


def test_a_step_run_in_the_same_thread_commits_with_the_step_that_ran_it(tmp_path: Path):
    # Given a step that stores a mail and asks for a job when it is run in another's work
    with service_runtime(tmp_path, maildir=str(maildir_with(tmp_path, 0))) as runtime:

        @dramatiq.actor(actor_name="test.writes", queue_name=QUEUE, broker=runtime.broker)
        def writes(uid: int) -> None:
            with runtime.work() as work:
                work.session.add(stored_mail(uid=uid, sha256=str(uid) * 64))
                work.send_after_commit(runtime.broker.get_actor("mail.acknowledge"), uid)

        # When the outer step fails after running it
        with pytest.raises(RuntimeError), runtime.work() as work:
            run_here(work, writes, 3)
            raise RuntimeError("the outer step failed")
        # Then nothing of either is left
        assert jobs_in(tmp_path) == []

        # And when the outer step succeeds, both are committed together, in one transaction
        with runtime.work() as work:
            run_here(work, writes, 4)
        with sqlite3.connect(tmp_path / "mailroom.db") as conn:
            assert list(conn.execute("select uid from mails")) == [(4,)]
        assert jobs_in(tmp_path) == [("mail.acknowledge", None)]


def stored_mail(uid: int, sha256: str) -> Mail:
    return Mail(
        account="test",
        folder="INBOX",
        uidvalidity=1,
        uid=uid,
        sha256=sha256,
        size=0,
        raw=b"",
        stage="done",
        sender="buyer@customer.example",
    )


# Every job the queue is given, in order: the queue deletes finished jobs, this keeps their names.
JOB_LOG = """
create table job_log (actor_name text);
create trigger log_jobs after insert on jobs begin
    insert into job_log values (new.actor_name);
end;
"""


def answered_mails(runtime: Runtime) -> int:
    def count(session) -> int:
        return len(session.scalars(select(Mail).where(Mail.outcome == "acknowledged")).all())

    return int(query(runtime, count))
