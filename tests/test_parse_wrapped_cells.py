"""A spreadsheet cell typed with line breaks (Alt+Enter): an address beside its label is read
as the block a form prints, an item's wrapped description stays in its row, and the form's
next row is not part of the address."""

from __future__ import annotations

import io
from email.message import EmailMessage

import openpyxl
import pytest

from mailroom.parsers import parse_mail
from mailroom.parsers.attachments import read_attachment
from mailroom.parsers.catalog import Catalog
from tests.golden import fixture_catalog

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _workbook(rows: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


FORM = [
    ["Purchase Order", "PO-77120"],
    ["Deliver to", "Nordtek Automation GmbH\nWerk 3 - Tor 2\nLindenstrasse 8\n70563 Stuttgart"],
    ["Payment terms", "NET 45"],
    ["Freight", "FCA Shenzhen"],
    [],
    ["Item", "Description", "Qty", "Unit price"],
    ["RL-24V2C", "Relay 24VDC\nDPDT plug-in", 400, 2.5],
    ["FU-5X20T2", "Fuse 5x20\n2A slow", 5000, 0.04],
]


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    return fixture_catalog(tmp_path_factory.mktemp("wrapped"))


def test_a_wrapped_cell_beside_its_label_is_a_block_and_item_rows_stay_rows() -> None:
    content = read_attachment("po.xlsx", XLSX, _workbook(FORM))

    assert "Deliver to\nNordtek Automation GmbH\nWerk 3 - Tor 2\n" in content.text
    assert "RL-24V2C | Relay 24VDC DPDT plug-in | 400 | 2.5" in content.text
    # the tables the line reader works on hold each cell on one line
    assert ["RL-24V2C", "Relay 24VDC DPDT plug-in", "400", "2.5"] in content.tables[0]


def test_a_csv_cell_with_line_breaks_is_read_the_same_way() -> None:
    payload = (
        b'Ship to,"Acme Industrial Supply Inc.\nBuilding C\n1200 Harbor Blvd"\n'
        b"Currency,USD\nSKU,Qty\nHX-2040,5000\n"
    )

    content = read_attachment("po.csv", "text/csv", payload)

    assert "Ship to\nAcme Industrial Supply Inc.\nBuilding C\n1200 Harbor Blvd\n" in content.text
    assert ["Ship to", "Acme Industrial Supply Inc. Building C 1200 Harbor Blvd"] in (
        content.tables[0]
    )


def test_the_address_ends_where_the_forms_next_row_begins(catalog: Catalog) -> None:
    msg = EmailMessage()
    msg["From"], msg["To"] = "einkauf@nordtek.de", "orders@kaiyuan-parts.com"
    msg["Subject"], msg["Date"] = "PO-77120", "Mon, 07 Dec 2026 09:00:00 +0100"
    msg.set_content("Please find our purchase order attached.\n\nRegards, Anna Vogel")
    msg.add_attachment(
        _workbook(FORM),
        maintype=XLSX.split("/")[0],
        subtype=XLSX.split("/")[1],
        filename="PO-77120.xlsx",
    )

    parsed = parse_mail(msg.as_bytes(), catalog)

    assert parsed.ship_to == (
        "Nordtek Automation GmbH\nWerk 3 - Tor 2\nLindenstrasse 8\n70563 Stuttgart"
    )
    assert [(line.sku, line.quantity) for line in parsed.lines] == [
        ("RL-24V2C", 400),
        ("FU-5X20T2", 5000),
    ]
