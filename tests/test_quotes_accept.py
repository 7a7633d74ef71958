"""After the quote, end to end: the customer's "yes" makes the order, an expired quote is
quoted again rather than honoured, a stranger cannot accept, and one reminder goes out."""

from __future__ import annotations

from datetime import timedelta
from email.message import EmailMessage
from typing import Any

from sqlalchemy import select

from mailroom.quotes.accept import find_quote
from mailroom.quotes.follow_up import follow_up
from store.base import utcnow
from store.holds import OPEN, HeldItem
from store.orders import Order
from store.quotes import ACCEPTED, EXPIRED, SENT, Quote
from tests.shop import Shop, body, pdf_text
from tests.support import mail, service_runtime
from tests.test_quotes import ENGLISH_RFQ, shop_fixture  # noqa: F401

JOHN = "john.miller@acme-industrial.com"


def _quoted(shop: Shop) -> tuple[Quote, EmailMessage]:
    """Given: John asked for a quote and has our quote mail."""
    shop.run(mail(JOHN, "RFQ bearings, bolts, PSU", ENGLISH_RFQ))
    (quote_mail,) = shop.sent_to(JOHN)
    quote = shop.query(lambda s: s.scalar(select(Quote)))
    assert quote.status == SENT
    return quote, quote_mail


def _reply_to(quote_mail: EmailMessage, text: str, sender: str = JOHN) -> bytes:
    """A customer's reply to our quote mail, keeping its subject and threading under it."""
    subject = str(quote_mail["Subject"])
    return mail(
        sender,
        subject if subject.startswith("Re:") else f"Re: {subject}",
        text,
        In_Reply_To=str(quote_mail["Message-ID"]),
        References=str(quote_mail["Message-ID"]),
    )


def test_accepting_a_quote_by_reply_creates_the_order_at_the_quoted_prices(shop: Shop) -> None:
    # Given John has our quote
    quote, quote_mail = _quoted(shop)

    # When he replies that he accepts it, with his PO number
    shop.run(
        _reply_to(
            quote_mail,
            "Hi,\n\nwe accept your quotation, please proceed.\nOur PO number is PO-7788.\n\nJohn",
        )
    )

    # Then an order is made from the quote, with its lines and prices, and his PO
    order = shop.query(lambda s: s.scalar(select(Order)))
    assert order is not None and order.source == f"quote:{quote.number}"
    assert order.customer_id == "C-ACME" and order.po_number == "PO-7788"
    quoted = {line.sku: (line.quantity, line.unit_price) for line in quote.lines}
    ordered = shop.query(
        lambda s: {
            line.sku: (line.quantity, line.unit_price) for line in s.get(Order, order.id).lines
        }
    )
    assert ordered == quoted
    # And the quote is accepted as that order, and John's acceptance was answered once
    accepted = shop.query(lambda s: s.scalar(select(Quote)))
    assert (accepted.status, accepted.order_number) == (ACCEPTED, order.number)
    assert len(shop.sent_to(JOHN)) == 2


def test_an_expired_quote_is_quoted_again_at_todays_prices_not_honoured(shop: Shop) -> None:
    # Given John's quote ran out yesterday
    quote, quote_mail = _quoted(shop)

    def expire(session: object) -> None:
        row = session.get(Quote, quote.id)  # type: ignore[attr-defined]
        row.valid_until = utcnow().date() - timedelta(days=1)

    shop.query(expire)

    # When he accepts it by reply
    shop.run(_reply_to(quote_mail, "Hello, we accept the quotation. Please go ahead.\nJohn"))

    # Then no order is made; the old quote is expired and a new one answers him
    assert shop.query(lambda s: s.scalar(select(Order))) is None
    quotes = shop.query(lambda s: list(s.scalars(select(Quote).order_by(Quote.id))))
    old, new = quotes
    assert old.status == EXPIRED and new.status == SENT and new.replaces == old.number
    reply = shop.sent_to(JOHN)[-1]
    assert f"[{new.number}]" in str(reply["Subject"]) and old.number in body(reply)
    filename, text = pdf_text(reply)
    assert filename == f"{new.number}.pdf" and new.number in text
    assert [line.sku for line in new.lines] == [line.sku for line in old.lines]


def test_only_the_customers_own_addresses_may_accept_a_quote(shop: Shop) -> None:
    # Given John's quote, and someone outside Acme who knows its number
    quote, _quote_mail = _quoted(shop)
    stranger = "buyer@lookalike-industrial.com"

    # When the stranger writes to accept it
    shop.run(
        mail(
            stranger,
            f"Quotation {quote.number}",
            f"We accept your quotation {quote.number}, please proceed.",
        )
    )

    # Then no order is made, the quote stays open, and the mail waits for a clerk
    assert shop.query(lambda s: s.scalar(select(Order))) is None
    assert shop.query(lambda s: s.get(Quote, quote.id).status) == SENT
    item = shop.query(lambda s: s.scalar(select(HeldItem).where(HeldItem.status == OPEN)))
    assert item.reasons[0]["rule"] == "sender-not-allowed"
    # And the stranger hears only that the mail arrived: nothing about the quote
    (ack,) = shop.sent_to(stranger)
    assert "received" in body(ack)
    assert "USD" not in body(ack) and not list(ack.iter_attachments())


def test_an_unanswered_quote_gets_one_reminder_and_later_expires(shop: Shop) -> None:
    # Given John's quote has gone unanswered for longer than the follow-up days
    quote, quote_mail = _quoted(shop)
    later = utcnow() + timedelta(days=6)

    # When the follow-up job runs twice
    with service_runtime(shop.home, database_url=shop.database_url) as runtime:
        first = follow_up(runtime, later)
        second = follow_up(runtime, later + timedelta(hours=1))
    shop.run()  # the service sends what waits in the outbox

    # Then one reminder went out, threaded under the quote mail
    assert (first.reminded, second.reminded) == ([quote.number], [])
    reminder = shop.sent_to(JOHN)[-1]
    assert len(shop.sent_to(JOHN)) == 2
    assert reminder["In-Reply-To"] == quote_mail["Message-ID"]
    assert quote.number in str(reminder["Subject"]) and "reply" in body(reminder)

    # And once its validity has passed, the job marks the quote expired, with no new mail
    with service_runtime(shop.home, database_url=shop.database_url) as runtime:
        after = follow_up(runtime, utcnow() + timedelta(days=15))
    assert (after.expired, after.reminded) == ([quote.number], [])
    assert shop.query(lambda s: s.get(Quote, quote.id).status) == EXPIRED
    assert len(shop.smtp.messages) == 2


def test_a_reply_without_the_quote_number_finds_the_quote_by_its_thread(shop: Shop) -> None:
    # Given John has our quote, and later a reminder about it
    quote, quote_mail = _quoted(shop)

    def reminded(session: Any) -> None:
        session.get(Quote, quote.id).reminder_message_id = "reminder-1@mailroom.example"

    shop.query(reminded)
    our_id = str(quote_mail["Message-ID"]).strip("<>")

    # When a mail's thread names the quote mail, or the reminder, but no number
    by_quote = {"references": ["older@customer.example", our_id]}
    by_reminder = {"references": ["reminder-1@mailroom.example"]}
    unrelated = {"references": ["something-else@customer.example"]}

    # Then the quote is found from its thread, and an unrelated thread finds none
    found = shop.query(
        lambda s: [
            (q.number if q else None)
            for q in (find_quote(s, p) for p in (by_quote, by_reminder, unrelated))
        ]
    )
    assert found == [quote.number, quote.number, None]
