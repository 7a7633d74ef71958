"""What the service understood of one mail: exactly the `mailroom parse --json` object.

The contract is `contracts/parse-output.md`; `to_json()` is the only place the object's keys
are spelled, so the command line and the service cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

INTENTS = (
    "order",
    "order_change",
    "quote_request",
    "quote_acceptance",
    "status_inquiry",
    "shipment_notice",
    "after_sales",
    "feedback",
    "auto_reply",
    "bounce",
    "other",
    "unreadable",
)
# Intents that never get an automatic answer (RFC 3834: no replies to machines or lists).
MACHINE_INTENTS = frozenset({"auto_reply", "bounce"})

ATTACHMENT_KINDS = (
    "purchase_order",
    "quote",
    "contract",
    "invoice",
    "packing_list",
    "shipping_document",
    "image",
    "other",
)


@dataclass
class Line:
    """One requested item as the customer wrote it, with the SKU it resolved to."""

    description: str
    quantity: Decimal
    sku: str | None = None
    unit_price: Decimal | None = None
    currency: str | None = None
    # False when the SKU came from a fuzzy match below the sure threshold (not in the JSON).
    sure: bool = True

    def to_json(self) -> dict[str, Any]:
        quantity: int | float = (
            int(self.quantity)
            if self.quantity == self.quantity.to_integral_value()
            else float(self.quantity)
        )
        return {
            "sku": self.sku,
            "description": self.description,
            "quantity": quantity,
            "unit_price": None if self.unit_price is None else f"{self.unit_price:f}",
            "currency": self.currency,
        }


@dataclass
class Attachment:
    """One attachment: what it was called, how big, and what kind of document it is."""

    filename: str
    content_type: str
    size: int
    kind: str = "other"
    # A recorded problem reading it ("encrypted", "image_only", "broken", "too_large", ...).
    finding: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "filename": self.filename,
            "content_type": self.content_type,
            "size": self.size,
            "kind": self.kind,
        }


@dataclass
class Returned:
    """What a bounce says of the message it returns: which one, to whom, and why it failed.

    From the delivery report's parts (RFC 3464: `message/delivery-status`, with the message or
    its headers after it), or, in a plain-text bounce, from the copy of the message it quotes.
    """

    message_id: str | None = None
    subject: str | None = None
    recipient: str | None = None
    action: str | None = None  # failed, delayed, delivered, ...
    status: str | None = None  # 5.1.1
    diagnostic: str | None = None


@dataclass
class ParseResult:
    """The parse object of the contract, plus a few fields the service keeps for itself."""

    file: str | None = None
    message_id: str | None = None
    sender: str | None = None
    language: str = "und"
    intent: str = "other"
    customer_id: str | None = None
    po_number: str | None = None
    order_number: str | None = None
    quote_number: str | None = None
    tracking_number: str | None = None
    requested_date: str | None = None
    ship_to: str | None = None
    lines: list[Line] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    confidence: float = 0.0
    error: str | None = None
    # Not in the contract: kept for the service's own decisions and the clerks' page.
    subject: str | None = None
    reply_to: str | None = None
    references: list[str] = field(default_factory=list)
    text: str = ""
    # What the new text names (a count, a product) that no line accounts for.
    unread: list[str] = field(default_factory=list)
    returned: Returned | None = None  # a bounce: the message it returns, and why

    def to_json(self) -> dict[str, Any]:
        """The contract's object, keys in the contract's order."""
        data: dict[str, Any] = {
            "file": self.file,
            "message_id": self.message_id,
            "from": self.sender,
            "language": self.language,
            "intent": self.intent,
            "customer_id": self.customer_id,
            "po_number": self.po_number,
            "order_number": self.order_number,
            "quote_number": self.quote_number,
            "tracking_number": self.tracking_number,
            "requested_date": self.requested_date,
            "ship_to": self.ship_to,
            "lines": [line.to_json() for line in self.lines],
            "attachments": [a.to_json() for a in self.attachments],
            "confidence": round(self.confidence, 3),
        }
        if self.intent == "unreadable":
            data["error"] = self.error or "unreadable"
        return data
