"""Relations: feedback asked once after delivery (never when opted out), ratings read and
recorded, a digest of open orders once per period, and dormant customers listed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from mailroom.actions.relations import feedback_record
from mailroom.aftersales.feedback import read_feedback
from mailroom.aftersales.relations import ask_feedback, period_of, send_digests
from mailroom.cli import main
from store.base import utcnow
from store.catalog import Customer
from store.holds import OPEN, HeldItem
from store.mail import Mail
from store.relations import Feedback
from tests.shop import Shop, body, in_days
from tests.support import mail
from tests.test_tickets_open import ACME, delivered_order

BRIGHTON = "sarah.jones@brightonlighting.co.uk"


@pytest.fixture
def shop(dovecot: Any, smtp_sink: Any, database_url: str, tmp_path: Path) -> Iterator[Shop]:
    yield Shop.open(dovecot, smtp_sink, tmp_path, database_url)


def ask_at(shop: Shop, days_after_now: float) -> list[str]:
    """Run the feedback job as if `days_after_now` days had passed, then send what it wrote."""

    def run(runtime: Any) -> list[str]:
        with runtime.work() as work:
            return ask_feedback(runtime, work, utcnow() + timedelta(days=days_after_now))

    asked = shop.with_runtime(run)
    shop.run()
    return asked  # type: ignore[no-any-return]


def digest_at(shop: Shop, now: datetime) -> list[tuple[str, str]]:
    def run(runtime: Any) -> list[tuple[str, str]]:
        with runtime.work() as work:
            return send_digests(runtime, work, now).sent

    sent = shop.with_runtime(run)
    shop.run()
    return sent  # type: ignore[no-any-return]


def set_customer(shop: Shop, customer_id: str, **values: Any) -> None:
    def change(session: Any) -> None:
        customer = session.get(Customer, customer_id)
        for name, value in values.items():
            setattr(customer, name, value)

    shop.query(change)


def requests_to(shop: Shop, address: str) -> list[EmailMessage]:
    return [m for m in shop.sent_to(address) if "How did we do" in str(m["Subject"])]


@pytest.mark.parametrize(
    ("text", "rating"),
    [
        ("5/5, all good", 5),
        ("I give you 4 stars.", 4),
        ("满意", 4),
        ("非常满意，谢谢", 5),
        ("不满意，交货太慢", 2),
        ("评分：4", 4),
        ("8 out of 10", 4),
        ("Thanks, the delivery came in 30 minutes", None),
    ],
)
def test_ratings_are_read_in_english_and_chinese(text: str, rating: int | None) -> None:
    # When a feedback text is read, Then its rating is the one written, on a scale of 5
    found = read_feedback(text)
    assert found.rating == rating and found.comment == text


def test_a_feedback_request_goes_once_after_delivery_and_never_when_opted_out(
    shop: Shop,
) -> None:
    # Given a delivered order of Acme (asked after 7 days by default), and one of Brighton,
    # which opted out of feedback requests
    acme_order = delivered_order(shop)
    set_customer(shop, "C-BRIGHTON", feedback_opt_out=True)
    delivered_order(shop, "BL-77", BRIGHTON)

    # When the job runs the next day, then after a week, twice
    early = ask_at(shop, 1)
    due = ask_at(shop, 8)
    again = ask_at(shop, 9)

    # Then Acme is asked once, in the order's thread, and Brighton never
    assert early == [] and again == []
    assert due == [acme_order]
    (request,) = requests_to(shop, ACME)
    assert acme_order in str(request["Subject"]) and "1 to 5" in body(request)
    assert requests_to(shop, BRIGHTON) == []
    assert request["In-Reply-To"] == shop.sent_to(ACME)[0]["In-Reply-To"]


def test_a_rating_in_reply_to_the_request_is_recorded_on_its_order(shop: Shop) -> None:
    # Given a feedback request sent to Acme for a delivered order
    number = delivered_order(shop)
    ask_at(shop, 8)
    (request,) = requests_to(shop, ACME)

    # When John answers in its thread with a rating and a comment (delivered twice, and
    # recorded once more from a redelivered broker message)
    answer = mail(
        ACME,
        f"Re: {request['Subject']}",
        "Hello,\n\n4/5 - the bolts are fine, the delivery was a day late.\n\nJohn",
        In_Reply_To=str(request["Message-ID"]),
        References=str(request["Message-ID"]),
    )
    shop.run(answer)
    shop.run(answer)
    mail_id = shop.query(lambda s: s.scalars(select(Mail.id).order_by(Mail.id.desc())).first())
    shop.with_runtime(lambda runtime: feedback_record.fn(mail_id))
    shop.run()

    # Then the order's feedback row has the rating and comment, and John is thanked once
    rows = shop.query(lambda s: list(s.scalars(select(Feedback))))
    (row,) = rows
    order = shop.orders()[0]
    assert order.number == number
    assert (row.order_id, row.rating, row.customer_id) == (order.id, 4, "C-ACME")
    assert row.comment is not None and "a day late" in row.comment
    thanks = [m for m in shop.sent_to(ACME) if "4/5" in body(m)]
    assert len(thanks) == 1


def test_a_low_rating_is_held_for_a_clerk(shop: Shop) -> None:
    # When Acme writes unasked that it is not satisfied
    shop.run(mail(ACME, "Feedback on your service", "我们对这次的服务不满意，评价：交货太慢。"))

    # Then the rating is recorded and a clerk sees the unhappy customer
    (row,) = shop.query(lambda s: list(s.scalars(select(Feedback))))
    assert (row.rating, row.order_id) == (2, None)
    query = select(HeldItem).where(HeldItem.status == OPEN)
    (item,) = shop.query(lambda s: list(s.scalars(query)))
    assert [r["rule"] for r in item.reasons] == ["low-rating"]


def test_a_digest_of_open_orders_goes_once_per_period(shop: Shop) -> None:
    # Given Acme on a weekly digest, with one confirmed order; Brighton on none
    shop.run(
        mail(
            ACME,
            "Purchase order AC-500",
            "Hello,\n\nPlease supply the following under our purchase order AC-500:\n\n"
            f"1. HX-2040 Hex Bolt M8x40 - 5000 pcs\n\nRequested delivery date: {in_days(30)}\n\n"
            "John",
        )
    )
    set_customer(shop, "C-ACME", digest="weekly")
    (order,) = shop.orders()
    monday = datetime(2026, 12, 7, 9, tzinfo=utcnow().tzinfo)

    # When the digest job runs on Monday, again on Tuesday, and the next Monday
    first = digest_at(shop, monday)
    same_week = digest_at(shop, monday + timedelta(days=1))
    next_week = digest_at(shop, monday + timedelta(days=7))

    # Then Acme got one digest per week, listing the open order; nobody else got one
    assert first == [("C-ACME", "2026-W50")] and same_week == []
    assert next_week == [("C-ACME", "2026-W51")]
    digests = [m for m in shop.smtp.messages if "open orders" in str(m["Subject"])]
    assert len(digests) == 2
    assert {str(m["To"]) for m in digests} == {"purchasing@acme-industrial.com"}
    assert order.number in body(digests[0]) and "confirmed" in body(digests[0])
    assert period_of("monthly", monday) == "2026-12"


def test_dormant_customers_are_listed_for_a_clerk(shop: Shop, tmp_path: Path) -> None:
    # Given one order from Acme today, and customers who never ordered
    shop.run(
        mail(
            ACME,
            "Purchase order AC-600",
            "Hello,\n\nPlease supply the following under our purchase order AC-600:\n\n"
            f"1. HX-2040 Hex Bolt M8x40 - 5000 pcs\n\nRequested delivery date: {in_days(30)}\n\n"
            "John",
        )
    )
    env = {"MAILROOM_HOME": str(tmp_path), "MAILROOM_DATABASE_URL": shop.database_url}

    # When a clerk lists customers without an order for 30 days
    listed = CliRunner().invoke(main, ["customers", "dormant", "--days", "30", "--json"], env=env)
    lines = CliRunner().invoke(main, ["customers", "dormant"], env=env)

    # Then Acme is not among them, and the others are, as never having ordered
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.output)
    ids = {row["customer_id"] for row in rows}
    assert "C-ACME" not in ids and "C-BRIGHTON" in ids
    assert all(row["last_order_at"] is None for row in rows)
    assert "never ordered" in lines.output


def test_a_clerk_sets_how_a_customer_hears_from_us(shop: Shop, tmp_path: Path) -> None:
    # Given Acme with the defaults (no digest, feedback requests)
    env = {"MAILROOM_HOME": str(tmp_path), "MAILROOM_DATABASE_URL": shop.database_url}

    # When a clerk puts it on a monthly digest without feedback requests, and names a stranger
    done = CliRunner().invoke(
        main, ["customers", "relations", "C-ACME", "--digest", "monthly", "--no-feedback"], env=env
    )
    unknown = CliRunner().invoke(main, ["customers", "relations", "C-NOBODY"], env=env)

    # Then the record says so, and the stranger is a clear error
    assert done.exit_code == 0 and "digest monthly, no feedback requests" in done.output
    acme = shop.query(lambda s: s.get(Customer, "C-ACME"))
    assert (acme.digest, acme.feedback_opt_out) == ("monthly", True)
    assert unknown.exit_code == 1 and "no customer C-NOBODY" in unknown.output
