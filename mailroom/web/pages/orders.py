"""Orders: a searchable list and each order's page with its lines and timeline.

Shown only when the store keeps orders (`store.orders`); the timeline merges the order's
status changes with the mails, replies and documents that belong to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from starlette.responses import Response

from mailroom.errors import NotFound, UsageError
from mailroom.web.context import Ctx
from store import documents, search
from store.mail import Mail


@dataclass
class Moment:
    at: datetime
    what: str
    actor: str
    note: str
    link: str = ""


def order_list(ctx: Ctx) -> Response:
    """GET /orders?q=... (number, PO, customer or status)."""
    from store import orders

    text = ctx.arg("q").lower()
    with ctx.runtime.read() as session:
        found = [
            order
            for order in reversed(orders.all_orders(session))
            if not text or any(text in (value or "").lower() for value in _searchable(order))
        ][:300]
    return ctx.page("orders.html.j2", orders=found, q=ctx.arg("q"))


def order_detail(ctx: Ctx) -> Response:
    """GET /orders/{number}."""
    from store import orders

    number = ctx.request.path_params["number"]
    with ctx.runtime.read() as session:
        order = orders.by_number(session, number)
        if order is None:
            raise NotFound(f"there is no order {number}")
        events = orders.history(session, order.id)
        mail_ids = sorted({e.mail_id for e in events if e.mail_id} | {order.mail_id or 0} - {0})
        mails = [m for m in (session.get(Mail, i) for i in mail_ids) if m is not None]
        replies = search.replies_to(session, mail_ids)
        lines = list(order.lines)
        filed = documents.listed(session, order_id=order.id)
        parcels = _parcels(session, order.id)
    timeline = [Moment(e.at, e.status, e.actor, e.note or "") for e in events]
    timeline += [
        Moment(m.created_at, "mail", m.sender or "", m.subject or "", f"/mail/{m.id}")
        for m in mails
    ]
    timeline += [
        Moment(r.sent_at or r.created_at, f"reply {r.status}", r.recipient, r.purpose)
        for r in replies
    ]
    timeline += [
        Moment(d.created_at, f"{d.direction} {d.kind}", d.number or "", d.filename, _link(d))
        for d in filed
    ]
    timeline.sort(key=lambda moment: moment.at)
    return ctx.page(
        "order.html.j2",
        order=order,
        lines=lines,
        timeline=timeline,
        parcels=parcels,
        suggestion=_suggestion(order),
        carriers=_carrier_names(),
        documents=filed,
    )


def book_parcel(ctx: Ctx) -> Response:
    """POST /orders/{number}/shipments: book a parcel, by the rules or the clerk's choice."""
    from mailroom.logistics import choose
    from mailroom.logistics.book import book
    from store import orders

    number = ctx.request.path_params["number"]
    tracking = ctx.field("tracking").strip()
    if not tracking:
        raise UsageError("give the tracking number the carrier gave the parcel")
    try:
        weight = Decimal(ctx.field("weight") or "0")
        packages = int(ctx.field("packages") or "1")
    except (InvalidOperation, ValueError):
        raise UsageError("the weight and the packages must be numbers") from None
    with ctx.runtime.work() as work:
        order = orders.by_number(work.session, number)
        if order is None:
            raise NotFound(f"there is no order {number}")
        carrier, service = ctx.field("carrier"), ctx.field("service").strip() or None
        reason = f"chosen by {ctx.clerk}"
        if not carrier:
            need = choose.need_for(order.ship_to, order.customer_id, weight_kg=weight)
            choice = choose.choose(need)
            if choice is None:
                raise UsageError("no carrier rule matches this order; choose the carrier")
            carrier, service, reason = choice.carrier, service or choice.service, choice.reason
        shipment = book(
            work.session,
            order,
            carrier=carrier,
            tracking_number=tracking,
            service=service,
            packages=packages,
            weight_kg=weight or None,
            chosen_by=reason,
        )
        booked = shipment.tracking_number
    return ctx.redirect(f"/orders/{number}", ctx.t.fmt("done_booked", number=booked))


def _suggestion(order: Any) -> str | None:
    """What the carrier rules choose for the order (before its weight is known)."""
    from mailroom.logistics import choose
    from mailroom.logistics.describe import carrier_label

    choice = choose.choose(choose.need_for(order.ship_to, order.customer_id))
    if choice is None:
        return None
    return f"{carrier_label(choice.carrier)} {choice.service}: {choice.reason}"


def _carrier_names() -> list[tuple[str, str]]:
    from mailroom.logistics import carriers

    return [(code, c.label) for code, c in carriers.carriers().items()]


@dataclass
class Parcel:
    """A shipment as the order page shows it: the carrier's name, the parcel, its events."""

    carrier: str
    shipment: Any
    events: list[Any]


def _parcels(session: Any, order_id: int) -> list[Parcel]:
    """The order's shipments with their event timelines, newest event first."""
    from mailroom.logistics.describe import carrier_label
    from store import shipments

    return [
        Parcel(carrier_label(s.carrier), s, list(reversed(shipments.events(session, s.id))))
        for s in shipments.for_order(session, order_id)
    ]


def _link(document: Any) -> str:
    return f"/documents/{document.id}"


def _searchable(order: Any) -> tuple[str | None, ...]:
    return (order.number, order.po_number, order.customer_id, order.status)
