"""Each order check, alone, holds the order with its reason, through Dovecot and the SMTP sink.

Every case is a clean order with one thing wrong. Problems the customer can fix (an unknown
item with close matches, below the MOQ, a price lower than ours) are asked back, each with
its likely fix; everything else is acknowledged and waits for a clerk. Where the parser
itself lowers its confidence for the same cause (a loose SKU match, an unreadable
attachment), low confidence is expected beside the rule.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from mailroom.catalog_import import import_files
from store.db import make_engine, session_factory, transaction
from store.holds import OPEN, HeldItem
from store.orders import ON_HOLD, WAITING_CLERK, WAITING_CUSTOMER
from tests.shop import Shop, body, in_days
from tests.support import mail

ACME = "john.miller@acme-industrial.com"


@pytest.fixture
def shop(dovecot: Any, smtp_sink: Any, database_url: str, tmp_path: Path) -> Iterator[Shop]:
    shop = Shop.open(dovecot, smtp_sink, tmp_path, database_url)
    # A customer with no default delivery address, for the ship-to check.
    extra = tmp_path / "more_customers.csv"
    extra.write_text(
        "customer_id,name,email,domains,language,discount_pct,payment_terms,ship_to\n"
        "C-NOSHIP,No Default Ltd,buyer@noship.example,noship.example,en,0,NET 30,\n",
        encoding="utf-8",
    )
    engine = make_engine(database_url)
    with transaction(session_factory(engine)) as session:
        import_files(session, [extra])
    engine.dispose()
    yield shop


def order(
    lines: str,
    *,
    sender: str = ACME,
    po: str = "AC-501",
    extra: str = "",
    requested: int = 30,
) -> bytes:
    """An order mail written as customers write them, clean unless a case says otherwise."""
    return mail(
        sender,
        f"Purchase order {po}",
        f"Hello,\n\nPlease supply the following under our purchase order {po}:\n\n{lines}\n\n"
        f"Requested delivery date: {in_days(requested)}\n\n{extra}Best regards,\nJohn",
    )


def with_broken_pdf(raw: bytes) -> bytes:
    message = message_from_bytes(raw, policy=policy.default)
    broken = b"%PDF-1.7\n" + bytes(range(256)) * 20
    message.add_attachment(broken, maintype="application", subtype="pdf", filename="AC-501.pdf")
    return message.as_bytes()


@dataclass
class Case:
    make: Callable[[], bytes]
    rules: set[str]
    ask: bool
    # What the customer's reply must say (the likely fix, or that a colleague checks).
    says: tuple[str, ...]

    @property
    def sender(self) -> str:
        raw = message_from_bytes(self.make(), policy=policy.default)
        return str(raw["From"])


BOLTS = "1. HX-2040 Hex Bolt M8x40 - 5000 pcs"
CASES = {
    "unknown-customer": Case(
        lambda: order(
            BOLTS,
            sender="buyer@unknown-corp.example",
            extra="Ship to: Unknown Corp / 1 Main St / Springfield / USA\n\n",
        ),
        {"unknown-customer"},
        False,
        ("colleague",),
    ),
    "sender-not-allowed": Case(
        lambda: order(BOLTS, sender="buyer@mail.acme-industrial.com"),
        {"sender-not-allowed"},
        False,
        ("colleague",),
    ),
    "unknown-sku": Case(
        lambda: order("1. HX-2090 - 5000 pcs"),
        {"unknown-sku"},
        True,
        ("HX-2090", "HX-2040"),
    ),
    "ambiguous-sku": Case(
        lambda: order("1. HX-2400 Hex Bolt - 5000 pcs"),
        {"ambiguous-sku", "low-confidence"},
        False,
        ("colleague",),
    ),
    "below-moq": Case(
        lambda: order("1. HX-2040 Hex Bolt M8x40 - 500 pcs"),
        {"below-moq"},
        True,
        ("minimum order quantity of 1000",),
    ),
    "price-differs": Case(
        lambda: order("1. HX-2040 Hex Bolt M8x40 - 5000 pcs, unit price 0.09 USD"),
        {"price-differs"},
        True,
        ("0.09 USD", "0.10 USD"),
    ),
    "currency-mismatch": Case(
        lambda: order("1. HX-2040 Hex Bolt M8x40 - 5000 pcs, unit price 0.80 CNY"),
        {"currency-mismatch"},
        False,
        ("colleague",),
    ),
    "stock-short": Case(
        # 150 in stock and 30 days' lead time: 400 cannot leave within 10 days.
        lambda: order("1. SN-PS10 Pressure Transmitter - 400 pcs", requested=10),
        {"stock-short"},
        False,
        ("colleague",),
    ),
    "missing-ship-to": Case(
        lambda: order(BOLTS, sender="buyer@noship.example"),
        {"missing-ship-to"},
        False,
        ("colleague",),
    ),
    "low-confidence": Case(
        # An order and a status question in one mail: the parser is unsure which it is.
        lambda: mail(
            ACME,
            "Order and status",
            f"Hello,\n\nPlease supply the following under our purchase order AC-501:\n\n{BOLTS}"
            "\n\nAlso, where is our order AC-7? Any update on the delivery status?\n\nJohn",
        ),
        {"low-confidence"},
        False,
        ("colleague",),
    ),
    "unread-items": Case(
        # A count the reader could tie to no product: never confirmed without it.
        lambda: order(f"{BOLTS}\n\nPlease also add 300 of the usual spacers."),
        {"unread-items", "low-confidence"},
        False,
        ("colleague",),
    ),
    "unreadable-attachment": Case(
        lambda: with_broken_pdf(order(BOLTS)),
        {"unreadable-attachment", "low-confidence"},
        False,
        ("colleague",),
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_each_check_alone_holds_the_order_with_its_reason(shop: Shop, name: str) -> None:
    # Given a clean order with one thing wrong
    case = CASES[name]

    # When the service runs
    shop.run(case.make())

    # Then the order is on hold with exactly that reason, waiting for the right person
    (held,) = shop.orders()
    assert held.status == ON_HOLD
    assert {reason["rule"] for reason in held.reasons} == case.rules, held.reasons
    assert held.waiting_for == (WAITING_CUSTOMER if case.ask else WAITING_CLERK)
    # And a clerk sees it in the queue with the reason a person can read
    (item,) = shop.query(lambda s: list(s.scalars(select(HeldItem).where(HeldItem.status == OPEN))))
    assert item.kind == "order" and item.ref == held.number
    assert {reason["rule"] for reason in item.reasons} == case.rules
    assert all(len(reason["message"]) > 20 for reason in item.reasons)
    # And the sender got one reply, without a confirmation, saying what to do or who looks
    (reply,) = shop.sent_to(case.sender)
    text = body(reply)
    assert held.number in str(reply["Subject"]) and "confirmed" not in str(reply["Subject"])
    assert not list(reply.iter_attachments())
    for phrase in case.says:
        assert phrase in text, text


def test_the_same_po_twice_creates_one_order(shop: Shop) -> None:
    # Given an order that was confirmed
    first = order(BOLTS, po="AC-777")
    shop.run(first)

    # When the same PO arrives again in a new mail
    shop.run(order(BOLTS, po="AC-777"))

    # Then there is still one order, the second mail is held with the reason, and the
    # customer is told which order the PO already is
    (only,) = shop.orders()
    (item,) = shop.query(lambda s: list(s.scalars(select(HeldItem).where(HeldItem.status == OPEN))))
    assert [r["rule"] for r in item.reasons] == ["duplicate-po"]
    assert only.number in item.reasons[0]["message"]
    replies = shop.sent_to(ACME)
    assert len(replies) == 2
    assert only.number in body(replies[1]) and "AC-777" in body(replies[1])
