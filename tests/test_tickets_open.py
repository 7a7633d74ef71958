"""After-sales mail opens a ticket linked to its order, acknowledged once with its number;
mail in the ticket's thread joins it; what is uncertain is held for a clerk."""

from __future__ import annotations

from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from mailroom import queue
from mailroom.actions.aftersales import open_ticket
from mailroom.errors import QueueError
from mailroom.orders import status
from store import orders as orders_store
from store.holds import OPEN, HeldItem
from store.mail import Mail
from store.orders import DELIVERED, SHIPPED
from store.tickets import INBOUND, NOTE, Ticket
from tests.shop import Shop, body, in_days
from tests.support import mail

ACME = "john.miller@acme-industrial.com"


@pytest.fixture
def shop(dovecot: Any, smtp_sink: Any, database_url: str, tmp_path: Path) -> Iterator[Shop]:
    yield Shop.open(dovecot, smtp_sink, tmp_path, database_url)


def delivered_order(shop: Shop, po: str = "AC-900", sender: str = ACME) -> str:
    """A confirmed order of `sender`'s customer, shipped and delivered; returns its number."""
    shop.run(
        mail(
            sender,
            f"Purchase order {po}",
            f"Hello,\n\nPlease supply the following under our purchase order {po}:\n\n"
            f"1. HX-2040 Hex Bolt M8x40 - 5000 pcs\n\nRequested delivery date: {in_days(30)}\n\n"
            "Best regards,\nJohn",
        )
    )
    number = shop.orders()[-1].number

    def deliver(runtime: Any) -> None:
        with runtime.work() as work:
            order = orders_store.by_number(work.session, number)
            status.move(runtime, work, order, SHIPPED, actor="anna")
            status.move(runtime, work, order, DELIVERED, actor="anna")

    shop.with_runtime(deliver)
    shop.run()
    return number


def tickets(shop: Shop) -> list[Ticket]:
    def load(session: Any) -> list[Ticket]:
        found = list(session.scalars(select(Ticket).order_by(Ticket.id)))
        for ticket in found:
            _ = list(ticket.messages)
        return found

    return shop.query(load)  # type: ignore[no-any-return]


def ticket_holds(shop: Shop) -> list[HeldItem]:
    query = select(HeldItem).where(HeldItem.status == OPEN, HeldItem.kind == "ticket")
    return shop.query(lambda s: list(s.scalars(query.order_by(HeldItem.id))))  # type: ignore[no-any-return]


def acknowledgements(shop: Shop, address: str) -> list[EmailMessage]:
    return [m for m in shop.sent_to(address) if "TK-" in str(m["Subject"])]


SHORT = (
    "Hello,\n\nwe received the goods for PO AC-900 today, but the delivery was short shipped: "
    "only 4800 pcs of HX-2040 arrived, 200 pcs are missing.\n\nPlease send the missing "
    "quantity.\n\nBest regards,\nJohn"
)


def test_a_short_shipment_opens_one_ticket_on_its_order_acknowledged_once(shop: Shop) -> None:
    # Given a delivered order of Acme
    number = delivered_order(shop)
    complaint = mail(ACME, "Short delivery PO AC-900", SHORT)

    # When John writes that 200 pieces are missing, the mail is delivered twice, and the
    # step that opens tickets runs once more on it (a redelivered broker message)
    shop.run(complaint)
    shop.run(complaint)
    mail_id = shop.query(lambda s: s.scalars(select(Mail.id).order_by(Mail.id.desc())).first())
    shop.with_runtime(lambda runtime: open_ticket.fn(mail_id))
    shop.run()

    # Then one ticket is open, a short shipment on that order, with the missing line
    (ticket,) = tickets(shop)
    (order,) = shop.orders()
    assert (ticket.kind, ticket.order_id, ticket.customer_id) == (
        "short_shipment",
        order.id,
        "C-ACME",
    )
    assert order.number == number
    assert ticket.lines == [{"sku": "HX-2040", "quantity": "200"}]
    assert ticket.first_response_due > ticket.created_at
    # And John got one acknowledgement with the ticket number and the order
    (ack,) = acknowledgements(shop, ACME)
    assert ticket.number in str(ack["Subject"])
    text = body(ack)
    assert ticket.number in text and number in text and "HX-2040: 200" in text
    # And nothing is held: the ticket is certain
    assert ticket_holds(shop) == []


def test_a_reply_in_the_thread_is_added_to_the_ticket(shop: Shop) -> None:
    # Given an open ticket and our acknowledgement of it
    delivered_order(shop)
    shop.run(mail(ACME, "Short delivery PO AC-900", SHORT))
    (ack,) = acknowledgements(shop, ACME)

    # When John answers in its thread with more detail
    shop.run(
        mail(
            ACME,
            f"Re: {ack['Subject']}",
            "Hello,\n\nthe missing 200 pcs of HX-2040 were also not on the packing list. "
            "The damaged carton photo is attached.\n\nJohn",
            In_Reply_To=str(ack["Message-ID"]),
            References=str(ack["Message-ID"]),
        )
    )

    # Then no second ticket is opened: the reply is the ticket's second inbound message
    (ticket,) = tickets(shop)
    inbound = [m for m in ticket.messages if m.direction == INBOUND]
    assert len(inbound) == 2
    assert "packing list" in inbound[1].text
    # And John hears the reply was added to the same ticket
    replies = acknowledgements(shop, ACME)
    assert len(replies) == 2
    assert ticket.number in body(replies[1]) and "added" in body(replies[1])


