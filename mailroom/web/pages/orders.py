"""Orders: a searchable list and each order's page with its lines and timeline.

Shown only when the store keeps orders (`store.orders`); the timeline merges the order's
status changes with the mails and replies that belong to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from starlette.responses import Response

from mailroom.errors import NotFound
from mailroom.web.context import Ctx
from store import search
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
    timeline.sort(key=lambda moment: moment.at)
    return ctx.page("order.html.j2", order=order, lines=lines, timeline=timeline, parcels=parcels)


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


def _searchable(order: Any) -> tuple[str | None, ...]:
    return (order.number, order.po_number, order.customer_id, order.status)
