"""Received documents through Dovecot and the SMTP sink: filed once, versioned, cross-checked."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import pytest
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer
from sqlalchemy import select

from mailroom import queue
from mailroom.orders import status
from store import documents as store
from store import orders
from store.documents import Document
from store.holds import OPEN, HeldItem
from store.mail import Mail
from store.orders import CONFIRMED, IN_PRODUCTION
from store.quotes import Quote
from tests.pdf_samples import _build, _ruled, chinese_po, po_table_rows
from tests.shop import Shop, expected_price, in_days
from tests.support import mail

ACME = "john.miller@acme-industrial.com"


@pytest.fixture
def shop(dovecot: Any, smtp_sink: Any, database_url: str, tmp_path: Path) -> Iterator[Shop]:
    yield Shop.open(dovecot, smtp_sink, tmp_path, database_url)


def po_pdf(po: str, lines: dict[str, int], *, prices: dict[str, Decimal], days: int = 30) -> bytes:
    """Acme's PO as a PDF: a titled form with a ruled table of lines and a total line."""
    styles = getSampleStyleSheet()
    rows = [(sku, sku, quantity, prices[sku]) for sku, quantity in lines.items()]
    total = sum((Decimal(q) * p for _sku, _d, q, p in rows), Decimal(0))
    table = po_table_rows(rows, ["SKU", "Description", "Qty", "Unit Price (USD)", "Amount"])
    story = [
        Paragraph("PURCHASE ORDER", styles["Title"]),
        Paragraph(f"PO Number: {po}", styles["Normal"]),
        Paragraph(f"Requested delivery date: {in_days(days)}", styles["Normal"]),
        Spacer(1, 6 * mm),
        _ruled(table),
        Paragraph(f"Total USD {total:,.2f}", styles["Normal"]),
    ]
    return _build(story)


def our_prices(lines: dict[str, int]) -> dict[str, Decimal]:
    return {sku: expected_price(sku, quantity, "C-ACME")[0] for sku, quantity in lines.items()}


def with_pdf(raw: bytes, content: bytes, filename: str) -> bytes:
    message = message_from_bytes(raw, policy=policy.default)
    message.add_attachment(content, maintype="application", subtype="pdf", filename=filename)
    return message.as_bytes()


def po_mail(po: str, pdf: bytes, subject: str | None = None, text: str | None = None) -> bytes:
    body = text or f"Hello,\n\nplease find attached our purchase order {po}.\n\nBest regards,\nJohn"
    return with_pdf(mail(ACME, subject or f"Purchase order {po}", body), pdf, f"{po}.pdf")


def filed(shop: Shop) -> list[Document]:
    """The documents we received (our own confirmations are filed too, as generated)."""
    query = select(Document).where(Document.direction == "received").order_by(Document.id)
    return shop.query(lambda s: list(s.scalars(query)))  # type: ignore[no-any-return]


def open_items(shop: Shop) -> list[HeldItem]:
    query = select(HeldItem).where(HeldItem.status == OPEN).order_by(HeldItem.id)
    return shop.query(lambda s: list(s.scalars(query)))  # type: ignore[no-any-return]


def test_an_order_po_pdf_is_filed_once_with_its_order_and_checked(shop: Shop) -> None:
    # Given Acme's PO as a PDF, priced as we price it
    lines = {"HX-2040": 5000, "BR-6204": 600}
    pdf = po_pdf("AC-3100", lines, prices=our_prices(lines))

    # When the service runs on the mail carrying it
    shop.run(po_mail("AC-3100", pdf))

    # Then the order is confirmed and the PO is filed once: a purchase order of that order,
    # its bytes as sent, checked against the order without a difference
    (order,) = shop.orders()
    assert order.status == CONFIRMED, order.reasons
    (document,) = filed(shop)
    assert (document.kind, document.direction, document.state) == (
        "purchase_order",
        "received",
        "filed",
    )
    assert document.order_id == order.id and document.customer_id == "C-ACME"
    assert document.number == "AC-3100" and document.version == 1
    assert document.sha256 == store.sha256(pdf) and document.check_status == "checked"
    assert open_items(shop) == []


def test_a_mail_processed_twice_files_its_po_once(shop: Shop) -> None:
    # Given a PO mail the service has worked
    lines = {"HX-2040": 5000}
    shop.run(po_mail("AC-3101", po_pdf("AC-3101", lines, prices=our_prices(lines))))
    mail_id = shop.query(lambda s: s.scalar(select(Mail.id)))

    # When intake and filing run again for it (a redelivered broker message, a clerk's retry)
    def again(runtime: Any) -> None:
        from mailroom.actions.documents import documents_file
        from mailroom.actions.intake import mail_received

        with runtime.work() as work:
            work.session.get(Mail, mail_id).stage = "stored"
        mail_received(mail_id)
        with runtime.work() as work:
            work.session.get(Mail, mail_id).stage = "done"
        documents_file(mail_id)

    shop.with_runtime(again)

    # Then there is still one document
    assert len(filed(shop)) == 1


