"""`mailroom tickets list|show|reply|resolve`: after-sales tickets, for clerks and scripts.

`list --json` prints a JSON array of tickets; `show` prints one with its messages and photo
references; `reply` sends a clerk's answer to the customer (stopping the first-response
clock); `resolve` closes the matter and tells the customer once.
"""

from __future__ import annotations

import getpass
import sys
from typing import Any

import click
from sqlalchemy.orm import Session

from mailroom.aftersales import handling
from mailroom.commands import store_session, working_runtime
from mailroom.commands.output import echo_json, echo_lines, echo_rows
from mailroom.errors import NotFound
from store import tickets as store
from store.base import utcnow
from store.orders import Order
from store.tickets import Ticket


def _when(value: Any) -> str | None:
    return value.isoformat() if value else None


def ticket_json(ticket: Ticket, order_number: str | None) -> dict[str, Any]:
    """One ticket as `tickets list --json` and `tickets show --json` print it."""
    return {
        "ticket_number": ticket.number,
        "kind": ticket.kind,
        "status": ticket.status,
        "customer_id": ticket.customer_id,
        "order_number": order_number,
        "rma_number": ticket.rma_number,
        "sender": ticket.sender,
        "subject": ticket.subject,
        "lines": list(ticket.lines or ()),
        "evidence": list(ticket.evidence or ()),
        "first_response_due": _when(ticket.first_response_due),
        "resolution_due": _when(ticket.resolution_due),
        "first_responded_at": _when(ticket.first_responded_at),
        "resolved_at": _when(ticket.resolved_at),
        "resolution": ticket.resolution,
        "created_at": _when(ticket.created_at),
    }


@click.group()
def tickets() -> None:
    """After-sales tickets: complaints, defects, returns, questions."""


@tickets.command("list")
@click.option("--json", "as_json", is_flag=True, help="A JSON array of the tickets.")
@click.option("--status", type=click.Choice(store.STATUSES), help="Only tickets of this status.")
@click.option("--customer", "customer_id", help="Only tickets of this customer ID.")
def list_(as_json: bool, status: str | None, customer_id: str | None) -> None:
    """The tickets, oldest first."""
    with store_session() as session:
        rows = [
            t
            for t in store.all_tickets(session)
            if (status is None or t.status == status)
            and (customer_id is None or t.customer_id == customer_id)
        ]
        numbers = _order_numbers(session, rows)
        echo_rows(
            rows,
            as_json=as_json,
            to_json=lambda t: ticket_json(t, numbers.get(t.order_id or 0)),
            summary=lambda t: _summary(t, numbers.get(t.order_id or 0)),
            none="no tickets",
        )


@tickets.command()
@click.argument("number")
@click.option("--json", "as_json", is_flag=True, help="The ticket as a JSON object.")
def show(number: str, as_json: bool) -> None:
    """One ticket: kind, order, lines, deadlines and every message."""
    with store_session() as session:
        ticket = _ticket(session, number)
        order_number = _order_numbers(session, [ticket]).get(ticket.order_id or 0)
        messages = [
            {
                "direction": m.direction,
                "author": m.author,
                "at": _when(m.at),
                "text": m.text,
                "attachments": list(m.attachments or ()),
            }
            for m in ticket.messages
        ]
        if as_json:
            echo_json({**ticket_json(ticket, order_number), "messages": messages})
            return
        echo_lines(_describe(ticket, order_number, messages))


@tickets.command()
@click.argument("number")
@click.option("--text", "-m", help="The answer (default: read from standard input).")
@click.option("--as", "clerk", help="Who answers (default: your user name).")
def reply(number: str, text: str | None, clerk: str | None) -> None:
    """Answer the customer of ticket NUMBER; the ticket then waits for the customer."""
    who = clerk or f"{getpass.getuser()} (command line)"
    answer = text if text is not None else sys.stdin.read()
    with working_runtime() as runtime, runtime.work() as work:
        ticket = _ticket(work.session, number)
        sent = handling.reply(runtime, work, ticket, who, answer, utcnow())
    click.echo(f"ticket {number}: " + ("answer sent" if sent else "this answer was sent before"))


@tickets.command()
@click.argument("number")
@click.option("--note", required=True, help="How it was resolved (the customer reads it).")
@click.option("--as", "clerk", help="Who resolves it (default: your user name).")
def resolve(number: str, note: str, clerk: str | None) -> None:
    """Resolve ticket NUMBER and tell the customer how."""
    who = clerk or f"{getpass.getuser()} (command line)"
    with working_runtime() as runtime, runtime.work() as work:
        ticket = _ticket(work.session, number)
        handling.resolve(runtime, work, ticket, who, note, utcnow())
    click.echo(f"ticket {number} is resolved")


def _ticket(session: Session, number: str) -> Ticket:
    ticket = store.by_number(session, number)
    if ticket is None:
        raise NotFound(f"there is no ticket {number}; `mailroom tickets list` shows them")
    return ticket


def _order_numbers(session: Session, rows: list[Ticket]) -> dict[int, str]:
    ids = {t.order_id for t in rows if t.order_id}
    return {i: o.number for i in ids if (o := session.get(Order, i)) is not None}


def _summary(ticket: Ticket, order_number: str | None) -> str:
    return (
        f"{ticket.number}  {ticket.status:<16}  {ticket.kind:<16}  "
        f"{ticket.customer_id or '(unknown)':<12}  order {order_number or '-'}  "
        f"first response due {ticket.first_response_due:%Y-%m-%d %H:%M}"
    )


def _describe(
    ticket: Ticket, order_number: str | None, messages: list[dict[str, Any]]
) -> list[str]:
    customer = ticket.customer_id or "(unknown customer)"
    out = [f"ticket {ticket.number} ({ticket.kind}) for {customer}: {ticket.status}"]
    for label, value in (
        ("order", order_number),
        ("RMA", ticket.rma_number),
        ("from", ticket.sender),
        ("subject", ticket.subject),
        ("first response due", f"{ticket.first_response_due:%Y-%m-%d %H:%M} UTC"),
        ("resolution due", f"{ticket.resolution_due:%Y-%m-%d %H:%M} UTC"),
        ("first response", _when(ticket.first_responded_at)),
        ("resolved", _when(ticket.resolved_at)),
        ("resolution", ticket.resolution),
    ):
        if value:
            out.append(f"{label}: {value}")
    out += [f"line: {line['sku']} x {line.get('quantity') or '?'}" for line in ticket.lines]
    out += [f"found by {why}" for why in ticket.evidence or ()]
    out.append("messages:")
    for m in messages:
        photos = ", ".join(a.get("filename") or "?" for a in m["attachments"])
        out.append(
            f"  {m['at'][:16]} {m['direction']} {m['author'] or ''}"
            + (f" [{photos}]" if photos else "")
        )
        out += [f"    {line}" for line in (m["text"] or "").splitlines()[:20]]
    return out
