"""A clerk's decision on a held quote: accepting it sends the quote, at the clerk's prices.

A quote is held when a line would be priced below the margin floor or in a currency we have
no rate for. The clerk gives the price of each such line (`mailroom queue resolve ID --accept
--set lines.N.unit_price=...`, N being the line of the request); accepting then sends the
quote as its own email, PDF attached. A held line without a price keeps the quote held.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from mailroom.errors import QueueError
from mailroom.pricing import round_money
from mailroom.queue import resumer
from mailroom.quotes.deliver import send_quote
from mailroom.runtime import Runtime, Work
from store import quotes as store
from store.base import utcnow
from store.catalog import Customer
from store.holds import HeldItem
from store.mail import DONE, Mail
from store.quotes import HELD, Quote


def clerk_prices(corrections: Mapping[str, Any]) -> dict[str, Decimal]:
    """SKU -> unit price from a clerk's corrected lines (lines without a price are skipped).

    Raises:
        QueueError: a price is not a positive decimal.
    """
    prices: dict[str, Decimal] = {}
    for line in corrections.get("lines") or ():
        sku, typed = line.get("sku"), line.get("unit_price")
        if not sku or typed in (None, ""):
            continue
        try:
            price = Decimal(str(typed))
        except InvalidOperation:
            raise QueueError(f"{sku}: {typed!r} is not a price") from None
        if not price.is_finite() or price <= 0:
            raise QueueError(f"{sku}: the price must be above 0")
        prices[str(sku)] = price
    return prices


def apply_prices(quote: Quote, prices: Mapping[str, Decimal]) -> None:
    """Give each held line of `quote` the clerk's price; it is then offered.

    Raises:
        QueueError: a held line has no price from the clerk (the quote stays held).
    """
    missing = [line.sku for line in quote.lines if line.holds and line.sku not in prices]
    if missing:
        raise QueueError(
            f"quote {quote.number}: give a unit price for {', '.join(missing)} "
            "(--set lines.N.unit_price=...), or reject the item"
        )
    for line in quote.lines:
        if line.holds:
            line.unit_price = prices[line.sku]
            line.amount = round_money(line.unit_price * line.quantity, line.currency)
            line.holds = []


@resumer("quote")
def release_quote(
    runtime: Runtime, work: Work, item: HeldItem, corrections: dict[str, Any], clerk: str
) -> None:
    """Send the held quote `item.ref`, dated today, with the clerk's prices for held lines."""
    session = work.session
    quote = store.by_number(session, item.ref or "", for_update=True)
    if quote is None or quote.status != HELD:
        state = "does not exist" if quote is None else f"is {quote.status}"
        raise QueueError(f"quote {item.ref} {state}; nothing to send")
    apply_prices(quote, clerk_prices(corrections))
    mail = session.get(Mail, quote.mail_id) if quote.mail_id else None
    customer = session.get(Customer, quote.customer_id)
    if mail is None or customer is None:
        raise QueueError(f"quote {quote.number} has no request mail or customer to send it to")
    today = utcnow().date()
    quote.quote_date = today
    quote.valid_until = today + timedelta(days=runtime.settings.quote_validity_days)
    if send_quote(runtime, work, mail, quote, customer) is None:
        raise QueueError(f"quote {quote.number} could not be written to the outbox")
    quote.status_note = f"prices checked by {clerk}"
    mail.stage, mail.outcome = DONE, f"quote {quote.number} sent after {clerk} checked it"
