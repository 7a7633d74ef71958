"""Prices written the way marketplaces print them ("US $0.085", "HK $ 1.20"): the country's
letters apart from the dollar sign are one currency, so a notification's price cells are read,
and its fee and total rows are no lines."""

from __future__ import annotations

from decimal import Decimal

from mailroom.parsers.catalog import Catalog, ProductRef
from mailroom.parsers.html import html_to_text
from mailroom.parsers.lines import extract_lines
from mailroom.parsers.numbers import parse_price_cell, price_in

CATALOG = Catalog.of(
    [
        ProductRef("HX-2040", "Hex Bolt M8x40 Zinc Plated", "六角螺栓 M8x40 镀锌"),
        ProductRef("WS-0810", "Flat Washer M8 Stainless", "不锈钢平垫圈 M8"),
    ],
    [],
)


def read(text: str) -> list[tuple[str | None, Decimal, Decimal | None, str | None]]:
    lines = extract_lines(text, CATALOG)
    return [(line.sku, line.quantity, line.unit_price, line.currency) for line in lines]


def test_a_price_cell_with_the_country_apart_from_the_sign_is_a_dollar_price() -> None:
    assert parse_price_cell("US $0.085") == (Decimal("0.085"), "USD")
    assert parse_price_cell("HK $ 12.50") == (Decimal("12.50"), "HKD")


def test_a_sentence_price_with_the_country_apart_from_the_sign_is_read() -> None:
    assert price_in("5,000 pcs, unit price US $ 0.11 each") == (Decimal("0.11"), "USD")


def test_a_notification_table_nested_in_its_layout_gives_prices_and_no_fee_line() -> None:
    # Given a marketplace's HTML notice: a layout table holding the product table, whose last
    # rows are a shipping fee and a total spanning the other columns
    html = (
        "<table><tr><td><p>New order received</p><table>"
        "<tr><th>Item</th><th>Qty</th><th>Price</th><th>Amount</th></tr>"
        "<tr><td>Hex Bolt M8x40 Zinc Plated</td><td>8,000 Pieces</td><td>US $0.11</td>"
        "<td>US $880.00</td></tr>"
        "<tr><td>Flat Washer M8 Stainless</td><td>8,000 Pieces</td><td>US $0.02</td>"
        "<td>US $160.00</td></tr>"
        "<tr><td colspan='3'>Freight</td><td>US $45.00</td></tr>"
        "<tr><td colspan='3'>Order total</td><td>US $1,085.00</td></tr>"
        "</table></td></tr></table>"
    )
    # Then each product is a line at its price, and the fee is none
    assert read(html_to_text(html)) == [
        ("HX-2040", Decimal(8000), Decimal("0.11"), "USD"),
        ("WS-0810", Decimal(8000), Decimal("0.02"), "USD"),
    ]


def test_a_chinese_notice_with_a_spaced_dollar_price_is_read() -> None:
    text = "商品 | 数量 | 单价\n六角螺栓 M8x40 镀锌 | 3000个 | US $0.12\n运费 | | US $20.00"
    assert read(text) == [("HX-2040", Decimal(3000), Decimal("0.12"), "USD")]