def test_a_revised_po_is_version_2_of_the_same_po_number(shop: Shop) -> None:
    # Given a confirmed order from a PO PDF
    lines = {"HX-2040": 5000}
    shop.run(po_mail("AC-3102", po_pdf("AC-3102", lines, prices=our_prices(lines))))
    (order,) = shop.orders()

    # When Acme sends the revised PO (more bolts) as a change to our order
    revised = {"HX-2040": 8000}
    text = (
        f"Hello,\n\nplease change our order {order.number}: revised PO AC-3102 attached, "
        "HX-2040 Hex Bolt M8x40 - 8000 pcs.\n\nThanks,\nJohn"
    )
    change = po_pdf("AC-3102", revised, prices=our_prices(revised))
    shop.run(po_mail("AC-3102", change, f"Change to order {order.number}", text))

    # Then the revision is version 2 of PO AC-3102, filed with the same order
    first, second = filed(shop)
    assert (first.number, first.version) == ("AC-3102", 1)
    assert (second.number, second.version) == ("AC-3102", 2)
    assert second.order_id == order.id and second.sha256 == store.sha256(change)


def test_a_revised_po_the_order_cannot_take_is_held_with_both_values(shop: Shop) -> None:
    # Given an order confirmed from Acme's PO, now in production
    lines = {"HX-2040": 5000}
    shop.run(po_mail("AC-3103", po_pdf("AC-3103", lines, prices=our_prices(lines))))
    (order,) = shop.orders()

    def produce(runtime: Any) -> None:
        with runtime.work() as work:
            found = orders.by_number(work.session, order.number)
            status.move(runtime, work, found, IN_PRODUCTION, actor="anna")

    shop.with_runtime(produce)

    # When a revised PO for more bolts arrives, too late to change the order by mail
    revised = {"HX-2040": 8000}
    text = (
        f"Hello,\n\nplease change our order {order.number}: revised PO AC-3103 attached, "
        "HX-2040 Hex Bolt M8x40 - 8000 pcs.\n\nThanks,\nJohn"
    )
    pdf = po_pdf("AC-3103", revised, prices=our_prices(lines))
    shop.run(po_mail("AC-3103", pdf, f"Change to order {order.number}", text))

    # Then the revised PO is held for a clerk, each difference with the document's value and
    # the order's side by side
    revision = filed(shop)[-1]
    assert revision.version == 2 and revision.check_status == "differs"
    (item,) = [i for i in open_items(shop) if i.kind == "document"]
    messages = {r["rule"]: r["message"] for r in item.reasons}
    assert "the document says 8,000, the order 5,000" in messages["document-quantity"]
    assert "document-total" in messages
    assert item.ref == order.number
    assert "8,000" in (item.detail or "") and "5,000" in (item.detail or "")


def test_documents_left_pending_by_a_lost_message_are_filed_by_the_next_run(shop: Shop) -> None:
    # Given a PO mail worked, whose filing step was lost (its documents still pending)
    lines = {"HX-2040": 5000}
    shop.run(po_mail("AC-3104", po_pdf("AC-3104", lines, prices=our_prices(lines))))

    def lose(session: Any) -> None:
        for document in session.scalars(select(Document).where(Document.direction == "received")):
            document.state, document.order_id, document.check_status = "pending", None, None
            document.owner = f"customer:{document.customer_id}"

    shop.query(lose)

    # When the service runs again (its start sweeps what a crash left)
    shop.run()

    # Then the PO is filed with its order and checked
    (order,) = shop.orders()
    (document,) = filed(shop)
    assert document.state == "filed" and document.order_id == order.id
    assert document.check_status == "checked"


def contract_pdf(quote_number: str, po: str, quantity: int, price: Decimal) -> bytes:
    """A signed sales contract (购销合同) on our quote: one line, its total, the buyer's PO."""
    styles = getSampleStyleSheet()
    table = po_table_rows(
        [("HX-2040", "HX-2040", quantity, price)],
        ["SKU", "Description", "Qty", "Unit Price (USD)", "Amount"],
    )
    story = [
        Paragraph("SALES CONTRACT", styles["Title"]),
        Paragraph(f"Contract on quotation {quote_number}", styles["Normal"]),
        Paragraph(f"PO Number: {po}", styles["Normal"]),
        Spacer(1, 6 * mm),
        _ruled(table),
        Paragraph(f"Total USD {quantity * price:,.2f}", styles["Normal"]),
        Paragraph("Signed for the buyer: John Miller", styles["Normal"]),
    ]
    return _build(story)


