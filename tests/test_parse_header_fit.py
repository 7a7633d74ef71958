"""A table laid out with spaces whose header kept two names together with one space (a
full-width space turned into an ASCII one, "序号 物料名称") still reads column by column, and
a product code in a count's place ("6205-2RS") is never read as a count."""

from __future__ import annotations

from decimal import Decimal

from mailroom.parsers.catalog import Catalog, ProductRef
from mailroom.parsers.lines import extract_lines
from mailroom.parsers.normalise import normalise
from mailroom.parsers.numbers import parse_quantity_cell

CATALOG = Catalog.of(
    [
        ProductRef("BR-6204", "Ball bearing 6204-2RS", "深沟球轴承 6204-2RS"),
        ProductRef("BR-6205", "Ball bearing 6205-2RS", "深沟球轴承 6205-2RS"),
        ProductRef("BR-UCP205", "Pillow block bearing UCP205", "立式带座轴承 UCP205"),
    ],
    [],
)

TABLE = """您好！我司有以下物料需询价：

序号　物料名称　　　　　　规格型号　　　　　数量
１　　深沟球轴承　　　　　6205-2RS　　　　 2000套
２　　立式带座轴承　　　　UCP205　　　　　 300套
"""


def test_a_header_kept_together_by_one_space_is_split_to_its_columns() -> None:
    lines = extract_lines(normalise(TABLE), CATALOG)
    assert [(line.sku, line.quantity) for line in lines] == [
        ("BR-6205", Decimal(2000)),
        ("BR-UCP205", Decimal(300)),
    ]


def test_a_product_code_is_not_a_count() -> None:
    assert parse_quantity_cell("6205-2RS") is None
    assert parse_quantity_cell("2000套") == Decimal(2000)
    assert parse_quantity_cell("2000 套") == Decimal(2000)
