"""Counts written in packages are multiplied out to the catalog's unit: a gross is 144 and a
dozen 12, a carton of 50 rolls is 50 rolls, and rolls of 100 m of a product sold by the metre
are metres; a roll of a product sold by the roll stays one roll whatever its length."""

from __future__ import annotations

from decimal import Decimal

from mailroom.parsers import parse_mail
from mailroom.parsers.catalog import Catalog, CustomerRef, ProductRef
from tests.support import mail

CATALOG = Catalog.of(
    [
        ProductRef("HX-2040", "Hex Bolt M8x40 Zinc Plated", "六角螺栓 M8x40 镀锌", ("HB840",)),
        ProductRef("SN-PS10", "Pressure Transmitter 0-10 bar 4-20mA", "压力变送器 0-10bar 4-20mA"),
        ProductRef(
            "CB-PV4", "Solar PV Cable 4mm2 Red", "光伏电缆 4平方 红色", ("solar cable 4mm",), "m"
        ),
        ProductRef(
            "LD-STRIP5",
            "LED Strip 24V 5m Neutral White",
            "LED 灯带 24V 5米 中性白",
            ("LS-24-5NW",),
            "roll",
        ),
    ],
    [CustomerRef("C-ACME", "Acme", ("buyer@acme.com",), ("acme.com",))],
)


def read(body: str) -> list[tuple[str | None, Decimal]]:
    raw = mail("buyer@acme.com", "PO AC-7781", body)
    return [(line.sku, line.quantity) for line in parse_mail(raw, CATALOG).lines]


def test_a_count_in_gross_is_a_count_of_144_pieces_each() -> None:
    # Given an order that counts bolts in gross / Then it is 4 x 144 pieces
    assert read("Please book against PO AC-7781: 4 gross of HB840 bolts.") == [
        ("HX-2040", Decimal(576))
    ]


def test_a_dozen_packs_of_a_stated_size_count_their_pieces() -> None:
    body = "PO AC-7781, please ship:\n- HX-2040 bolts: 2 dozen boxes of 100\n- a dozen SN-PS10"
    assert read(body) == [("HX-2040", Decimal(2400)), ("SN-PS10", Decimal(12))]


def test_half_a_dozen_cartons_of_rolls_are_rolls_of_a_product_sold_by_the_roll() -> None:
    assert read("PO AC-7781: LS-24-5NW strip, half a dozen cartons of 10 rolls") == [
        ("LD-STRIP5", Decimal(60))
    ]


def test_reels_of_a_length_of_a_product_sold_by_the_metre_are_metres() -> None:
    assert read("PO AC-7781 - solar cable 4mm red, 5 reels of 200m please") == [
        ("CB-PV4", Decimal(1000))
    ]


def test_rolls_of_a_length_in_chinese_are_metres_too() -> None:
    assert read("采购单 AC-7781：光伏电缆 4平方 红色 3卷（每卷100米），请尽快发货。") == [
        ("CB-PV4", Decimal(300))
    ]


def test_a_roll_of_a_product_sold_by_the_roll_stays_one_roll_whatever_its_length() -> None:
    assert read("PO AC-7781: LS-24-5NW strip, 20 rolls x 5m") == [("LD-STRIP5", Decimal(20))]


def test_a_gross_price_or_weight_is_no_count() -> None:
    body = "PO AC-7781: 500 pcs HX-2040 bolts. Gross weight 12 kg, 3 gross margin points."
    assert read(body) == [("HX-2040", Decimal(500))]


def test_thousands_with_a_decimal_point_are_pieces() -> None:
    assert read("PO AC-7781: 1.5k pcs of HX-2040 and 3 boxes x 500 of SN-PS10") == [
        ("HX-2040", Decimal(1500)),
        ("SN-PS10", Decimal(1500)),
    ]
