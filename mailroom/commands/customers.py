"""`mailroom customers dormant|relations`: customers gone quiet, and how we keep in touch.

`dormant` lists customers with no order for a number of days (the `dormant_days` setting by
default), longest quiet first, for a clerk to call. `relations` sets a customer's digest
schedule and whether it gets feedback requests.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import click

from mailroom.aftersales.relations import dormant as quiet_customers
from mailroom.commands import store_session
from mailroom.commands.output import echo_rows
from mailroom.errors import NotFound
from mailroom.settings import load_settings
from store.base import utcnow
from store.catalog import DIGESTS, Customer


@click.group()
def customers() -> None:
    """Our customers: who has gone quiet, digests and feedback requests."""


@customers.command()
@click.option(
    "--days", type=click.IntRange(min=1), help="Days without an order (default: setting)."
)
@click.option("--json", "as_json", is_flag=True, help="A JSON array of the customers.")
def dormant(days: int | None, as_json: bool) -> None:
    """Customers with no order for DAYS days, or none ever, longest quiet first."""
    days = days or load_settings().dormant_days
    now = utcnow()
    with store_session() as session:
        rows = quiet_customers(session, now, days)
        echo_rows(
            rows,
            as_json=as_json,
            to_json=lambda row: _dormant_json(row, now),
            summary=lambda row: _dormant_line(row, now),
            none=f"no customer has been without an order for {days} days",
        )


@customers.command()
@click.argument("customer_id")
@click.option("--digest", type=click.Choice(DIGESTS), help="How often it gets open orders.")
@click.option("--feedback/--no-feedback", default=None, help="Ask it for feedback after delivery.")
def relations(customer_id: str, digest: str | None, feedback: bool | None) -> None:
    """Set how customer CUSTOMER_ID hears from us: digest schedule, feedback requests."""
    with store_session() as session:
        customer = session.get(Customer, customer_id)
        if customer is None:
            raise NotFound(f"there is no customer {customer_id}; import it with `catalog import`")
        if digest is not None:
            customer.digest = digest
        if feedback is not None:
            customer.feedback_opt_out = not feedback
        asked = "no feedback requests" if customer.feedback_opt_out else "feedback requests"
        click.echo(f"{customer_id}: digest {customer.digest}, {asked}")


def _quiet_days(at: datetime | None, now: datetime) -> int | None:
    return None if at is None else (now - at).days


def _dormant_json(row: tuple[Customer, datetime | None], now: datetime) -> dict[str, Any]:
    customer, at = row
    return {
        "customer_id": customer.customer_id,
        "name": customer.name,
        "last_order_at": at.isoformat() if at else None,
        "days_without_order": _quiet_days(at, now),
        "emails": list(customer.emails or ()),
    }


def _dormant_line(row: tuple[Customer, datetime | None], now: datetime) -> str:
    customer, at = row
    when = f"last order {at:%Y-%m-%d} ({_quiet_days(at, now)} days)" if at else "never ordered"
    return f"{customer.customer_id:<14}  {when:<32}  {customer.name}"
