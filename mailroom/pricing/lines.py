"""Pricing the requested lines: each line's price, notes and holds, and the totals.

See the package docstring for the order in which a line's price is worked out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from mailroom.pricing.dates import dispatch_date
from mailroom.pricing.money import round_money
from mailroom.pricing.terms import CustomerTerms, PricingPolicy, ProductTerms, RateTable


@dataclass(frozen=True)
class LineRequest:
    """One line as asked: a SKU and a quantity."""

    sku: str
    quantity: Decimal


@dataclass(frozen=True)
class Note:
    """Something the customer should read next to a line (e.g. quoted at the MOQ)."""

    code: str
    message: str


@dataclass(frozen=True)
class Hold:
    """Why a line is not offered automatically; `message` is written for a clerk."""

    code: str
    message: str


@dataclass(frozen=True)
class LinePrice:
    """The priced line. `unit_price` and `amount` are None when the line is held."""

    sku: str
    quantity_requested: Decimal
    quantity: Decimal
    currency: str
    list_price: Decimal | None = None
    unit_price: Decimal | None = None
    amount: Decimal | None = None
    from_stock: bool = False
    dispatch_date: date | None = None
    notes: tuple[Note, ...] = ()
    holds: tuple[Hold, ...] = ()

    @property
    def offered(self) -> bool:
        """True when the line can be quoted without a clerk."""
        return not self.holds and self.amount is not None


@dataclass(frozen=True)
class Pricing:
    """All lines priced, with totals per currency over the offered lines."""

    lines: tuple[LinePrice, ...]
    totals: dict[str, Decimal]
    payment_terms: str | None
    dispatch_date: date | None

    @property
    def held(self) -> bool:
        """True when any line needs a clerk."""
        return any(line.holds for line in self.lines)

    @property
    def holds(self) -> list[tuple[str, Hold]]:
        """Every hold as (sku, hold), in line order."""
        return [(line.sku, hold) for line in self.lines for hold in line.holds]


def break_price(product: ProductTerms, quantity: Decimal) -> Decimal:
    """The per-unit basis for a quantity: the best applicable break, capped at the list price.

    Args:
        product: the product's terms.
        quantity: units ordered (already raised to the MOQ).

    Returns:
        The price of the break with the highest min_qty not above the quantity, or the list
        price when no break applies or the break would cost more.
    """
    applicable = [b for b in product.price_breaks if b.min_qty <= quantity]
    if not applicable:
        return product.unit_price
    best = max(applicable, key=lambda b: b.min_qty)
    return min(best.price, product.unit_price)


def price_line(
    product: ProductTerms,
    quantity: Decimal | int,
    *,
    customer: CustomerTerms,
    today: date,
    currency: str | None = None,
    policy: PricingPolicy | None = None,
) -> LinePrice:
    """Price one line for one customer.

    Args:
        product: the product's terms.
        quantity: units asked for; below the MOQ it is raised to the MOQ, with a note.
        customer: gives the discount (percent off).
        today: the day of the quote; the dispatch date counts from it.
        currency: the currency the customer asked for; None means the product's.
        policy: margin floor, rate table and dispatch days; defaults when None.

    Returns:
        The line with prices, dispatch date, notes and every hold found. Bad input (a
        quantity or discount out of range, a missing rate) gives a hold, never an exception.
    """
    policy = policy or PricingPolicy()
    asked = Decimal(quantity)
    target = (currency or product.currency).strip().upper()
    line = LinePrice(product.sku, asked, asked, target)
    holds = _input_holds(product, asked, customer)
    if holds:
        return replace(line, holds=tuple(holds))
    return _price_sound_line(_at_least_moq(line, product), product, customer, today, policy)


def _at_least_moq(line: LinePrice, product: ProductTerms) -> LinePrice:
    """The line raised to the product's MOQ, with a note saying so, when it asks for less."""
    if line.quantity_requested >= product.moq:
        return line
    note = Note("below-moq", f"Quoted at the minimum order quantity of {product.moq}.")
    return replace(line, quantity=product.moq, notes=line.notes + (note,))


def _price_sound_line(
    line: LinePrice,
    product: ProductTerms,
    customer: CustomerTerms,
    today: date,
    policy: PricingPolicy,
) -> LinePrice:
    """Date and price a line whose inputs are sound, keeping every reason to hold it."""
    from_stock, ships = dispatch_date(product, line.quantity, today, policy)
    line = replace(line, from_stock=from_stock, dispatch_date=ships)
    holds: list[Hold] = []
    if ships is None:
        holds.append(
            Hold(
                "no-lead-time",
                f"Stock of {product.sku} is short and no lead time is recorded: "
                "a clerk must promise a date.",
            )
        )
    rate = _rate(product.currency, line.currency, policy.rates)
    if rate is None:
        holds.append(
            Hold(
                "currency-not-covered",
                f"Asked in {line.currency}; {product.sku} is priced in {product.currency} "
                f"and no exchange rate {product.currency}->{line.currency} is configured.",
            )
        )
        return replace(line, holds=tuple(holds))
    if product.currency != line.currency:
        note = Note("converted", f"Converted from {product.currency} at {rate}.")
        line = replace(line, notes=line.notes + (note,))
    line = _offer(line, product, rate, customer, policy)
    if holds:
        # Another reason already holds the line: keep every reason, offer no price.
        return replace(line, unit_price=None, amount=None, holds=tuple(holds) + line.holds)
    return line


