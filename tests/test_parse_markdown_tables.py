"""Markdown pipe tables (`| Part | Qty |` over a `|---|` line) are tables like any other: a
header that names the count but not the item finds the item in the columns it left unnamed, and
emphasis around a cell (`**800**`) is only how the cell looks."""

from __future__ import annotations

from decimal import Decimal

from mailroom.parsers.catalog import Catalog, ProductRef
from mailroom.parsers.lines import extract_lines

CATALOG = Catalog.of(
    [
        ProductRef("HX-2040", "Hex Bolt M8x40 Zinc Plated", "六角螺栓 M8x40 镀锌"),
        ProductRef("WS-0810", "Flat Washer M8 Stainless", "不锈钢平垫圈 M8"),
    ],
    [],
)


def test_a_markdown_table_whose_header_does_not_name_the_item_column_gives_its_lines() -> None:
    # Given a pipe table whose item columns are headed in words we never listed
    text = (
        "Please book the following:\n\n"
        "| # | Part            | Our ref  | Qty   | Unit price |\n"
        "|---|-----------------|----------|-------|------------|\n"
        "| 1 | bolt, zinc      | HX-2040  | 4,000 | $0.11      |\n"
        "| 2 | washer          | WS-0810  | 2.5K  | $0.02      |\n"
    )
    # When its lines are read
    lines = extract_lines(text, CATALOG)
    # Then each row is a line of the product its code names, at its count and price
    assert [(line.sku, line.quantity, line.unit_price, line.sure) for line in lines] == [
        ("HX-2040", Decimal(4000), Decimal("0.11"), True),
        ("WS-0810", Decimal(2500), Decimal("0.02"), True),
    ]


def test_bold_cells_of_a_markdown_table_are_read_as_their_text() -> None:
    text = (
        "| **SKU** | **Qty** | **Price** |\n"
        "|:--------|--------:|----------:|\n"
        "| **HX-2040** | **800** | $0.12 |\n"
        "| `WS-0810` | *1,200* | $0.02 |\n"
    )
    lines = extract_lines(text, CATALOG)
    assert [(line.sku, line.quantity) for line in lines] == [
        ("HX-2040", Decimal(800)),
        ("WS-0810", Decimal(1200)),
    ]


def test_a_header_that_names_the_item_keeps_it_over_a_note_naming_another_product() -> None:
    # Given a pipe table whose item column is named, and a note column naming another product
    text = (
        "| Description | Qty | Note |\n"
        "|---|---|---|\n"
        "| Hex Bolt M8x40 Zinc Plated | 500 | same as WS-0810 order |\n"
    )
    # Then the line is the named column's product, not the note's
    assert [(line.sku, line.quantity) for line in extract_lines(text, CATALOG)] == [
        ("HX-2040", Decimal(500))
    ]
