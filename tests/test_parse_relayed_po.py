"""A customer's PO sent by a purchasing system from its own domain (Coupa, QuickBooks Online):
the customer is told by strong evidence only, and the ship-to by the document's own box."""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from mailroom.parsers import parse_mail
from mailroom.parsers.catalog import Catalog
from mailroom.parsers.html import html_to_text
from tests.golden import fixture_catalog

ROWS = (
    "<table><tr><th>Line</th><th>Item</th><th>Supplier Part Num</th><th>Qty</th>"
    "<th>Price</th><th>Need By</th></tr>"
    "<tr><td>1</td><td>Relay 24VDC DPDT plug-in</td><td>RL-24V2C</td><td>600</td>"
    "<td>2.55 USD</td><td>01/19/27</td></tr></table>"
)
BOXES = (
    "<table><tr>"
    "<td><b>PO #20417</b><br>Order Date: 12/03/26<br>Requester: John Miller<br>Currency: USD</td>"
    "<td><b>Ship To</b><br>Acme Industrial Supply Inc. - Reno DC<br>4750 Longley Lane, Bldg C"
    "<br>Reno, NV 89502<br>United States</td>"
    "<td><b>Bill To</b><br>Acme Industrial Supply Inc. - Accounts Payable<br>1200 Harbor Blvd"
    "<br>Long Beach, CA 90802<br>United States</td>"
    "</tr></table>"
)


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    return fixture_catalog(tmp_path_factory.mktemp("relayed"))


def _relayed(
    sender: str,
    html: str,
    *,
    reply_to: str | None = None,
    name: str = "",
    automatic: bool = True,
    subject: str = "Purchase Order #20417",
    plain: str = "See the HTML part.",
) -> bytes:
    msg = EmailMessage()
    msg["From"] = f'"{name}" <{sender}>' if name else sender
    msg["To"], msg["Subject"] = "orders@kaiyuan-parts.com", subject
    msg["Date"] = "Thu, 03 Dec 2026 16:20:00 +0000"
    if automatic:
        msg["Auto-Submitted"] = "auto-generated"
    if reply_to:
        msg["Reply-To"] = reply_to
    msg.set_content(plain)
    msg.add_alternative(f"<html><body>{html}</body></html>", subtype="html")
    return msg.as_bytes()


def test_a_coupa_po_is_the_customers_its_reply_to_names_shipped_to_its_ship_to_box(
    catalog: Catalog,
) -> None:
    # Given a PO notification from Coupa's domain, answering to the customer's buyers
    raw = _relayed(
        "do_not_reply@acme-industrial.coupahost.com",
        f"<p>Acme Industrial Supply Inc. has sent you a Purchase Order</p>{BOXES}{ROWS}",
        reply_to="purchasing@acme-industrial.com",
        name="Acme Industrial Supply Inc.",
    )
    parsed = parse_mail(raw, catalog)
    # Then it is Acme's order, to the Reno DC of its Ship To box (not the Bill To)
    assert (parsed.intent, parsed.customer_id) == ("order", "C-ACME")
    assert parsed.ship_to == (
        "Acme Industrial Supply Inc. - Reno DC\n4750 Longley Lane, Bldg C\n"
        "Reno, NV 89502\nUnited States"
    )


def test_a_system_mail_is_the_customers_its_name_and_a_document_address_agree_on(
    catalog: Catalog,
) -> None:
    # Given a QuickBooks-style mail without Reply-To, naming the buyer and its address
    body = f"<p>Maple Controls Corp.<br>procurement@maplecontrols.ca</p>{ROWS}"
    raw = _relayed("quickbooks@notification.intuit.com", body, name="Maple Controls Corp.")
    parsed = parse_mail(raw, catalog)
    assert parsed.customer_id == "C-MAPLE"
    # While its name alone identifies it less surely
    alone = parse_mail(
        _relayed("quickbooks@notification.intuit.com", ROWS, name="Maple Controls Corp."),
        catalog,
    )
    assert alone.customer_id == "C-MAPLE"
    assert alone.confidence < parsed.confidence


def test_a_po_sent_via_a_procurement_network_without_automatic_headers_is_the_customers(
    catalog: Catalog,
) -> None:
    body = f"<p>Maple Controls Corp.<br>procurement@maplecontrols.ca</p>{ROWS}"
    raw = _relayed(
        "ordersender-prod@ansmtp.ariba.example",
        body,
        name="Maple Controls Corp. via Ariba Network",
        automatic=False,
    )
    assert parse_mail(raw, catalog).customer_id == "C-MAPLE"


def test_a_system_mail_naming_two_customers_is_no_ones(catalog: Catalog) -> None:
    body = f"<p>Maple Controls Corp.<br>questions to buyer@acme-industrial.com</p>{ROWS}"
    raw = _relayed("quickbooks@notification.intuit.com", body)
    assert parse_mail(raw, catalog).customer_id is None


