"""Reading a request for quote: items, products named without a quantity, unknown items with
the closest products, unsure matches, and the currency asked for."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mailroom.parsers import parse_mail
from mailroom.parsers.catalog import Catalog, CustomerRef, ProductRef
from mailroom.quotes.request import (
    QuoteRequest,
    asked_currency,
    closest,
    new_text,
    read_request,
    unsure_lines,
)
from tests.support import mail

CATALOG = Catalog.of(
    [
        ProductRef("HX-2040", "Hex Bolt M8x40 Zinc Plated", "六角螺栓 M8x40 镀锌", ("HB840",)),
        ProductRef("HX-2050", "Hex Bolt M10x50 Zinc Plated", "六角螺栓 M10x50 镀锌"),
        ProductRef("BR-6204", "Deep Groove Ball Bearing 6204-2RS", "深沟球轴承 6204-2RS"),
        ProductRef("BR-6205", "Deep Groove Ball Bearing 6205-2RS", "深沟球轴承 6205-2RS"),
        ProductRef("MT-57S56", "Stepper Motor NEMA 23 1.26Nm", "57步进电机", ("NEMA23 stepper",)),
        ProductRef("MT-42S40", "Stepper Motor NEMA 17 0.4Nm", "42步进电机", ("NEMA17 stepper",)),
    ],
    [CustomerRef("C-ACME", "Acme", ("john@acme.example",), ("acme.example",), "en")],
)


def _request(text: str) -> QuoteRequest:
    raw = mail("john@acme.example", "RFQ", text)
    parsed = parse_mail(raw, CATALOG).to_json()
    return read_request(parsed, new_text(raw), CATALOG, unsure_lines(parsed, raw, CATALOG))


@pytest.mark.parametrize(
    ("text", "currency"),
    [
        ("Please quote in EUR: 1000 pcs", "EUR"),
        ("Could you send prices in GBP please", "GBP"),
        ("Quotation currency: usd", "USD"),
        ("请以人民币报价，谢谢", "CNY"),
        ("欧元报价即可", "EUR"),
        ("Please quote 500 pcs of HX-2040", None),
        ("We paid EUR 300 last time", None),
    ],
)
def test_the_currency_asked_for_is_read_in_english_and_chinese(
    text: str, currency: str | None
) -> None:
    # Given a sentence of a request; When it is read; Then the currency asked is found or not
    assert asked_currency(text) == currency


def test_a_complete_request_lists_each_item_with_its_quantity() -> None:
    # Given a request naming two products with quantities
    request = _request("Hello,\n\nplease quote:\n- HX-2040 x 5000 pcs\n- 200 pcs BR-6205\n")

    # Then both are items, nothing is missing
    assert [(i.sku, i.quantity) for i in request.items] == [
        ("HX-2040", Decimal(5000)),
        ("BR-6205", Decimal(200)),
    ]
    assert request.complete


def test_a_product_named_without_a_quantity_is_missing_its_quantity() -> None:
    # Given a request with one quantity and one product named bare
    request = _request("Please quote 5000 pcs HX-2040, and also your price for BR-6204.")

    # Then the bare one is asked about
    assert [p.sku for p in request.unquantified] == ["BR-6204"]
    assert not request.complete


def test_an_item_matched_only_by_resemblance_is_asked_about_with_the_match_first() -> None:
    # Given a motor we do not sell, close in name to one we do
    request = _request("Hi, we need a quote for 300 pcs of stepper motor NEMA 24.")

    # Then it is not quoted as the look-alike but asked about, the look-alike suggested
    assert not request.items
    (unknown,) = request.unknown
    assert unknown.unsure and unknown.quantity == 300
    assert unknown.suggestions[0].sku == "MT-57S56"


def test_the_closest_products_are_suggested_best_first_and_nonsense_gets_none() -> None:
    # Given descriptions customers write
    # Then close ones find our products, in English or Chinese, and nonsense finds nothing
    assert [p.sku for p in closest(CATALOG, "ball bearing 6204")][0] == "BR-6204"
    assert {p.sku for p in closest(CATALOG, "螺栓")} == {"HX-2040", "HX-2050"}
    assert closest(CATALOG, "flux capacitor") == []
    assert closest(CATALOG, "XZ") == []
