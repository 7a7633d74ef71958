"""Where a delivery address ends: at the next field after a comma or a space, at a phone
number, at a document's own reference standing alone, and at a form's next row of headings;
what is not one of its lines (a neighbouring box's code); and where none is asked for (our
packing list sent back)."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

from mailroom.parsers import parse_mail
from mailroom.parsers.address import ship_to
from tests.golden import fixture_catalog
from tests.pdf_samples import text_pdf


def test_a_comma_before_the_consignee_ends_a_chinese_address() -> None:
    # Given an address in a sentence whose Chinese comma normalisation made ASCII
    text = "请1月5日前送到,收货地址:浙江省宁波市北仑区明州路88号 3号仓,联系人 李工 138-0000-1111。"
    # Then the place ends before the contact
    assert ship_to(text) == "浙江省宁波市北仑区明州路88号 3号仓"


def test_a_form_column_ends_at_the_documents_reference_and_the_next_row_of_boxes() -> None:
    # Given a PDF form's text: two boxes side by side, then the title, then the next boxes
    text = (
        "Vendor            Shipping address\n"
        "Kaiyuan Parts            Harbour Tools Ltd\n"
        "Ningbo            Dock 4\n"
        "China            12 Quay Street\n"
        "Cork T12 AB34, Ireland\n"
        "Purchase Order #P02291\n"
        "Buyer            Order Deadline            Expected Arrival\n"
        "Ann Byrne            12/07/2026            01/08/2027\n"
    )
    # Then the address is the right-hand box alone
    assert ship_to(text) == "Harbour Tools Ltd\nDock 4\n12 Quay Street\nCork T12 AB34, Ireland"


def test_a_consignee_label_after_a_space_ends_the_address() -> None:
    # Given a form's one line: the address, then the consignee and a phone, space apart
    text = "收货地址：广东省佛山市顺德区容桂街道华口路6号 三号仓 收货人：赵工 139 2233 4455"
    # Then the place ends before the consignee
    assert ship_to(text) == "广东省佛山市顺德区容桂街道华口路6号 三号仓"
    # And an English contact label ends it as well
    assert ship_to("Ship to: 12 Quay Street, Dock 4 Tel: 021 555 0199") == "12 Quay Street, Dock 4"


def test_a_line_that_is_only_a_phone_number_ends_the_address() -> None:
    text = "Deliver to:\nHarbour Tools Ltd\n12 Quay Street\nCork T12 AB34\n+353 21 555 0199\n"
    assert ship_to(text) == "Harbour Tools Ltd\n12 Quay Street\nCork T12 AB34"


def test_a_bare_code_of_a_neighbouring_box_is_no_line_of_the_address() -> None:
    # Given a Sage-style form whose order box sets our account code in the Deliver To column
    text = (
        "Supplier            Deliver To            Order No.         PO-004471\n"
        "Kaiyuan Parts Co., Ltd.      Leeds Lamps Ltd      Order Date      09/12/2026\n"
        "Building 5, Hengfeng Industrial Park     Unit 9 Aire Park\n"
        "Account Ref       KAIYUAN1\n"
        "Bao'an District            Leeds\n"
        "Shenzhen 518102            LS1 4AP\n"
        "China            United Kingdom\n"
        "Delivery Date      w/c 11/01/2027\n"
    )
    # Then the address keeps its own lines only
    assert ship_to(text) == "Leeds Lamps Ltd\nUnit 9 Aire Park\nLeeds\nLS1 4AP\nUnited Kingdom"


def test_the_address_on_our_packing_list_sent_back_with_a_complaint_is_no_ship_to(
    tmp_path: Path,
) -> None:
    # Given a complaint about a short shipment with our packing list attached as evidence
    document = text_pdf(
        "PACKING LIST",
        "Consignee:",
        "Brighton Lighting Ltd",
        "Unit 7 Hove Business Park",
        "Brighton BN3 7ES",
        "LD-STRIP5   LED Strip 24V 5m Neutral White   150 rolls",
    )
    msg = EmailMessage()
    msg["From"], msg["To"] = "sarah.jones@brightonlighting.co.uk", "orders@kaiyuan-parts.com"
    msg["Subject"] = "Short shipment SO-2026-00352"
    msg.set_content(
        "Hello,\n\nWe received the shipment for SO-2026-00352 yesterday, but only 4 of the 5 "
        "cartons on your packing list arrived: 30 rolls are missing. Please send them.\n"
    )
    msg.add_attachment(document, maintype="application", subtype="pdf", filename="packing list.pdf")
    parsed = parse_mail(msg.as_bytes(), fixture_catalog(tmp_path))
    # Then it is after-sales, and the packing list's consignee is where goods went, not to
    assert parsed.intent == "after_sales"
    assert parsed.ship_to is None


def test_a_short_row_of_the_next_box_before_the_columns_first_line_is_passed_over() -> None:
    # Given a QuickBooks-style form: the PO box's date on its own row under the headings
    text = (
        "VENDOR            SHIP TO            P.O. 1187\n"
        "DATE 12/04/2026\n"
        "Kaiyuan Parts Co., Ltd.            Maple Controls Corp. - Warehouse 2\n"
        "Building 5, Hengfeng Industrial Park       2150 Drew Road, Unit 6\n"
        "China            Canada\n"
        "SHIP VIA            TERMS\n"
    )
    # Then the Ship To column starts below it and ends at the next row of boxes
    assert ship_to(text) == ("Maple Controls Corp. - Warehouse 2\n2150 Drew Road, Unit 6\nCanada")
