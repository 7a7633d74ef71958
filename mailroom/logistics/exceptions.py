"""Shipment exceptions acted on: the order flagged for a clerk, the customer told once.

An exception is a carrier's event (failed delivery, customs hold, address problem, damage,
loss, return) or one the watch finds itself: no scan for `shipment_stale_days`, or the ETA
passed without delivery. Each is held under `shipment:<id>:exception:<event key>` and told
to the customer under the same outbox key, so the same exception is never told twice.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from mailroom.logistics.describe import carrier_label, shipment_context
from mailroom.logistics.events import TrackingEvent
from mailroom.orders import status as moves
from mailroom.queue import resumer
from mailroom.runtime import Runtime, Work
from store import holds
from store import shipments as store
from store.holds import HeldItem
from store.orders import Order
from store.shipments import Shipment

if TYPE_CHECKING:
    from mailroom.logistics.tracking import Applied

HOLD_KIND = "shipment"
# How a clerk reads each kind.
KIND_TEXT = {
    store.DELAY: "delayed",
    store.FAILED_ATTEMPT: "delivery attempt failed",
    store.CUSTOMS_HOLD: "held in customs",
    store.ADDRESS_PROBLEM: "problem with the delivery address",
    store.DAMAGED: "damaged",
    store.LOST: "lost",
    store.RETURNED_TO_SENDER: "returned to sender",
}


def exception_key(shipment: Shipment, event_key: str) -> str:
    return f"shipment:{shipment.id}:exception:{event_key}"


def flag(
    runtime: Runtime,
    work: Work,
    order: Order,
    shipment: Shipment,
    event: TrackingEvent,
    event_key: str,
    reason: str | None,
) -> None:
    """Hold the order's shipment for a clerk and tell the customer, once per exception."""
    key = exception_key(shipment, event_key)
    kind = event.exception_kind or event.status
    label = carrier_label(shipment.carrier)
    said = reason or event.description or KIND_TEXT.get(kind, kind)
    message = (
        f"{label} {shipment.tracking_number} for order {order.number}: "
        f"{KIND_TEXT.get(kind, kind)}: {said}"
    )
    holds.hold(
        work.session,
        dedupe_key=key,
        kind=HOLD_KIND,
        reasons=[holds.reason(f"shipment-{kind.replace('_', '-')}", message)],
        ref=order.number,
        customer_id=order.customer_id,
        detail=f"{event.happened_at:%Y-%m-%d %H:%M} UTC {event.place or ''}".strip(),
    )
    extra = {
        "shipment": shipment_context(work.session, shipment),
        "exception": {
            "kind": kind,
            "happened_at": f"{event.happened_at:%Y-%m-%d %H:%M} UTC",
            "place": event.place,
            "reason": said,
        },
    }
    moves.tell(runtime, work, order, "shipment/exception", key, extra)


def watch(runtime: Runtime, work: Work, now: datetime) -> list[str]:
    """Flag shipments not scanned for `shipment_stale_days`, and those past their ETA.

    Each stall is flagged once: its key names the last scan it waits after (or the ETA
    passed), so only a new stall, after a new scan or a new ETA, is flagged again.

    Returns:
        The tracking numbers flagged now.
    """
    from mailroom.logistics.tracking import apply_event

    stale = timedelta(days=runtime.settings.shipment_stale_days)
    flagged = []
    for shipment in store.active(work.session):
        for key, description in _stalls(shipment, now, stale):
            event = TrackingEvent(now, store.EXCEPTION, store.DELAY, None, description)
            applied: Applied = apply_event(
                runtime, work, shipment, event, source=store.WATCH, key=key, reason=description
            )
            if applied.new:
                flagged.append(shipment.tracking_number)
    return flagged


def _stalls(shipment: Shipment, now: datetime, stale: timedelta) -> list[tuple[str, str]]:
    found = []
    since = shipment.last_event_at or shipment.created_at.astimezone(UTC)
    if now - since >= stale:
        days = (now - since).days
        found.append(
            (
                f"watch:{shipment.id}:no-scan:{since:%Y%m%dT%H%M}",
                f"no scan from the carrier for {days} days (since {since:%Y-%m-%d})",
            )
        )
    if shipment.eta is not None and shipment.eta < now.date():
        found.append(
            (
                f"watch:{shipment.id}:eta:{shipment.eta.isoformat()}",
                f"expected on {shipment.eta.isoformat()}, not delivered yet",
            )
        )
    return found


@resumer(HOLD_KIND)
def _resume_shipment(
    runtime: Runtime, work: Work, item: HeldItem, corrections: dict[str, Any], clerk: str
) -> None:
    """Accepting a shipment exception: the clerk has dealt with the carrier; nothing resumes."""
    holds.record(work.session, item, "noted", clerk, "shipment exception dealt with")
