"""`mailroom shipments list|show|book|track`: parcels, their tracking, and booking one.

`book` chooses the carrier and service by the rules in `mailroom/logistics/choose.toml`
(the first matching rule wins, and its name is recorded as the reason); `--carrier` and
`--service` are the clerk's override. `list --json` and `show --json` print JSON for scripts.
"""

from __future__ import annotations

import getpass
from decimal import Decimal, InvalidOperation
from typing import Any

import click
from sqlalchemy.orm import Session

from mailroom.commands import store_session, working_runtime
from mailroom.commands.output import echo_json, echo_lines, echo_rows, number_text
from mailroom.errors import NotFound, UsageError
from mailroom.logistics import choose, refresh
from mailroom.logistics.book import book as book_shipment
from mailroom.logistics.describe import carrier_label
from store import orders as order_store
from store import shipments as store
from store.orders import Order
from store.shipments import Shipment


def _day(value: Any) -> str | None:
    return value.isoformat() if value else None


def shipment_json(session: Session, shipment: Shipment) -> dict[str, Any]:
    """One shipment as `list --json` and `show --json` print it."""
    order = session.get(Order, shipment.order_id)
    return {
        "order_number": order.number if order else None,
        "carrier": shipment.carrier,
        "service": shipment.service,
        "tracking_number": shipment.tracking_number,
        "status": shipment.status,
        "exception_kind": shipment.exception_kind,
        "packages": shipment.packages,
        "weight_kg": number_text(shipment.weight_kg),
        "shipped_on": _day(shipment.shipped_on),
        "eta": _day(shipment.eta),
        "last_event_at": shipment.last_event_at.isoformat() if shipment.last_event_at else None,
        "chosen_by": shipment.chosen_by,
    }


@click.group()
def shipments() -> None:
    """Parcels: carrier, tracking number, status and events."""


@shipments.command("list")
@click.option("--json", "as_json", is_flag=True, help="A JSON array of the shipments.")
@click.option("--status", type=click.Choice(store.STATUSES), help="Only shipments of this status.")
@click.option("--order", "order_number", help="Only the shipments of this order.")
def list_(as_json: bool, status: str | None, order_number: str | None) -> None:
    """The shipments, oldest first."""
    with store_session() as session:
        rows = store.all_shipments(session, status)
        if order_number:
            order = _order(session, order_number)
            rows = [s for s in rows if s.order_id == order.id]
        echo_rows(
            rows,
            as_json=as_json,
            to_json=lambda s: shipment_json(session, s),
            summary=lambda s: _summary(session, s),
            none="no shipments",
        )


@shipments.command()
@click.argument("tracking_number")
@click.option("--json", "as_json", is_flag=True, help="The shipment as a JSON object.")
def show(tracking_number: str, as_json: bool) -> None:
    """One shipment and its event timeline."""
    with store_session() as session:
        shipment = _shipment(session, tracking_number)
        timeline = store.events(session, shipment.id)
        if as_json:
            data = shipment_json(session, shipment)
            data["events"] = [
                {
                    "happened_at": e.happened_at.isoformat(),
                    "status": e.status,
                    "exception_kind": e.exception_kind,
                    "place": e.place,
                    "description": e.description,
                    "source": e.source,
                }
                for e in timeline
            ]
            echo_json(data)
            return
        out = [_summary(session, shipment)]
        for label, value in (
            ("service", shipment.service),
            ("chosen by", shipment.chosen_by),
            ("ETA", _day(shipment.eta)),
        ):
            if value:
                out.append(f"{label}: {value}")
        out.append("events:")
        out += [
            f"  {e.happened_at:%Y-%m-%d %H:%M} {e.status}"
            f"{' (' + e.exception_kind + ')' if e.exception_kind else ''}"
            f"{' at ' + e.place if e.place else ''}: {e.description or ''} [{e.source}]"
            for e in timeline
        ] or ["  (none yet)"]
        echo_lines(out)


@shipments.command()
@click.argument("number")
@click.option("--carrier", help="The carrier (overrides the rules), e.g. dhl, sf.")
@click.option("--service", help="The carrier's service (overrides the rules).")
@click.option("--tracking", help="The tracking number the carrier gave the parcel.")
@click.option("--packages", type=int, default=1, show_default=True)
@click.option("--weight", "weight", help="The weight in kg, e.g. 12.5.")
@click.option("--urgency", type=click.Choice(choose.URGENCIES), default="standard")
@click.option("--as", "clerk", help="Who books it (default: your user name).")
def book(
    number: str,
    carrier: str | None,
    service: str | None,
    tracking: str | None,
    packages: int,
    weight: str | None,
    urgency: str,
    clerk: str | None,
) -> None:
    """Book a shipment for order NUMBER; without --tracking, show the carrier the rules choose."""
    who = clerk or f"{getpass.getuser()} (command line)"
    weight_kg = _weight(weight)
    with store_session() as session:
        order = _order(session, number)
        choice = choose.choose(
            choose.need_for(order.ship_to, order.customer_id, weight_kg=weight_kg, urgency=urgency)
        )
        if carrier is None and choice is None:
            raise UsageError("no carrier rule matches this order; give --carrier and --service")
        reason = choice.reason if choice and carrier is None else f"chosen by {who}"
        carrier = carrier or (choice.carrier if choice else "")
        service = service or (choice.service if choice and choice.carrier == carrier else None)
        if not tracking:
            click.echo(f"{carrier_label(carrier)} {service or ''} by {reason}".replace("  ", " "))
            click.echo("give --tracking with the carrier's number to book it")
            return
        shipment = book_shipment(
            session,
            order,
            carrier=carrier,
            tracking_number=tracking,
            service=service,
            packages=packages,
            weight_kg=weight_kg,
            chosen_by=reason,
        )
        click.echo(f"booked {_summary(session, shipment)} ({reason})")


@shipments.command()
@click.argument("tracking_number")
def track(tracking_number: str) -> None:
    """Ask the carrier's tracking API about a shipment now, and apply what is new."""
    with working_runtime() as runtime:
        with runtime.read() as session:
            shipment = _shipment(session, tracking_number)
            shipment_id, carrier = shipment.id, shipment.carrier
        if not runtime.settings.carrier_api_url:
            raise UsageError("no tracking API is set up (MAILROOM_CARRIER_API_URL)")
        updated = refresh.track(runtime, shipment_id)
    click.echo(
        f"{carrier_label(carrier)} {tracking_number}: "
        + ("new events applied" if updated else "nothing new")
    )


def _weight(text: str | None) -> Decimal:
    try:
        value = Decimal(text) if text else Decimal(0)
    except InvalidOperation:
        raise UsageError(f"--weight must be a number of kg, not {text!r}") from None
    if value < 0:
        raise UsageError("--weight cannot be negative")
    return value


def _order(session: Session, number: str) -> Order:
    order = order_store.by_number(session, number)
    if order is None:
        raise NotFound(f"there is no order {number}; `mailroom orders list` shows them")
    return order


def _shipment(session: Session, tracking_number: str) -> Shipment:
    shipment = store.by_tracking(session, tracking_number.replace(" ", ""))
    if shipment is None:
        raise NotFound(f"there is no shipment {tracking_number}; `mailroom shipments list`")
    return shipment


def _summary(session: Session, shipment: Shipment) -> str:
    order = session.get(Order, shipment.order_id)
    kind = f" ({shipment.exception_kind})" if shipment.exception_kind else ""
    return (
        f"{shipment.tracking_number}  {carrier_label(shipment.carrier)}  "
        f"{shipment.status}{kind}  order {order.number if order else '?'}"
    )
