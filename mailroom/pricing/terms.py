"""What pricing is given: a product's and a customer's terms, and the business's policy."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

DEFAULT_MIN_MARGIN = Decimal("0.15")

# A rate table maps (from, to) to how many units of `to` one unit of `from` buys.
RateTable = Mapping[tuple[str, str], Decimal]


@dataclass(frozen=True)
class PriceBreak:
    """A volume price: from `min_qty` units on, each unit costs `price`."""

    min_qty: Decimal
    price: Decimal


@dataclass(frozen=True)
class ProductTerms:
    """What pricing needs to know of one catalog product (see store.catalog.Product)."""

    sku: str
    unit_price: Decimal
    currency: str
    price_breaks: tuple[PriceBreak, ...] = ()
    cost: Decimal | None = None
    moq: Decimal = Decimal(1)
    lead_time_days: int | None = None
    stock: Decimal | None = None

    @classmethod
    def from_record(cls, product: Any) -> ProductTerms:
        """Build from a `store.catalog.Product` (or anything with the same attributes).

        Args:
            product: an object with sku, unit_price, currency, price_breaks
                ([[min_qty, "price"], ...]), cost, moq, lead_time_days and stock.

        Returns:
            The product's terms as plain values.

        Raises:
            ValueError: a price break is not a [min_qty, price] pair of numbers.
        """
        return cls(
            sku=product.sku,
            unit_price=Decimal(product.unit_price),
            currency=product.currency.strip().upper(),
            price_breaks=parse_breaks(product.price_breaks or ()),
            cost=None if product.cost is None else Decimal(product.cost),
            moq=Decimal(product.moq or 1),
            lead_time_days=product.lead_time_days,
            stock=None if product.stock is None else Decimal(product.stock),
        )


def parse_breaks(pairs: Iterable[Sequence[Any]]) -> tuple[PriceBreak, ...]:
    """Turn stored `[[min_qty, "price"], ...]` pairs into sorted PriceBreaks.

    Args:
        pairs: (min_qty, price) pairs; numbers or numeric strings.

    Returns:
        The breaks sorted by min_qty.

    Raises:
        ValueError: a pair is not two numbers.
    """
    breaks = []
    for pair in pairs:
        try:
            min_qty, price = pair
            breaks.append(PriceBreak(Decimal(str(min_qty)), Decimal(str(price))))
        except (TypeError, ValueError, InvalidOperation) as error:
            raise ValueError(f"price break {pair!r} is not a [min_qty, price] pair") from error
    return tuple(sorted(breaks, key=lambda b: b.min_qty))


@dataclass(frozen=True)
class CustomerTerms:
    """What pricing needs to know of the customer (see store.catalog.Customer)."""

    discount_pct: Decimal = Decimal(0)
    payment_terms: str | None = None

    @classmethod
    def from_record(cls, customer: Any) -> CustomerTerms:
        """Build from a `store.catalog.Customer` (or anything with the same attributes)."""
        return cls(
            discount_pct=Decimal(customer.discount_pct or 0),
            payment_terms=customer.payment_terms,
        )


@dataclass(frozen=True)
class PricingPolicy:
    """The knobs a business sets: margin floor, exchange rates, dispatch from stock."""

    min_margin: Decimal = DEFAULT_MIN_MARGIN
    rates: RateTable = field(default_factory=dict)
    # Days to pick and pack goods that are on the shelf.
    stock_dispatch_days: int = 1
