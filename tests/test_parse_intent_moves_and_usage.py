"""What a mail asks, beyond the words its tables print: a new date for an order already placed
changes it, a question on using goods bought is after-sales, a table's "Unit price" heading
asks for no price, and our order number quoted from another PO's history is not this mail's."""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from mailroom.parsers import parse_mail
from mailroom.parsers.catalog import Catalog
from mailroom.parsers.intent import Evidence, classify
from tests.golden import fixture_catalog

PACIFIC = "li.wei@pacificrobotics.io"


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    return fixture_catalog(tmp_path_factory.mktemp("moves"))


def _mail(subject: str, body: str, sender: str = PACIFIC) -> bytes:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, "orders@kaiyuan-parts.com", subject
    msg["Date"] = "Thu, 10 Dec 2026 08:52:01 +0100"
    msg.set_content(body)
    return msg.as_bytes()


def test_a_mail_that_only_moves_the_date_of_a_placed_order_changes_it(catalog: Catalog) -> None:
    # Given a reply to our confirmation that gives a new date and touches no line
    body = (
        "Hello,\n\nregarding our order 4400123 (your SO-2026-00211): our site is not ready, "
        "so please move the delivery.\n\nNew delivery date: 2027-02-12.\n\n"
        "Quantities and prices remain unchanged.\n\nBest regards\nLi Wei\n"
    )
    parsed = parse_mail(_mail("Re: Order confirmation SO-2026-00211", body), catalog)
    # Then it changes that order, with the new date as its requested one
    assert parsed.intent == "order_change"
    assert parsed.requested_date == "2027-02-12"


def test_a_chinese_mail_giving_an_order_a_new_date_changes_it() -> None:
    ev = Evidence(subject="订单 SO-2026-00211", text="新的交期：2027年2月12日，其它不变。")
    ev.order_number = "SO-2026-00211"
    assert classify(ev)[0] == "order_change"


def test_a_question_on_wiring_goods_bought_is_after_sales() -> None:
    # Given a customer asking how to connect a motor bought from us, naming our order, and a
    # torque in the text read as a count of the motor
    text = (
        "你好:\n\n上月在贵司买的57步进电机(57HS56,1.26N·m,贵司订单 SO-2026-00201),"
        "调试时遇到问题想请教一下:\n电机有四根线:红、绿、黄、蓝,驱动器的端子是 A+ A- B+ B-,"
        "应该怎么接线?\n\n谢谢!\n"
    )
    ev = Evidence(subject="请教", text=text, order_number="SO-2026-00201", has_lines=True)
    # Then it is a question on their use, not a change of that order
    assert classify(ev)[0] == "after_sales"


def test_an_english_question_on_wiring_goods_bought_is_after_sales() -> None:
    ev = Evidence(
        subject="Re: SO-2026-00201",
        text="We got the 57HS56 steppers of SO-2026-00201, 1.26 Nm. How should we wire them "
        "to our driver? Which pin-out does the cable use?",
        order_number="SO-2026-00201",
        has_lines=True,
    )
    assert classify(ev)[0] == "after_sales"


def test_a_price_column_heading_asks_for_no_price() -> None:
    # Given a new PO whose table's heading names a unit price (rows not read as lines)
    table = (
        "New PO below -- PR-2026-0419.\n\n"
        "| # | Part | Your SKU | Qty | Unit price |\n|---|---|---|---|---|\n"
        "| 1 | NEMA 17 stepper | MT-42S40 | 1.5K | $8.20 |\n"
    )
    ev = Evidence(subject="New PO PR-2026-0419", text=table, po_number="PR-2026-0419")
    # Then it is an order, not a request for a quote
    assert classify(ev)[0] == "order"
    # While a price asked for in words still asks for a quote
    asked = Evidence(subject="Stepper motors", text="What is your unit price for 500 MT-42S40?")
    assert classify(asked)[0] == "quote_request"


def test_our_order_number_quoted_under_another_po_is_not_this_mails(catalog: Catalog) -> None:
    # Given a new PO written above our confirmation of the previous one
    body = (
        "Hi team,\n\nNew PO PR-2026-0419: 1,500 pcs MT-42S40 at $8.20, need it by Jan 22.\n\n"
        "Thanks!\nLi Wei\n\n"
        "On Wed, Nov 18, 2026 at 2:02 AM Kaiyuan Order Desk <orders@kaiyuan-parts.com> wrote:\n"
        "> Thank you for your PO PR-2026-0388. Order confirmation SO-2026-00344:\n"
        "> 1. MT-42S40 Stepper Motor NEMA 17 0.4Nm   1,000 pcs  USD 8.20\n"
    )
    parsed = parse_mail(_mail("New PO PR-2026-0419", body), catalog)
    # Then the new PO is an order of its own, without the old order's number
    assert (parsed.intent, parsed.po_number, parsed.order_number) == (
        "order",
        "PR-2026-0419",
        None,
    )
    # While a reply about the same PO keeps the number of the order it quotes
    new_po = "New PO PR-2026-0419: 1,500 pcs MT-42S40 at $8.20, need"
    same = body.replace(new_po, "PO PR-2026-0388: we")
    parsed = parse_mail(_mail("Re: PR-2026-0388", same), catalog)
    assert parsed.order_number == "SO-2026-00344"
