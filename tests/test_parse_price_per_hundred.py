"""Counts and prices in hundreds or thousands: a quantity column in 千只, a price "元/千只", a
PER column of C (a hundred) and M (a thousand). The parse gives counts in pieces and prices per
piece, whatever the document counted in."""

from __future__ import annotations

from decimal import Decimal

from mailroom.parsers.catalog import Catalog, ProductRef
from mailroom.parsers.lines import extract_lines

CATALOG = Catalog.of(
    [
        ProductRef("HX-2040", "Hex Bolt M8x40 Zinc Plated", "六角螺栓 M8x40 镀锌"),
        ProductRef("WS-0810", "Flat Washer M8 Stainless", "不锈钢平垫圈 M8"),
        ProductRef("CB-PV4", "Solar PV Cable 4mm2 Red", "光伏电缆 4平方 红色"),
    ],
    [],
)


def read(text: str = "", tables: list[list[list[str]]] | None = None) -> list[tuple]:
    lines = extract_lines(text, CATALOG, tables)
    return [(line.sku, line.quantity, line.unit_price) for line in lines]


def test_a_sheet_counting_in_thousands_with_prices_per_thousand_gives_pieces() -> None:
    # Given a sheet whose header spans two rows: the quantity in 千只, the price in 元/千只
    sheet = [
        ["序号", "物料编码", "品名规格", "采购数量", "", "价格（含税）", ""],
        ["", "", "", "数量(千只)", "单位", "单价(元/千只)", "金额(元)"],
        ["1", "HX-2040", "六角螺栓 M8x40 镀锌", "300", "千只", "85", "25500"],
        ["2", "WS-0810", "不锈钢平垫圈 M8", "60", "千只", "20", "1200"],
    ]
    # Then the counts are pieces and the prices per piece
    assert read(tables=[sheet]) == [
        ("HX-2040", Decimal(300000), Decimal("0.085")),
        ("WS-0810", Decimal(60000), Decimal("0.02")),
    ]


def test_a_unit_of_a_thousand_prices_its_row_per_thousand() -> None:
    # Given a unit column in thousands and a price with no "per" of its own
    text = "型号 | 数量 | 单位 | 单价\nHX-2040 | 20 | 千只 | 110\n"
    # Then the price was for the unit the row counts in
    assert read(text) == [("HX-2040", Decimal(20000), Decimal("0.11"))]


def test_a_per_column_of_c_and_m_divides_the_unit_cost() -> None:
    # Given an ERP's PER column: C for a hundred, M for a thousand, E for each
    text = (
        "Item | Qty | Unit cost | Per\n"
        "HX-2040 | 20,000 | 7.000 | C\n"
        "WS-0810 | 50,000 | 20.000 | M\n"
        "CB-PV4 | 500 | 0.95 | E\n"
    )
    assert read(text) == [
        ("HX-2040", Decimal(20000), Decimal("0.07")),
        ("WS-0810", Decimal(50000), Decimal("0.02")),
        ("CB-PV4", Decimal(500), Decimal("0.95")),
    ]


def test_a_price_per_metre_is_not_a_price_per_thousand() -> None:
    text = "Item | Qty | Unit price (per m)\nCB-PV4 | 500 | 0.95\n"
    assert read(text) == [("CB-PV4", Decimal(500), Decimal("0.95"))]


def test_a_count_that_writes_its_own_thousands_is_not_multiplied_again() -> None:
    text = "型号 | 数量 | 单位\nHX-2040 | 3千只 | 千只\n"
    assert read(text) == [("HX-2040", Decimal(3000), None)]


def test_asking_for_prices_per_hundred_leaves_the_counts_in_pieces() -> None:
    # Given a request for prices quoted per 100 pcs
    text = (
        "Could you give me your best price, quoted per 100 pcs, for the following:\n\n"
        "- HX-2040 hex bolts: 3,000 pcs\n"
        "- WS-0810 washers: 5,000 pcs\n"
    )
    # Then the counts are the pieces asked for
    assert read(text) == [
        ("HX-2040", Decimal(3000), None),
        ("WS-0810", Decimal(5000), None),
    ]


def test_a_price_per_hundred_in_running_text_is_a_price_per_piece() -> None:
    assert read("Please book HX-2040, 20,000 pcs at USD 7.00 per 100.") == [
        ("HX-2040", Decimal(20000), Decimal("0.07"))
    ]


def test_a_chinese_price_per_thousand_and_a_count_in_thousands_are_pieces() -> None:
    assert read("六角螺栓 M8x40 镀锌 300千只，单价85元/千只") == [
        ("HX-2040", Decimal(300000), Decimal("0.085"))
    ]


def test_a_price_per_metre_in_running_text_stays_as_written() -> None:
    assert read("CB-PV4 500 m at $0.95 per m") == [("CB-PV4", Decimal(500), Decimal("0.95"))]


def test_packs_sized_in_thousands_and_a_price_per_kpcs_give_pieces() -> None:
    # Given reels counted with their size in thousands, priced per thousand pieces
    lines = read("- M8 flat washers WS-0810: 3 reels (4k/reel), USD 9.00 per kpcs")
    # Then the count is of pieces and the price of one
    assert lines == [("WS-0810", Decimal(12000), Decimal("0.009"))]


def test_reels_in_chinese_with_their_size_give_pieces() -> None:
    assert read("不锈钢平垫圈 M8 5盘（2K/盘）") == [("WS-0810", Decimal(10000), None)]


def test_a_price_per_capital_m_is_per_thousand_and_a_small_m_a_metre() -> None:
    # The trade writes a thousand pieces as M (mille): "USD 95.00/M" is 0.095 a piece
    assert read("HX-2040 40,000 pcs @ USD 95.00/M") == [
        ("HX-2040", Decimal(40000), Decimal("0.095"))
    ]
    assert read("WS-0810: 20000 pcs at 18.50 per M") == [
        ("WS-0810", Decimal(20000), Decimal("0.0185"))
    ]
    assert read("CB-PV4 300 m @ USD 0.92/m") == [("CB-PV4", Decimal(300), Decimal("0.92"))]
