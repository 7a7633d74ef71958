"""Shipments as the customer's emails show them: carrier, number, status, last event, ETA."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from mailroom.logistics import carriers
from store import shipments as store
from store.shipments import Shipment


def carrier_label(code: str) -> str:
    """The carrier's name as people know it (`sf` is "SF Express 顺丰速运")."""
    carrier = carriers.get(code)
    return carrier.label if carrier else code


def shipment_context(session: Session, shipment: Shipment) -> dict[str, Any]:
    """What the customer's templates show of a shipment: plain strings."""
    last = store.last_event(session, shipment.id) if shipment.id else None
    return {
        "carrier": carrier_label(shipment.carrier),
        "service": shipment.service,
        "tracking_number": shipment.tracking_number,
        "status": shipment.status,
        "eta": shipment.eta.isoformat() if shipment.eta else None,
        "last_event": None
        if last is None
        else {
            "at": f"{last.happened_at:%Y-%m-%d %H:%M} UTC",
            "status": last.status,
            "place": last.place,
            "description": last.description,
        },
    }


def order_shipments(session: Session, order_id: int) -> list[dict[str, Any]]:
    """Every shipment of an order, as `shipment_context` shows it."""
    return [shipment_context(session, s) for s in store.for_order(session, order_id)]
