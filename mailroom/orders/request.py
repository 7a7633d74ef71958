"""What is asked for: an order request as plain values, from a mail or an accepted quote.

Both ways in (a customer's order mail, and a quote the customer accepted) build an
`OrderRequest`; `mailroom.orders.place.place_order` checks it and makes the one decision.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any


@dataclass
class RequestedLine:
    """One line as asked: our SKU if it resolved, the customer's words, quantity, price."""

    sku: str | None
    description: str
    quantity: Decimal
    unit_price: Decimal | None = None
    currency: str | None = None
    # False when the SKU came from a loose match the customer should confirm.
    sure: bool = True
    # True when the price was agreed before (a quote, a clerk): it is charged as it is.
    agreed: bool = False


@dataclass
class OrderRequest:
    """An order as asked. `source` is "mail" or "quote:Q-2026-00042" for an accepted quote."""

    customer_id: str | None
    po_number: str | None
    lines: list[RequestedLine]
    requested_date: date | None
    ship_to: str | None
    source: str = "mail"


@dataclass(frozen=True)
class Signals:
    """What the parse says about how far the request can be trusted."""

    sender: str | None
    confidence: float
    findings: list[dict[str, str]] = field(default_factory=list)
    # What the mail names that no line was read for (a count, a product).
    unread: list[str] = field(default_factory=list)


def request_from_parsed(parsed: dict[str, Any], customer_id: str | None) -> OrderRequest:
    """Build the request from a mail's parse object (`mail.parsed`); bad values become None.

    Args:
        parsed: the contract's parse object plus the service's extra keys.
        customer_id: the customer the mail was matched to.

    Returns:
        The order request the mail makes.
    """
    unsure = set(parsed.get("unsure_lines") or ())
    lines = []
    for index, raw in enumerate(parsed.get("lines") or ()):
        quantity = to_decimal(raw.get("quantity"))
        lines.append(
            RequestedLine(
                sku=raw.get("sku") or None,
                description=str(raw.get("description") or raw.get("sku") or ""),
                quantity=quantity if quantity is not None else Decimal(0),
                unit_price=to_decimal(raw.get("unit_price")),
                currency=(str(raw["currency"]).upper() if raw.get("currency") else None),
                sure=index not in unsure,
            )
        )
    return OrderRequest(
        customer_id=customer_id,
        po_number=(str(parsed["po_number"]).strip() or None) if parsed.get("po_number") else None,
        lines=lines,
        requested_date=to_date(parsed.get("requested_date")),
        ship_to=parsed.get("ship_to") or None,
    )


def signals_from_parsed(parsed: dict[str, Any], sender: str | None) -> Signals:
    """The sender, confidence and attachment findings of a mail's parse object."""
    findings = [
        {"filename": str(f.get("filename") or ""), "finding": str(f.get("finding") or "")}
        for f in parsed.get("findings") or ()
    ]
    try:
        confidence = float(parsed.get("confidence") or 0.0)
    except (TypeError, ValueError):
        confidence = 0.0
    unread = [str(u) for u in parsed.get("unread") or ()]
    return Signals(sender=sender, confidence=confidence, findings=findings, unread=unread)


def to_decimal(value: Any) -> Decimal | None:
    """A Decimal from a number or numeric string, or None when it is not one."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def to_date(value: Any) -> date | None:
    """A date from `YYYY-MM-DD` (or a date), or None."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None
