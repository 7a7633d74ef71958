"""A change that says in the mail what it changes and attaches the revised PO: the document
restates every line, so only the lines the mail names are the change (in the document's fuller
form, with its code and price); the address it prints is the order's as before, and a date
"moved from A to B" is B."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from email.message import EmailMessage
from email.utils import formatdate

from mailroom.parsers import parse_mail
from mailroom.parsers.catalog import Catalog, ProductRef
from mailroom.parsers.fields import requested_date

CATALOG = Catalog.of(
    [
        ProductRef("HX-2040", "Hex Bolt M8x40 Zinc Plated"),
        ProductRef("WS-0810", "Flat Washer M8 Stainless"),
        ProductRef("NT-0800", "Hex Nut M8 Zinc"),
    ],
    [],
)

BODY = """\
Hello,

Version 2 of our PO 4471 is attached, it replaces version 1.
What changed: the stainless flat things go up from 2,000 to 3,500 pcs.
The other two lines are as before.

Regards, Ines
"""

REVISED = """\
Line,Part,Description,Qty,Unit price,Amount
1,HX-2040,Hex bolt M8x40,4000,0.11,440.00
2,WS-0810,Flat washer M8 stainless,3500,0.03,105.00
3,NT-0800,Hex nut M8,4000,0.02,80.00
Ship to: Ines Bauer, Werk 3, Hafenstrasse 12, 28217 Bremen
"""


def revised_po_mail() -> bytes:
    msg = EmailMessage()
    msg["From"] = "ines@bauer.example"
    msg["To"] = "orders@mailroom.example"
    msg["Subject"] = "PO 4471 version 2 - revised quantity"
    msg["Date"] = formatdate()
    msg.set_content(BODY)
    msg.add_attachment(REVISED.encode(), maintype="text", subtype="csv", filename="PO-4471-v2.csv")
    return msg.as_bytes()


def test_only_the_line_the_mail_names_is_the_change_in_the_documents_form() -> None:
    # Given a change mail naming one line loosely, with the revised PO restating all three
    result = parse_mail(revised_po_mail(), CATALOG)
    # Then it is a change of one line, with the document's code and price
    assert result.intent == "order_change"
    assert [(line.sku, line.quantity, line.unit_price) for line in result.lines] == [
        ("WS-0810", Decimal(3500), Decimal("0.03"))
    ]
    # And the address the document prints is not reported as a move
    assert result.ship_to is None


def test_a_date_moved_from_one_day_to_another_is_the_new_day() -> None:
    text = "Requested delivery moved from 15.01.2027 to 05.02.2027, rest unchanged."
    assert requested_date(text, date(2026, 12, 3)) == "2027-02-05"
