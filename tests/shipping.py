"""What the shipment tests share: a confirmed order, parcels booked on it, carrier mail."""

from __future__ import annotations

import json
import re
from email.utils import make_msgid
from pathlib import Path
from typing import Any

from sqlalchemy import select

from mailroom.logistics.book import book
from store import orders as order_store
from store import shipments as store
from store.holds import OPEN, HeldItem
from store.shipments import Shipment, ShipmentEvent
from tests.shop import Shop, in_days
from tests.support import mail

ACME = "john.miller@acme-industrial.com"
CARRIERS = Path(__file__).parent.parent / "fixtures" / "carriers"
EXPECTED: dict[str, dict[str, Any]] = json.loads(
    (CARRIERS / "expected.json").read_text(encoding="utf-8")
)


def confirmed_order(shop: Shop, po: str = "AC-700") -> str:
    """Place Acme's order for a stocked item; returns its number (it is confirmed)."""
    shop.run(
        mail(
            ACME,
            f"Purchase order {po}",
            f"Hello,\n\nPlease supply under our purchase order {po}:\n\n"
            f"1. HX-2040 Hex Bolt M8x40 - 5000 pcs\n\nRequested delivery date: {in_days(30)}\n\n"
            "Best regards,\nJohn",
        )
    )
    (order,) = [o for o in shop.orders() if o.po_number == po]
    assert order.status == order_store.CONFIRMED, order.reasons
    return order.number


def book_parcel(shop: Shop, number: str, carrier: str, tracking: str, **extra: Any) -> int:
    """Book a parcel on order `number` as a clerk would; returns the shipment id."""

    def run(runtime: Any) -> int:
        with runtime.work() as work:
            order = order_store.by_number(work.session, number)
            return book(work.session, order, carrier=carrier, tracking_number=tracking, **extra).id

    return shop.with_runtime(run)  # type: ignore[no-any-return]


def carrier_mail(name: str, *, resent: bool = False) -> bytes:
    """A fixture carrier mail; `resent` gives it a new Message-ID (the carrier sent it again)."""
    raw = (CARRIERS / f"{name}.eml").read_bytes()
    if resent:
        new_id = make_msgid(domain="resent.example").encode()
        raw = re.sub(rb"(?im)^Message-ID:.*$", b"Message-ID: " + new_id, raw, count=1)
    return raw


def shipment(shop: Shop, tracking: str) -> Shipment:
    query = select(Shipment).where(Shipment.tracking_number == tracking)
    return shop.query(lambda s: s.scalars(query).one())  # type: ignore[no-any-return]


def events(shop: Shop, shipment_id: int) -> list[ShipmentEvent]:
    return shop.query(lambda s: store.events(s, shipment_id))  # type: ignore[no-any-return]


def open_items(shop: Shop) -> list[HeldItem]:
    query = select(HeldItem).where(HeldItem.status == OPEN).order_by(HeldItem.id)
    return shop.query(lambda s: list(s.scalars(query)))  # type: ignore[no-any-return]
