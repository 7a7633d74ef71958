"""An order's life after the first mail: corrections, status questions, status emails,
a clerk's accept, overdue orders, and the same PO from two workers at once."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from mailroom import queue
from mailroom.orders import status
from mailroom.orders.overdue import hold_overdue
from mailroom.orders.place import place_order, request_from_mail
from store import orders as store
from store.base import utcnow
from store.holds import OPEN, HeldItem
from store.mail import PARSED, Location, Mail, store_mail
from store.orders import CONFIRMED, ON_HOLD, SHIPPED, Order
from tests.shop import Shop, body, in_days, pdf_text, pdfs
from tests.support import mail

ACME = "john.miller@acme-industrial.com"


@pytest.fixture
def shop(dovecot: Any, smtp_sink: Any, database_url: str, tmp_path: Path) -> Iterator[Shop]:
    yield Shop.open(dovecot, smtp_sink, tmp_path, database_url)


def order_mail(lines: str, po: str = "AC-900", requested: int = 30) -> bytes:
    return mail(
        ACME,
        f"Purchase order {po}",
        f"Hello,\n\nPlease supply the following under our purchase order {po}:\n\n{lines}\n\n"
        f"Requested delivery date: {in_days(requested)}\n\nBest regards,\nJohn",
    )


def answer_to(ours: EmailMessage, text: str, sender: str = ACME) -> bytes:
    """The customer's answer in the thread of one of our messages."""
    return mail(
        sender,
        f"Re: {ours['Subject']}",
        text,
        In_Reply_To=str(ours["Message-ID"]),
        References=str(ours["Message-ID"]),
    )


def open_items(shop: Shop) -> list[HeldItem]:
    query = select(HeldItem).where(HeldItem.status == OPEN).order_by(HeldItem.id)
    return shop.query(lambda s: list(s.scalars(query)))  # type: ignore[no-any-return]


def test_a_customers_correction_releases_a_held_order(shop: Shop) -> None:
    # Given an order held because the quantity is below the MOQ, and the question we sent
    shop.run(order_mail("1. HX-2040 Hex Bolt M8x40 - 500 pcs"))
    (question,) = shop.sent_to(ACME)
    assert shop.orders()[0].status == ON_HOLD

    # When John answers in the thread with the corrected quantity
    shop.run(answer_to(question, "Sorry, please make it:\n\n1. HX-2040 Hex Bolt M8x40 - 5000 pcs"))

    # Then the same order is confirmed with the new quantity and the PDF, and nothing is held
    (order,) = shop.orders()
    assert order.status == CONFIRMED, order.reasons
    assert [(line.sku, int(line.quantity)) for line in order.lines] == [("HX-2040", 5000)]
    confirmation = shop.sent_to(ACME)[-1]
    _name, text = pdf_text(confirmation)
    assert order.number in text and "5,000" in text
    assert open_items(shop) == []


def test_a_status_question_from_an_allowed_address_gets_the_status(shop: Shop) -> None:
    # Given a confirmed order
    shop.run(order_mail("1. HX-2040 Hex Bolt M8x40 - 5000 pcs"))
    (order,) = shop.orders()

    # When a colleague of John's at Acme asks where it is
    question = mail(
        "purchasing@acme-industrial.com",
        f"Status of {order.number}",
        f"Hello,\n\nwhere is our order {order.number}? Any update on the delivery status?\n\nMary",
    )
    shop.run(question)

    # Then she gets its status and promised date
    (reply,) = shop.sent_to("purchasing@acme-industrial.com")
    text = body(reply)
    assert order.number in text and "confirmed" in text
    assert order.promised_date is not None and order.promised_date.isoformat() in text


def test_a_status_question_from_a_stranger_gets_nothing_about_the_order(shop: Shop) -> None:
    # Given a confirmed order
    shop.run(order_mail("1. HX-2040 Hex Bolt M8x40 - 5000 pcs", po="AC-901"))
    (order,) = shop.orders()

    # When someone outside Acme asks about it by number and PO
    stranger = "curious@gmail.example"
    shop.run(
        mail(
            stranger,
            f"Status of {order.number}",
            f"Hi, where is order {order.number} (PO AC-901)? Any update on the delivery status?",
        )
    )

    # Then the answer is polite and says nothing of the order, and a clerk sees the question
    (reply,) = shop.sent_to(stranger)
    text = body(reply) + str(reply["Subject"])
    for secret in ("HX-2040", "confirmed", "Acme", str(order.promised_date)):
        assert secret not in text
    assert "registered" in text
    (item,) = open_items(shop)
    assert item.reasons[0]["rule"] == "status-not-allowed"


