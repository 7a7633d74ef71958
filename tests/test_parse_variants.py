"""Another variant of one of our products (a colour, male or female, NPN or PNP) is not our
product: it is an item the catalog lacks, a line with no SKU for the checks to ask about."""

from __future__ import annotations

from decimal import Decimal

from mailroom.parsers.catalog import Catalog, ProductRef
from mailroom.parsers.lines import extract_lines

CATALOG = Catalog.of(
    [
        ProductRef("CB-PV6", "Solar PV Cable 6mm2 Red", "光伏电缆 6平方 红色"),
        ProductRef("SN-IR12", "Inductive Proximity Sensor M12 NPN", "M12 电感式接近开关 NPN"),
    ],
    [],
)


def test_a_description_naming_another_colour_does_not_resolve_to_our_product() -> None:
    assert CATALOG.resolve("光伏电缆 6平方 红色") is not None
    assert CATALOG.resolve("光伏电缆 6平方 黑色") is None
    assert CATALOG.resolve("Solar PV cable 6mm2 black") is None
    assert CATALOG.resolve("Inductive proximity sensor M12 PNP") is None


def test_a_counted_line_of_another_variant_is_kept_without_a_sku() -> None:
    # Given two lines, one of our red cable and one of a black cable we do not sell
    lines = extract_lines("光伏电缆 6平方 红色 3000米\n光伏电缆 6平方 黑色 3000米\n", CATALOG)
    # Then both are lines, the second with no SKU
    assert [(line.sku, line.quantity) for line in lines] == [
        ("CB-PV6", Decimal(3000)),
        (None, Decimal(3000)),
    ]
