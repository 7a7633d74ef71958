"""No mail loops: machines, bounces and lists get no answer; each sender has a reply cap."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from store.holds import HeldItem
from store.mail import Mail
from tests.support import mail, query, run_once, service_runtime

DEMO = Path(__file__).resolve().parents[1] / "fixtures" / "demo"


def _maildir(tmp_path: Path, raws: list[bytes]) -> Path:
    box = tmp_path / "maildir"
    (box / "new").mkdir(parents=True)
    for n, raw in enumerate(raws):
        (box / "new" / f"{n:04d}.eml").write_bytes(raw)
    return box


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto_Submitted": "auto-replied"},
        {"Auto_Submitted": "auto-generated"},
        {"Precedence": "bulk"},
        {"Precedence": "list"},
        {"List_Id": "<news.example.com>"},
        {"List_Unsubscribe": "<mailto:leave@example.com>"},
        {"Return_Path": "<>"},
        {"X_Autoreply": "yes"},
    ],
    ids=lambda h: next(iter(h)),
)
def test_automatic_and_list_mail_is_recorded_without_an_answer(tmp_path, headers):
    # Given a mail whose headers say a machine or a list sent it
    box = _maildir(tmp_path, [mail(**headers)])

    # When the service runs
    summary = run_once(tmp_path, maildir=str(box))

    # Then it is recorded, and nothing is written to the outbox
    assert (summary.recorded, summary.answered, summary.sent) == (1, 0, 0)
    assert not list((tmp_path / "outbox").glob("*.eml"))


@pytest.mark.parametrize(
    "sender",
    [
        "noreply@shop.example",
        "no-reply@shop.example",
        "MAILER-DAEMON@mx.example",
        "orders@mailroom.example",
    ],
)
def test_noreply_daemon_and_our_own_addresses_get_no_answer(tmp_path, sender):
    # Given a mail from an address that must never be answered
    box = _maildir(tmp_path, [mail(sender)])

    # When the service runs
    summary = run_once(tmp_path, maildir=str(box))

    # Then nothing goes out
    assert summary.sent == 0 and summary.recorded == 1


def test_a_bounce_and_an_out_of_office_from_the_demo_get_no_answer(tmp_path):
    # Given the demo's bounce (a DSN) and out-of-office reply
    raws = [(DEMO / name).read_bytes() for name in ("05-out-of-office.eml", "06-bounce.eml")]
    box = _maildir(tmp_path, raws)

    # When the service runs
    summary = run_once(tmp_path, maildir=str(box))

    # Then both are recorded as automatic and not answered
    assert (summary.recorded, summary.sent) == (2, 0)
    with service_runtime(tmp_path, maildir=str(box)) as runtime:
        outcomes = query(runtime, lambda s: sorted(s.scalars(select(Mail.outcome))))
    assert all("automatic message" in o for o in outcomes)


def test_the_per_sender_reply_cap_holds_the_mail_over_it(tmp_path):
    # Given a sender who writes three times while the cap is two replies per period
    box = _maildir(tmp_path, [mail(subject=f"PO-{n}") for n in range(3)])

    # When the service runs
    summary = run_once(tmp_path, maildir=str(box), reply_cap=2)

    # Then two replies go out and the third mail waits for a clerk, with the reason
    assert (summary.sent, summary.held) == (2, 1)
    with service_runtime(tmp_path, maildir=str(box)) as runtime:
        item = query(runtime, lambda s: s.scalar(select(HeldItem)))
    assert item.reasons[0]["rule"] == "reply-cap"
    assert "laura@northwind.example" in item.reasons[0]["message"]
