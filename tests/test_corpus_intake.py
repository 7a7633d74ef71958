"""Every real-world mail in the shared corpus goes through intake without stopping the service."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from store.mail import Mail
from tests.support import query, run_once, service_runtime

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "real" / "emails"


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not beside the repository")
def test_every_corpus_mail_is_stored_and_answered_or_recorded(tmp_path):
    # Given every real mail of the corpus in a Maildir
    box = tmp_path / "maildir"
    (box / "new").mkdir(parents=True)
    files = sorted(p for p in CORPUS.iterdir() if p.is_file())
    for n, path in enumerate(files):
        shutil.copy(path, box / "new" / f"{n:04d}-{path.name}")

    # When the service runs once over them
    summary = run_once(tmp_path, maildir=str(box), max_retries=0)

    # Then each distinct mail is stored, and finished: answered, recorded, or held with a reason
    with service_runtime(tmp_path, maildir=str(box)) as runtime:
        mails = query(runtime, lambda s: list(s.scalars(select(Mail))))
    distinct = len({p.read_bytes() for p in files})
    assert summary.fetched == len(mails) == distinct
    assert {m.stage for m in mails} <= {"done", "held"}
    for m in mails:
        assert m.outcome or m.stage == "held", f"mail {m.id} has no outcome"
        if m.intent == "unreadable":
            assert m.error, f"unreadable mail {m.id} has no reason"
