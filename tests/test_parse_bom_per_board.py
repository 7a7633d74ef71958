"""A bill of materials counts parts per board: its lines are the count per board times the
boards the mail asks for, a part we do not sell is no line, and without a number of boards no
line is sure."""

from __future__ import annotations

from decimal import Decimal
from email.message import EmailMessage

import pytest

from mailroom.parsers import parse_mail
from mailroom.parsers.catalog import Catalog
from tests.golden import fixture_catalog

BOM = (
    '"Comment","Description","Designator","Quantity","Supplier","Supplier Part"\n'
    '"M8 bolt","Hex Bolt M8x40 Zinc Plated","H1, H2, H3, H4","4","Kaiyuan","HX-2040"\n'
    '"Washer","Flat Washer M8 Stainless","H1-H4","8","Kaiyuan","WS-0810"\n'
    '"100nF","MLCC 100nF 50V X7R 0603","C1, C2","2","Mouser","81-GRM188R71H104KA93D"\n'
)


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    return fixture_catalog(tmp_path_factory.mktemp("bom"))


def with_bom(body: str) -> bytes:
    msg = EmailMessage()
    msg["From"], msg["To"] = "einkauf@nordtek.de", "orders@mailroom.example"
    msg["Subject"] = "RFQ controller board"
    msg.set_content(body)
    msg.add_attachment(BOM.encode(), maintype="text", subtype="csv", filename="bom.csv")
    return msg.as_bytes()


def lines_of(raw: bytes, catalog: Catalog) -> list[tuple[str | None, Decimal, bool]]:
    return [(line.sku, line.quantity, line.sure) for line in parse_mail(raw, catalog).lines]


def test_a_bom_is_counted_for_the_boards_the_mail_asks_for(catalog: Catalog) -> None:
    # Given a BOM whose counts are per board, and a mail asking a price for 250 boards
    raw = with_bom(
        "Hello,\n\nplease quote the parts in the attached BOM for a build of 250 controller "
        "boards. Quantities are per board.\n\nRegards, Markus"
    )
    # Then each part of ours is a line at its count per board times 250, and the capacitor we
    # do not sell is no line
    assert lines_of(raw, catalog) == [
        ("HX-2040", Decimal(1000), True),
        ("WS-0810", Decimal(2000), True),
    ]


def test_a_bom_without_a_number_of_boards_gives_no_sure_line(catalog: Catalog) -> None:
    raw = with_bom("Hello,\n\nplease quote the parts in the attached BOM.\n\nRegards, Markus")
    assert lines_of(raw, catalog) == [
        ("HX-2040", Decimal(4), False),
        ("WS-0810", Decimal(8), False),
    ]


def test_a_mail_naming_two_numbers_of_boards_gives_no_sure_line(catalog: Catalog) -> None:
    raw = with_bom("Please quote the attached BOM for 100 boards and for 500 boards.")
    assert [sure for _sku, _qty, sure in lines_of(raw, catalog)] == [False, False]
