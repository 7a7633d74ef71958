"""Intent from what a mail is and carries, beyond its words: an out-of-office reply without
RFC 3834 headers, a quote or contract sent back signed, a revised PO, a complaint about goods
that arrived, and a PO the store already holds."""

from __future__ import annotations

from collections.abc import Iterator
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Any

import pytest

from mailroom.parsers import parse_mail
from mailroom.parsers.catalog import Catalog
from store.db import make_engine, session_factory
from store.history import StoreHistory
from tests.golden import fixture_catalog
from tests.pdf_samples import text_pdf
from tests.shop import Shop, in_days
from tests.support import mail

ACME = "john.miller@acme-industrial.com"


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    return fixture_catalog(tmp_path_factory.mktemp("evidence"))


def with_pdf(subject: str, body: str, filename: str, content: bytes) -> bytes:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = ACME, "orders@mailroom.example", subject
    msg["Date"], msg["Message-ID"] = formatdate(), make_msgid(domain="acme-industrial.com")
    msg.set_content(body)
    msg.add_attachment(content, maintype="application", subtype="pdf", filename=filename)
    return msg.as_bytes()


def test_an_out_of_office_reply_without_automatic_headers_is_an_automatic_reply(
    catalog: Catalog,
) -> None:
    # Given a person's mail program answering our quote, with no Auto-Submitted header and
    # the original subject
    raw = mail(
        ACME,
        "Re: Your quotation Q-2026-00031",
        "Thank you for your message. I am currently out of the office until 14 December with "
        "limited access to e-mail. For urgent matters please contact purchasing@acme-industrial"
        ".com.\n\nJohn Miller",
    )
    # When it is parsed
    result = parse_mail(raw, catalog)
    # Then it is an automatic reply: it names the quote it answers, and asks for nothing
    assert result.intent == "auto_reply"
    assert result.quote_number == "Q-2026-00031" and result.lines == []
    assert result.requested_date is None and result.ship_to is None


def test_a_customer_who_will_be_away_but_orders_items_is_still_ordering(catalog: Catalog) -> None:
    # Given an order whose writer mentions being away next week
    raw = mail(
        ACME,
        "PO 4500991",
        "Hello,\n\nplease supply under PO 4500991:\n\nHX-2040 Hex Bolt M8x40 - 5000 pcs\n\n"
        "I am out of the office from 20 December, for urgent matters contact my colleague.\n\n"
        "John",
    )
    # When it is parsed
    result = parse_mail(raw, catalog)
    # Then it is an order with its line
    assert result.intent == "order"
    assert [(line.sku, line.quantity) for line in result.lines] == [("HX-2040", 5000)]


def test_our_quote_sent_back_signed_accepts_it(catalog: Catalog) -> None:
    # Given our quote PDF, countersigned and sent back with a one-line mail
    document = text_pdf(
        "QUOTATION Q-2026-00044",
        "HX-2040 Hex Bolt M8x40  5000 pcs  0.11",
        "Accepted and signed for Acme Industrial Supply: J. Miller",
    )
    raw = with_pdf("signed copy", "Please find the signed copy attached.", "scan.pdf", document)
    # When it is parsed
    result = parse_mail(raw, catalog)
    # Then it accepts that quote
    assert result.intent == "quote_acceptance"
    assert result.quote_number == "Q-2026-00044"


def test_a_revised_po_changes_the_order_it_revises(catalog: Catalog) -> None:
    # Given a PO document marked as a revision
    document = text_pdf(
        "PURCHASE ORDER 4500777 - REVISION 1",
        "Item  Description  Qty",
        "1  HX-2040 Hex Bolt M8x40  8000 pcs",
    )
    raw = with_pdf(
        "PO 4500777 rev 1",
        "Hello, attached our PO, see the new quantity.",
        "PO4500777_rev1.pdf",
        document,
    )
    # When it is parsed
    result = parse_mail(raw, catalog)
    # Then it changes an order rather than placing a new one, to the count with its unit
    # (the leading 1 is the line's number)
    assert result.intent == "order_change"
    assert result.po_number == "4500777"
    assert [(line.sku, line.quantity) for line in result.lines] == [("HX-2040", 8000)]


def test_a_complaint_about_goods_received_is_after_sales_whatever_items_it_names(
    catalog: Catalog,
) -> None:
    # Given a customer who names the items and PO of a delivery that arrived short
    raw = mail(
        ACME,
        "PO 4500123 delivery",
        "Hi,\n\nwe received the goods for PO 4500123 today, but the HX-2040 carton holds only "
        "4000 pcs and 1000 pcs are missing; two boxes were also damaged.\n\nJohn",
    )
    # When it is parsed
    result = parse_mail(raw, catalog)
    # Then it is after-sales
    assert result.intent == "after_sales"


