"""After-sales tickets on the desk: a list by status, and each ticket with its messages.

The ticket page shows what the service read (kind, lines, the words that decided them), the
order it is linked to, the deadlines, and every message with its photos; a clerk answers
the customer or resolves the ticket from it, through the same code as `mailroom tickets`.
"""

from __future__ import annotations

from sqlalchemy.orm import Session
from starlette.responses import Response

from mailroom.aftersales import handling
from mailroom.errors import NotFound
from mailroom.web.context import Ctx
from store import tickets as store
from store.base import utcnow
from store.orders import Order
from store.tickets import Ticket

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


def reply(ctx: Ctx) -> Response:
    """POST /tickets/{number}/reply: the clerk's answer to the customer (sent once per text)."""
    number = ctx.request.path_params["number"]
    with ctx.runtime.work() as work:
        ticket = _ticket(work.session, number)
        handling.reply(ctx.runtime, work, ticket, ctx.clerk, ctx.field("text"), utcnow())
    return ctx.redirect(f"/tickets/{number}", ctx.t.fmt("done_ticket_replied", number=number))


def resolve(ctx: Ctx) -> Response:
    """POST /tickets/{number}/resolve: resolve with the clerk's note; the customer is told."""
    number = ctx.request.path_params["number"]
    with ctx.runtime.work() as work:
        ticket = _ticket(work.session, number)
        handling.resolve(ctx.runtime, work, ticket, ctx.clerk, ctx.field("note"), utcnow())
    return ctx.redirect(f"/tickets/{number}", ctx.t.fmt("done_ticket_resolved", number=number))


def _ticket(session: Session, number: str) -> Ticket:
    ticket = store.by_number(session, number)
    if ticket is None:
        raise NotFound(f"there is no ticket {number}")
    return ticket
