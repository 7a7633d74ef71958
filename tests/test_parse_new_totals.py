"""A change that writes a line's new total after a verb of change takes the new total, not the
count it had: 由10万个加到15万个, 从3000个减到2000个, 数量增至8000个, "from 5,000 to 8,000"."""

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


def read(text: str) -> list[tuple[str | None, Decimal]]:
    return [(line.sku, line.quantity) for line in extract_lines(text, CATALOG)]


def test_a_count_raised_to_a_new_total_is_the_new_total() -> None:
    # Given the old count, then a verb of change and the new total
    # Then the line is at the new total
    assert read("六角螺栓 M8x40 镀锌 由2万个加到3万个，单价不变") == [("HX-2040", Decimal(30000))]


def test_a_count_lowered_to_a_new_total_is_the_new_total() -> None:
    assert read("不锈钢平垫圈 M8 从3000个减到2000个") == [("WS-0810", Decimal(2000))]


def test_a_total_reached_with_zhi_is_the_new_total() -> None:
    assert read("六角螺栓 M8x40 镀锌的数量 5000个增至8000个") == [("HX-2040", Decimal(8000))]


def test_a_total_adjusted_in_another_clause_is_the_new_total() -> None:
    assert read("不锈钢平垫圈 M8 原来1.2万只 现在调整到1.5万只") == [("WS-0810", Decimal(15000))]


def test_an_english_change_from_one_count_to_another_is_the_new_one() -> None:
    assert read("HX-2040: please raise it from 5,000 pcs to 8,000 pcs") == [
        ("HX-2040", Decimal(8000))
    ]


def test_a_date_after_to_is_no_new_total() -> None:
    assert read("六角螺栓 M8x40 镀锌 2000个，交期推迟到15号") == [("HX-2040", Decimal(2000))]
