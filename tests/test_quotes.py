"""Quotes end to end, through Dovecot and the SMTP sink: RFQ in, quote PDF out, questions back.

Expected prices are worked out here from the catalog's CSV files with the rule the business
states (best volume break, the customer's discount, half-up to cents), not read back from
the code under test.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from sqlalchemy import select

from mailroom.catalog_import import import_files
from store.db import make_engine, migrate, session_factory, transaction
from store.holds import OPEN, HeldItem
from store.mail import Mail
from store.quotes import SENT, Quote
from tests.support import mail, run_once

CATALOG = Path(__file__).parent.parent / "fixtures" / "catalog"


# -- the catalog, read independently ---------------------------------------------------------


def _rows(name: str, key: str) -> dict[str, dict[str, str]]:
    with (CATALOG / name).open(encoding="utf-8-sig") as handle:
        return {row[key]: row for row in csv.DictReader(handle)}


PRODUCTS = _rows("products.csv", "sku")
CUSTOMERS = _rows("customers.csv", "customer_id")


def expected_price(sku: str, quantity: int, customer_id: str) -> tuple[Decimal, Decimal]:
    """(unit price, amount) by the stated rule, from the CSV rows alone."""
    product = PRODUCTS[sku]
    basis = Decimal(product["unit_price"])
    best = Decimal(0)
    for pair in filter(None, product["price_breaks"].split(";")):
        min_qty, price = (Decimal(x) for x in pair.split(":"))
        if min_qty <= quantity and min_qty >= best:
            best, basis = min_qty, min(Decimal(price), Decimal(product["unit_price"]))
    discount = Decimal(CUSTOMERS[customer_id]["discount_pct"] or 0)
    unit = (basis * (100 - discount) / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return unit, unit * quantity


def money(amount: Decimal) -> str:
    return f"{amount:,.2f}"


# -- running the service ---------------------------------------------------------------------


@dataclass
class Shop:
    """A mailbox, an SMTP sink and a store loaded with the fixture catalog."""

    dovecot: Any
    smtp: Any
    home: Path
    database_url: str

    def run(self, *mails: bytes, **settings: Any) -> Any:
        if mails:
            self.dovecot.deliver_many(list(mails))
        return run_once(
            self.home,
            imap_url=self.dovecot.url(),
            smtp_url=self.smtp.url,
            database_url=self.database_url,
            **settings,
        )

    def query(self, fn: Any) -> Any:
        engine = make_engine(self.database_url)
        try:
            with transaction(session_factory(engine)) as session:
                return fn(session)
        finally:
            engine.dispose()

    def replies_to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.smtp.messages if str(m["To"]) == address]


@pytest.fixture(name="shop")
def shop_fixture(dovecot: Any, smtp_sink: Any, database_url: str, tmp_path: Path) -> Iterator[Shop]:
    """A Dovecot account, an SMTP sink and a store holding the fixture catalog."""
    engine = make_engine(database_url)
    migrate(engine)
    with transaction(session_factory(engine)) as session:
        _summaries, problems = import_files(session, sorted(CATALOG.glob("*.csv")))
    engine.dispose()
    assert not problems
    yield Shop(dovecot, smtp_sink, tmp_path, database_url)


def pdf_text(message: EmailMessage) -> tuple[str, str]:
    """(file name, text) of the one PDF attached to a message."""
    (part,) = [p for p in message.iter_attachments() if p.get_content_type() == "application/pdf"]
    with pdfplumber.open(io.BytesIO(part.get_content())) as pdf:
        return part.get_filename() or "", "\n".join(page.extract_text() or "" for page in pdf.pages)


def body(message: EmailMessage) -> str:
    return message.get_body(("plain",)).get_content()  # type: ignore[union-attr]


# -- a request for quote answered with a quote -----------------------------------------------

ENGLISH_RFQ = (
    "Hello,\n\nCould you please quote the following:\n\n"
    "- 6204-2RS bearing x 600 pcs\n- HX-2040 x 8000 pcs\n- 50 pcs PS-2405\n\n"
    "Thanks,\nJohn Miller\nAcme Industrial Supply"
)
CHINESE_RFQ = "您好，\n\n请报价以下产品：\n1. RL-5V1C 6000个\n2. FU-5X20T2 20000个\n\n谢谢！\n张敏"


def test_an_english_rfq_is_answered_with_a_quote_pdf_at_the_right_prices(shop: Shop) -> None:
    # Given Acme (5 % discount) asks for three products, two of them past a volume break
    asked = {"BR-6204": 600, "HX-2040": 8000, "PS-2405": 50}
    rfq = mail("john.miller@acme-industrial.com", "RFQ bearings, bolts, PSU", ENGLISH_RFQ)

    # When the service runs
    shop.run(rfq)

    # Then John gets one reply carrying our quote number in the subject and the PDF
    (reply,) = shop.replies_to("john.miller@acme-industrial.com")
    quote = shop.query(lambda s: s.scalar(select(Quote)))
    assert quote.status == SENT and quote.customer_id == "C-ACME"
    assert f"[{quote.number}]" in str(reply["Subject"])
    filename, text = pdf_text(reply)
    assert filename == f"{quote.number}.pdf"
    # And every line shows the price worked out from the catalog, and the total is right
    total = Decimal(0)
    for sku, quantity in asked.items():
        unit, amount = expected_price(sku, quantity, "C-ACME")
        total += amount
        row = next(line for line in text.splitlines() if sku in line)
        assert money(unit) in row and money(amount) in row, row
        assert f"{sku}" in body(reply) and money(amount) in body(reply)
    assert money(total) in text
    assert "Quotation" in text and "NET 30" in text and quote.number in text
    # And the quote is stored with its validity and the mail that asked
    source = shop.query(lambda s: s.scalar(select(Mail)))
    assert quote.mail_id == source.id
    assert (quote.valid_until - quote.quote_date).days == 14


def test_a_chinese_rfq_is_answered_in_chinese_with_a_chinese_quote_pdf(shop: Shop) -> None:
    # Given Huaxin (3 % discount) asks in Chinese
    asked = {"RL-5V1C": 6000, "FU-5X20T2": 20000}
    rfq = mail("zhang.min@huaxin-elec.cn", "询价：继电器和保险丝", CHINESE_RFQ)

    # When the service runs
    shop.run(rfq)

    # Then the reply is Chinese and the PDF is a Chinese quotation with the right prices
    (reply,) = shop.replies_to("zhang.min@huaxin-elec.cn")
    assert "报价单" in body(reply)
    _name, text = pdf_text(reply)
    assert "报价单" in text and "继电器" in text and "月结30天" in text
    total = Decimal(0)
    for sku, quantity in asked.items():
        unit, amount = expected_price(sku, quantity, "C-HUAXIN")
        total += amount
        row = next(line for line in text.splitlines() if sku in line)
        assert money(unit) in row and money(amount) in row, row
    assert money(total) in text


def test_an_rfq_for_an_unknown_product_asks_back_with_close_matches_and_holds(
    shop: Shop,
) -> None:
    # Given a request naming a product we do not sell and one we do without a quantity
    rfq = mail(
        "john.miller@acme-industrial.com",
        "Request for quotation",
        "Hi,\n\nplease quote 300 pcs of stepper motor NEMA 24.\n"
        "Please also include HX-2050 in the quote.\n\nThanks\nJohn",
    )

    # When the service runs
    shop.run(rfq)

    # Then the customer is asked, with our closest products, and no quote is made
    (reply,) = shop.replies_to("john.miller@acme-industrial.com")
    text = body(reply)
    assert "NEMA 24" in text and "MT-57S56" in text
    assert "HX-2050" in text and "how many" in text
    assert not [p for p in reply.iter_attachments()]
    assert shop.query(lambda s: s.scalar(select(Quote))) is None
    # And the request waits in the clerks' queue with both reasons
    item = shop.query(lambda s: s.scalar(select(HeldItem).where(HeldItem.status == OPEN)))
    rules = {r["rule"] for r in item.reasons}
    assert rules == {"unknown-product", "missing-quantity"}
