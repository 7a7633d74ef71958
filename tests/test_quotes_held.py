"""Quotes a clerk must see, end to end: below the margin floor, another currency, a stranger;
and the quotes from the command line."""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from mailroom import queue as clerks_queue
from mailroom.cli import main
from store.holds import OPEN, HeldItem
from store.quotes import DECLINED, HELD, SENT, Quote
from tests.shop import PRODUCTS, Shop, body, expected_price, money, pdf_text
from tests.support import mail, service_runtime
from tests.test_quotes import shop_fixture  # noqa: F401

JOHN = "john.miller@acme-industrial.com"
BOLTS = "Hello,\n\nplease quote HX-2040 x 8000 pcs.\n\nJohn"


def _open_items(shop: Shop) -> list[HeldItem]:
    return shop.query(lambda s: list(s.scalars(select(HeldItem).where(HeldItem.status == OPEN))))


def test_a_price_below_the_margin_floor_is_held_and_a_clerks_price_releases_it(
    shop: Shop,
) -> None:
    # Given a margin floor of 100 % over cost: 8000 bolts at 0.10 (cost 0.06) fall below it
    floor = {"quote_min_margin": "1.0"}

    # When Acme asks for them
    shop.run(mail(JOHN, "RFQ bolts", BOLTS), **floor)

    # Then John is told a colleague checks the prices, with no price and no PDF
    (ack,) = shop.sent_to(JOHN)
    quote = shop.query(lambda s: s.scalar(select(Quote)))
    assert quote.status == HELD and quote.number in body(ack)
    assert not list(ack.iter_attachments()) and "0.10" not in body(ack)
    (item,) = _open_items(shop)
    assert (item.kind, item.ref) == ("quote", quote.number)
    assert item.reasons[0]["rule"] == "below-margin-floor"

    # When a clerk accepts it at 0.13, and the service runs
    clerk_price = {"lines": [{"sku": "HX-2040", "quantity": 8000, "unit_price": "0.13"}]}
    with service_runtime(shop.home, database_url=shop.database_url, **floor) as runtime:
        clerks_queue.accept(runtime, item.id, "mei", clerk_price)
    shop.run(**floor)

    # Then John gets the quote at the clerk's price, PDF attached, and nothing is held
    quote_mail = shop.sent_to(JOHN)[-1]
    _name, text = pdf_text(quote_mail)
    assert "0.13" in text and money(Decimal("0.13") * 8000) in text
    assert shop.query(lambda s: s.get(Quote, quote.id).status) == SENT
    assert not _open_items(shop)


def test_a_quote_in_another_currency_is_held_without_a_rate_and_converted_with_one(
    shop: Shop,
) -> None:
    # Given Nordtek (3 % discount) asks for sensors priced in USD, to be quoted in EUR
    rfq = "Dear team,\n\nplease quote in EUR: 1000 pcs SN-IR18.\n\nRegards\nEinkauf"

    # When no USD/EUR rate is configured
    shop.run(mail("einkauf@nordtek.de", "RFQ sensors", rfq))

    # Then the quote is held for a clerk
    (item,) = _open_items(shop)
    assert item.reasons[0]["rule"] == "currency-not-covered"

    # When a rate is configured and the customer asks again
    rate = Decimal("0.92")
    shop.run(mail("einkauf@nordtek.de", "RFQ sensors", rfq), exchange_rates={"USD/EUR": "0.92"})

    # Then the quote is in EUR at the converted, discounted break price
    reply = shop.sent_to("einkauf@nordtek.de")[-1]
    _name, text = pdf_text(reply)
    usd_unit, _ = expected_price("SN-IR18", 1000, "C-NORDTEK")
    basis = Decimal(PRODUCTS["SN-IR18"]["price_breaks"].split(":")[1]) * Decimal("0.97")
    unit = (basis * rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert usd_unit != unit and "EUR" in text
    assert money(unit) in text and money(unit * 1000) in text


def test_a_request_for_quote_from_an_unknown_sender_is_acknowledged_and_held(
    shop: Shop,
) -> None:
    # Given a sender who is not one of our customers
    stranger = "someone@unknown-company.example"

    # When they ask for a quote
    shop.run(mail(stranger, "RFQ", "Please quote 5000 pcs HX-2040. Thanks"))

    # Then they are acknowledged, no quote is made, and a clerk has it
    (ack,) = shop.sent_to(stranger)
    assert "received" in body(ack) and not list(ack.iter_attachments())
    assert shop.query(lambda s: s.scalar(select(Quote))) is None
    (item,) = _open_items(shop)
    assert item.reasons[0]["rule"] == "unknown-customer"


def test_quotes_list_json_and_show_describe_the_stored_quotes(
    shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given one quote sent to Acme
    shop.run(mail(JOHN, "RFQ bolts", BOLTS))
    monkeypatch.setenv("MAILROOM_HOME", str(shop.home))
    monkeypatch.setenv("MAILROOM_DATABASE_URL", shop.database_url)
    runner = CliRunner()

    # When the quotes are listed as JSON and the one quote is shown
    listed = runner.invoke(main, ["quotes", "list", "--json"])
    (quote,) = json.loads(listed.output)
    shown = runner.invoke(main, ["quotes", "show", quote["quote_number"]])
    missing = runner.invoke(main, ["quotes", "show", "Q-2026-99999"])

    # Then the JSON has the contract's fields with exact money, and show prints the lines
    unit, amount = expected_price("HX-2040", 8000, "C-ACME")
    assert (quote["customer_id"], quote["status"]) == ("C-ACME", "sent")
    assert quote["valid_until"] and quote["lines"][0]["sku"] == "HX-2040"
    assert quote["lines"][0]["unit_price"] == f"{unit:f}"
    assert quote["totals"] == {"USD": f"{amount:.2f}"}
    assert shown.exit_code == 0 and "HX-2040" in shown.output
    assert missing.exit_code == 1 and "no quote Q-2026-99999" in missing.output


def test_a_declined_quote_is_closed_and_cannot_be_declined_twice(
    shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given one quote sent to Acme
    shop.run(mail(JOHN, "RFQ bolts", BOLTS))
    number = shop.query(lambda s: s.scalar(select(Quote.number)))
    monkeypatch.setenv("MAILROOM_HOME", str(shop.home))
    monkeypatch.setenv("MAILROOM_DATABASE_URL", shop.database_url)
    runner = CliRunner()

    # When a clerk records that John bought elsewhere, and tries again
    first = runner.invoke(main, ["quotes", "decline", number, "--reason", "bought elsewhere"])
    again = runner.invoke(main, ["quotes", "decline", number, "--reason", "twice"])

    # Then the quote is declined with the reason, and the second try is refused
    assert first.exit_code == 0, first.output
    quote = shop.query(lambda s: s.scalar(select(Quote)))
    assert quote.status == DECLINED and "bought elsewhere" in (quote.status_note or "")
    assert again.exit_code == 2 and "is declined" in again.output
