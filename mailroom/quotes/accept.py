"""A customer's "yes" to a quote: a valid quote becomes an order, an expired one is re-quoted.

    the quote cannot be found                 -> acknowledged, held for a clerk
    the sender may not act for its customer   -> acknowledged (nothing about the quote), held
    sent and still valid                      -> an order through the orders checks
                                                 (`mailroom.orders.place.place_order`)
    expired                                   -> a new quote at today's prices, in reply;
                                                 held for a clerk if a price needs one
    held, declined, already accepted          -> acknowledged, held for a clerk

An expired quote is never honoured silently: its prices may no longer hold.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from mailroom.orders.place import OrderRequest, RequestedLine, place_order
from mailroom.orders.request import to_date
from mailroom.orders.rules import may_act_for
from mailroom.quotes.build import wanted_again
from mailroom.quotes.prepare import offer, quote_for
from mailroom.respond import answer, hold_mail
from mailroom.runtime import Runtime, Work
from store import holds
from store import quotes as store
from store.base import utcnow
from store.catalog import Customer
from store.mail import Mail
from store.quotes import ACCEPTED, EXPIRED, SENT, Quote


def find_quote(session: Session, parsed: Mapping[str, Any]) -> Quote | None:
    """The quote a mail accepts: the number it cites, else the quote mail it replies to."""
    number = parsed.get("quote_number")
    if number:
        quote = store.by_number(session, str(number), for_update=True)
        if quote is not None:
            return quote
    found = store.by_message_ids(session, parsed.get("references") or ())
    if found is None:
        return None
    return store.by_number(session, found.number, for_update=True)


def accept_quote(runtime: Runtime, work: Work, mail: Mail) -> str:
    """Act on an acceptance mail; returns the outcome to record on the mail.

    Args:
        mail: the acceptance, locked for this transaction.

    Returns:
        What was done, in a few words.
    """
    session = work.session
    parsed = mail.parsed or {}
    quote = find_quote(session, parsed)
    if quote is None:
        cited = parsed.get("quote_number")
        what = f"quote {cited} does not exist" if cited else "no quote number and no quote mail"
        return _hold(runtime, work, mail, "quote-not-found", f"acceptance, but {what}")
    customer = session.get(Customer, quote.customer_id)
    if customer is None or not may_act_for(customer, mail.sender):
        message = f"{mail.sender} is not an address of {quote.customer_id}: may not accept it"
        return _hold(runtime, work, mail, "sender-not-allowed", f"quote {quote.number}: {message}")
    if quote.status == SENT and utcnow().date() > quote.valid_until:
        quote.status, quote.status_note = EXPIRED, f"expired on {quote.valid_until:%Y-%m-%d}"
    if quote.status == EXPIRED:
        return _requote(runtime, work, mail, quote, customer)
    if quote.status != SENT:
        done = f" as order {quote.order_number}" if quote.order_number else ""
        message = f"quote {quote.number} is {quote.status}{done}; accepted again by {mail.sender}"
        return _hold(runtime, work, mail, f"quote-{quote.status}", message)
    order = place_order(runtime, work, mail, order_request(quote, parsed))
    quote.status, quote.accepted_mail_id = ACCEPTED, mail.id
    quote.order_number, quote.status_note = order.number, f"accepted by {mail.sender}"
    return f"quote {quote.number} accepted: order {order.number} ({order.status})"


def order_request(quote: Quote, parsed: Mapping[str, Any]) -> OrderRequest:
    """The order an accepted quote makes: its lines at its prices, the mail's PO and dates."""
    lines = [
        RequestedLine(
            sku=line.sku,
            description=line.description or line.sku,
            quantity=line.quantity,
            unit_price=line.unit_price,
            currency=line.currency,
            agreed=True,
        )
        for line in quote.lines
        if line.unit_price is not None
    ]
    po_number = str(parsed.get("po_number") or "").strip() or None
    return OrderRequest(
        customer_id=quote.customer_id,
        po_number=po_number,
        lines=lines,
        requested_date=to_date(parsed.get("requested_date")),
        ship_to=parsed.get("ship_to") or None,
        source=f"quote:{quote.number}",
    )


def _requote(runtime: Runtime, work: Work, mail: Mail, old: Quote, customer: Customer) -> str:
    """Quote the expired quote's lines again at today's prices, in reply to the acceptance."""
    wanted, currency = wanted_again(old)
    new = quote_for(
        runtime,
        work,
        customer,
        wanted,
        mail=mail,
        currency=currency,
        ref=old.customer_ref,
        replaces=old.number,
    )
    if new is None:
        return f"quote {old.number} expired; re-quote held: the catalog data cannot be priced"
    outcome = offer(runtime, work, mail, new, customer)
    return f"quote {old.number} expired; re-quoted: {outcome}"


def _hold(runtime: Runtime, work: Work, mail: Mail, rule: str, message: str) -> str:
    hold_mail(work, mail, [holds.reason(rule, message)])
    answer(runtime, work, mail, "ack/received")
    return f"acceptance held: {message}"
