"""Nothing is lost and nothing doubles when the process dies between steps."""

from __future__ import annotations

from sqlalchemy import func, select

from mailroom.jobs import job
from mailroom.pipeline import ROUTES
from store.holds import HeldItem
from store.mail import Location, Mail, store_mail
from store.outbox import OutboxMessage
from tests.support import mail, query, run_once, service_runtime, wait_until


def test_a_mail_stored_before_a_crash_is_answered_once_after_the_restart(tmp_path, smtp_sink):
    # Given a mail the poller stored and committed just before the process died
    # (no broker message survived: the in-process broker died with it)
    box = tmp_path / "maildir"
    (box / "new").mkdir(parents=True)
    with service_runtime(tmp_path, maildir=str(box)) as runtime:
        query(runtime, lambda s: store_mail(s, mail(), Location("imap://x@y:143", "INBOX", 1, 7)))

    # When the service starts again, twice
    run_once(tmp_path, maildir=str(box), smtp_url=smtp_sink.url)
    run_once(tmp_path, maildir=str(box), smtp_url=smtp_sink.url)

    # Then the mail got exactly one reply
    assert len(smtp_sink.messages) == 1


@job("test.explode", max_retries=1, min_backoff=10, max_backoff=20)
def explode(mail_id: int) -> None:
    raise RuntimeError(f"the printer caught fire on mail {mail_id}")


def test_a_job_out_of_retries_lands_in_the_clerks_queue_with_its_traceback(tmp_path):
    # Given a running service whose job fails every time
    box = tmp_path / "maildir"
    (box / "new").mkdir(parents=True)
    with service_runtime(tmp_path, maildir=str(box)) as runtime:
        from mailroom.service import Service

        service = Service(runtime, None)
        service.start_workers()
        try:
            # When the job runs out of retries
            runtime.broker.enqueue(explode.message(42))
            item = wait_until(
                lambda: query(runtime, lambda s: s.scalar(select(HeldItem))), what="a held item"
            )
        finally:
            service.stop_workers()

    # Then the clerks' queue holds it with the reason and the traceback
    assert item.kind == "job"
    assert "test.explode failed 2 times" in item.reasons[0]["message"]
    assert "the printer caught fire on mail 42" in item.detail


def test_the_same_content_fetched_at_two_places_is_stored_once(tmp_path):
    # Given one mail's bytes seen under two UIDs
    with service_runtime(tmp_path, maildir=str(tmp_path)) as runtime:
        raw = mail()
        first = query(runtime, lambda s: store_mail(s, raw, Location("a", "INBOX", 1, 1)))
        second = query(runtime, lambda s: store_mail(s, raw, Location("a", "INBOX", 1, 2)))
        count = query(runtime, lambda s: s.scalar(select(func.count(Mail.id))))
    # Then the second is a no-op
    assert first is not None and second is None and count == 1


def test_a_person_whose_mail_breaks_a_step_still_gets_one_acknowledgement(tmp_path, monkeypatch):
    # Given a step that fails every time for ordinary mail
    monkeypatch.setitem(ROUTES, "other", "test.explode")
    monkeypatch.setitem(ROUTES, "order", "test.explode")
    box = tmp_path / "maildir"
    (box / "new").mkdir(parents=True)
    (box / "new" / "1.eml").write_bytes(mail())

    # When the service runs out of retries on it
    summary = run_once(tmp_path, maildir=str(box))

    # Then the mail is held with the failure, and its sender was acknowledged once
    assert summary.held == 1
    assert summary.sent == 1
    with service_runtime(tmp_path, maildir=str(box)) as runtime:
        item = query(runtime, lambda s: s.scalar(select(HeldItem)))
        replies = query(runtime, lambda s: s.scalars(select(OutboxMessage.recipient)).all())
    assert item.reasons[0]["rule"] == "job-failed"
    assert replies == ["laura@northwind.example"]
