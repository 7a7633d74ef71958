"""`mailroom quotes list|show|decline`: the quotes we made, for people and for scripts.

`list --json` prints a JSON array (contracts/config-and-cli.md: at least `quote_number`,
`customer_id`, `status`, `lines`, `valid_until`); money is written as decimal strings, never
as floats, so a script reads exactly what the customer was quoted.
"""

from __future__ import annotations

import getpass
from typing import Any

import click
from sqlalchemy import select

from mailroom.commands import store_session
from mailroom.commands.output import (
    echo_json,
    echo_lines,
    echo_rows,
    money_text,
    number_text,
    totals_text,
)
from mailroom.errors import NotFound, UsageError
from store import holds
from store import quotes as store
from store.holds import OPEN, REJECTED, HeldItem
from store.quotes import DECLINED, HELD, SENT, STATUSES, Quote, QuoteLine


def line_json(line: QuoteLine) -> dict[str, Any]:
    """One quote line as the JSON output prints it."""
    return {
        "sku": line.sku,
        "description": line.description,
        "quantity_requested": number_text(line.quantity_requested),
        "quantity": number_text(line.quantity),
        "unit": line.unit,
        "currency": line.currency,
        "list_price": money_text(line.list_price, line.currency),
        "unit_price": money_text(line.unit_price, line.currency),
        "amount": money_text(line.amount, line.currency),
        "from_stock": line.from_stock,
        "dispatch_date": line.dispatch_date.isoformat() if line.dispatch_date else None,
        "notes": line.notes,
        "holds": line.holds,
    }


def quote_json(quote: Quote) -> dict[str, Any]:
    """One quote as `quotes list --json` and `quotes show --json` print it."""
    return {
        "quote_number": quote.number,
        "customer_id": quote.customer_id,
        "status": quote.status,
        "quote_date": quote.quote_date.isoformat(),
        "valid_until": quote.valid_until.isoformat(),
        "promised_date": quote.promised_date.isoformat() if quote.promised_date else None,
        "payment_terms": quote.payment_terms,
        "customer_ref": quote.customer_ref,
        "totals": {
            currency: money_text(total, currency) for currency, total in quote.totals().items()
        },
        "lines": [line_json(line) for line in quote.lines],
        "mail_id": quote.mail_id,
        "sent_at": quote.sent_at.isoformat() if quote.sent_at else None,
        "reminded_at": quote.reminded_at.isoformat() if quote.reminded_at else None,
        "replaces": quote.replaces,
        "order_number": quote.order_number,
        "note": quote.status_note,
    }


@click.group()
def quotes() -> None:
    """The quotes we made: status, validity, lines."""


@quotes.command("list")
@click.option("--json", "as_json", is_flag=True, help="A JSON array of the quotes.")
@click.option("--status", type=click.Choice(STATUSES), help="Only quotes of this status.")
@click.option("--customer", "customer_id", help="Only quotes of this customer ID.")
def list_(as_json: bool, status: str | None, customer_id: str | None) -> None:
    """The quotes, newest first."""
    with store_session() as session:
        rows = store.listing(session, status=status, customer_id=customer_id)
        echo_rows(rows, as_json=as_json, to_json=quote_json, summary=_summary, none="no quotes")


@quotes.command()
@click.argument("number")
@click.option("--json", "as_json", is_flag=True, help="The quote as a JSON object.")
def show(number: str, as_json: bool) -> None:
    """One quote: customer, validity, every line with its price, holds and notes."""
    with store_session() as session:
        quote = store.by_number(session, number)
        if quote is None:
            raise NotFound(f"there is no quote {number}; `mailroom quotes list` shows them")
        if as_json:
            echo_json(quote_json(quote))
            return
        echo_lines(_describe(quote))


@quotes.command()
@click.argument("number")
@click.option("--reason", required=True, help="What the customer said, kept with the quote.")
def decline(number: str, reason: str) -> None:
    """Record that the customer declined quote NUMBER: no reminder, no order from it."""
    with store_session() as session:
        quote = store.by_number(session, number, for_update=True)
        if quote is None:
            raise NotFound(f"there is no quote {number}; `mailroom quotes list` shows them")
        if quote.status not in (SENT, HELD):
            raise UsageError(
                f"quote {quote.number} is {quote.status}; only an open quote can be declined"
            )
        item = session.scalar(
            select(HeldItem).where(HeldItem.dedupe_key == f"quote:{quote.number}")
        )
        if item is not None and item.status == OPEN:
            holds.resolve(session, item, REJECTED, getpass.getuser(), f"declined: {reason}")
        quote.status, quote.status_note = DECLINED, f"declined: {reason}"
        click.echo(f"quote {quote.number} declined")


def _summary(quote: Quote) -> str:
    totals = totals_text(quote.totals())
    return (
        f"{quote.number}  {quote.status:<8}  {quote.customer_id:<12}  "
        f"valid until {quote.valid_until:%Y-%m-%d}  {len(quote.lines)} lines  {totals}"
    )


def _describe(quote: Quote) -> list[str]:
    out = [
        f"quote {quote.number} for {quote.customer_id}: {quote.status}",
        f"dated {quote.quote_date:%Y-%m-%d}, valid until {quote.valid_until:%Y-%m-%d}",
    ]
    if quote.promised_date:
        out.append(f"estimated dispatch {quote.promised_date:%Y-%m-%d}")
    for label, value in (
        ("payment terms", quote.payment_terms),
        ("customer reference", quote.customer_ref),
        ("replaces", quote.replaces),
        ("order", quote.order_number),
        ("note", quote.status_note),
    ):
        if value:
            out.append(f"{label}: {value}")
    out.append("lines:")
    for line in quote.lines:
        price = (
            f"{line.currency} {money_text(line.unit_price, line.currency)}"
            f" = {money_text(line.amount, line.currency)}"
        )
        if line.unit_price is None:
            price = "not priced"
        when = f", dispatch {line.dispatch_date:%Y-%m-%d}" if line.dispatch_date else ""
        out.append(
            f"  {line.position}. {line.sku} x {number_text(line.quantity)} {line.unit}: "
            f"{price}{when}"
        )
        out += [f"     note: {n['message']}" for n in line.notes or ()]
        out += [f"     held: {h['message']}" for h in line.holds or ()]
    out.append(f"total: {totals_text(quote.totals())}")
    return out