def _offer(
    line: LinePrice,
    product: ProductTerms,
    rate: Decimal,
    customer: CustomerTerms,
    policy: PricingPolicy,
) -> LinePrice:
    """Price a line whose inputs are sound; hold it when the price is below the margin floor."""
    discounted = break_price(product, line.quantity) * (1 - customer.discount_pct / 100)
    unit = round_money(discounted * rate, line.currency)
    line = replace(line, list_price=round_money(product.unit_price * rate, line.currency))
    if product.cost is not None:
        # The floor is compared after rounding so that no offered price is ever below it.
        floor = product.cost * (1 + policy.min_margin) * rate
        if unit < floor:
            hold = Hold(
                "below-margin-floor",
                f"{product.sku}: {unit} {line.currency} would be below cost plus the minimum "
                f"margin of {policy.min_margin * 100:.1f}% "
                f"({round_money(floor, line.currency)} {line.currency}); not offered.",
            )
            return replace(line, holds=(hold,))
    amount = round_money(unit * line.quantity, line.currency)
    return replace(line, unit_price=unit, amount=amount)


def _input_holds(product: ProductTerms, asked: Decimal, customer: CustomerTerms) -> list[Hold]:
    holds = []
    if not asked.is_finite() or asked <= 0:
        holds.append(Hold("quantity-invalid", f"{product.sku}: quantity {asked} is not positive."))
    if not 0 <= customer.discount_pct < 100:
        holds.append(
            Hold(
                "discount-invalid",
                f"Customer discount {customer.discount_pct}% is not between 0 and 100.",
            )
        )
    if product.unit_price <= 0:
        holds.append(Hold("no-list-price", f"{product.sku} has no positive list price."))
    return holds


def _rate(source: str, target: str, rates: RateTable) -> Decimal | None:
    if source == target:
        return Decimal(1)
    rate = rates.get((source, target))
    if rate is None or rate <= 0:
        return None
    return Decimal(rate)


def price_lines(
    requests: Iterable[LineRequest],
    products: Mapping[str, ProductTerms],
    *,
    customer: CustomerTerms,
    today: date,
    currency: str | None = None,
    policy: PricingPolicy | None = None,
) -> Pricing:
    """Price every requested line; an unknown SKU is a held line, not an error.

    Args:
        requests: the lines asked for, in order.
        products: the catalog's terms by SKU.
        customer: the customer's discount and payment terms.
        today: the day of the quote.
        currency: the currency asked for, or None for each product's own.
        policy: margin floor, rates and dispatch days; defaults when None.

    Returns:
        The priced lines, totals per currency over offered lines, the customer's payment
        terms and the latest dispatch date of all lines (None if any line has none).
    """
    lines = tuple(
        _price_request(request, products.get(request.sku), customer, today, currency, policy)
        for request in requests
    )
    return Pricing(lines, _totals(lines), customer.payment_terms, _latest_dispatch(lines))


def _price_request(
    request: LineRequest,
    product: ProductTerms | None,
    customer: CustomerTerms,
    today: date,
    currency: str | None,
    policy: PricingPolicy | None,
) -> LinePrice:
    """One requested line priced, or held when its SKU is not in the catalog."""
    if product is None:
        return _unknown(request, currency)
    return price_line(
        product, request.quantity, customer=customer, today=today, currency=currency, policy=policy
    )


def _totals(lines: Iterable[LinePrice]) -> dict[str, Decimal]:
    """The amounts of the offered lines summed per currency."""
    totals: dict[str, Decimal] = {}
    for line in lines:
        if line.offered and line.amount is not None:
            totals[line.currency] = totals.get(line.currency, Decimal(0)) + line.amount
    return totals


def _latest_dispatch(lines: Sequence[LinePrice]) -> date | None:
    """The day the last line can leave; None when there are no lines or one has no date."""
    dates = [line.dispatch_date for line in lines]
    return None if not dates or None in dates else max(d for d in dates if d is not None)


def _unknown(request: LineRequest, currency: str | None) -> LinePrice:
    quantity = Decimal(request.quantity)
    hold = Hold("unknown-sku", f"{request.sku} is not in the catalog.")
    return LinePrice(request.sku, quantity, quantity, (currency or "").upper(), holds=(hold,))
