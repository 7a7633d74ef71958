"""After-sales tickets on the desk: a list by status, and each ticket with its messages.

The ticket page shows what the service read (kind, lines, the words that decided them), the
order it is linked to, the deadlines, and every message with its photos, each a link to the
stored mail and its attachment.
"""

from __future__ import annotations

from starlette.responses import Response

from mailroom.errors import NotFound
from mailroom.web.context import Ctx
from store import tickets as store
from store.orders import Order

LIMIT = 300


def ticket_list(ctx: Ctx) -> Response:
    """GET /tickets?status=open (every status when none is given)."""
    status = ctx.arg("status")
    with ctx.runtime.read() as session:
        found = [
            t for t in reversed(store.all_tickets(session)) if not status or t.status == status
        ][:LIMIT]
        numbers = {
            t.order_id: o.number
            for t in found
            if t.order_id and (o := session.get(Order, t.order_id)) is not None
        }
    return ctx.page(
        "tickets.html.j2",
        tickets=found,
        orders=numbers,
        chosen=status,
        statuses=store.STATUSES,
    )


def ticket_detail(ctx: Ctx) -> Response:
    """GET /tickets/{number}."""
    number = ctx.request.path_params["number"]
    with ctx.runtime.read() as session:
        ticket = store.by_number(session, number)
        if ticket is None:
            raise NotFound(f"there is no ticket {number}")
        order = session.get(Order, ticket.order_id) if ticket.order_id else None
        messages = list(ticket.messages)
    return ctx.page("ticket.html.j2", ticket=ticket, order=order, messages=messages)