@pytest.fixture
def shop(dovecot: Any, smtp_sink: Any, database_url: str, tmp_path: Path) -> Iterator[Shop]:
    yield Shop.open(dovecot, smtp_sink, tmp_path, database_url)


def po_mail(quantity: int) -> bytes:
    return mail(
        ACME,
        "Purchase order AC-931",
        "Hello,\n\nPlease supply the following under our purchase order AC-931:\n\n"
        f"1. HX-2040 Hex Bolt M8x40 - {quantity} pcs\n\nRequested delivery date: "
        f"{in_days(30)}\n\nBest regards,\nJohn",
    )


def test_a_po_already_on_file_sent_again_with_new_quantities_changes_that_order(
    shop: Shop, catalog: Catalog
) -> None:
    # Given a confirmed order for Acme's PO AC-931
    shop.run(po_mail(5000))
    (placed,) = shop.orders()
    # When John sends the same PO again with another quantity, in words any new order uses
    again = po_mail(8000)
    assert parse_mail(again, catalog).intent == "order"  # the words alone say: a new order
    shop.run(again)
    # Then the store's memory of AC-931 makes it a change: one order, with the new quantity
    (changed,) = shop.orders()
    assert changed.id == placed.id and changed.revision == 2
    assert [int(line.quantity) for line in changed.lines] == [8000]


def test_parsing_a_mail_again_does_not_take_its_own_order_for_an_earlier_one(
    shop: Shop, tmp_path: Path
) -> None:
    # Given an order placed from a mail
    first = po_mail(5000)
    shop.run(first)
    # When that same mail is parsed against the store that now holds its order
    history = StoreHistory(session_factory(make_engine(shop.database_url)))
    result = parse_mail(first, shop.query(Catalog.load), history=history)
    # Then it is still the order it was
    assert result.intent == "order"


def test_a_notice_that_asks_not_to_be_answered_is_no_question(catalog: Catalog) -> None:
    # Given a carrier's system notice from a sender no carrier table lists
    body = (
        "尊敬的客户：您寄出的快件已被揽收，正在发往目的地。\n运单号 | JDVC04418830125\n"
        "客户单号 | SO-2026-00135\n物流进度查询请访问官网。\n此邮件由系统自动发送，请勿直接回复。"
    )
    raw = mail("notice@logistics-mail.example", "您的快件已揽收", body)
    # When parsed / Then it is a shipment notice, not a customer asking where the goods are
    assert parse_mail(raw, catalog).intent == "shipment_notice"


def test_items_under_a_subject_that_revises_the_po_change_the_order(catalog: Catalog) -> None:
    # Given a reply that names our order and re-states one item of a PO revision
    body = (
        "With reference to your order confirmation SO-2026-00151, please note the change to our"
        " purchase order 4500017702:\n\nItem 00030 MY2N 24VDC relay: quantity 800 pcs, price"
        " USD 2.55\n\nItems 00010 and 00020 remain as they are."
    )
    raw = mail(ACME, "AW: Purchase order 4500017702 - revision 1", body)
    # When parsed / Then it changes the order
    assert parse_mail(raw, catalog).intent == "order_change"


def test_asking_to_move_a_delivery_changes_the_order(catalog: Catalog) -> None:
    body = "Could you please push delivery of SO-2026-00118 back to the end of February?"
    raw = mail(ACME, "Re: Order confirmation SO-2026-00118", body)
    assert parse_mail(raw, catalog).intent == "order_change"


def test_our_quote_sent_back_with_a_po_number_accepts_it(catalog: Catalog) -> None:
    # Given our quote, countersigned and sent back with the customer's PO number for it
    quote = text_pdf(
        "QUOTATION Q-2026-00058",
        "Item  Description  Qty  Unit price",
        "PS-2405  Power Supply 24V 5A DIN Rail  120 pcs  USD 17.20",
        "TB-DIN25  DIN Rail Terminal Block  4000 pcs  USD 0.25",
        "Accepted and countersigned: Nordtek Automation GmbH",
    )
    raw = with_pdf(
        "AW: Angebot Q-2026-00058",
        "attached you receive your quotation Q-2026-00058, countersigned. Our purchase order"
        " number for this business is NT-BE-26-0420. Please send the order confirmation to"
        " einkauf@nordtek.de.",
        "Angebot Q-2026-00058 gegengezeichnet.pdf",
        quote,
    )
    # When parsed / Then it accepts the quote: the lines are ours, not a new order's
    assert parse_mail(raw, catalog).intent == "quote_acceptance"
