"""A description that fits two of our products ("深溝球軸承": both deep groove bearings) is only a
guess at one; a sure match in a column the header left unnamed (規格 "6205-2RS"), of a product
the description also fits, says which. A note naming some other product never does."""

from __future__ import annotations

from decimal import Decimal

from mailroom.parsers.catalog import Catalog, ProductRef
from mailroom.parsers.lines import extract_lines

CATALOG = Catalog.of(
    [
        ProductRef(
            "BR-6204", "Deep Groove Ball Bearing 6204-2RS", "深沟球轴承 6204-2RS", ("6204-2RS",)
        ),
        ProductRef(
            "BR-6205", "Deep Groove Ball Bearing 6205-2RS", "深沟球轴承 6205-2RS", ("6205-2RS",)
        ),
        ProductRef("WS-0810", "Flat Washer M8 Stainless", "不锈钢平垫圈 M8"),
    ],
    [],
)


def read(table: list[list[str]]) -> list[tuple[str | None, Decimal, bool]]:
    return [(line.sku, line.quantity, line.sure) for line in extract_lines("", CATALOG, [table])]


def test_a_spec_column_tells_which_product_a_generic_name_means() -> None:
    # Given a Digiwin-style PO: 品名 is the generic name, 規格 (a column we do not name) the model
    table = [
        ["序號", "品號", "品名", "規格", "採購數量", "單位", "單價"],
        ["0001", "10-B6205RS", "深溝球軸承", "6205-2RS", "1,000", "PCS", "1.95"],
        ["0002", "10-B6204RS", "深溝球軸承", "6204-2RS", "500", "PCS", "1.70"],
    ]
    # Then each line is the bearing its spec names, surely
    assert read(table) == [
        ("BR-6205", Decimal(1000), True),
        ("BR-6204", Decimal(500), True),
    ]


def test_a_note_naming_another_product_does_not_replace_the_description() -> None:
    # Given a description that fits only the bearings, and a note naming a washer
    table = [
        ["品名", "數量", "備註"],
        ["深溝球軸承", "1,000", "同 WS-0810 一起發貨"],
    ]
    # Then the line is still the bearing the description guesses, and not sure
    assert [(sku, sure) for sku, _qty, sure in read(table)] == [("BR-6204", False)]


def test_a_row_no_name_matches_is_a_guess_at_the_one_product_it_mentions() -> None:
    # Given a sheet row in the customer's own words, which only our model token ties to us
    catalog = Catalog.of(
        [
            ProductRef(
                "LD-2835W",
                "LED Chip 2835 Warm White 0.5W",
                "2835 暖白 LED 灯珠 0.5W",
                ("2835 LED WW", "SMD2835-WW"),
            ),
            ProductRef("LD-5050R", "LED Chip 5050 RGB", "5050 RGB 灯珠", ("5050 RGB LED",)),
        ],
        [],
    )
    table = [["物料编码", "品名规格", "数量"], ["GD-LED-2835WW", "2835暖白灯珠 3000K", "300"]]
    lines = extract_lines("", catalog, [table])
    # Then the line is that product, but not sure
    assert [(line.sku, line.quantity, line.sure) for line in lines] == [
        ("LD-2835W", Decimal(300), False)
    ]


def test_a_row_mentioning_two_products_is_no_guess_at_either() -> None:
    table = [["品名规格", "数量"], ["配 6204 和 6205 用的垫片", "300"]]
    assert [line.sku for line in extract_lines("", CATALOG, [table])] == [None]
