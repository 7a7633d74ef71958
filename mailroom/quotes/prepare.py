"""Answering a request for quote: price it and send the quote, ask back, or hold for a clerk.

every item known, with a quantity   -> price each line (mailroom.pricing)
    every line offered              -> quote `sent`, the reply carries the PDF
    a line below the margin floor,
    a currency we have no rate for  -> quote `held` for a clerk, customer acknowledged
an unknown item, a missing quantity -> reply asking for it (closest products listed),
                                       the mail held until the customer answers
a sender we do not know             -> acknowledged and held: a clerk sets up the customer
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from mailroom.parsers.catalog import Catalog, ProductRef
from mailroom.pricing import Pricing
from mailroom.quotes.build import (
    Wanted,
    held_reasons,
    make_quote,
    policy_from,
    price,
    products_for,
)
from mailroom.quotes.deliver import acknowledge_held, hold_quote, send_quote
from mailroom.quotes.request import QuoteRequest, new_text, read_request, unsure_lines
from mailroom.replies.render import reply_language
from mailroom.respond import answer, hold_mail
from mailroom.runtime import Runtime, Work
from store import holds
from store.base import utcnow
from store.catalog import Customer, Product
from store.mail import Mail
from store.quotes import HELD, Quote, add
from store.sequences import next_number


@dataclass(frozen=True)
class Asking:
    """What the mail asked, read outside the transaction (it may decode a large mail)."""

    request: QuoteRequest
    catalog: Catalog


def read_asking(parsed: dict[str, Any], raw: bytes, catalog: Catalog) -> Asking:
    """The request of a mail; a clerk's corrected lines are taken as they are."""
    if parsed.get("corrected_by"):
        return Asking(read_request(parsed, "", catalog), catalog)
    unsure = unsure_lines(parsed, raw, catalog)
    return Asking(read_request(parsed, new_text(raw), catalog, unsure), catalog)


def prepare_quote(runtime: Runtime, work: Work, mail: Mail, asking: Asking) -> str:
    """Answer a request for quote; returns the outcome to record on the mail.

    Args:
        mail: the request, locked for this transaction.
        asking: what it asked (see `read_asking`).

    Returns:
        A short description of what was done, for the mail's outcome.
    """
    customer = work.session.get(Customer, mail.customer_id) if mail.customer_id else None
    if customer is None:
        message = f"request for quote from {mail.sender}, who is not a known customer"
        hold_mail(work, mail, [holds.reason("unknown-customer", message)])
        answer(runtime, work, mail, "ack/received")
        return "request for quote from an unknown sender: held for a clerk"
    request = asking.request
    if not request.complete:
        language = reply_language(customer.language, mail.language)
        return _ask_back(runtime, work, mail, request, language)
    wanted = [Wanted(item.sku, item.quantity, item.description) for item in request.items]
    quote = quote_for(
        runtime,
        work,
        customer,
        wanted,
        mail=mail,
        currency=request.currency,
        ref=request.customer_ref,
    )
    if quote is None:
        return "request for quote held: the catalog data cannot be priced"
    return offer(runtime, work, mail, quote, customer)


def quote_for(
    runtime: Runtime,
    work: Work,
    customer: Customer,
    wanted: list[Wanted],
    *,
    mail: Mail,
    currency: str | None,
    ref: str | None,
    replaces: str | None = None,
) -> Quote | None:
    """Price `wanted` for the customer today and store it as a new quote under our number.

    Returns:
        The quote (`held` when a line needs a clerk), or None when the catalog's data for a
        product cannot be priced (the mail is then held with that reason).
    """
    settings = runtime.settings
    products = products_for(work.session, (w.sku for w in wanted))
    today = utcnow().date()
    pricing = _price_or_hold(runtime, work, mail, customer, wanted, products, today, currency)
    if pricing is None:
        return None
    quote = make_quote(
        next_number(work.session, settings.numbering.quote),
        customer=customer,
        wanted=wanted,
        pricing=pricing,
        products=products,
        today=today,
        validity_days=settings.quote_validity_days,
        language=reply_language(customer.language, mail.language),
        mail_id=mail.id,
        customer_ref=ref,
    )
    quote.replaces = replaces
    return add(work.session, quote)


def _price_or_hold(
    runtime: Runtime,
    work: Work,
    mail: Mail,
    customer: Customer,
    wanted: list[Wanted],
    products: dict[str, Product],
    today: date,
    currency: str | None,
) -> Pricing | None:
    """The pricing of `wanted`; None when the catalog's data (or the settings' rates) cannot
    be priced, and the mail is then held with that reason and acknowledged."""
    try:
        policy = policy_from(runtime.settings)
        return price(wanted, products, customer, policy=policy, today=today, currency=currency)
    except ValueError as exc:
        hold_mail(work, mail, [holds.reason("catalog-data", str(exc))])
        answer(runtime, work, mail, "ack/received")
        return None


def offer(runtime: Runtime, work: Work, mail: Mail, quote: Quote, customer: Customer) -> str:
    """Send a priced quote, or hold it for a clerk and acknowledge the request."""
    if quote.status == HELD:
        hold_quote(work, mail, quote, held_reasons(quote))
        acknowledge_held(runtime, work, mail, quote)
        return f"quote {quote.number} held for a clerk"
    if send_quote(runtime, work, mail, quote, customer) is None:
        message = f"quote {quote.number} could not be sent automatically (reply cap); send it"
        hold_quote(work, mail, quote, [holds.reason("not-sent", message)])
        return f"quote {quote.number} held: not sent"
    return f"quote {quote.number} sent"


def _ask_back(
    runtime: Runtime, work: Work, mail: Mail, request: QuoteRequest, language: str
) -> str:
    """Ask the customer for what is missing and hold the request until they answer."""
    reasons = [
        holds.reason("unknown-product", f"not in the catalog: {u.description}")
        for u in request.unknown
    ]
    reasons += [
        holds.reason("missing-quantity", f"no quantity given for {p.sku}")
        for p in request.unquantified
    ]
    if not request.items and not reasons:
        reasons.append(holds.reason("nothing-to-quote", "no product or quantity found"))
    hold_mail(work, mail, reasons)
    answer(runtime, work, mail, "quote/ask", context=_ask_context(request, language))
    return "request for quote incomplete: asked the customer, held"


def _ask_context(request: QuoteRequest, language: str) -> dict[str, object]:
    def name(product: ProductRef) -> str:
        return product.name_zh if language == "zh" and product.name_zh else product.name

    return {
        "unknown": [
            {
                "description": u.description,
                "quantity": "" if u.quantity is None else f"{u.quantity.normalize():f}",
                "suggestions": [{"sku": p.sku, "name": name(p)} for p in u.suggestions],
                "unsure": u.unsure,
            }
            for u in request.unknown
        ],
        "unquantified": [{"sku": p.sku, "name": name(p)} for p in request.unquantified],
        "known": [{"sku": i.sku, "quantity": f"{i.quantity.normalize():f}"} for i in request.items],
    }
