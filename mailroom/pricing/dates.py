"""When a line can leave: from stock after picking, or after the product's lead time."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from mailroom.pricing.terms import PricingPolicy, ProductTerms


def dispatch_date(
    product: ProductTerms, quantity: Decimal, today: date, policy: PricingPolicy
) -> tuple[bool, date | None]:
    """When the line can leave: from stock, after the lead time, or unknown (None).

    Args:
        product: the product's terms (stock None counts as none on hand).
        quantity: units to ship.
        today: the day the promise is made.
        policy: gives the days needed to dispatch from stock.

    Returns:
        (from_stock, date); the date is moved off a weekend to the next Monday.
    """
    if product.stock is not None and product.stock >= quantity:
        return True, _weekday_on_or_after(today + timedelta(days=policy.stock_dispatch_days))
    if product.lead_time_days is None:
        return False, None
    return False, _weekday_on_or_after(today + timedelta(days=product.lead_time_days))


def _weekday_on_or_after(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day