def test_the_ticket_number_in_the_subject_joins_the_ticket_without_thread_headers(
    shop: Shop,
) -> None:
    # Given an open ticket
    delivered_order(shop)
    shop.run(mail(ACME, "Short delivery PO AC-900", SHORT))
    (ticket,) = tickets(shop)

    # When John writes a new mail citing the ticket number in its subject
    shop.run(
        mail(ACME, f"More on {ticket.number}", "The missing bolts are still not here, damaged.")
    )

    # Then it joins that ticket
    (ticket,) = tickets(shop)
    assert len([m for m in ticket.messages if m.direction == INBOUND]) == 2


def test_a_complaint_from_an_unknown_sender_opens_a_held_ticket_and_says_nothing_of_it(
    shop: Shop,
) -> None:
    # Given a delivered order of Acme
    delivered_order(shop)
    stranger = "someone@elsewhere.example"

    # When a stranger complains that goods for that PO arrived broken
    shop.run(
        mail(
            stranger,
            "Damaged goods",
            "Hello, the HX-2040 bolts of PO AC-900 are defective, the thread is broken.",
        )
    )

    # Then a ticket is open but linked to no order and held for a clerk with the reason
    (ticket,) = tickets(shop)
    assert ticket.order_id is None and ticket.customer_id is None
    (item,) = ticket_holds(shop)
    assert item.ref == ticket.number
    assert [r["rule"] for r in item.reasons] == ["unknown-customer"]
    # And the stranger got the plain acknowledgement: no ticket, no order
    (reply,) = shop.sent_to(stranger)
    text = body(reply) + str(reply["Subject"])
    assert ticket.number not in text and "SO-" not in text


def test_a_return_gets_an_rma_number_and_a_mail_without_an_order_is_held(shop: Shop) -> None:
    # Given Acme, with no order delivered yet
    # When John asks to return goods naming no order we know
    shop.run(
        mail(
            ACME,
            "Return request",
            "Hello,\n\nwe want to return the SN-PS10 pressure transmitters, please "
            "send them back instructions. We need a refund.\n\nJohn",
        )
    )

    # Then a return ticket with an RMA number is open, held because no order matches
    (ticket,) = tickets(shop)
    assert ticket.kind == "return" and ticket.rma_number and ticket.rma_number.startswith("RMA-")
    (item,) = ticket_holds(shop)
    assert [r["rule"] for r in item.reasons] == ["order-not-found"]
    # And John's acknowledgement carries both numbers
    (ack,) = acknowledgements(shop, ACME)
    assert ticket.number in body(ack) and ticket.rma_number in body(ack)
    # And the mail is done, with the ticket as its outcome
    outcome = shop.query(lambda s: s.scalars(select(Mail.outcome)).all())
    assert f"ticket {ticket.number} opened (return)" in outcome


def test_a_clerk_links_a_held_tickets_order_by_accepting_it(shop: Shop) -> None:
    # Given a return ticket held because the mail names no order, and an order of Acme
    number = delivered_order(shop)
    shop.run(mail(ACME, "Return request", "We want to return the unused units and get a refund."))
    (item,) = ticket_holds(shop)

    def accept(runtime: Any, corrections: dict[str, Any]) -> None:
        queue.accept(runtime, item.id, "anna", corrections)

    # When a clerk accepts it naming an order that is not Acme's, then Acme's own
    with pytest.raises(QueueError):
        shop.with_runtime(lambda r: accept(r, {"order_number": "SO-1999-99999"}))
    shop.with_runtime(lambda r: accept(r, {"order_number": number}))

    # Then the ticket is linked to the order, the clerk's note is on it, the queue is empty
    (ticket,) = tickets(shop)
    assert ticket.order_id == shop.orders()[0].id
    assert ticket.messages[-1].direction == NOTE and number in ticket.messages[-1].text
    assert ticket_holds(shop) == []


HUAXIN = "zhang.min@huaxin-elec.cn"


def test_a_chinese_damage_report_with_a_photo_opens_a_ticket_answered_in_chinese(
    shop: Shop,
) -> None:
    # Given a delivered order of Huaxin (a Chinese-speaking customer)
    number = delivered_order(shop, "HX-PO-88", HUAXIN)
    report = EmailMessage()
    report["From"], report["To"] = HUAXIN, "orders@mailroom.example"
    report["Subject"] = "到货破损"
    report["Message-ID"] = "<damage-1@huaxin-elec.cn>"
    report.set_content(
        f"您好，订单 {number} 的货今天到了，外包装破损，运输中损坏了 50 个 HX-2040。照片见附件。"
    )
    report.add_attachment(PNG, maintype="image", subtype="png", filename="破损.png")

    # When the report arrives
    shop.run(report.as_bytes())

    # Then a transport-damage ticket on that order keeps the photo as a reference
    (ticket,) = tickets(shop)
    assert ticket.kind == "transport_damage" and ticket.order_id == shop.orders()[0].id
    assert ticket.lines == [{"sku": "HX-2040", "quantity": "50"}]
    (photo,) = ticket.messages[0].attachments
    assert photo["filename"] == "破损.png" and photo["mail_id"] == ticket.mail_id
    # And the acknowledgement is in Chinese, with the ticket and order numbers
    (ack,) = acknowledgements(shop, HUAXIN)
    text = body(ack)
    assert "售后工单" in text and ticket.number in text and number in text and "运输损坏" in text


# A 1x1 PNG: a photo as customers attach them.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
