"""Our documents through Dovecot and the SMTP sink: filed as they go out, invoice and packing
list issued once when an order ships, read back with pdfplumber."""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from click.testing import CliRunner
from sqlalchemy import select

from mailroom.cli import main
from mailroom.orders import status
from store import documents as store
from store import orders
from store.documents import Document
from store.orders import SHIPPED
from store.quotes import Quote
from tests.shop import Shop, expected_price, in_days, money, pdfs
from tests.support import mail

ACME = "john.miller@acme-industrial.com"
HUAXIN = "zhang.min@huaxin-elec.cn"


@pytest.fixture
def shop(dovecot: Any, smtp_sink: Any, database_url: str, tmp_path: Path) -> Iterator[Shop]:
    yield Shop.open(dovecot, smtp_sink, tmp_path, database_url)


def acme_order(po: str = "AC-4100") -> bytes:
    return mail(
        ACME,
        f"Purchase order {po}",
        f"Hello,\n\nPlease supply the following under our purchase order {po}:\n\n"
        "1. HX-2040 Hex Bolt M8x40 - 5000 pcs\n2. BR-6204 Ball Bearing 6204-2RS - 600 pcs\n\n"
        f"Requested delivery date: {in_days(30)}\n\nBest regards,\nJohn",
    )


def filed(shop: Shop) -> list[Document]:
    return shop.query(lambda s: list(s.scalars(select(Document).order_by(Document.id))))  # type: ignore[no-any-return]


def attached(message: EmailMessage) -> dict[str, tuple[bytes, str]]:
    """Each PDF of a message by file name: its bytes and its text as pdfplumber reads it."""
    found = {}
    for part in pdfs(message):
        content = part.get_content()
        with pdfplumber.open(io.BytesIO(content)) as pdf:
            text = "\n".join(page.extract_text() or "" for page in pdf.pages)
        found[part.get_filename() or ""] = (content, text)
    return found


def ship(shop: Shop, number: str) -> None:
    def move(runtime: Any) -> None:
        with runtime.work() as work:
            found = orders.by_number(work.session, number)
            status.move(runtime, work, found, SHIPPED, actor="anna", tracking="1Z999AA10123456784")

    shop.with_runtime(move)


def test_the_confirmation_we_send_is_filed_as_a_generated_document_of_its_order(shop: Shop):
    # When a clean order is confirmed
    shop.run(acme_order())

    # Then the confirmation PDF John got is filed, byte for byte, as the order's confirmation
    (order,) = shop.orders()
    (reply,) = shop.sent_to(ACME)
    ((name, (content, _text)),) = attached(reply).items()
    (document,) = filed(shop)
    assert (document.kind, document.direction) == ("confirmation", "generated")
    assert document.order_id == order.id and document.number == order.number
    assert document.filename == name and document.sha256 == store.sha256(content)


def test_shipping_issues_one_invoice_and_one_packing_list_attached_to_the_shipped_email(
    shop: Shop,
):
    # Given a confirmed order
    shop.run(acme_order())
    (order,) = shop.orders()

    # When it is marked shipped, and by mistake marked shipped again
    ship(shop, order.number)
    ship(shop, order.number)
    shop.run()

    # Then John got one shipped email carrying the invoice and the packing list
    (notice,) = [m for m in shop.sent_to(ACME) if "shipped" in str(m["Subject"]).lower()]
    year = order.number.split("-")[1]
    files = attached(notice)
    assert sorted(files) == [f"INV-{year}-00001.pdf", f"PL-{year}-00001.pdf"]
    # And the invoice names the order and PO, every line with its price, and the total
    _content, invoice = files[f"INV-{year}-00001.pdf"]
    assert "Invoice" in invoice and order.number in invoice and "AC-4100" in invoice
    total = 0
    for sku, quantity in {"HX-2040": 5000, "BR-6204": 600}.items():
        unit, amount = expected_price(sku, quantity, "C-ACME")
        row = next(line for line in invoice.splitlines() if sku in line)
        assert money(unit) in row and money(amount) in row, row
        total += amount
    assert money(total) in invoice
    # And the packing list has the quantities but no prices
    _content, packing = files[f"PL-{year}-00001.pdf"]
    assert "Packing List" in packing and "5,000" in packing and "600" in packing
    assert money(expected_price("HX-2040", 5000, "C-ACME")[1]) not in packing
    # And each is filed once, numbered, as a generated document of the order
    issued = {d.kind: d for d in filed(shop) if d.kind in ("invoice", "packing_list")}
    assert issued["invoice"].number == f"INV-{year}-00001" and issued["invoice"].version == 1
    assert issued["packing_list"].number == f"PL-{year}-00001"
    assert {d.order_id for d in issued.values()} == {order.id}
    assert len([d for d in filed(shop) if d.kind in ("invoice", "packing_list")]) == 2