def test_shipping_an_order_sends_one_status_email_with_the_tracking_number(shop: Shop) -> None:
    # Given a confirmed order
    shop.run(order_mail("1. HX-2040 Hex Bolt M8x40 - 5000 pcs"))
    number = shop.orders()[0].number

    def ship(runtime: Any) -> None:
        with runtime.work() as work:
            found = store.by_number(work.session, number)
            status.move(runtime, work, found, SHIPPED, actor="anna", tracking="1Z999AA10123456784")

    # When it is marked shipped, and by mistake marked shipped again
    shop.with_runtime(ship)
    shop.with_runtime(ship)
    shop.run()

    # Then the customer got one shipping email, in the order's thread, with the tracking number
    notices = [m for m in shop.sent_to(ACME) if "shipped" in str(m["Subject"])]
    assert len(notices) == 1
    assert "1Z999AA10123456784" in body(notices[0])
    first = shop.sent_to(ACME)[0]
    assert notices[0]["In-Reply-To"] == first["In-Reply-To"]


def test_a_clerks_accept_confirms_a_held_order_and_tells_the_customer(shop: Shop) -> None:
    # Given an order held for a clerk because stock cannot meet the requested date
    shop.run(order_mail("1. SN-PS10 Pressure Transmitter - 400 pcs", requested=10))
    (item,) = open_items(shop)

    # When a clerk accepts it (the customer agreed to the later date by phone)
    shop.with_runtime(lambda runtime: queue.accept(runtime, item.id, "anna", {}, "agreed"))
    shop.run()

    # Then the order is confirmed, the item closed, and John got the confirmation PDF
    (order,) = shop.orders()
    assert order.status == CONFIRMED
    assert open_items(shop) == []
    confirmation = shop.sent_to(ACME)[-1]
    assert "confirmed" in str(confirmation["Subject"]) and len(pdfs(confirmation)) == 1


def test_an_overdue_order_is_held_and_its_customer_warned_once(shop: Shop) -> None:
    # Given a confirmed order whose promised date has passed
    shop.run(order_mail("1. HX-2040 Hex Bolt M8x40 - 5000 pcs"))

    def backdate(session: Any) -> None:
        found = session.scalar(select(Order))
        found.promised_date = utcnow().date() - timedelta(days=3)

    shop.query(backdate)

    # When the overdue job runs twice
    def overdue(runtime: Any) -> list[str]:
        with runtime.work() as work:
            return hold_overdue(runtime, work, utcnow().date())

    first, second = shop.with_runtime(overdue), shop.with_runtime(overdue)
    shop.run()

    # Then the order is held for a clerk once, and the customer warned once
    number = shop.orders()[0].number
    assert (first, second) == ([number], [])
    (item,) = open_items(shop)
    assert item.reasons[0]["rule"] == "overdue"
    assert len([m for m in shop.sent_to(ACME) if "delayed" in str(m["Subject"])]) == 1


def test_the_same_po_from_two_workers_at_once_makes_one_order(
    database_url: str, tmp_path: Path
) -> None:
    # Given two mails with the same PO, parsed and waiting
    shop = Shop.open(None, None, tmp_path, database_url)
    raws = [order_mail("1. HX-2040 Hex Bolt M8x40 - 5000 pcs", po="AC-4242") for _ in range(2)]

    def worker(runtime: Any, mail_id: int, start: threading.Barrier, done: list[str]) -> None:
        start.wait()
        with runtime.work() as work:
            found = work.session.get(Mail, mail_id)
            done.append(place_order(runtime, work, found, request_from_mail(found)).number)

    def race(runtime: Any) -> list[str]:
        ids = [_parsed_mail(runtime, raw, n) for n, raw in enumerate(raws)]
        start, done = threading.Barrier(2), []
        threads = [threading.Thread(target=worker, args=(runtime, i, start, done)) for i in ids]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        return done

    # When two workers place them at the same moment
    numbers = shop.with_runtime(race)

    # Then there is one order, and both workers name it
    (only,) = shop.orders()
    assert numbers == [only.number, only.number]


