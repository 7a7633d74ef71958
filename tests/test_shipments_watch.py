"""Stalled parcels: no scan for days, or the ETA passed; flagged for a clerk and told once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from mailroom import queue
from mailroom.logistics import exceptions
from mailroom.pipeline import PERIODIC
from store import shipments as store
from store.base import utcnow
from store.shipments import Shipment
from tests.shipping import ACME, book_parcel, confirmed_order, open_items, shipment
from tests.shop import Shop, body


@pytest.fixture
def shop(dovecot: Any, smtp_sink: Any, database_url: str, tmp_path: Path) -> Iterator[Shop]:
    yield Shop.open(dovecot, smtp_sink, tmp_path, database_url)


def watch(shop: Shop) -> list[str]:
    def run(runtime: Any) -> list[str]:
        with runtime.work() as work:
            return exceptions.watch(runtime, work, utcnow())

    return shop.with_runtime(run)  # type: ignore[no-any-return]


def test_a_parcel_without_a_scan_for_days_and_one_past_its_eta_are_flagged_once(
    shop: Shop,
) -> None:
    # Given one parcel last scanned 6 days ago, and one whose ETA was yesterday
    number = confirmed_order(shop)
    silent = book_parcel(shop, number, "dhl", "4829301756")
    late = book_parcel(shop, number, "fedex", "794612385530")
    now = utcnow()

    def age(session: Any) -> None:
        quiet = session.get(Shipment, silent)
        quiet.status, quiet.last_event_at = store.IN_TRANSIT, now - timedelta(days=6)
        overdue = session.get(Shipment, late)
        overdue.status, overdue.last_event_at = store.IN_TRANSIT, now - timedelta(hours=2)
        overdue.eta = (now - timedelta(days=1)).date()

    shop.query(age)
    before = len(shop.sent_to(ACME))

    # When the watch runs twice (as the hourly job does), and the service sends
    first, second = watch(shop), watch(shop)
    shop.run()

    # Then each parcel was flagged on the first run only
    assert sorted(first) == ["4829301756", "794612385530"] and second == []
    reasons = sorted(i.reasons[0]["message"] for i in open_items(shop) if i.kind == "shipment")
    assert len(reasons) == 2
    assert "no scan from the carrier for 6 days" in reasons[0]
    assert "not delivered yet" in reasons[1]
    # And John was told once about each, with the tracking number
    told = shop.sent_to(ACME)[before:]
    assert sorted(t for m in told for t in ("4829301756", "794612385530") if t in body(m)) == [
        "4829301756",
        "794612385530",
    ]
    assert len(told) == 2
    # And a clerk who has chased the carrier accepts the items: they close, nothing is sent
    for item in [i for i in open_items(shop) if i.kind == "shipment"]:
        shop.with_runtime(lambda runtime, i=item: queue.accept(runtime, i.id, "anna", {}, "chased"))
    shop.run()
    assert [i for i in open_items(shop) if i.kind == "shipment"] == []
    assert len(shop.sent_to(ACME)[before:]) == 2
    # And the parcels show the exception, the silent one keeping its last real scan time
    assert shipment(shop, "4829301756").status == store.EXCEPTION
    assert shipment(shop, "4829301756").exception_kind == store.DELAY
    last_scan = shipment(shop, "4829301756").last_event_at
    assert last_scan is not None and last_scan < utcnow() - timedelta(days=5)


def test_the_watch_runs_every_hour() -> None:
    assert PERIODIC["shipments.watch"] == 3600.0


@pytest.mark.parametrize(
    ("language", "words"),
    [("en", ("held in customs", "EX205316748CN")), ("zh", ("被海关扣留", "运单号：EX205316748CN"))],
)
def test_the_exception_notice_reads_in_the_customers_language(
    language: str, words: tuple[str, ...]
) -> None:
    from mailroom.replies.render import render

    # Given a parcel held in customs
    context = {
        "order": {"number": "SO-2026-00042", "po_number": "PO-9"},
        "greeting_name": "Zhang Min",
        "company_name": "Mailroom Trading Co.",
        "shipment": {
            "carrier": "China Post EMS",
            "service": None,
            "tracking_number": "EX205316748CN",
            "eta": None,
        },
        "exception": {
            "kind": "customs_hold",
            "happened_at": "2026-12-05 00:46 UTC",
            "place": "Frankfurt",
            "reason": "commercial invoice required",
        },
    }

    # When the notice is rendered
    rendered = render("shipment/exception", language, **context)

    # Then it says what happened to which parcel of which order
    text = rendered.subject + rendered.text
    assert "SO-2026-00042" in rendered.subject
    for word in words:
        assert word in text