def test_a_signed_contract_is_filed_with_the_quote_and_order_and_its_difference_held(
    shop: Shop,
) -> None:
    # Given John has our quote for 8,000 bolts
    shop.run(mail(ACME, "RFQ bolts", "Hello,\n\nplease quote HX-2040 x 8000 pcs.\n\nJohn"))
    (quote_mail,) = shop.sent_to(ACME)
    quote = shop.query(lambda s: s.scalar(select(Quote)))
    price = quote.lines[0].unit_price

    # When he accepts it, sending back the contract signed, but for 9,000
    reply = mail(
        ACME,
        f"Re: {quote_mail['Subject']}",
        "Hi,\n\nwe accept your quotation, please proceed. The signed contract is attached.\n"
        "Our PO number is PO-7790.\n\nJohn",
        In_Reply_To=str(quote_mail["Message-ID"]),
        References=str(quote_mail["Message-ID"]),
    )
    shop.run(with_pdf(reply, contract_pdf(quote.number, "PO-7790", 9000, price), "contract.pdf"))

    # Then the contract is filed with the quote and the order made from it, and the
    # quantity it says is held beside the order's
    (order,) = shop.orders()
    (contract,) = filed(shop)
    assert contract.kind == "contract" and contract.quote_id == quote.id
    assert contract.order_id == order.id and contract.check_status == "differs"
    (item,) = [i for i in open_items(shop) if i.kind == "document"]
    messages = {r["rule"]: r["message"] for r in item.reasons}
    assert "the document says 9,000, the order 8,000" in messages["document-quantity"]

    # And a clerk accepting the difference marks the contract checked
    def accept(runtime: Any) -> None:
        queue.accept(runtime, item.id, "anna", note="the customer confirmed 8,000 by phone")

    shop.with_runtime(accept)
    (contract,) = filed(shop)
    assert contract.check_status == "checked" and "anna" in (contract.check_note or "")


def test_a_chinese_po_is_filed_as_a_purchase_order_and_a_photo_as_a_photo(shop: Shop) -> None:
    # Given Huaxin's order mail carrying its 采购订单 as a PDF and a photo of the label wanted
    price = expected_price("CN-M12A4", 500, "C-HUAXIN")[0]
    po = chinese_po([("CN-M12A4", "M12 四芯A型公头连接器", 500, price)], "CG-2026-131")
    raw = with_pdf(
        mail(
            "zhang.min@huaxin-elec.cn",
            "采购订单 CG-2026-131",
            "您好，\n\n附件是我司采购订单 CG-2026-131，请确认。\n\n张敏",
        ),
        po,
        "采购订单CG-2026-131.pdf",
    )
    message = message_from_bytes(raw, policy=policy.default)
    message.add_attachment(
        b"\x89PNG\r\n\x1a\n" + bytes(64), maintype="image", subtype="png", filename="label.png"
    )

    # When the service runs
    shop.run(message.as_bytes())

    # Then the PO is filed as Huaxin's purchase order under its number, the photo as a photo
    kinds = {d.kind: d for d in filed(shop)}
    assert sorted(kinds) == ["photo", "purchase_order"]
    assert kinds["purchase_order"].number == "CG-2026-131"
    assert kinds["purchase_order"].filename == "采购订单CG-2026-131.pdf"
    assert {d.customer_id for d in kinds.values()} == {"C-HUAXIN"}
    (order,) = shop.orders()
    assert order.po_number == "CG-2026-131"
    assert {d.order_id for d in kinds.values()} == {order.id}


def test_a_filing_step_that_keeps_failing_lands_in_the_clerks_queue(
    shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given the settling of documents breaks (a bug, a store that refuses the row)
    def broken(*_args: Any) -> None:
        raise RuntimeError("the document store refused the row")

    monkeypatch.setattr("mailroom.documents.filing.settle", broken)
    lines = {"HX-2040": 5000}

    # When a PO mail is worked (the run ends: nothing waits for ever)
    shop.run(po_mail("AC-3105", po_pdf("AC-3105", lines, prices=our_prices(lines))))

    # Then the order was still answered, the PO is kept (marked failed, its bytes filed) and
    # the failed job waits for a clerk with the reason
    (order,) = shop.orders()
    assert order.status == CONFIRMED
    (document,) = filed(shop)
    assert document.state == "failed" and document.sha256
    (item,) = [i for i in open_items(shop) if i.kind == "job"]
    assert "documents.file failed" in item.reasons[0]["message"]
    assert "refused the row" in item.reasons[0]["message"]