def _parsed_mail(runtime: Any, raw: bytes, uid: int) -> int:
    from mailroom.actions.intake import _record
    from mailroom.parsers import parse_mail

    result = parse_mail(raw, runtime.catalog())
    with runtime.work() as work:
        stored = store_mail(work.session, raw, Location("test", "INBOX", 1, uid + 1))
        assert stored is not None
        _record(stored, result)
        stored.stage = PARSED
        return int(stored.id)


def test_a_change_to_a_confirmed_order_is_confirmed_again_with_a_revised_pdf(shop: Shop) -> None:
    # Given a confirmed order
    shop.run(order_mail("1. HX-2040 Hex Bolt M8x40 - 5000 pcs"))
    number = shop.orders()[0].number

    # When John asks, citing our number, for more of the same item
    shop.run(
        mail(
            ACME,
            f"Change to order {number}",
            f"Hello,\n\nplease change the quantity on our order {number}:\n\n"
            "1. HX-2040 Hex Bolt M8x40 - 8000 pcs\n\nThanks,\nJohn",
        )
    )

    # Then the order has the new quantity and John has the revised confirmation
    (order,) = shop.orders()
    assert order.status == CONFIRMED and order.revision == 2
    assert [int(line.quantity) for line in order.lines] == [8000]
    revised = shop.sent_to(ACME)[-1]
    filename, text = pdf_text(revised)
    assert filename == f"{number}-R2.pdf" and "8,000" in text


def test_cancelling_one_line_changes_the_order_and_does_not_cancel_it(shop: Shop) -> None:
    # Given a confirmed order of two lines
    shop.run(
        order_mail(
            "1. HX-2040 Hex Bolt M8x40 - 5000 pcs\n2. HX-2050 Hex Bolt M10x50 - 2000 pcs",
            po="AC-920",
        )
    )
    (number,) = (o.number for o in shop.orders())

    # When John cancels one of its lines
    shop.run(
        mail(
            ACME,
            f"Order {number}",
            f"Hello,\n\nplease cancel the HX-2050 bolts from order {number}; the M8 bolts "
            "stay as they are.\n\nJohn",
        )
    )

    # Then the order stays confirmed, without the cancelled line
    (order,) = shop.orders()
    assert order.status == CONFIRMED
    kept = shop.query(lambda s: [line.sku for line in s.get(Order, order.id).lines])
    assert kept == ["HX-2040"]


def test_cancelling_the_whole_order_listing_one_of_its_lines_cancels_it(shop: Shop) -> None:
    # Given a confirmed order of two lines
    shop.run(
        order_mail(
            "1. HX-2040 Hex Bolt M8x40 - 5000 pcs\n2. HX-2050 Hex Bolt M10x50 - 2000 pcs",
            po="AC-930",
        )
    )
    (number,) = (o.number for o in shop.orders())

    # When John cancels the whole order, listing only the line he remembers
    shop.run(
        mail(
            ACME,
            f"Order {number}",
            f"Hello,\n\nplease cancel the whole order {number}:\n- HX-2040 bolts 5000 pcs\n\nJohn",
        )
    )

    # Then the order is cancelled, not changed
    (order,) = shop.orders()
    assert order.status == "cancelled"


def test_a_cancellation_before_production_cancels_and_after_shipping_is_held(shop: Shop) -> None:
    # Given two confirmed orders, one of them shipped
    shop.run(
        order_mail("1. HX-2040 Hex Bolt M8x40 - 5000 pcs", po="AC-910"),
        order_mail("1. HX-2040 Hex Bolt M8x40 - 5000 pcs", po="AC-911"),
    )
    first, second = (o.number for o in shop.orders())

    def ship(runtime: Any) -> None:
        with runtime.work() as work:
            found = store.by_number(work.session, second)
            status.move(runtime, work, found, SHIPPED, actor="anna")

    shop.with_runtime(ship)

    # When John asks to cancel both
    shop.run(
        *(
            mail(ACME, f"Cancel order {n}", f"Hello,\n\nplease cancel our order {n}.\n\nJohn")
            for n in (first, second)
        )
    )

    # Then the first is cancelled, the shipped one stays shipped and waits for a clerk
    states = {o.number: o.status for o in shop.orders()}
    assert states == {first: "cancelled", second: SHIPPED}
    (item,) = open_items(shop)
    assert item.reasons[0]["rule"] == "change-held" and second in item.reasons[0]["message"]
    told = [body(m) for m in shop.sent_to(ACME)]
    assert any("cancelled" in text and first in text for text in told)
    assert any("already shipped" in text and second in text for text in told)
