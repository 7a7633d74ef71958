"""Where a delivery address ends: at the next field after a comma, at a document's own
reference standing alone, and at a form's next row of headings."""

from __future__ import annotations

from mailroom.parsers.address import ship_to


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
