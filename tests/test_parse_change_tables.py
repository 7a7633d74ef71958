"""A change document's table of previous and new counts: the new count is the line's, and a
line whose count stays as it was is no line of the change."""

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


def test_the_new_count_of_a_changed_line_is_taken_and_an_unchanged_line_is_left_out() -> None:
    # Given a change table in English with previous and new quantities
    text = (
        "Pos | Part number | Old quantity | Revised qty | Price\n"
        "1 | HX-2040 | 4,000 | 4,000 | 0.11\n"
        "2 | WS-0810 | 9,000 | 12,000 | 0.03\n"
    )
    # When its lines are read
    lines = extract_lines(text, CATALOG)
    # Then only the changed line is there, at its new count
    assert [(line.sku, line.quantity) for line in lines] == [("WS-0810", 12000)]


def test_a_chinese_change_table_reads_the_same_way() -> None:
    # Given the same in Chinese, where the old count's header holds the word for a quantity
    text = "型号 | 原数量 | 新数量\nHX-2040 | 3000 | 5000\nWS-0810 | 8000 | 8000\n"
    # When its lines are read
    lines = extract_lines(text, CATALOG)
    # Then the new count of the changed line is the line
    assert [(line.sku, line.quantity) for line in lines] == [("HX-2040", 5000)]


def test_the_sums_of_the_cells_beat_a_header_whose_names_stand_over_other_cells() -> None:
    # Given a PDF's laid-out text where the empty "Taxes" column vanished from every row, so
    # that "Qty" stands over the prices
    text = (
        "Description        Taxes        Date Req.        Qty        Unit Price\n"
        "[HX-2040] Hex Bolt M8x40        01/08/2027        4,000.00 Units        0.11"
        "        $ 440.00\n"
        "[WS-0810] Flat Washer M8        01/08/2027        9,000.00 Units        0.03"
        "        $ 270.00\n"
    )
    # When its lines are read
    lines = extract_lines(text, CATALOG)
    # Then quantity times unit price gives the amount: those are the line's count and price
    assert [(line.sku, line.quantity, line.unit_price) for line in lines] == [
        ("HX-2040", 4000, Decimal("0.11")),
        ("WS-0810", 9000, Decimal("0.03")),
    ]
