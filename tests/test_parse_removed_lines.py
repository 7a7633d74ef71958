"""A change that takes an item off an order reports that item at quantity 0, whatever count
the sentence cites for it (the count it had); a price may be qualified ("at the agreed 0.12")."""

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


def read(text: str) -> list[tuple[str | None, Decimal, Decimal | None]]:
    return [(line.sku, line.quantity, line.unit_price) for line in extract_lines(text, CATALOG)]


def test_an_item_taken_off_the_order_is_a_line_at_quantity_zero() -> None:
    # Given a change that deletes one item and cites the count it had
    text = "Please delete the WS-0810 washers from the order (the 9,000 pcs), we have stock."
    # Then the item is a line at quantity 0
    assert read(text) == [("WS-0810", Decimal(0), None)]


def test_a_cancelled_item_in_chinese_is_a_line_at_quantity_zero() -> None:
    assert read("六角螺栓 M8x40 镀锌 取消，不锈钢平垫圈 M8 改为3000个") == [
        ("HX-2040", Decimal(0), None),
        ("WS-0810", Decimal(3000), None),
    ]


def test_an_item_added_beside_one_taken_off_keeps_its_count_and_agreed_price() -> None:
    text = "- add HX-2040 bolts, 600 pcs at the agreed 0.11\n- and take out the WS-0810 washers"
    assert read(text) == [("HX-2040", Decimal(600), Decimal("0.11")), ("WS-0810", Decimal(0), None)]


def test_a_drop_shipment_removes_nothing() -> None:
    assert read("Please drop ship 500 pcs of HX-2040 to our customer.") == [
        ("HX-2040", Decimal(500), None)
    ]