def test_a_person_elsewhere_citing_a_customers_address_is_not_that_customer(
    catalog: Catalog,
) -> None:
    # Given a person at a free-mail address (no program) whose order names Acme's buyer
    msg = EmailMessage()
    msg["From"], msg["To"] = "someone@gmail.example", "orders@kaiyuan-parts.com"
    msg["Subject"] = "Order"
    msg.set_content(
        "Please supply 600 pcs RL-24V2C at 2.55 USD, PO 7781.\n"
        "Acme Industrial Supply Inc.\npurchasing@acme-industrial.com\n"
    )
    # Then no customer is told from it: an answer would go to that person
    assert parse_mail(msg.as_bytes(), catalog).customer_id is None


def test_html_boxes_of_lines_side_by_side_become_blocks_while_item_rows_stay_rows() -> None:
    text = html_to_text(BOXES + ROWS)
    assert "Ship To\nAcme Industrial Supply Inc. - Reno DC\n4750 Longley Lane, Bldg C" in text
    assert "1 | Relay 24VDC DPDT plug-in | RL-24V2C | 600 | 2.55 USD | 01/19/27" in text
    # A description set on two lines in one cell keeps its row one line
    two = html_to_text("<table><tr><td>1</td><td>Relay<br>24VDC</td><td>600</td></tr></table>")
    assert two == "1 | Relay 24VDC | 600"


def test_a_quote_signed_through_a_signing_service_is_the_customers_its_reply_to_names(
    catalog: Catalog,
) -> None:
    # Given Adobe Acrobat Sign's "signed and filed" mail, answering to the customer's buyer
    text = (
        "Quotation Q-2026-00377 between Kaiyuan Parts and Nordtek Automation GmbH is signed "
        "and filed. We accept the quotation; please go ahead."
    )
    raw = _relayed(
        "echosign@echosign.com",
        f"<p>{text}</p>",
        plain=text,
        reply_to="Anna Vogel <einkauf@nordtek.de>",
        name="Anna Vogel via Adobe Acrobat Sign",
        subject="Signed and Filed: Quotation Q-2026-00377",
    )

    parsed = parse_mail(raw, catalog)

    # Then it is the customer's acceptance, as if the buyer had written it
    assert (parsed.intent, parsed.customer_id) == ("quote_acceptance", "C-NORDTEK")


def test_a_status_question_sent_from_a_supplier_portal_is_the_customers_its_reply_to_names(
    catalog: Catalog,
) -> None:
    text = (
        "Message from your customer: where is our order SO-2026-00412? It was due last week. "
        "Please advise the delivery status.\n\nThis is an automated message, please do not "
        "reply to this address."
    )
    raw = _relayed(
        "noreply@portal.example-srm.com",
        f"<p>{text}</p>",
        plain=text,
        reply_to="purchasing@acme-industrial.com",
        name="Supplier Portal",
        subject="New message from Acme Industrial Supply Inc.",
    )

    parsed = parse_mail(raw, catalog)

    assert (parsed.intent, parsed.customer_id) == ("status_inquiry", "C-ACME")


def _forward(sender: str, to: str) -> bytes:
    msg = EmailMessage()
    msg["From"], msg["To"] = sender, to
    msg["Subject"] = "Fw: PO 7781 - relays"
    msg["Date"] = "Mon, 07 Dec 2026 09:30:00 +0800"
    msg.set_content(
        "Team, please enter this one, Pierre sent it to me by mistake.\nTom\n\n"
        "-----Original Message-----\n"
        "From: Pierre Gagnon <pierre.gagnon@maplecontrols.ca>\n"
        "Sent: Sunday, December 6, 2026 10:12 PM\n"
        "To: Tom Wu <tom.wu@kaiyuan-parts.com>\n"
        "Subject: PO 7781 - relays\n\n"
        "Hi Tom, please supply 500 pcs RL-24V2C at 2.55 USD, PO 7781, by 20 January.\n"
        "Pierre"
    )
    return msg.as_bytes()


def test_a_colleagues_forward_of_a_customers_order_is_that_customers(catalog: Catalog) -> None:
    # Given our own sales rep forwarding to the order desk a PO the customer sent him
    raw = _forward("tom.wu@kaiyuan-parts.com", "orders@kaiyuan-parts.com")

    parsed = parse_mail(raw, catalog)

    # Then the order is the customer's who wrote it
    assert (parsed.intent, parsed.customer_id, parsed.po_number) == ("order", "C-MAPLE", "7781")


def test_someone_elses_forward_of_a_customers_order_is_no_ones(catalog: Catalog) -> None:
    # A forwarder from another company is not the customer whose mail it passes on
    raw = _forward("buyer@other-trading.example", "orders@kaiyuan-parts.com")

    assert parse_mail(raw, catalog).customer_id is None
