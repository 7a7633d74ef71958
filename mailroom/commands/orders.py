"""`mailroom orders list|show`: our orders, for people and for scripts.

`list --json` prints a JSON array (contracts/config-and-cli.md: at least `order_number`,
`customer_id`, `po_number`, `status`, `lines`); money is written as decimal strings, never
as floats, so a script reads exactly what the customer was charged.
"""

from __future__ import annotations

import getpass
from datetime import datetime
from typing import Any

import click
from sqlalchemy.orm import Session

from mailroom.commands import store_session, working_runtime
from mailroom.commands.output import (
    echo_json,
    echo_lines,
    echo_rows,
    money_text,
    number_text,
    totals_text,
)
from mailroom.errors import NotFound
from mailroom.orders import status as status_moves
from mailroom.orders.status import MOVES
from store import orders as store
from store.orders import Order, OrderLine


def _day(value: Any) -> str | None:
    return value.isoformat() if value else None


def line_json(line: OrderLine) -> dict[str, Any]:
    """One order line as the JSON output prints it."""
    return {
        "sku": line.sku,
        "description": line.description,
        "quantity": number_text(line.quantity),
        "unit": line.unit,
        "currency": line.currency,
        "requested_price": money_text(line.requested_price, line.currency),
        "unit_price": money_text(line.unit_price, line.currency),
        "amount": money_text(line.amount, line.currency),
        "dispatch_date": _day(line.dispatch_date),
        "from_stock": line.from_stock,
    }


def order_json(order: Order) -> dict[str, Any]:
    """One order as `orders list --json` and `orders show --json` print it."""
    return {
        "order_number": order.number,
        "customer_id": order.customer_id,
        "po_number": order.po_number,
        "status": order.status,
        "waiting_for": order.waiting_for,
        "requested_date": _day(order.requested_date),
        "promised_date": _day(order.promised_date),
        "ship_to": order.ship_to,
        "payment_terms": order.payment_terms,
        "source": order.source,
        "mail_id": order.mail_id,
        "sender": order.sender,
        "tracking_numbers": list(order.tracking_numbers or ()),
        "totals": {c: money_text(t, c) for c, t in order.totals().items()},
        "lines": [line_json(line) for line in order.lines],
        "reasons": list(order.reasons or ()),
        "created_at": order.created_at.isoformat(),
    }


@click.group()
def orders() -> None:
    """Our orders: status, lines, dates."""


@orders.command("list")
@click.option("--json", "as_json", is_flag=True, help="A JSON array of the orders.")
@click.option("--status", type=click.Choice(store.STATUSES), help="Only orders of this status.")
@click.option("--customer", "customer_id", help="Only orders of this customer ID.")
def list_(as_json: bool, status: str | None, customer_id: str | None) -> None:
    """The orders, oldest first."""
    with store_session() as session:
        rows = [
            o
            for o in store.all_orders(session)
            if (status is None or o.status == status)
            and (customer_id is None or o.customer_id == customer_id)
        ]
        echo_rows(rows, as_json=as_json, to_json=order_json, summary=_summary, none="no orders")


@orders.command()
@click.argument("number")
@click.option("--json", "as_json", is_flag=True, help="The order as a JSON object.")
def show(number: str, as_json: bool) -> None:
    """One order: customer, dates, every line with its price, reasons held, history."""
    with store_session() as session:
        order = _order(session, number)
        if as_json:
            data = order_json(order)
            data["history"] = [
                {"status": e.status, "at": e.at.isoformat(), "actor": e.actor, "note": e.note}
                for e in store.history(session, order.id)
            ]
            echo_json(data)
            return
        echo_lines(_describe(session, order))


@orders.command()
@click.argument("number")
@click.argument("status", type=click.Choice(MOVES))
@click.option("--tracking", help="A carrier tracking number to add to the order.")
@click.option("--note", help="Why, for the order's history.")
@click.option("--as", "clerk", help="Who moves it (default: your user name).")
def move(
    number: str, status: str, tracking: str | None, note: str | None, clerk: str | None
) -> None:
    """Move confirmed order NUMBER on (in_production, ready, shipped, delivered, closed).

    Shipped and delivered tell the customer, once per move, with the tracking numbers.
    """
    who = clerk or f"{getpass.getuser()} (command line)"
    with working_runtime() as runtime, runtime.work() as work:
        order = _order(work.session, number)
        status_moves.move(runtime, work, order, status, actor=who, note=note, tracking=tracking)
    click.echo(f"order {number} is {status}")


@orders.command()
@click.argument("number")
@click.argument("promised", type=click.DateTime(formats=["%Y-%m-%d"]))
@click.option("--note", help="Why, for the order's history and the customer.")
@click.option("--as", "clerk", help="Who promises the new date (default: your user name).")
def delay(number: str, promised: datetime, note: str | None, clerk: str | None) -> None:
    """Promise order NUMBER for a later date (YYYY-MM-DD) and tell the customer once."""
    who = clerk or f"{getpass.getuser()} (command line)"
    with working_runtime() as runtime, runtime.work() as work:
        order = _order(work.session, number)
        status_moves.delay(runtime, work, order, promised.date(), actor=who, note=note or "")
    click.echo(f"order {number} is now promised for {promised.date()}")


def _order(session: Session, number: str) -> Order:
    order = store.by_number(session, number)
    if order is None:
        raise NotFound(f"there is no order {number}; `mailroom orders list` shows them")
    return order


def _summary(order: Order) -> str:
    return (
        f"{order.number}  {order.status:<13}  {order.customer_id or '(unknown)':<12}  "
        f"PO {order.po_number or '-'}  {len(order.lines)} lines  {totals_text(order.totals())}"
    )


def _describe(session: Session, order: Order) -> list[str]:
    out = [f"order {order.number} for {order.customer_id or '(unknown customer)'}: {order.status}"]
    for label, value in (
        ("waiting for", order.waiting_for),
        ("PO", order.po_number),
        ("requested", _day(order.requested_date)),
        ("promised dispatch", _day(order.promised_date)),
        ("ship to", order.ship_to),
        ("payment terms", order.payment_terms),
        ("tracking", ", ".join(order.tracking_numbers or ())),
        ("source", order.source),
    ):
        if value:
            out.append(f"{label}: {value}")
    out.append("lines:")
    for line in order.lines:
        price = "not priced"
        if line.unit_price is not None:
            price = (
                f"{line.currency} {money_text(line.unit_price, line.currency)}"
                f" = {money_text(line.amount, line.currency)}"
            )
        out.append(
            f"  {line.position}. {line.sku or line.description!r} x {number_text(line.quantity)} "
            f"{line.unit}: {price}"
        )
    out.append(f"total: {totals_text(order.totals())}")
    out += [f"held: {r['rule']}: {r['message']}" for r in order.reasons or ()]
    out.append("history:")
    for event in store.history(session, order.id):
        note = f" ({event.note})" if event.note else ""
        out.append(f"  {event.at:%Y-%m-%d %H:%M} {event.status} by {event.actor}{note}")
    return out
