"""Ticket deadlines warn clerks once; clerks list, show, answer and resolve tickets."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from mailroom import queue
from mailroom.aftersales import sla
from mailroom.cli import main
from mailroom.settings import load_settings
from store.base import utcnow
from store.holds import OPEN, HeldItem
from store.tickets import RESOLVED, WAITING_CUSTOMER, Ticket
from tests.shop import Shop, body
from tests.support import mail
from tests.test_tickets_open import ACME, SHORT, delivered_order, tickets


@pytest.fixture
def shop(dovecot: Any, smtp_sink: Any, database_url: str, tmp_path: Path) -> Iterator[Shop]:
    yield Shop.open(dovecot, smtp_sink, tmp_path, database_url)


def warn_at(shop: Shop, hours_after_opening: float) -> list[tuple[str, str]]:
    """Run the SLA check as if `hours_after_opening` hours had passed since the ticket opened."""

    def check(runtime: Any) -> list[tuple[str, str]]:
        with runtime.work() as work:
            ticket = work.session.scalars(select(Ticket)).one()
            now = ticket.created_at + timedelta(hours=hours_after_opening)
            return sla.warn_late(work.session, now)

    return shop.with_runtime(check)  # type: ignore[no-any-return]


def sla_holds(shop: Shop, key: str = "%:sla:%") -> list[HeldItem]:
    query = select(HeldItem).where(HeldItem.status == OPEN, HeldItem.dedupe_key.like(key))
    return shop.query(lambda s: list(s.scalars(query.order_by(HeldItem.id))))  # type: ignore[no-any-return]


def test_a_ticket_past_its_first_response_deadline_warns_the_clerks_once(shop: Shop) -> None:
    # Given a short-shipment ticket (first response within 24 h, resolution within 120 h)
    delivered_order(shop)
    shop.run(mail(ACME, "Short delivery PO AC-900", SHORT))
    (ticket,) = tickets(shop)

    # When the check runs before the deadline, twice after it, then past the resolution
    early = warn_at(shop, 23)
    late = warn_at(shop, 25)
    again = warn_at(shop, 26)

    # Then only the first run after the deadline warns, with one held item naming the ticket
    assert early == [] and again == []
    assert late == [(ticket.number, "first_response")]
    (item,) = sla_holds(shop)
    assert item.ref == ticket.number and item.reasons[0]["rule"] == "sla-first-response"
    assert "first response deadline" in item.reasons[0]["message"]

    # And the resolution deadline warns once more, on its own
    assert warn_at(shop, 121) == [(ticket.number, "resolution")]
    assert warn_at(shop, 122) == []
    assert len(sla_holds(shop)) == 2


def test_deadlines_come_from_the_settings_per_kind(tmp_path: Path) -> None:
    # Given settings with 2 h for a defect's first response and a default of 10 h
    settings = load_settings(
        home=tmp_path,
        ticket_first_response_hours={"default": 10, "defect": 2},
        ticket_resolution_hours={"default": 48},
    )
    opened = utcnow()
    # When deadlines are worked out for a defect and for a question
    defect = sla.deadlines(settings, "defect", opened)
    question = sla.deadlines(settings, "question", opened)

    # Then each kind gets its own hours, falling back on the default
    assert defect == (opened + timedelta(hours=2), opened + timedelta(hours=48))
    assert question == (opened + timedelta(hours=10), opened + timedelta(hours=48))


def test_clerks_list_show_answer_and_resolve_a_ticket(shop: Shop, tmp_path: Path) -> None:
    # Given an open ticket
    delivered_order(shop)
    shop.run(mail(ACME, "Short delivery PO AC-900", SHORT))
    (ticket,) = tickets(shop)
    env = {
        "MAILROOM_HOME": str(tmp_path),
        "MAILROOM_DATABASE_URL": shop.database_url,
        "MAILROOM_SMTP_URL": shop.smtp.url,
        "MAILROOM_FROM": "orders@mailroom.example",
    }
    cli = CliRunner()

    # When a clerk lists and shows it, answers twice with the same text, and resolves it
    listed = cli.invoke(main, ["tickets", "list", "--json"], env=env)
    shown = cli.invoke(main, ["tickets", "show", ticket.number], env=env)
    answer = "We are sending the 200 missing bolts today by express."
    first = cli.invoke(
        main, ["tickets", "reply", ticket.number, "-m", answer, "--as", "anna"], env=env
    )
    second = cli.invoke(
        main, ["tickets", "reply", ticket.number, "-m", answer, "--as", "anna"], env=env
    )
    (answered,) = tickets(shop)
    resolved = cli.invoke(
        main, ["tickets", "resolve", ticket.number, "--note", "200 pcs sent, tracking 1Z9"], env=env
    )
    missing = cli.invoke(main, ["tickets", "show", "TK-1999-99999"], env=env)

    # Then the listing and the page show the ticket, its order and its line
    assert listed.exit_code == 0, listed.output
    (row,) = json.loads(listed.output)
    assert row["ticket_number"] == ticket.number and row["kind"] == "short_shipment"
    assert row["order_number"] == shop.orders()[0].number
    assert shown.exit_code == 0 and "HX-2040 x 200" in shown.output
    # And the answer went out once, in the customer's thread, stopping the first-response clock
    assert first.exit_code == 0 and "answer sent" in first.output, first.output
    assert "sent before" in second.output
    assert answered.status == WAITING_CUSTOMER and answered.first_responded_at is not None
    answers = [m for m in shop.sent_to(ACME) if answer in body(m)]
    assert len(answers) == 1 and ticket.number in str(answers[0]["Subject"])
    # And resolving tells John once how it was resolved
    assert resolved.exit_code == 0, resolved.output
    (done,) = tickets(shop)
    assert done.status == RESOLVED and done.resolution == "200 pcs sent, tracking 1Z9"
    notices = [m for m in shop.sent_to(ACME) if "resolved" in str(m["Subject"])]
    assert len(notices) == 1 and "tracking 1Z9" in body(notices[0])
    assert missing.exit_code == 1 and "no ticket" in missing.output


def test_a_clerks_reply_from_the_queue_is_the_tickets_first_response(shop: Shop) -> None:
    # Given a return ticket held because no order matches
    shop.run(mail(ACME, "Return request", "We want to return the unused units, refund please."))
    (item,) = [i for i in sla_holds(shop, "%") if i.kind == "ticket"]

    # When a clerk answers from the queue item
    shop.with_runtime(
        lambda runtime: queue.reply(
            runtime, item.id, "anna", "Your return", "Which order was it, please?", "t1"
        )
    )
    shop.run()

    # Then the ticket has the answer and its first-response clock has stopped
    (ticket,) = tickets(shop)
    assert ticket.first_responded_at is not None and ticket.status == WAITING_CUSTOMER
    assert ticket.messages[-1].text == "Which order was it, please?"
    assert warn_at(shop, 25) == []
