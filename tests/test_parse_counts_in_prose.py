"""Counts as people write them in running text: a range, a price in another currency with
"ea" after it, and a sentence that counts one item after it and the next before it."""

from __future__ import annotations

from decimal import Decimal

from mailroom.parsers.catalog import Catalog, ProductRef
from mailroom.parsers.lines import extract_lines
from mailroom.parsers.numbers import quantity_in

CATALOG = Catalog.of(
    [
        ProductRef("HX-2040", "Hex Bolt M8x40 Zinc Plated", "六角螺栓 M8x40 镀锌"),
        ProductRef("BR-6204", "Deep Groove Ball Bearing 6204-2RS", "深沟球轴承 6204-2RS"),
    ],
    [],
)


def test_a_range_of_counts_is_read_as_its_lower_bound() -> None:
    assert quantity_in("2-4k pcs a year") == 2000
    assert quantity_in("500~800个") == 500
    # ... but a change from one count to another is no range
    assert quantity_in("from 2000 to 4000 pcs") == 4000


def test_an_item_asked_for_over_a_range_is_a_line_at_its_lower_bound() -> None:
    lines = extract_lines("- HX-2040 hex bolts: 2-4k pcs per year, in call-offs of 500", CATALOG)
    assert [(line.sku, line.quantity) for line in lines] == [("HX-2040", Decimal(2000))]


def test_a_number_after_a_currency_is_its_price_even_with_each_after_it() -> None:
    # Given a count before the item and its price, in Hong Kong dollars, "ea" after it
    lines = extract_lines("We'd need 3k of the 6204 bearings at HKD 12.80 ea.", CATALOG)
    # Then 12.80 is the price and 3k the count
    assert [(line.sku, line.quantity, line.unit_price, line.currency) for line in lines] == [
        ("BR-6204", Decimal(3000), Decimal("12.80"), "HKD")
    ]
    assert quantity_in("at HKD 12.80 ea") is None


def test_a_writer_who_counts_after_items_may_lead_the_next_item_with_its_count() -> None:
    # Given a change that counts the first item after it and the second before it
    text = "Please bump the 6204-2RS bearings to 900 pcs (was 500) and add 300 pcs of the HX-2040."
    # When its lines are read
    lines = extract_lines(text, CATALOG)
    # Then each item has its own count
    assert [(line.sku, line.quantity) for line in lines] == [
        ("BR-6204", Decimal(900)),
        ("HX-2040", Decimal(300)),
    ]
