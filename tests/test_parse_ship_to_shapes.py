"""Delivery addresses in the shapes customers write them, English and Chinese, plain and
HTML: a labelled block, a delivery verb, a consignee's block, a column beside the billing
one, an address ending at a contact line, and references to an address on file (none)."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest

from mailroom.parsers import parse_mail
from mailroom.parsers.address import ship_to
from tests.golden import fixture_catalog
from tests.pdf_samples import text_pdf

TEXTS = [
    (
        "Hi,\nShip to:\nBlueWave Marine Ltd\nUnit 3, 45 Harbour Road\nPoole BH15 4AJ\n"
        "United Kingdom\n\nPlease confirm.",
        "BlueWave Marine Ltd\nUnit 3, 45 Harbour Road\nPoole BH15 4AJ\nUnited Kingdom",
    ),
    (
        "Deliver to: Westfield Tools, 9 Canal Street, Manchester M1 3HE",
        "Westfield Tools, 9 Canal Street, Manchester M1 3HE",
    ),
    (
        "收货地址：江苏省苏州市吴中区东吴北路88号\n3号楼一楼仓库\n收货人：王先生 13912345678",
        "江苏省苏州市吴中区东吴北路88号\n3号楼一楼仓库",
    ),
    (
        "送货地址：浙江省杭州市余杭区文一西路998号，电话0571-88886666",
        "浙江省杭州市余杭区文一西路998号",
    ),
    (
        "收货人：李明\n电话：13800001111\n地址：广东省东莞市长安镇振安路12号\n\n谢谢",
        "广东省东莞市长安镇振安路12号",
    ),
    (
        "Bill To:                    Ship To:\n"
        "Acme Ltd                    Acme Ltd - Warehouse\n"
        "1 Main Street               22 Dock Road\n"
        "Springfield IL 62701        Joliet IL 60431\n",
        "Acme Ltd - Warehouse\n22 Dock Road\nJoliet IL 60431",
    ),
    (
        "Delivery address:\nNordic Pumps AB\nVerkstadsgatan 7\n417 05 Göteborg\n"
        "Contact: Erik Lund +46 31 555 0101",
        "Nordic Pumps AB\nVerkstadsgatan 7\n417 05 Göteborg",
    ),
    (
        "Please deliver them to 18 Mill Lane, Leeds LS1 4AB by Friday.",
        "18 Mill Lane, Leeds LS1 4AB",
    ),
    ("Ship to: same as last order.", None),
    ("Delivery address: as per our last PO 4471.", None),
    ("收货地址跟上次一样。", None),
    ("送货地址：同上次订单（PO 2231）", None),
]


@pytest.mark.parametrize(("text", "want"), TEXTS)
def test_the_delivery_address_of_a_text(text: str, want: str | None) -> None:
    assert ship_to(text) == want


def _html_order(html: str) -> bytes:
    msg = EmailMessage()
    msg["From"], msg["To"] = "purchasing@acme-industrial.com", "orders@kaiyuan-parts.com"
    msg["Subject"] = "PO AC-9912"
    msg.set_content(html, subtype="html")
    return msg.as_bytes()


HTMLS = [
    (
        "<p>Please supply HX-2050 hex bolts, 5000 pcs, PO AC-9912.</p>"
        "<p><b>Ship To:</b><br>Kestrel Robotics Inc.<br>4100 Innovation Dr, Suite 200<br>"
        "Austin, TX 78728</p><p>Thanks</p>",
        "Kestrel Robotics Inc.\n4100 Innovation Dr, Suite 200\nAustin, TX 78728",
    ),
    (
        "<p>PO AC-9912: HX-2050 hex bolts 5000 pcs.</p>"
        "<table><tr><th>Bill To</th><th>Ship To</th></tr>"
        "<tr><td>Acme Ltd<br>1 Main St<br>Springfield IL 62701</td>"
        "<td>Acme DC<br>80 Depot Rd<br>Joliet IL 60431</td></tr></table>",
        "Acme DC\n80 Depot Rd\nJoliet IL 60431",
    ),
    (
        "<div>订单 AC-9912：六角螺栓 M10x50 5000个</div>"
        "<div>送货地址：上海市浦东新区张江路100号</div><div>联系人：赵工 13600001111</div>",
        "上海市浦东新区张江路100号",
    ),
]


@pytest.mark.parametrize(("html", "want"), HTMLS)
def test_the_delivery_address_of_an_html_order(html: str, want: str, tmp_path: Path) -> None:
    parsed = parse_mail(_html_order(html), fixture_catalog(tmp_path))
    assert parsed.intent == "order"
    assert parsed.ship_to == want


def test_a_revised_po_restating_its_ship_to_changes_no_address(tmp_path: Path) -> None:
    # Given a change of our order with the revised PO attached, which prints its Ship To again
    document = text_pdf(
        "PURCHASE ORDER AC-5120 REV 2",
        "Ship To:",
        "Acme Industrial Supply Inc.",
        "1200 Harbor Blvd",
        "Long Beach CA 90802",
        "",
        "Item   Description   Qty",
        "HX-2050   Hex Bolt M10x50   8000",
    )
    msg = EmailMessage()
    msg["From"], msg["To"] = "purchasing@acme-industrial.com", "orders@kaiyuan-parts.com"
    msg["Subject"] = "PO AC-5120 rev 2"
    msg.set_content(
        "Hello,\n\nattached is revision 2 of PO AC-5120 (your SO-2026-00377): the M10 bolts "
        "go from 5000 to 8000 pcs. Nothing else changes.\n"
    )
    msg.add_attachment(document, maintype="application", subtype="pdf", filename="AC-5120.pdf")
    parsed = parse_mail(msg.as_bytes(), fixture_catalog(tmp_path))
    # Then it changes the order, and the address it restates is no new one
    assert parsed.intent == "order_change"
    assert parsed.ship_to is None


def test_a_neighbouring_boxs_field_set_between_the_name_and_the_street_is_passed_over() -> None:
    # Given a PDF form's text, where the box beside the address put its field after the name
    text = (
        "Ship-to address:    Harbour Tools Ltd\n"
        "Payment terms:      NET 30\n"
        "Goods In, Gate 2\n"
        "12 Quay Street\n"
        "Cork T12 AB34\n"
        "Ireland\n"
        "Pos   Item   Description   Qty\n"
    )
    # Then the address goes on below it
    assert (
        ship_to(text)
        == "Harbour Tools Ltd\nGoods In, Gate 2\n12 Quay Street\nCork T12 AB34\nIreland"
    )
    # But a field after an address written out ends it
    assert ship_to("Ship to: 12 Quay Street, Cork\nPayment terms: NET 30\nGate 2") == (
        "12 Quay Street, Cork"
    )


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "收货信息：\n姓名：张伟\n电话：13800001111\n地址：北京市朝阳区建国路88号\n\n谢谢",
            "北京市朝阳区建国路88号",
        ),
        (
            "Ship to:\nName: John Smith\nPhone: 555-0101\nAddress: 45 Elm Street, Dayton OH 45402",
            "45 Elm Street, Dayton OH 45402",
        ),
        (
            "Deliver to:\nHarbour Tools\n12 Quay St\nCork\nreceiving@harbourtools.ie\n",
            "Harbour Tools\n12 Quay St\nCork",
        ),
    ],
)
def test_the_address_line_of_a_labelled_recipients_block(text: str, want: str) -> None:
    assert ship_to(text) == want
