"""Pricing: breaks, discount, rounding, MOQ, margin floor, currencies and dispatch dates."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from mailroom.pricing import (
    CustomerTerms,
    LineRequest,
    PriceBreak,
    PricingPolicy,
    ProductTerms,
    minor_unit,
    price_line,
    price_lines,
    round_money,
)
from store.catalog import Customer, Product

MONDAY = date(2026, 3, 2)
NO_DISCOUNT = CustomerTerms()
D = Decimal


def bolt(**changes: object) -> ProductTerms:
    """A stocked product with two volume breaks and a cost well below list."""
    terms: dict[str, object] = {
        "sku": "BOLT-M8",
        "unit_price": D("12.50"),
        "currency": "USD",
        "price_breaks": (PriceBreak(D(500), D("11.80")), PriceBreak(D(1000), D("11.20"))),
        "cost": D("8.00"),
        "moq": D(1),
        "lead_time_days": 21,
        "stock": D(100_000),
    }
    terms.update(changes)
    return ProductTerms(**terms)  # type: ignore[arg-type]


def test_the_break_with_the_highest_min_qty_not_above_the_quantity_sets_the_price() -> None:
    # Given a list price of 12.50 with breaks at 500 (11.80) and 1000 (11.20)
    product = bolt()
    expected = {499: "12.50", 500: "11.80", 999: "11.80", 1000: "11.20", 5000: "11.20"}
    for quantity, price in expected.items():
        # When that quantity is priced
        line = price_line(product, quantity, customer=NO_DISCOUNT, today=MONDAY)
        # Then the unit price is the applicable break and the amount follows from it
        assert line.unit_price == D(price), quantity
        assert line.amount == D(price) * quantity
        assert line.list_price == D("12.50")


def test_a_break_dearer_than_the_list_price_never_raises_the_price() -> None:
    # Given a break (a data mistake) that costs more than the list price
    product = bolt(price_breaks=(PriceBreak(D(10), D("13.00")),))
    # When 20 are priced
    line = price_line(product, 20, customer=NO_DISCOUNT, today=MONDAY)
    # Then the list price applies
    assert line.unit_price == D("12.50")


def test_the_customer_discount_comes_off_the_break_price() -> None:
    # Given a customer with a 5 % standing discount
    customer = CustomerTerms(discount_pct=D(5), payment_terms="NET 30")
    # When 500 are priced (break 11.80)
    pricing = price_lines(
        [LineRequest("BOLT-M8", D(500))], {"BOLT-M8": bolt()}, customer=customer, today=MONDAY
    )
    # Then 11.80 less 5 % = 11.21, amount 5605.00, and the terms come along
    (line,) = pricing.lines
    assert line.unit_price == D("11.21")
    assert line.amount == D("5605.00")
    assert pricing.totals == {"USD": D("5605.00")}
    assert pricing.payment_terms == "NET 30"
    assert not pricing.held


def test_prices_round_half_up_to_the_currency_minor_unit() -> None:
    # Given prices whose discounted value ends exactly on a half minor unit
    cases = [
        (bolt(unit_price=D("0.30"), price_breaks=(), cost=None), D(5), D("0.29")),
        (bolt(unit_price=D("1005"), currency="JPY", price_breaks=(), cost=None), D(50), D(503)),
        (bolt(unit_price=D("2001"), currency="KRW", price_breaks=(), cost=None), D(50), D(1001)),
    ]
    for product, discount, expected in cases:
        # When each is priced with the discount
        line = price_line(product, 1, customer=CustomerTerms(discount_pct=discount), today=MONDAY)
        # Then .5 of the minor unit goes up (banker's rounding would go to even)
        assert line.unit_price == expected
        assert line.unit_price.as_tuple().exponent == -minor_unit(product.currency)


def test_minor_units_follow_iso_4217() -> None:
    # Given currencies with 0, 2 and 3 decimals
    # When their minor units are asked
    # Then JPY and KRW have none, KWD three, and the rest two
    assert [minor_unit(c) for c in ("JPY", "krw", "USD", "CNY", "EUR", "KWD")] == [0, 0, 2, 2, 2, 3]
    assert round_money(D("2.675"), "EUR") == D("2.68")


def test_a_quantity_below_the_moq_is_quoted_at_the_moq_with_a_note() -> None:
    # Given a product sold in at least 100
    product = bolt(moq=D(100))
    # When 40 are asked for
    line = price_line(product, 40, customer=NO_DISCOUNT, today=MONDAY)
    # Then 100 are quoted, the note says why, and the line is still offered
    assert line.quantity_requested == 40
    assert line.quantity == 100
    assert line.amount == D("1250.00")
    assert [note.code for note in line.notes] == ["below-moq"]
    assert "100" in line.notes[0].message
    assert line.offered


def test_a_price_below_cost_plus_the_minimum_margin_is_held_for_a_clerk() -> None:
    # Given cost 10.00 (floor 11.50 at 15 %) and a customer with 10 % off 12.50 = 11.25
    product = bolt(cost=D("10.00"), price_breaks=())
    customer = CustomerTerms(discount_pct=D(10))
    # When priced with the default margin
    line = price_line(product, 10, customer=customer, today=MONDAY)
    # Then no price is offered and the reason names the floor
    assert not line.offered
    assert line.unit_price is None and line.amount is None
    assert [hold.code for hold in line.holds] == ["below-margin-floor"]
    assert "11.50" in line.holds[0].message and "11.25" in line.holds[0].message
    # And with a 10 % minimum margin (floor 11.00) the same price is offered
    relaxed = price_line(
        product, 10, customer=customer, today=MONDAY, policy=PricingPolicy(min_margin=D("0.10"))
    )
    assert relaxed.unit_price == D("11.25")


def test_a_price_exactly_on_the_floor_is_offered() -> None:
    # Given cost 10.00 and list 11.50: exactly cost plus 15 %
    product = bolt(cost=D("10.00"), unit_price=D("11.50"), price_breaks=())
    # When priced
    line = price_line(product, 1, customer=NO_DISCOUNT, today=MONDAY)
    # Then it is offered
    assert line.offered and line.unit_price == D("11.50")


def test_another_currency_is_held_unless_the_rate_table_covers_it() -> None:
    # Given a USD product and a customer asking in EUR and in JPY
    product = bolt(price_breaks=())
    # When no rate is configured
    held = price_line(product, 10, customer=NO_DISCOUNT, today=MONDAY, currency="eur")
    # Then the line is held, saying which rate is missing
    assert [hold.code for hold in held.holds] == ["currency-not-covered"]
    assert "USD->EUR" in held.holds[0].message
    # When the table covers both pairs
    policy = PricingPolicy(rates={("USD", "EUR"): D("0.92"), ("USD", "JPY"): D("151.237")})
    eur = price_line(product, 10, customer=NO_DISCOUNT, today=MONDAY, currency="EUR", policy=policy)
    jpy = price_line(product, 10, customer=NO_DISCOUNT, today=MONDAY, currency="JPY", policy=policy)
    # Then prices are converted and rounded to the target's minor unit, with a note
    assert (eur.currency, eur.unit_price, eur.amount) == ("EUR", D("11.50"), D("115.00"))
    assert (jpy.currency, jpy.unit_price, jpy.amount) == ("JPY", D(1890), D(18900))
    assert jpy.list_price == D(1890)
    assert [note.code for note in eur.notes] == ["converted"]


def test_the_margin_floor_is_checked_in_the_converted_currency() -> None:
    # Given cost 10.87 (floor 12.5005 USD) and list 12.50 converted at 1:1 to EUR
    product = bolt(cost=D("10.87"), price_breaks=())
    policy = PricingPolicy(rates={("USD", "EUR"): D(1)})
    # When priced in EUR
    line = price_line(product, 1, customer=NO_DISCOUNT, today=MONDAY, currency="EUR", policy=policy)
    # Then the rounded 12.50 EUR is below the floor and held
    assert [hold.code for hold in line.holds] == ["below-margin-floor"]


def test_dispatch_is_from_stock_when_enough_else_after_the_lead_time() -> None:
    # Given 300 on the shelf and a 21-day lead time
    product = bolt(stock=D(300), lead_time_days=12)
    # When 300 and then 301 are priced on a Monday
    shelf = price_line(product, 300, customer=NO_DISCOUNT, today=MONDAY)
    made = price_line(product, 301, customer=NO_DISCOUNT, today=MONDAY)
    # Then 300 leave the next day from stock; 301 wait 12 days, moved off Saturday to Monday
    assert shelf.from_stock and shelf.dispatch_date == MONDAY + timedelta(days=1)
    assert not made.from_stock
    assert MONDAY + timedelta(days=12) == date(2026, 3, 14)  # a Saturday
    assert made.dispatch_date == date(2026, 3, 16)


def test_short_stock_without_a_lead_time_is_held_without_a_promise() -> None:
    # Given no stock recorded and no lead time
    product = bolt(stock=None, lead_time_days=None)
    # When priced
    line = price_line(product, 5, customer=NO_DISCOUNT, today=MONDAY)
    # Then the price is known to the clerk's eye but not offered, and no date is promised
    assert [hold.code for hold in line.holds] == ["no-lead-time"]
    assert line.dispatch_date is None and line.amount is None
    assert line.list_price == D("12.50")


def test_unknown_skus_and_bad_input_are_held_lines_and_totals_keep_currencies_apart() -> None:
    # Given a USD and a CNY product, an unknown SKU and a zero quantity
    products = {
        "BOLT-M8": bolt(),
        "NUT-M8": bolt(sku="NUT-M8", currency="CNY", unit_price=D(3), cost=D(2)),
    }
    requests = [
        LineRequest("BOLT-M8", D(10)),
        LineRequest("NUT-M8", D(100)),
        LineRequest("GHOST-1", D(5)),
        LineRequest("BOLT-M8", D(0)),
    ]
    # When priced
    pricing = price_lines(requests, products, customer=NO_DISCOUNT, today=MONDAY)
    # Then offered lines total per currency; the others are held with their reasons
    assert pricing.totals == {"USD": D("125.00"), "CNY": D("300.00")}
    assert [(sku, hold.code) for sku, hold in pricing.holds] == [
        ("GHOST-1", "unknown-sku"),
        ("BOLT-M8", "quantity-invalid"),
    ]
    assert pricing.held
    assert pricing.dispatch_date is None


def test_an_out_of_range_discount_is_held_not_raised() -> None:
    # Given a customer record with a discount of 120 %
    customer = CustomerTerms(discount_pct=D(120))
    # When priced
    line = price_line(bolt(), 1, customer=customer, today=MONDAY)
    # Then the line is held with the reason
    assert [hold.code for hold in line.holds] == ["discount-invalid"]


def test_terms_are_read_from_the_store_records() -> None:
    # Given catalog records as the importer stores them
    product = Product(
        sku="BOLT-M8", name="Bolt", unit_price=D("12.5000"), currency="usd",
        price_breaks=[[500, "11.80"], [1000, "11.20"]], cost=D("8"), moq=50,
        lead_time_days=14, stock=None,
    )  # fmt: skip
    customer = Customer(customer_id="C1", name="Acme", discount_pct=D("2.500"))
    # When turned into terms and priced
    terms = ProductTerms.from_record(product)
    line = price_line(terms, 1000, customer=CustomerTerms.from_record(customer), today=MONDAY)
    # Then the breaks, currency, MOQ and discount all apply
    assert terms.price_breaks[0] == PriceBreak(D(500), D("11.80"))
    assert (line.currency, line.unit_price, line.quantity) == ("USD", D("10.92"), D(1000))


CURRENCIES = ["USD", "EUR", "CNY", "JPY", "KRW", "KWD"]
money = st.decimals(min_value=D("0.01"), max_value=D(50_000), places=3)


@st.composite
def products(draw: st.DrawFn) -> ProductTerms:
    breaks = draw(st.lists(st.tuples(st.integers(1, 5000), money), max_size=4))
    return ProductTerms(
        sku="P",
        unit_price=draw(money),
        currency=draw(st.sampled_from(CURRENCIES)),
        price_breaks=tuple(PriceBreak(D(q), p) for q, p in breaks),
        cost=draw(st.none() | money),
        moq=D(draw(st.integers(1, 500))),
        lead_time_days=draw(st.integers(0, 120)),
        stock=D(draw(st.integers(0, 10_000))),
    )


@settings(max_examples=300, deadline=None)
@given(
    product=products(),
    quantity=st.integers(1, 20_000),
    discount=st.decimals(min_value=D(0), max_value=D("99.999"), places=3),
    margin=st.decimals(min_value=D(0), max_value=D(1), places=2),
    target=st.sampled_from(CURRENCIES),
    rate=st.decimals(min_value=D("0.001"), max_value=D(2000), places=4),
)
def test_an_offered_price_is_never_below_the_floor_nor_above_list_and_amounts_add_up(
    product: ProductTerms,
    quantity: int,
    discount: Decimal,
    margin: Decimal,
    target: str,
    rate: Decimal,
) -> None:
    # Given any product, discount, margin and a rate table covering the asked currency
    policy = PricingPolicy(min_margin=margin, rates={(product.currency, target): rate})
    effective = D(1) if target == product.currency else rate
    # When a line is priced
    line = price_line(
        product, quantity, customer=CustomerTerms(discount_pct=discount), today=MONDAY,
        currency=target, policy=policy,
    )  # fmt: skip
    # Then the quantity is at least the MOQ, and a line is offered or says why not
    assert line.quantity >= product.moq and line.quantity >= quantity
    assert line.offered or line.holds
    if not line.offered:
        assert line.unit_price is None and line.amount is None
        return
    assert line.unit_price is not None and line.list_price is not None
    # And an offered price is never below cost plus margin, nor above the list price
    if product.cost is not None:
        assert line.unit_price >= product.cost * (1 + margin) * effective
    assert line.unit_price <= line.list_price == round_money(product.unit_price * effective, target)
    # And the amount is unit price times quantity, rounded to the minor unit
    assert line.amount == round_money(line.unit_price * line.quantity, target)
    assert line.unit_price.as_tuple().exponent == -minor_unit(target)
