"""Tracking brought up to date: parcels polled at their carrier, and carriers' pushes applied.

The carrier is asked outside any transaction (it is a network call); what it said is applied
in one short transaction per parcel, through `tracking.apply_event`, so a poll that returns
the whole history again adds nothing. A carrier that cannot be asked lands in the clerks'
queue with the reason, once per parcel.
"""

from __future__ import annotations

import logging
from typing import Any

from mailroom.errors import CarrierError
from mailroom.logistics import carriers, polling
from mailroom.logistics.events import TrackingEvent
from mailroom.logistics.exceptions import HOLD_KIND
from mailroom.logistics.tracking import apply_event
from mailroom.runtime import Runtime, Work
from store import holds
from store import shipments as store
from store.orders import Order
from store.shipments import Shipment

log = logging.getLogger(__name__)


def refresh(runtime: Runtime) -> list[str]:
    """Poll every shipment not delivered yet whose carrier has a tracking API.

    Returns:
        The tracking numbers that had new events.
    """
    with runtime.read() as session:
        targets = [s.id for s in store.active(session)]
    return [number for sid in targets if (number := track(runtime, sid)) is not None]


def track(runtime: Runtime, shipment_id: int) -> str | None:
    """Poll one shipment and apply what is new; returns its number when something was."""
    with runtime.read() as session:
        found = session.get(Shipment, shipment_id)
        if found is None:
            return None
        carrier, number = found.carrier, found.tracking_number
    api = polling.adapter_for(runtime.settings, carrier)
    if api is None:
        return None
    try:
        events = api.track(number)
    except CarrierError as exc:
        with runtime.work() as work:
            _hold_poll_failure(work, shipment_id, str(exc))
        log.warning("%s", exc)
        return None
    with runtime.work() as work:
        shipment = work.session.get(Shipment, shipment_id, with_for_update=True)
        if shipment is None:
            return None
        new = apply_all(runtime, work, shipment, events, store.POLL)
    return number if new else None


def apply_all(
    runtime: Runtime, work: Work, shipment: Shipment, events: list[TrackingEvent], source: str
) -> int:
    """Apply events oldest first; returns how many were new."""
    ordered = sorted(events, key=lambda e: e.happened_at)
    return sum(
        apply_event(runtime, work, shipment, e, source=source, reason=e.description).new
        for e in ordered
    )


def apply_push(runtime: Runtime, payload: dict[str, Any]) -> tuple[str, int]:
    """Apply a carrier's push (kuaidi100 style: `lastResult` with `com`, `nu`, `data`).

    Returns:
        The tracking number and how many events were new (0 when the parcel is not ours:
        then the push is held for a clerk).

    Raises:
        CarrierError: the push is not one we can read.
    """
    result = payload.get("lastResult") if isinstance(payload.get("lastResult"), dict) else None
    if result is None or not result.get("nu"):
        raise CarrierError("the push has no lastResult with a tracking number (nu)")
    number = str(result["nu"]).replace(" ", "")
    carrier = carriers.by_api_code(str(result.get("com") or ""))
    events = polling.events_from(result, carrier)
    with runtime.work() as work:
        code = carrier.code if carrier else None
        shipment = store.by_tracking(work.session, number, code, lock=True)
        if shipment is None:
            why = (
                f"a carrier pushed {len(events)} events for {number}, which is no shipment of ours"
            )
            holds.hold(
                work.session,
                dedupe_key=f"push:{result.get('com')}:{number}",
                kind=HOLD_KIND,
                reasons=[holds.reason("unknown-tracking-number", why)],
                ref=number,
            )
            return number, 0
        return number, apply_all(runtime, work, shipment, events, store.WEBHOOK)


def _hold_poll_failure(work: Work, shipment_id: int, message: str) -> None:
    shipment = work.session.get(Shipment, shipment_id)
    if shipment is None:
        return
    order = work.session.get(Order, shipment.order_id)
    holds.hold(
        work.session,
        dedupe_key=f"shipment:{shipment.id}:poll-failed",
        kind=HOLD_KIND,
        reasons=[holds.reason("tracking-poll-failed", message)],
        ref=order.number if order else shipment.tracking_number,
        customer_id=order.customer_id if order else None,
    )
