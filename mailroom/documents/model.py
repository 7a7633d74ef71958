"""What goes on one of our documents: plain values, filled by whoever renders the PDF."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class DocumentLine:
    """One line of a document; prices are None on a packing list.

    `name` is the English name and `name_zh` the Chinese one; either may be empty, and the
    document's language decides which is printed first. `note` is printed under the name.
    """

    sku: str
    quantity: Decimal
    name: str = ""
    name_zh: str = ""
    unit: str = "pcs"
    unit_price: Decimal | None = None
    amount: Decimal | None = None
    currency: str = ""
    dispatch_date: dt.date | None = None
    from_stock: bool = False
    note: str = ""


@dataclass(frozen=True)
class Document:
    """The contents of an order confirmation, quote, invoice or packing list.

    `number` is our number (SO-2026-00012, Q-2026-00042, ...); `order_number` is our order a
    later document refers to. `customer_address` lines are separated by newlines or " / ".
    `totals` maps currency to total; when None it is the sum of the lines' amounts.
    """

    company_name: str
    number: str
    date: dt.date
    customer_name: str
    customer_address: str = ""
    company_address: str = ""
    customer_po: str = ""
    order_number: str = ""
    valid_until: dt.date | None = None
    promised_date: dt.date | None = None
    due_date: dt.date | None = None
    lines: tuple[DocumentLine, ...] = ()
    totals: Mapping[str, Decimal] | None = None
    payment_terms: str = ""
    notes: tuple[str, ...] = field(default=())

    def totals_by_currency(self) -> dict[str, Decimal]:
        """The totals to print: as given, or summed from the lines per currency."""
        if self.totals is not None:
            return dict(self.totals)
        totals: dict[str, Decimal] = {}
        for line in self.lines:
            if line.amount is not None:
                totals[line.currency] = totals.get(line.currency, Decimal(0)) + line.amount
        return totals
