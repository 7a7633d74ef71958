"""A count read from a range ("3-5k pcs") is a guess at what the customer will take: the line
is marked not sure, so the order checks hold the order instead of confirming it."""

from __future__ import annotations

from decimal import Decimal

from mailroom.orders.request import request_from_parsed
from mailroom.parsers.catalog import Catalog, ProductRef
from mailroom.parsers.lines import extract_lines

CATALOG = Catalog.of(
    [ProductRef("HX-2040", "Hex Bolt M8x40 Zinc Plated", "六角螺栓 M8x40 镀锌")],
    [],
)


def test_a_line_counted_from_a_range_is_not_sure() -> None:
    # Given an order whose only line gives a range of counts
    lines = extract_lines("Please supply HX-2040 hex bolts, 3-5k pcs.", CATALOG)
    # Then the line is booked at the lower bound, but not sure
    assert [(line.sku, line.quantity, line.sure) for line in lines] == [
        ("HX-2040", Decimal(3000), False)
    ]


def test_a_chinese_range_of_counts_is_not_sure_either() -> None:
    lines = extract_lines("六角螺栓 M8x40 镀锌 500~800个", CATALOG)
    assert [(line.quantity, line.sure) for line in lines] == [(Decimal(500), False)]


def test_an_exact_count_stays_sure() -> None:
    lines = extract_lines("Please supply HX-2040 hex bolts, 3000 pcs.", CATALOG)
    assert [(line.quantity, line.sure) for line in lines] == [(Decimal(3000), True)]


def test_an_order_whose_only_line_came_from_a_range_reaches_the_checks_as_unsure() -> None:
    # Given the parse of an order whose only line came from a range, kept as intake keeps it
    lines = extract_lines("Please supply HX-2040 hex bolts, 3-5k pcs.", CATALOG)
    parsed = {
        "lines": [line.to_json() for line in lines],
        "unsure_lines": [i for i, line in enumerate(lines) if line.sku and not line.sure],
    }
    # When the order request is built for the checks
    request = request_from_parsed(parsed, "C-ACME")
    # Then its line is not sure, which the ambiguous-sku check holds rather than confirms
    assert [line.sure for line in request.lines] == [False]
