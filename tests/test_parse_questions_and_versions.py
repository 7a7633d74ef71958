"""Intent from what a mail asks and what it carries: a question about goods the writer already
has, a question about an order named by its number, a price said to stand as before, a new
version of a purchase order said in its text, and a mail attached as a file."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import formatdate, make_msgid

import pytest

from mailroom.parsers import parse_mail
from mailroom.parsers.catalog import Catalog
from tests.golden import fixture_catalog
from tests.support import mail

ACME = "john.miller@acme-industrial.com"
GUANGDA = "wang.fang@gdlighting.cn"


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    return fixture_catalog(tmp_path_factory.mktemp("questions"))


def test_a_technical_question_about_goods_bought_is_after_sales_not_feedback(
    catalog: Catalog,
) -> None:
    # Given a question on the use of a product bought earlier, in words that name a rating
    raw = mail(
        ACME,
        "Fan current rating",
        "Hello,\n\nthe 8025 24V cooling fans we bought from you in October: what is their "
        "current rating at start-up, and can two share one 1A supply?\n\nThanks\nJohn",
    )
    # When it is parsed
    parsed = parse_mail(raw, catalog)
    # Then it is an after-sales (usage) question
    assert parsed.intent == "after_sales"


def test_a_question_about_a_po_named_by_its_number_asks_its_status(catalog: Catalog) -> None:
    # Given a short question about one PO, in words no keyword table lists
    raw = mail(ACME, "PO-77120", "Hi,\n\nHow is PO-77120 coming along?\n\nJohn")
    # When it is parsed
    parsed = parse_mail(raw, catalog)
    # Then it asks where that order stands
    assert parsed.intent == "status_inquiry"
    assert parsed.po_number == "PO-77120"


@pytest.mark.parametrize(
    "terms",
    ["价格跟之前一样", "价格还是按上次的"],
)
def test_a_price_said_to_stand_as_before_is_an_order_not_a_request_for_price(
    catalog: Catalog, terms: str
) -> None:
    # Given a short Chinese mail naming items with counts and saying the price stands
    raw = mail(GUANGDA, "灯珠", f"你好,\n5050 RGB灯珠 5万个\n{terms}。\n\n王芳")
    # When it is parsed
    parsed = parse_mail(raw, catalog)
    # Then it orders them
    assert parsed.intent == "order"
    assert [(line.sku, line.quantity) for line in parsed.lines] == [("LD-5050R", 50000)]


def test_a_po_that_says_it_is_a_new_version_changes_the_order(catalog: Catalog) -> None:
    # Given a PO mail whose subject is plain but whose text is its second version
    raw = mail(
        ACME,
        "Purchase order PO-ACM-1001",
        "Purchase order PO-ACM-1001, version 3. This version replaces all earlier ones.\n\n"
        "Item | Description | Quantity | Unit price\n"
        "HX-2040 | Hex Bolt M8x40 | 6,000 | 0.11\n"
        "WS-0810 | Flat Washer M8 | 6,000 | 0.03\n",
    )
    # When it is parsed
    parsed = parse_mail(raw, catalog)
    # Then it is a change of the order, not a new one
    assert parsed.intent == "order_change"


def test_a_mail_attached_as_a_file_is_listed_and_its_old_request_is_not_read(
    catalog: Catalog,
) -> None:
    # Given a question with the original order attached as an .eml file
    original = EmailMessage()
    original["From"], original["To"], original["Subject"] = ACME, "orders@x.example", "PO-5512"
    original.set_content("Please ship PO-5512: 2,000 pcs HX-2040, deliver by 3 Dec 2026.\n")
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = ACME, "orders@x.example", "Fw: PO-5512"
    msg["Date"], msg["Message-ID"] = formatdate(), make_msgid(domain="acme-industrial.com")
    msg.set_content("Team,\n\nmy PO is attached. Where does PO-5512 stand?\n\nJohn\n")
    msg.add_attachment(original, filename="PO-5512.eml")
    # When it is parsed
    parsed = parse_mail(msg.as_bytes(), catalog)
    # Then the attached mail is an attachment of kind "other", and its items and date are old
    assert [(a.filename, a.content_type, a.kind) for a in parsed.attachments] == [
        ("PO-5512.eml", "message/rfc822", "other")
    ]
    assert parsed.attachments[0].size == len(original.as_bytes())
    assert parsed.intent == "status_inquiry"
    assert parsed.requested_date is None
