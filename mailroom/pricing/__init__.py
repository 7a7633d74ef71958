"""Pricing: what we would charge for each requested line, when we can ship it, and what to hold.

A pure function over plain values, used by the order checks and by quotes:

1. the basis is the list price, or the volume-break price with the highest ``min_qty`` not
   above the quantity (a break never costs more than the list price);
2. the customer's ``discount_pct`` comes off the basis;
3. the result is converted when the customer asked for another currency and the rate table
   has the pair (otherwise the line is held), then rounded half-up to the currency's minor
   unit;
4. a price below ``cost x (1 + min_margin)`` is not offered: the line is held for a clerk;
5. a quantity below the MOQ is quoted at the MOQ, with a note;
6. dispatch is from stock when stock covers the quantity, otherwise after ``lead_time_days``.

Nothing here reads the database or the clock: ``today`` and the rate table are arguments.
"""

from mailroom.pricing.dates import dispatch_date
from mailroom.pricing.lines import (
    Hold,
    LinePrice,
    LineRequest,
    Note,
    Pricing,
    break_price,
    price_line,
    price_lines,
)
from mailroom.pricing.money import minor_unit, round_money
from mailroom.pricing.terms import (
    DEFAULT_MIN_MARGIN,
    CustomerTerms,
    PriceBreak,
    PricingPolicy,
    ProductTerms,
    RateTable,
    parse_breaks,
)

__all__ = [
    "DEFAULT_MIN_MARGIN",
    "CustomerTerms",
    "Hold",
    "LinePrice",
    "LineRequest",
    "Note",
    "PriceBreak",
    "Pricing",
    "PricingPolicy",
    "ProductTerms",
    "RateTable",
    "break_price",
    "dispatch_date",
    "minor_unit",
    "parse_breaks",
    "price_line",
    "price_lines",
    "round_money",
]
