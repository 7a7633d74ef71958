"""Tracking by polling the carrier's API (a local fake kuaidi100) and by its pushes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from mailroom.logistics import refresh
from store import orders as order_store
from store import shipments as store
from tests.fake_carrier import FakeCarrier
from tests.shipping import (
    ACME,
    book_parcel,
    carrier_mail,
    confirmed_order,
    events,
    open_items,
    shipment,
)
from tests.shop import Shop
from tests.support import service_runtime
from tests.web_support import served

SF = "SF1428663091572"
SECRET = "s3cret-push"
# kuaidi100 writes the newest row first, times in China time.
ROWS = [
    {
        "time": "2026-12-08 10:52:17",
        "context": "[上海市]快件已签收，签收人：前台代收",
        "location": "上海市",
    },
    {
        "time": "2026-12-08 08:01:02",
        "context": "[上海市]快件交给王师傅，正在派送中",
        "location": "上海市",
    },
    {"time": "2026-12-06 16:25:41", "context": "[宁波市]顺丰速运 已收取快件", "location": "宁波市"},
]


@pytest.fixture
def shop(dovecot: Any, smtp_sink: Any, database_url: str, tmp_path: Path) -> Iterator[Shop]:
    yield Shop.open(dovecot, smtp_sink, tmp_path, database_url)


@pytest.fixture
def carrier() -> Iterator[FakeCarrier]:
    fake = FakeCarrier().start()
    try:
        yield fake
    finally:
        fake.stop()


def poll(shop: Shop, carrier: FakeCarrier) -> list[str]:
    settings = {"carrier_api_url": carrier.url, "carrier_api_key": carrier.api_key}
    with service_runtime(
        shop.home, smtp_url=shop.smtp.url, database_url=shop.database_url, **settings
    ) as runtime:
        return refresh.refresh(runtime)


def test_polling_the_carrier_applies_its_events_once_and_delivers_the_order(
    shop: Shop, carrier: FakeCarrier
) -> None:
    # Given a confirmed order with an SF parcel, which SF's API shows delivered
    number = confirmed_order(shop)
    book_parcel(shop, number, "sf", SF)
    carrier.parcels[("shunfeng", SF)] = (ROWS, "3")

    # When the refresh job polls twice, and the service sends what it wrote
    first, second = poll(shop, carrier), poll(shop, carrier)
    shop.run()

    # Then the three events are recorded once, in order, and the order is delivered
    assert first == [SF] and second == []
    parcel = shipment(shop, SF)
    statuses = [e.status for e in events(shop, parcel.id)]
    assert statuses == [store.IN_TRANSIT, store.OUT_FOR_DELIVERY, store.DELIVERED]
    assert {e.source for e in events(shop, parcel.id)} == {store.POLL}
    assert parcel.status == store.DELIVERED
    (order,) = shop.orders()
    assert order.status == order_store.DELIVERED
    subjects = [str(m["Subject"]) for m in shop.sent_to(ACME)]
    assert len([s for s in subjects if "delivered" in s]) == 1
    # And a delivered parcel is not polled again
    asked = len(carrier.queries)
    assert poll(shop, carrier) == [] and len(carrier.queries) == asked


def test_a_carrier_api_that_fails_puts_the_parcel_in_the_clerks_queue_once(
    shop: Shop, carrier: FakeCarrier
) -> None:
    # Given a parcel and a carrier API that answers with a server error
    number = confirmed_order(shop)
    book_parcel(shop, number, "sf", SF)
    carrier.broken = True

    # When the refresh job runs twice
    poll(shop, carrier)
    poll(shop, carrier)

    # Then one item tells a clerk that tracking failed
    (item,) = [i for i in open_items(shop) if i.kind == "shipment"]
    assert item.reasons[0]["rule"] == "tracking-poll-failed"
    assert SF in item.reasons[0]["message"]


def push(url: str, secret: str, rows: list[dict[str, str]], state: str) -> httpx.Response:
    body = {
        "status": "polling",
        "lastResult": {"com": "shunfeng", "nu": SF, "state": state, "data": rows},
    }
    return httpx.post(
        f"{url}/hooks/carrier",
        data={"param": json.dumps(body, ensure_ascii=False)},
        headers={"X-Carrier-Secret": secret},
    )


def test_a_pushed_update_with_the_shared_secret_is_applied_once(shop: Shop) -> None:
    # Given a confirmed order with an SF parcel, and the web app taking carrier pushes
    number = confirmed_order(shop)
    book_parcel(shop, number, "sf", SF)
    with served(
        shop.home,
        database_url=shop.database_url,
        smtp_url=shop.smtp.url,
        carrier_webhook_secret=SECRET,
    ) as site:
        # When a push without the secret arrives, then SF pushes the pick-up twice
        refused = push(site.url, "wrong", ROWS[2:], "1")
        first = push(site.url, SECRET, ROWS[2:], "1")
        again = push(site.url, SECRET, ROWS[2:], "1")

    # Then the push without the secret changed nothing; the real one was applied once
    assert refused.status_code == 403
    assert first.status_code == 200 and first.json()["new"] == 1
    assert again.status_code == 200 and again.json()["new"] == 0
    parcel = shipment(shop, SF)
    assert [(e.status, e.source) for e in events(shop, parcel.id)] == [
        (store.IN_TRANSIT, store.WEBHOOK)
    ]
    (order,) = shop.orders()
    assert order.status == order_store.SHIPPED


def test_a_scan_heard_by_mail_and_then_by_poll_is_one_event(
    shop: Shop, carrier: FakeCarrier
) -> None:
    # Given an SF parcel whose pick-up came by mail (16:25:41), and SF's API that reports
    # the same scan with another second (16:25:03)
    number = confirmed_order(shop)
    book_parcel(shop, number, "sf", SF)
    shop.run(carrier_mail("sf-picked-up"))
    carrier.parcels[("shunfeng", SF)] = (
        [{"time": "2026-12-06 16:25:03", "context": "顺丰速运 已揽收", "location": "宁波市"}],
        "1",
    )

    # When the refresh job polls
    poll(shop, carrier)

    # Then the parcel still has one event
    parcel = shipment(shop, SF)
    assert [e.source.split(":")[0] for e in events(shop, parcel.id)] == ["mail"]
