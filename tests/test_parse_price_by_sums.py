"""A header may name the price in words we never listed ("Offer Price"): the cells' sums
(quantity x unit price = amount, row after row) tell the price column all the same. And a
form written on one line ("Order Date: ... Need By: ...") gives each date the label just
before it, not one further back."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from mailroom.parsers.catalog import Catalog, ProductRef
from mailroom.parsers.fields import requested_date
from mailroom.parsers.lines import extract_lines

CATALOG = Catalog.of(
    [
        ProductRef("HX-2040", "Hex Bolt M8x40 Zinc Plated"),
        ProductRef("WS-0810", "Flat Washer M8 Stainless"),
    ],
    [],
)


def test_a_price_column_named_in_unknown_words_is_told_by_the_sums() -> None:
    # Given a table whose price and amount headers are in words we never listed
    text = (
        "Code | Goods | Qty | Offer Price | Sum\n"
        "HX-2040 | Hex bolt | 4,000 | EUR 0.11 | EUR 440.00\n"
        "WS-0810 | Washer | 10,000 | EUR 0.03 | EUR 300.00\n"
    )
    # When its lines are read
    lines = extract_lines(text, CATALOG)
    # Then each line has the price the sums point at
    assert [(line.sku, line.quantity, line.unit_price) for line in lines] == [
        ("HX-2040", Decimal(4000), Decimal("0.11")),
        ("WS-0810", Decimal(10000), Decimal("0.03")),
    ]


def test_a_date_on_a_form_line_takes_the_label_right_before_it() -> None:
    line = "PO 4471 Order Date: 01-Dec-2026 Need By: 20-Dec-2026 Terms: Net 30"
    assert requested_date(line, date(2026, 12, 2)) == "2026-12-20"


def test_the_order_date_of_a_form_line_is_still_no_request() -> None:
    assert requested_date("Order Date: 01-Dec-2026 Terms: Net 30", date(2026, 11, 30)) is None
