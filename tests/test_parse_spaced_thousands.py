"""Counts written with a space between thousands ("20 000 pcs", "10 000 szt.") are one number
where nothing else can be meant; a number that may only stand next to another ("Size 8 100
pcs") is never joined to it, and the line is not sure."""

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


def counted(text: str) -> list[tuple[str | None, Decimal, bool]]:
    return [(line.sku, line.quantity, line.sure) for line in extract_lines(text, CATALOG)]


def test_a_count_grouped_with_spaces_after_a_dash_is_one_number() -> None:
    # Given a list of items whose counts group thousands with a space, and decimal commas
    text = (
        "Item 1: Hex bolt M8x40 zinc plated - 20 000 pcs - 0,11 USD\n"
        "Item 2: Flat washer M8 stainless - 10 000 szt. - 0,02 USD\n"
    )
    # Then each count is the whole number, sure
    assert counted(text) == [
        ("HX-2040", Decimal(20000), True),
        ("WS-0810", Decimal(10000), True),
    ]


def test_no_break_and_thin_spaces_group_thousands_too() -> None:
    assert counted("HX-2040: 1\u00a0250\u00a0000 pcs\nWS-0810, 12\u2009500 pcs") == [
        ("HX-2040", Decimal(1250000), True),
        ("WS-0810", Decimal(12500), True),
    ]


def test_a_group_that_starts_with_zero_belongs_to_the_number_before_it() -> None:
    # "000 pcs" is no count, whatever stands before the leading group
    assert counted("We need 20 000 pcs of HX-2040") == [("HX-2040", Decimal(20000), True)]


def test_a_space_grouped_count_in_a_table_cell_is_one_number() -> None:
    text = "SKU | Qty | Price\nHX-2040 | 20 000 | 0.11\nWS-0810 | 8 500 | 0.02\n"
    assert counted(text) == [
        ("HX-2040", Decimal(20000), True),
        ("WS-0810", Decimal(8500), True),
    ]


def test_a_size_before_a_count_is_not_joined_to_it_and_the_line_is_not_sure() -> None:
    # Given a size right before the count: "Size 8" and "100 pcs", or a count of 8100?
    lines = counted("Please supply HX-2040 hex bolts, Size 8 100 pcs")
    # Then the count is never 8100, and the line waits for a clerk
    assert lines == [("HX-2040", Decimal(100), False)]


def test_an_item_number_before_a_count_is_not_joined_to_it() -> None:
    assert counted("HX-2040 item 3 500 pcs") == [("HX-2040", Decimal(500), False)]


def test_a_size_run_into_its_letter_stays_apart_and_sure() -> None:
    # "M8" is one token: its 8 cannot start a number
    assert counted("HX-2040 M8 100 pcs") == [("HX-2040", Decimal(100), True)]


def test_a_label_before_a_colon_may_own_the_leading_group() -> None:
    assert counted("HX-2040 Size: 8 100 pcs") == [("HX-2040", Decimal(100), False)]


def test_the_lines_sums_tell_a_count_after_a_word_is_one_number() -> None:
    # Given a word before the count, but a price and an amount that only 12 500 explains
    assert counted("Please send 12 500 pcs of HX-2040 at 0,04 USD = 500,00 USD") == [
        ("HX-2040", Decimal(12500), True)
    ]


def test_the_lines_sums_tell_a_size_before_a_count_is_a_size() -> None:
    # 100 x 0.50 is the 50.00 written: "Size 8" is the bolt's size, surely
    assert counted("HX-2040 Size 8 100 pcs x 0.50 = 50.00") == [("HX-2040", Decimal(100), True)]


def test_sums_that_fit_no_reading_leave_the_count_not_sure() -> None:
    assert counted("HX-2040 Size 8 100 pcs x 0.50 = 77.00") == [("HX-2040", Decimal(100), False)]
