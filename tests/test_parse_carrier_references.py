"""A carrier's notice carries the shipper's references in fields of its own (UPS "Reference
Number 1/2", FedEx "Reference", DHL "Shipment reference"): one of them that is not our number
and looks like a PO is the customer's PO."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

from mailroom.numbering import Numbering
from mailroom.parsers import parse_mail
from mailroom.parsers.fields import carrier_reference
from tests.golden import fixture_catalog


def test_a_reference_field_that_is_not_ours_is_the_customers_po() -> None:
    text = "Reference Number 1: | SO-2026-00511\nReference Number 2: | HTL-4471-B\n"
    assert carrier_reference(Numbering(), text) == "HTL-4471-B"
    assert carrier_reference(Numbering(), "Shipment reference: 4500219904") == "4500219904"
    assert carrier_reference(Numbering(), "Reference | PR-88213") == "PR-88213"


def test_a_reference_that_is_ours_or_no_code_is_no_po() -> None:
    assert carrier_reference(Numbering(), "Reference: SO-2026-00511") is None
    assert carrier_reference(Numbering(), "Track it online with your reference.") is None
    assert carrier_reference(Numbering(), "Reference: see below") is None


def test_a_fedex_notice_names_the_po_in_its_reference_field(tmp_path: Path) -> None:
    # Given a FedEx delivery notice whose references are our order and the buyer's PO
    msg = EmailMessage()
    msg["From"], msg["To"] = "TrackingUpdates@fedex.com", "orders@kaiyuan-parts.com"
    msg["Subject"] = "Your shipment was delivered"
    msg.set_content(
        "Your package has been delivered.\n\n"
        "Tracking number: 794612385530\n"
        "Ship date: Thu 12/03/2026\n"
        "Reference: SO-2026-00131\n"
        "Purchase order reference: n/a\n"
        "Reference: ACM-77310\n"
        "Delivered to: Receptionist/Front Desk\n"
    )
    parsed = parse_mail(msg.as_bytes(), fixture_catalog(tmp_path))
    # Then it is a notice with our order and the customer's PO
    assert parsed.intent == "shipment_notice"
    assert parsed.order_number == "SO-2026-00131"
    assert parsed.po_number == "ACM-77310"
