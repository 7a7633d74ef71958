"""The cross-check of a received PO, revised PO or signed contract against its order.

Small named rules, all run, every difference kept: lines, quantities, prices, the total,
the PO number and the delivery date. Each difference carries both values, so a clerk reads
the document and the order side by side. A document that matches passes silently.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from mailroom.documents.reading import DocumentFacts
from mailroom.parsers.result import Line
from store.orders import Order, OrderLine

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Difference:
    """One thing the document and the order disagree on, with both values as written."""

    rule: str
    what: str
    document: str
    order: str

    @property
    def message(self) -> str:
        return f"{self.what}: the document says {self.document}, the order {self.order}"


class Check(ABC):
    """One comparison; `check` appends a Difference per disagreement."""

    name: str
    description: str

    @abstractmethod
    def check(self, facts: DocumentFacts, order: Order, out: list[Difference]) -> None: ...


def _by_sku(order: Order) -> dict[str, OrderLine]:
    """The order's first line of each product."""
    found: dict[str, OrderLine] = {}
    for line in order.lines:
        if line.sku:
            found.setdefault(line.sku, line)
    return found


def _quantities(lines: Iterable[Line | OrderLine]) -> dict[str, Decimal]:
    """How much of each product the lines ask for (a product on two lines counts once)."""
    found: dict[str, Decimal] = {}
    for line in lines:
        if line.sku:
            found[line.sku] = found.get(line.sku, Decimal(0)) + line.quantity
    return found


def _number(value: Decimal) -> str:
    text = f"{value.normalize():,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


class LinesMatch(Check):
    name = "document-lines"
    description = "the document lists the same products as the order"

    def check(self, facts: DocumentFacts, order: Order, out: list[Difference]) -> None:
        ours = _by_sku(order)
        theirs = {line.sku for line in facts.lines if line.sku}
        for line in facts.lines:
            if line.sku is None:
                out.append(Difference(self.name, "a line", line.description, "has no such line"))
            elif line.sku not in ours:
                out.append(
                    Difference(self.name, f"line {line.sku}", f"{_number(line.quantity)}", "none")
                )
        for sku, mine in ours.items():
            if sku not in theirs:
                quantity = f"{_number(mine.quantity)} {mine.unit}"
                out.append(Difference(self.name, f"line {sku}", "none", quantity))


class QuantitiesMatch(Check):
    name = "document-quantity"
    description = "each product's quantity is the order's"

    def check(self, facts: DocumentFacts, order: Order, out: list[Difference]) -> None:
        ours = _quantities(order.lines)
        for sku, quantity in _quantities(facts.lines).items():
            mine = ours.get(sku)
            if mine is not None and quantity != mine:
                what = f"quantity of {sku}"
                out.append(Difference(self.name, what, _number(quantity), _number(mine)))


class PricesMatch(Check):
    name = "document-price"
    description = "each printed unit price is the price on the order"

    def check(self, facts: DocumentFacts, order: Order, out: list[Difference]) -> None:
        ours = _by_sku(order)
        for line in facts.lines:
            mine = ours.get(line.sku or "")
            price = None if mine is None else (mine.unit_price or mine.requested_price)
            if line.unit_price is None or price is None:
                continue
            if line.unit_price.quantize(Decimal("0.0001")) != price.quantize(Decimal("0.0001")):
                currency = (mine.currency if mine else None) or ""
                out.append(
                    Difference(
                        self.name,
                        f"unit price of {line.sku}",
                        f"{_number(line.unit_price)} {line.currency or currency}".strip(),
                        f"{_number(price)} {currency}".strip(),
                    )
                )


class TotalMatches(Check):
    name = "document-total"
    description = "the printed total is the order's total"

    def check(self, facts: DocumentFacts, order: Order, out: list[Difference]) -> None:
        totals = order.totals()
        if facts.total is None or len(totals) != 1:
            return
        ((currency, total),) = totals.items()
        if abs(facts.total - total) >= CENT:
            out.append(
                Difference(
                    self.name, "the total", f"{facts.total:,.2f}", f"{total:,.2f} {currency}"
                )
            )


class PoNumberMatches(Check):
    name = "document-po-number"
    description = "the document carries the order's PO number"

    def check(self, facts: DocumentFacts, order: Order, out: list[Difference]) -> None:
        if not facts.po_number or not order.po_number:
            return
        if _plain(facts.po_number) != _plain(order.po_number):
            out.append(Difference(self.name, "the PO number", facts.po_number, order.po_number))


class DateMatches(Check):
    name = "document-date"
    description = "the requested delivery date is the order's"

    def check(self, facts: DocumentFacts, order: Order, out: list[Difference]) -> None:
        if facts.requested_date is None or order.requested_date is None:
            return
        if facts.requested_date != order.requested_date:
            out.append(
                Difference(
                    self.name,
                    "the requested delivery date",
                    facts.requested_date.isoformat(),
                    order.requested_date.isoformat(),
                )
            )


def _plain(number: str) -> str:
    return "".join(ch for ch in number.upper() if ch.isalnum())


CHECKS: tuple[Check, ...] = (
    LinesMatch(),
    QuantitiesMatch(),
    PricesMatch(),
    TotalMatches(),
    PoNumberMatches(),
    DateMatches(),
)


def cross_check(facts: DocumentFacts, order: Order) -> list[Difference]:
    """Every difference between the document and the order, by every check."""
    found: list[Difference] = []
    for check in CHECKS:
        check.check(facts, order, found)
    return found


def side_by_side(differences: list[Difference]) -> str:
    """The differences as a table a clerk reads: what, the document, the order."""
    rows = [("", "document", "order")] + [(d.what, d.document, d.order) for d in differences]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )
