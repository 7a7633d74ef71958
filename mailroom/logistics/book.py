"""Booking a shipment for an order: the carrier, service and tracking number it leaves with.

Booking the same parcel twice (same carrier and tracking number) gives the shipment
already booked, so a retried command or job creates no second row.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from mailroom.errors import UsageError
from mailroom.logistics import carriers
from store import orders as order_store
from store import shipments as store
from store.orders import Order
from store.shipments import Shipment

# An order can be booked once it is confirmed and until it is delivered.
BOOKABLE = (
    order_store.CONFIRMED,
    order_store.IN_PRODUCTION,
    order_store.READY,
    order_store.SHIPPED,
)


def book(
    session: Session,
    order: Order,
    *,
    carrier: str,
    tracking_number: str,
    service: str | None = None,
    packages: int = 1,
    weight_kg: Decimal | None = None,
    shipped_on: date | None = None,
    eta: date | None = None,
    chosen_by: str | None = None,
) -> Shipment:
    """Create the order's shipment (or return the one booked already with that number).

    Raises:
        UsageError: the carrier is not one we know, the order is not confirmed, or the
            tracking number is booked for another order.
    """
    if carriers.get(carrier) is None:
        known = ", ".join(sorted(carriers.carriers()))
        raise UsageError(f"no carrier {carrier!r}; the carriers are {known}")
    number = tracking_number.replace(" ", "").strip()
    existing = store.by_tracking(session, number, carrier.lower())
    if existing is not None:
        if existing.order_id != order.id:
            raise UsageError(f"{carrier} {number} is already booked for another order")
        return existing
    if order.status not in BOOKABLE:
        raise UsageError(f"order {order.number} is {order.status}; it cannot be shipped now")
    shipment = Shipment(
        order_id=order.id,
        carrier=carrier.lower(),
        service=service,
        tracking_number=number,
        packages=packages,
        weight_kg=weight_kg,
        shipped_on=shipped_on,
        eta=eta,
        status=store.PENDING,
        chosen_by=chosen_by,
    )
    session.add(shipment)
    session.flush()
    return shipment
