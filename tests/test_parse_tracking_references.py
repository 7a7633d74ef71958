"""Tracking numbers and references a clerk would record: the forwarder's house bill before the
ocean carrier's master bill, never a VAT number, and the consignee's reference as its PO."""

from __future__ import annotations

from mailroom.numbering import Numbering
from mailroom.parsers.fields import po_number, tracking_number

NOTICE = (
    "K+N Reference | SZX2612045\n"
    "Master B/L | MAEU263819047\n"
    "House B/L | KNSZX2612045\n"
    "Shipper's reference | SO-2026-00366\n"
    "Consignee's reference | P0071402\n"
    "Container (consol) | MRKU8841236 (40' HC)\n"
)


def test_a_forwarders_house_bill_is_tracked_before_the_master_bill() -> None:
    assert tracking_number(NOTICE) == "KNSZX2612045"
    # Without a house bill the forwarder's own reference is, then the master bill
    without = NOTICE.replace("House B/L | KNSZX2612045\n", "")
    assert tracking_number(without) == "SZX2612045"
    without = without.replace("K+N Reference | SZX2612045\n", "")
    assert tracking_number(without) == "MAEU263819047"
    # And the container only when nothing else is given
    assert tracking_number("Container (consol) | MRKU8841236 (40' HC)") == "MRKU8841236"


def test_the_consignees_reference_on_a_forwarders_notice_is_the_customers_po() -> None:
    assert po_number(Numbering(), NOTICE) == "P0071402"


def test_a_vat_number_is_never_a_tracking_number() -> None:
    text = "We will pay in advance by bank transfer. Our EU VAT no. is PL7792456013."
    assert tracking_number(text) is None
    assert tracking_number("Shipment to our Kraków site, VAT ID 7792456013 please.") is None
    # A carrier's word before a number still makes it one
    assert tracking_number("Sent by DHL, tracking 1234567890.") == "1234567890"
    assert tracking_number("【中通快递】您的包裹71051988164275已揽收") == "71051988164275"


def test_your_order_before_a_code_names_the_customers_po() -> None:
    confirmation = "Thank you for your order MC-PO-3307. We confirm order SO-2026-00127."
    assert po_number(Numbering(), confirmation) == "MC-PO-3307"
    assert po_number(Numbering(), "regarding our order 4500087312 (your SO)") == "4500087312"
    # A count after the words is no PO, nor our own number
    assert po_number(Numbering(), "Please add 500 pcs to your order 300 of last week") is None
    assert po_number(Numbering(), "Thank you for your order SO-2026-00127.") is None
