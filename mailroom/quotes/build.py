"""Pricing a request and writing the result down as a quote record, lines and all.

Prices come only from `mailroom.pricing` (breaks, discount, rounding, margin floor, MOQ,
rates, dispatch dates); this module turns the settings into its policy and its answer into
`store.quotes` rows. Nothing here sends or reads mail.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from mailroom.pricing import (
    CustomerTerms,
    LinePrice,
    LineRequest,
    Pricing,
    PricingPolicy,
    ProductTerms,
    price_lines,
)
from mailroom.settings import Settings
from store.catalog import Customer, Product
from store.quotes import HELD, SENT, Quote, QuoteLine


@dataclass(frozen=True)
class Wanted:
    """One line to price: our SKU, the quantity asked, and the customer's words for it."""

    sku: str
    quantity: Decimal
    description: str = ""


def policy_from(settings: Settings) -> PricingPolicy:
    """The pricing policy the settings describe (margin floor and exchange rates)."""
    rates = {}
    for pair, rate in settings.exchange_rates.items():
        source, target = pair.split("/")
        rates[(source, target)] = rate
    return PricingPolicy(min_margin=settings.quote_min_margin, rates=rates)


def products_for(session: Session, skus: Iterable[str]) -> dict[str, Product]:
    """The catalog's products for these SKUs, by SKU (unknown SKUs are simply absent)."""
    wanted = set(skus)
    if not wanted:
        return {}
    rows = session.scalars(select(Product).where(Product.sku.in_(wanted)))
    return {product.sku: product for product in rows}


def price(
    wanted: list[Wanted],
    products: Mapping[str, Product],
    customer: Customer,
    *,
    policy: PricingPolicy,
    today: date,
    currency: str | None = None,
) -> Pricing:
    """Price the wanted lines for the customer on `today`, in `currency` or each product's.

    Returns:
        The pricing; a line that breaks a rule (margin floor, no rate, ...) carries holds.

    Raises:
        ValueError: a product's stored price breaks are not [min_qty, price] pairs.
    """
    terms = {sku: ProductTerms.from_record(product) for sku, product in products.items()}
    return price_lines(
        [LineRequest(w.sku, w.quantity) for w in wanted],
        terms,
        customer=CustomerTerms.from_record(customer),
        today=today,
        currency=currency,
        policy=policy,
    )


def make_quote(
    number: str,
    *,
    customer: Customer,
    wanted: list[Wanted],
    pricing: Pricing,
    products: Mapping[str, Product],
    today: date,
    validity_days: int,
    language: str,
    mail_id: int | None,
    customer_ref: str | None = None,
) -> Quote:
    """A quote record with one line per priced line; `held` when any line needs a clerk.

    Args:
        number: our quote number (see `store.sequences.next_number`).
        customer: who the quote is for.
        wanted: the lines as asked, in the same order as `pricing.lines`.
        pricing: their prices.
        products: the catalog's products by SKU (names and units for the lines).
        today: the date of the quote; it is valid `validity_days` from then.
        language: the language the customer is written to in.
        mail_id: the mail that asked.
        customer_ref: the customer's own reference for the request, if they gave one.
    """
    quote = Quote(
        number=number,
        customer_id=customer.customer_id,
        mail_id=mail_id,
        language=language,
        status=HELD if pricing.held else SENT,
        quote_date=today,
        valid_until=today + timedelta(days=validity_days),
        promised_date=pricing.dispatch_date,
        payment_terms=customer.payment_terms,
        customer_ref=(customer_ref or None) and customer_ref[:128],
    )
    quote.lines.extend(_quote_lines(wanted, pricing.lines, products))
    return quote


def _quote_lines(
    wanted: list[Wanted], lines: Iterable[LinePrice], products: Mapping[str, Product]
) -> list[QuoteLine]:
    """One quote line per priced line, numbered from 1, each with the customer's words."""
    pairs = enumerate(zip(wanted, lines, strict=True), start=1)
    return [_quote_line(n, asked, line, products.get(line.sku)) for n, (asked, line) in pairs]


def _quote_line(
    position: int, asked: Wanted, line: LinePrice, product: Product | None
) -> QuoteLine:
    return QuoteLine(
        position=position,
        sku=line.sku,
        description=asked.description[:500],
        quantity_requested=line.quantity_requested,
        quantity=line.quantity,
        unit=product.unit if product else "pcs",
        currency=line.currency or (product.currency if product else ""),
        list_price=line.list_price,
        unit_price=line.unit_price,
        amount=line.amount,
        from_stock=line.from_stock,
        dispatch_date=line.dispatch_date,
        notes=[{"code": n.code, "message": n.message} for n in line.notes],
        holds=[{"code": h.code, "message": h.message} for h in line.holds],
    )


def held_reasons(quote: Quote) -> list[dict[str, str]]:
    """Every hold on the quote's lines, as the clerks' queue stores reasons."""
    return [
        {"rule": hold["code"], "message": hold["message"]}
        for line in quote.lines
        for hold in line.holds
    ]


def wanted_again(quote: Quote) -> tuple[list[Wanted], str | None]:
    """The lines of an old quote as asked then, and the currency it was quoted in.

    Used to re-quote an expired quote at today's prices.
    """
    wanted = [Wanted(line.sku, line.quantity_requested, line.description) for line in quote.lines]
    currencies = {line.currency for line in quote.lines}
    return wanted, currencies.pop() if len(currencies) == 1 else None
