"""Applying what a carrier said to a shipment: each event once, the order moved, exceptions flagged.

Whatever the source (a notice mail, a poll, a push, the watch), an event goes through
`apply_event`: its key makes a second application a no-op, the shipment takes the status
of its latest scan, the order moves to shipped or delivered through `orders.status.move`
(whose status emails are sent once), and an exception is held for a clerk and told to the
customer once (`exceptions.flag`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from mailroom.logistics import carriers, exceptions
from mailroom.logistics.describe import carrier_label
from mailroom.logistics.events import Notice, TrackingEvent
from mailroom.orders import status as moves
from mailroom.respond import answer, hold_mail
from mailroom.runtime import Runtime, Work
from store import holds
from store import orders as order_store
from store import shipments as store
from store.mail import DONE, Mail
from store.orders import Order
from store.shipments import Shipment, ShipmentEvent

# The order moves a parcel's status makes, when the order has not got there yet.
_SHIPPED_STATUSES = (store.IN_TRANSIT, store.OUT_FOR_DELIVERY, store.EXCEPTION, store.DELIVERED)
_BEFORE_SHIPPED = (order_store.CONFIRMED, order_store.IN_PRODUCTION, order_store.READY)
_NOT_MOVABLE = (order_store.RECEIVED, order_store.ON_HOLD, order_store.CANCELLED)


@dataclass(frozen=True)
class Applied:
    """What applying one event did: whether it was new, and the shipment's status after."""

    new: bool
    status: str
    key: str


def apply_event(
    runtime: Runtime,
    work: Work,
    shipment: Shipment,
    event: TrackingEvent,
    *,
    source: str,
    eta: date | None = None,
    reason: str | None = None,
    key: str | None = None,
) -> Applied:
    """Record `event` on `shipment` once, and act on it.

    Args:
        source: where it came from: "mail:<id>", "poll", "webhook" or "watch".
        eta: a new expected delivery date the carrier gave with it.
        reason: why, when the event is an exception (shown to the clerk and the customer).
        key: the event's name when it is not a carrier's scan (the watch names its own).

    Returns:
        Whether the event was new, and the shipment's status now.
    """
    session = work.session
    key = key or event.key(shipment.carrier, shipment.tracking_number)
    if store.event_exists(session, key):
        return Applied(False, shipment.status, key)
    session.add(
        ShipmentEvent(
            shipment_id=shipment.id,
            event_key=key,
            happened_at=event.happened_at,
            status=event.status,
            exception_kind=event.exception_kind,
            place=(event.place or "")[:255] or None,
            description=event.description,
            source=source,
        )
    )
    if eta is not None:
        shipment.eta = eta
    _take_status(shipment, event, scan=source != store.WATCH)
    order = session.get(Order, shipment.order_id)
    if order is not None:
        if source != store.WATCH:  # the watch saw nothing happen: the order stays where it is
            _move_order(runtime, work, order, shipment, event)
        if event.exception_kind or event.status in (store.EXCEPTION, store.RETURNED):
            exceptions.flag(runtime, work, order, shipment, event, key, reason)
    session.flush()
    return Applied(True, shipment.status, key)


def _take_status(shipment: Shipment, event: TrackingEvent, *, scan: bool) -> None:
    """The shipment's status is its latest event's; a late-arriving older scan changes nothing."""
    latest = shipment.last_event_at
    if latest is not None and event.happened_at < latest:
        return
    if shipment.status in (store.DELIVERED, store.RETURNED) and not scan:
        return
    shipment.status, shipment.exception_kind = event.status, event.exception_kind
    if scan:
        shipment.last_event_at = event.happened_at
        if shipment.shipped_on is None and event.status != store.PENDING:
            shipment.shipped_on = event.happened_at.date()


def _move_order(
    runtime: Runtime, work: Work, order: Order, shipment: Shipment, event: TrackingEvent
) -> None:
    """Shipped when a parcel is on its way (or one of several arrived); delivered when every
    parcel of the order is."""
    if order.status in _NOT_MOVABLE:
        why = (
            f"{_label(shipment)} {shipment.tracking_number} reports {event.status}, "
            f"but order {order.number} is {order.status}"
        )
        _hold_order(work, order, "shipment-for-unconfirmed-order", why)
        return
    note = f"{_label(shipment)} {shipment.tracking_number}: {event.description or event.status}"
    if event.status == store.DELIVERED:
        parcels = store.for_order(work.session, order.id)
        done = order.status in (order_store.DELIVERED, order_store.CLOSED)
        if not done and all(s.status == store.DELIVERED for s in parcels):
            _move(runtime, work, order, order_store.DELIVERED, shipment, note)
            return
    if event.status in _SHIPPED_STATUSES and order.status in _BEFORE_SHIPPED:
        _move(runtime, work, order, order_store.SHIPPED, shipment, note)


def _move(
    runtime: Runtime, work: Work, order: Order, status: str, shipment: Shipment, note: str
) -> None:
    tracking = shipment.tracking_number
    moves.move(runtime, work, order, status, actor="shipments", note=note, tracking=tracking)


def _hold_order(work: Work, order: Order, rule: str, message: str) -> None:
    holds.hold(
        work.session,
        dedupe_key=f"order:{order.number}:{rule}",
        kind=exceptions.HOLD_KIND,
        reasons=[holds.reason(rule, message)],
        ref=order.number,
        customer_id=order.customer_id,
    )


def _label(shipment: Shipment) -> str:
    return carrier_label(shipment.carrier)


def apply_notice(runtime: Runtime, work: Work, mail: Mail, notice: Notice | None) -> None:
    """Apply a carrier's mail to the shipment it names; a mail we cannot place is held.

    A carrier never gets a reply, whatever happens: its mailboxes are machines. A person
    who passed a notice on to us (a customer forwarding it) gets the acknowledgement every
    person's mail gets.
    """
    _place_notice(runtime, work, mail, notice)
    from_person = (
        not (mail.parsed or {}).get("no_reply") and carriers.by_sender(mail.sender) is None
    )
    if from_person:
        answer(runtime, work, mail, "ack/received")


def _place_notice(runtime: Runtime, work: Work, mail: Mail, notice: Notice | None) -> None:
    if notice is None:
        why = "a carrier's mail, but no carrier, tracking number or status could be read"
        hold_mail(work, mail, [holds.reason("notice-unread", why)])
        mail.outcome = "carrier mail held: not read"
        return
    number, session = notice.tracking_number, work.session
    shipment = store.by_tracking(session, number, notice.carrier, lock=True)
    shipment = shipment or store.by_tracking(session, number, lock=True)
    if shipment is None:
        why = (
            f"{carrier_label(notice.carrier)} reports {notice.event.status} for "
            f"{notice.tracking_number}, which is no shipment of ours"
        )
        hold_mail(work, mail, [holds.reason("unknown-tracking-number", why)])
        mail.outcome = f"carrier mail held: unknown tracking number {notice.tracking_number}"
        return
    applied = apply_event(
        runtime,
        work,
        shipment,
        notice.event,
        source=f"mail:{mail.id}",
        eta=notice.eta,
        reason=notice.reason,
    )
    mail.stage = DONE
    done = "applied" if applied.new else "already applied"
    mail.outcome = f"carrier notice {done}: {notice.tracking_number} is {applied.status}"
