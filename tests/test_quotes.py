"""Quotes end to end, through Dovecot and the SMTP sink: RFQ in, quote PDF out, questions back.

Expected prices are worked out here from the catalog's CSV files with the rule the business
states (best volume break, the customer's discount, half-up to cents), not read back from
the code under test.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from store.holds import OPEN, HeldItem
from store.mail import Mail
from store.quotes import SENT, Quote
from tests.shop import Shop, body, check_rows_priced, expected_price, money, pdf_text
from tests.support import mail


@pytest.fixture(name="shop")
def shop_fixture(dovecot: Any, smtp_sink: Any, database_url: str, tmp_path: Path) -> Iterator[Shop]:
    """A Dovecot account, an SMTP sink and a store holding the fixture catalog."""
    yield Shop.open(dovecot, smtp_sink, tmp_path, database_url)


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
    (reply,) = shop.sent_to("john.miller@acme-industrial.com")
    quote = shop.query(lambda s: s.scalar(select(Quote)))
    assert quote.status == SENT and quote.customer_id == "C-ACME"
    assert f"[{quote.number}]" in str(reply["Subject"])
    filename, text = pdf_text(reply)
    assert filename == f"{quote.number}.pdf"
    # And every line shows the price worked out from the catalog, and the total is right
    total = check_rows_priced(text, asked, "C-ACME")
    for sku, quantity in asked.items():
        _unit, amount = expected_price(sku, quantity, "C-ACME")
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
    (reply,) = shop.sent_to("zhang.min@huaxin-elec.cn")
    assert "报价单" in body(reply)
    _name, text = pdf_text(reply)
    assert "报价单" in text and "继电器" in text and "月结30天" in text
    total = check_rows_priced(text, asked, "C-HUAXIN")
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
    (reply,) = shop.sent_to("john.miller@acme-industrial.com")
    text = body(reply)
    assert "NEMA 24" in text and "MT-57S56" in text
    assert "HX-2050" in text and "how many" in text
    assert not [p for p in reply.iter_attachments()]
    assert shop.query(lambda s: s.scalar(select(Quote))) is None
    # And the request waits in the clerks' queue with both reasons
    item = shop.query(lambda s: s.scalar(select(HeldItem).where(HeldItem.status == OPEN)))
    rules = {r["rule"] for r in item.reasons}
    assert rules == {"unknown-product", "missing-quantity"}
