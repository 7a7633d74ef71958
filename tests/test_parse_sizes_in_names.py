"""An item may be named with its sizes ("12V supply 2A x 30 units"): when the name without
its counts resolves to nothing, the text before the line's own count is tried with the sizes
kept, and the count is the one that is no part of the product's name."""

from __future__ import annotations

from decimal import Decimal

from mailroom.parsers.catalog import Catalog, ProductRef
from mailroom.parsers.lines import extract_lines

CATALOG = Catalog.of(
    [
        ProductRef("PS-1202", "Power Supply 12V 2A Desktop", aliases=("12V 2A adapter",)),
        ProductRef("CB-USB2", "USB-C Cable 2m Braided Black"),
    ],
    [],
)


def read(text: str) -> list[tuple[str | None, Decimal]]:
    return [(line.sku, line.quantity) for line in extract_lines(text, CATALOG)]


def test_an_item_named_with_its_sizes_before_a_multiplied_count_is_ours() -> None:
    assert read("- supply 12V 2A desk x 30 units") == [("PS-1202", Decimal(30))]


def test_a_cable_length_written_in_the_name_is_not_the_count() -> None:
    assert read("- USB-C cable 2m blk x 250 pcs") == [("CB-USB2", Decimal(250))]
