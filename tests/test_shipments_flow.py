"""Carrier mail through the service: each notice applied once, exceptions held and told once,
a delivered order, and a notice about a parcel we do not know held for a clerk."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from store import orders as order_store
from store import shipments as store
from store.mail import HELD, Mail
from tests.shipping import (
    ACME,
    EXPECTED,
    book_parcel,
    carrier_mail,
    confirmed_order,
    events,
    open_items,
    shipment,
)
from tests.shop import Shop, body
from tests.support import mail

# One notice per parcel; a parcel with two stands here by its exception (else its first).
PARCELS = sorted(
    {
        e["tracking_number"]: n
        for n, e in sorted(EXPECTED.items(), key=lambda i: (bool(i[1]["exception_kind"]), i[0]))
    }.values()
)
EXCEPTIONS = sorted(name for name in PARCELS if EXPECTED[name]["exception_kind"])


@pytest.fixture
def shop(dovecot: Any, smtp_sink: Any, database_url: str, tmp_path: Path) -> Iterator[Shop]:
    yield Shop.open(dovecot, smtp_sink, tmp_path, database_url)


def test_each_carriers_notice_is_applied_once_even_when_it_arrives_twice(shop: Shop) -> None:
    # Given a confirmed order with a parcel booked at each carrier
    number = confirmed_order(shop)
    for name in PARCELS:
        expected = EXPECTED[name]
        book_parcel(shop, number, expected["carrier"], expected["tracking_number"])
    before = len(shop.sent_to(ACME))

    # When every carrier's notice arrives, and then each one again under a new Message-ID
    shop.run(*(carrier_mail(name) for name in PARCELS))
    shop.run(*(carrier_mail(name, resent=True) for name in PARCELS))

    # Then each parcel has exactly the one event its notice reported, with its status
    for name in PARCELS:
        expected = EXPECTED[name]
        parcel = shipment(shop, expected["tracking_number"])
        (event,) = events(shop, parcel.id)
        assert (event.status, event.exception_kind) == (
            expected["status"],
            expected["exception_kind"],
        ), name
        assert parcel.status == expected["status"], name
    # And the order moved to shipped, told once; every exception kind was told once
    (order,) = shop.orders()
    assert order.status == order_store.SHIPPED
    sent = shop.sent_to(ACME)[before:]
    assert len([m for m in sent if "shipped" in str(m["Subject"])]) == 1
    told = [m for m in sent if "shipped" not in str(m["Subject"])]
    assert len(told) == len(EXCEPTIONS)
    for name in EXCEPTIONS:
        tracking = EXPECTED[name]["tracking_number"]
        assert len([m for m in told if tracking in body(m)]) == 1, name
    # And no carrier got a reply, and a clerk sees every exception once, with its kind
    assert all(str(m["To"]) == ACME for m in shop.smtp.messages)
    rules = sorted(i.reasons[0]["rule"] for i in open_items(shop) if i.kind == "shipment")
    kinds = sorted(EXPECTED[n]["exception_kind"] for n in EXCEPTIONS)
    assert set(kinds) == set(store.EXCEPTION_KINDS)
    assert rules == sorted(f"shipment-{k.replace('_', '-')}" for k in kinds)


def test_a_delivered_parcel_moves_the_order_to_delivered_and_tells_the_customer_once(
    shop: Shop,
) -> None:
    # Given a confirmed order with its one parcel booked at SF Express
    number = confirmed_order(shop, po="AC-701")
    book_parcel(shop, number, "sf", "SF1428663091572", service="顺丰特快")

    # When SF's pick-up notice and its delivery notice arrive, the delivery one twice
    shop.run(carrier_mail("sf-picked-up"))
    shop.run(carrier_mail("sf-delivered"), carrier_mail("sf-delivered", resent=True))

    # Then the order is delivered, and John heard once that it shipped, once that it arrived
    (order,) = shop.orders()
    assert order.status == order_store.DELIVERED
    assert "SF1428663091572" in order.tracking_numbers
    subjects = [str(m["Subject"]) for m in shop.sent_to(ACME)]
    assert len([s for s in subjects if "shipped" in s]) == 1
    assert len([s for s in subjects if "delivered" in s]) == 1
    parcel = shipment(shop, "SF1428663091572")
    assert parcel.status == store.DELIVERED
    assert [e.status for e in events(shop, parcel.id)] == [store.IN_TRANSIT, store.DELIVERED]
    assert parcel.eta is not None and parcel.eta.isoformat() == "2026-12-08"
    assert open_items(shop) == []


def test_a_notice_about_a_parcel_we_do_not_know_is_held_and_never_answered(shop: Shop) -> None:
    # Given no shipment booked with UPS
    # When UPS writes about a parcel
    shop.run(carrier_mail("ups-address"))

    # Then the mail is held for a clerk with the reason, and nobody got a reply
    (item,) = open_items(shop)
    assert item.reasons[0]["rule"] == "unknown-tracking-number"
    assert "1Z4E27W90413562805" in item.reasons[0]["message"]
    (held,) = shop.query(lambda s: list(s.query(Mail)))
    assert held.stage == HELD and held.intent == "shipment_notice"
    assert shop.smtp.messages == []


def test_a_status_question_about_a_shipped_order_tells_carrier_tracking_last_event_and_eta(
    shop: Shop,
) -> None:
    # Given an order shipped by DHL, whose notice said it is in transit at Leipzig
    number = confirmed_order(shop, po="AC-702")
    book_parcel(shop, number, "dhl", "4829301756", service="EXPRESS WORLDWIDE")
    shop.run(carrier_mail("dhl-in-transit"))

    # When John asks where the order is
    shop.run(
        mail(
            ACME,
            f"Status of {number}",
            f"Hello,\n\nwhere is our order {number}? Any update on the delivery status?\n\nJohn",
        )
    )

    # Then the answer names the carrier, the tracking number, the last event and the ETA
    reply = shop.sent_to(ACME)[-1]
    text = body(reply)
    assert number in text and "shipped" in text
    for said in ("DHL Express", "4829301756", "LEIPZIG - GERMANY", "2026-12-09", "on its way"):
        assert said in text, (said, text)


def test_a_customer_passing_on_a_carriers_notice_gets_one_acknowledgement(shop: Shop) -> None:
    # Given an order with a DHL parcel
    number = confirmed_order(shop, po="AC-703")
    book_parcel(shop, number, "dhl", "4829301756")
    before = len(shop.sent_to(ACME))

    # When John forwards DHL's notice to us
    shop.run(
        mail(
            ACME,
            "Fwd: DHL On Demand Delivery: Your shipment 4829301756 is on its way",
            "FYI, see below.\n\nJohn\n\n---------- Forwarded message ---------\n"
            "From: DHL Express <noreply@dhl.com>\n\nyour DHL Express shipment is on its way.\n\n"
            "Waybill number: 4829301756\nStatus: Shipment is in transit\n"
            "Latest checkpoint: 07/12/2026 05:48  LEIPZIG - GERMANY\n"
            "Estimated delivery: Wednesday, December 09, 2026\n",
        )
    )

    # Then the parcel has the event, the order is shipped, and John got one acknowledgement
    parcel = shipment(shop, "4829301756")
    assert [e.status for e in events(shop, parcel.id)] == [store.IN_TRANSIT]
    sent = shop.sent_to(ACME)[before:]
    subjects = sorted(str(m["Subject"]) for m in sent)
    assert len(sent) == 2, subjects
    assert len([s for s in subjects if "shipped" in s]) == 1
    (ack,) = [m for m in sent if "shipped" not in str(m["Subject"])]
    assert "4829301756" in str(ack["Subject"]) and "[" in str(ack["Subject"])


def test_an_order_in_two_parcels_is_delivered_when_the_second_arrives(shop: Shop) -> None:
    # Given a confirmed order sent in two parcels, one by FedEx and one by SF Express
    number = confirmed_order(shop, po="AC-704")
    book_parcel(shop, number, "fedex", "794612385530")
    book_parcel(shop, number, "sf", "SF1428663091572")

    # When FedEx delivers its parcel
    shop.run(carrier_mail("fedex-delivered"))

    # Then the order is shipped, not delivered yet
    assert shop.orders()[0].status == order_store.SHIPPED

    # When SF delivers the other one
    shop.run(carrier_mail("sf-delivered"))

    # Then the order is delivered, and John heard of each move once
    assert shop.orders()[0].status == order_store.DELIVERED
    subjects = [str(m["Subject"]) for m in shop.sent_to(ACME)]
    assert len([s for s in subjects if "shipped" in s]) == 1
    assert len([s for s in subjects if "delivered" in s]) == 1
