"""What a customer asks, in the words of the thing it asks about: a customer who writes of a
parcel in a carrier's words ("no scan since Nov 30") and asks us to act asks where the goods
are; a complaint about goods it bought from us is after-sales, whatever order it names."""

from __future__ import annotations

from mailroom.parsers import parse_mail
from mailroom.parsers.catalog import Catalog, CustomerRef, ProductRef
from tests.support import mail

CATALOG = Catalog.of(
    [ProductRef("FN-12038", "Cooling fan 120x120x38 AC 220V", "散热风扇 12038 AC 220V")],
    [CustomerRef("C-MAPLE", "Maple Controls Corp.", domains=("maplecontrols.example",))],
)


def intent_of(sender: str, subject: str, body: str) -> str | None:
    return parse_mail(mail(sender, subject, body), CATALOG).intent


def test_a_customer_asking_about_a_stuck_parcel_asks_its_status() -> None:
    body = (
        "Hi,\n\nUPS tracking 1Z9X84W20412345678 for our PO MC-0398 has shown In Transit with "
        "no scan since Nov 30 (Louisville, KY). Can you open a trace with UPS on your side?\n"
    )
    assert intent_of("buyer@maplecontrols.example", "UPS parcel stuck", body) == "status_inquiry"


def test_the_same_words_from_a_carrier_are_its_notice() -> None:
    body = (
        "UPS tracking 1Z9X84W20412345678: In Transit, last scan Nov 30 (Louisville, KY). "
        "Questions? Visit ups.com.\n"
    )
    assert intent_of("pkginfo@ups.com", "UPS Update: Package in transit", body) == (
        "shipment_notice"
    )


def test_a_complaint_about_goods_bought_from_us_is_after_sales() -> None:
    body = (
        "您好：\n\n上周收到的散热风扇 12038 AC 220V（订单 SO-2026-00366，共200台），上线测试时约有"
        "30台运转有明显异音，已另外隔离。\n\n请协助安排退换这30台，并说明原因。\n"
    )
    assert intent_of("buyer@maplecontrols.example", "风扇异音 退换", body) == "after_sales"
