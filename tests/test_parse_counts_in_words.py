"""Counts written in words ("five hundred", "one hundred and twenty") are read as digits by
text2num, and a bare count that leads an item's line is that line's count: never sure on its
own (a bare number may also number the line), and never a number that begins a product's name."""

from __future__ import annotations

from decimal import Decimal

from mailroom.parsers.catalog import Catalog, ProductRef
from mailroom.parsers.lines import extract_lines
from mailroom.parsers.normalise import normalise

CATALOG = Catalog.of(
    [
        ProductRef("HX-2040", "Hex Bolt M8x40 Zinc Plated", "六角螺栓 M8x40 镀锌"),
        ProductRef("WS-0810", "Flat Washer M8 Stainless", "不锈钢平垫圈 M8", ("M8 washer",)),
        ProductRef("BR-6205", "Deep Groove Ball Bearing 6205-2RS", "深沟球轴承 6205-2RS"),
        ProductRef("PS-1210", "Power Supply 12V 10A Enclosed", "开关电源 12V 10A", ("LRS-120-12",)),
    ],
    [],
)


def counted(text: str) -> list[tuple[str | None, Decimal, bool]]:
    lines = extract_lines(normalise(text), CATALOG)
    return [(line.sku, line.quantity, line.sure) for line in lines]


def test_a_list_of_items_counted_in_words_gives_a_line_per_item() -> None:
    # Given a list whose counts are words, with no unit after them
    text = (
        "As discussed on the phone:\n\n"
        "- five hundred flat washers M8 stainless\n"
        "- one hundred and twenty 12V 10A power supplies (the LRS-120-12 type)\n"
    )
    # Then each item is a line at its count, waiting for a clerk (no unit says it is a count)
    assert counted(text) == [
        ("WS-0810", Decimal(500), False),
        ("PS-1210", Decimal(120), False),
    ]


def test_a_count_in_words_with_its_unit_is_sure() -> None:
    assert counted("Please send two thousand pcs of HX-2040.") == [("HX-2040", Decimal(2000), True)]


def test_a_number_that_begins_the_products_name_is_not_its_count() -> None:
    # "6205 bearings" names the bearing; no count is given
    assert counted("6205 bearings, please quote your best price") == []


def test_a_line_number_before_a_counted_item_is_not_its_count() -> None:
    assert counted("1 HX-2040 hex bolts 300 pcs") == [("HX-2040", Decimal(300), True)]