def test_a_chinese_customers_invoice_is_in_chinese(shop: Shop):
    # Given Huaxin's confirmed order, in Chinese
    shop.run(
        mail(
            HUAXIN,
            "采购订单 HX20261202",
            "您好，\n\n请按以下订单发货，订单号：HX20261202\n\n"
            "CN-M12A4 M12 四芯A型公头连接器 500个\n\n"
            f"交货日期：{in_days(30)}\n\n谢谢！\n张敏",
        )
    )
    (order,) = shop.orders()

    # When it ships
    ship(shop, order.number)
    shop.run()

    # Then the invoice and packing list are Chinese documents
    (notice,) = [m for m in shop.sent_to(HUAXIN) if m is not shop.sent_to(HUAXIN)[0]]
    texts = {name: text for name, (_c, text) in attached(notice).items()}
    invoice = next(text for name, text in texts.items() if name.startswith("INV-"))
    packing = next(text for name, text in texts.items() if name.startswith("PL-"))
    assert "发票" in invoice and "HX20261202" in invoice
    assert "装箱单" in packing


def test_the_quote_we_send_is_filed_as_a_generated_document_of_the_quote(shop: Shop):
    # When John asks for a quote and gets one
    shop.run(mail(ACME, "RFQ bolts", "Hello,\n\nplease quote HX-2040 x 8000 pcs.\n\nJohn"))

    # Then the quote PDF he got is filed as the quote's document
    quote = shop.query(lambda s: s.scalar(select(Quote)))
    (reply,) = shop.sent_to(ACME)
    ((name, (content, _text)),) = attached(reply).items()
    (document,) = filed(shop)
    assert (document.kind, document.quote_id, document.number) == ("quote", quote.id, quote.number)
    assert document.sha256 == store.sha256(content) and name == f"{quote.number}.pdf"


def test_the_documents_commands_list_show_and_get_the_same_bytes(shop: Shop, tmp_path: Path):
    # Given a shipped order: its confirmation, invoice and packing list are filed
    shop.run(acme_order("AC-4105"))
    (order,) = shop.orders()
    ship(shop, order.number)
    env = {"MAILROOM_HOME": str(tmp_path), "MAILROOM_DATABASE_URL": shop.database_url}
    runner = CliRunner()

    # When a script lists the order's documents and gets the invoice
    listed = runner.invoke(main, ["documents", "list", "--order", order.number, "--json"], env=env)
    rows = json.loads(listed.output)
    (invoice,) = [row for row in rows if row["kind"] == "invoice"]
    target = tmp_path / "invoice.pdf"
    got = runner.invoke(main, ["documents", "get", str(invoice["id"]), "-o", str(target)], env=env)
    shown = runner.invoke(main, ["documents", "show", str(invoice["id"])], env=env)
    people = runner.invoke(main, ["documents", "list"], env=env)
    missing = runner.invoke(main, ["documents", "get", "999"], env=env)

    # Then the listing has the three documents of the order, and `get` wrote the very bytes
    # filed (the SHA-256 `show` prints)
    assert listed.exit_code == 0 and got.exit_code == 0, (listed.output, got.output)
    assert sorted(row["kind"] for row in rows) == ["confirmation", "invoice", "packing_list"]
    assert {row["order_number"] for row in rows} == {order.number}
    assert hashlib.sha256(target.read_bytes()).hexdigest() == invoice["sha256"]
    assert f"sha256: {invoice['sha256']}" in shown.output
    assert invoice["number"] in people.output and order.number in people.output
    assert missing.exit_code == 1 and "there is no document 999" in missing.output


def test_a_revised_confirmation_is_version_2_of_the_orders_confirmation(shop: Shop):
    # Given a confirmed order
    shop.run(acme_order("AC-4106"))
    (order,) = shop.orders()

    # When John changes the quantity and the change is confirmed
    shop.run(
        mail(
            ACME,
            f"Change to order {order.number}",
            f"Hello,\n\nplease change the quantity on our order {order.number}:\n\n"
            "1. HX-2040 Hex Bolt M8x40 - 8000 pcs\n"
            "2. BR-6204 Ball Bearing 6204-2RS - 600 pcs\n\nThanks,\nJohn",
        )
    )

    # Then both confirmations are filed under the order's number, the revision as version 2,
    # each the PDF John got
    confirmations = [d for d in filed(shop) if d.kind == "confirmation"]
    assert [(d.number, d.version) for d in confirmations] == [(order.number, 1), (order.number, 2)]
    sent = [attached(m) for m in shop.sent_to(ACME)]
    names = [d.filename for d in confirmations]
    assert names == [order.number + ".pdf", order.number + "-R2.pdf"]
    assert store.sha256(sent[-1][names[1]][0]) == confirmations[1].sha256
