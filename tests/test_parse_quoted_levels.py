"""Which quoted history may name the order or quote a reply is about: the message it answers
(the first quoted level), never the older mails that message quotes in turn."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

from mailroom.parsers import parse_mail
from mailroom.parsers.quotes import first_level, split_quoted
from tests.golden import fixture_catalog


def _mail(body: str, subject: str) -> bytes:
    msg = EmailMessage()
    msg["From"], msg["To"] = "purchasing@acme-industrial.com", "orders@kaiyuan-parts.com"
    msg["Subject"] = subject
    msg.set_content(body)
    return msg.as_bytes()


def test_the_first_level_of_a_marked_quote_stops_at_the_history_it_quotes() -> None:
    # Given a reply over our confirmation, which quotes their order, which quotes our quote
    quoted = split_quoted(
        "Please ship it in two lots.\n\n"
        "On Wed, 2 Dec 2026, Kaiyuan Orders <orders@kaiyuan-parts.com> wrote:\n"
        "> We confirm your order as SO-2026-00321.\n"
        ">\n"
        "> On Tue, 1 Dec 2026, Tom <purchasing@acme-industrial.com> wrote:\n"
        ">> Go ahead as quoted.\n"
        ">>> Our quotation Q-2026-00088 is valid 30 days.\n"
    ).quoted
    # Then the first level is our confirmation alone
    level = first_level(quoted)
    assert "SO-2026-00321" in level
    assert "Q-2026-00088" not in level
    assert "Go ahead" not in level


def test_the_first_level_of_an_outlook_history_ends_at_the_next_header_block() -> None:
    quoted = split_quoted(
        "Thanks, noted.\n\n"
        "-----Original Message-----\n"
        "From: Kaiyuan Orders <orders@kaiyuan-parts.com>\n"
        "Sent: Wednesday, December 2, 2026 9:00 AM\n"
        "Subject: Order confirmation SO-2026-00321\n\n"
        "Your order is confirmed.\n\n"
        "From: Tom <purchasing@acme-industrial.com>\n"
        "Sent: Tuesday, December 1, 2026 4:00 PM\n"
        "Subject: RE: Quotation Q-2026-00088\n\n"
        "Please go ahead.\n"
    ).quoted
    level = first_level(quoted)
    assert "Your order is confirmed." in level
    assert "Q-2026-00088" not in level


def test_a_quote_named_only_deep_in_the_history_is_not_the_replys(tmp_path: Path) -> None:
    # Given a change to our order, written over our confirmation that quotes older mails
    raw = _mail(
        "Hello,\n\nplease change SO-2026-00321: the M12 connectors to 800 pcs.\n\nTom\n\n"
        "On Wed, 2 Dec 2026, Kaiyuan Orders <orders@kaiyuan-parts.com> wrote:\n"
        "> We confirm your order PO AC-7781 as SO-2026-00321.\n"
        ">\n"
        "> On Tue, 1 Dec 2026, Tom <purchasing@acme-industrial.com> wrote:\n"
        ">> Go ahead as quoted.\n"
        ">>\n"
        ">> On Mon, 30 Nov 2026, Kaiyuan Orders <orders@kaiyuan-parts.com> wrote:\n"
        ">>> Our quotation Q-2026-00088: M12 connectors at 2.95 USD.\n",
        "Re: Order confirmation SO-2026-00321",
    )
    parsed = parse_mail(raw, fixture_catalog(tmp_path))
    # Then the order is named, the old quote is history
    assert parsed.order_number == "SO-2026-00321"
    assert parsed.quote_number is None


def test_a_reply_accepting_the_quote_it_answers_names_that_quote(tmp_path: Path) -> None:
    raw = _mail(
        "Fine, please go ahead.\n\nTom\n\n"
        "On Mon, 30 Nov 2026, Kaiyuan Orders <orders@kaiyuan-parts.com> wrote:\n"
        "> Our quotation Q-2026-00088: M12 connectors at 2.95 USD, valid 30 days.\n",
        "Re: Your quotation",
    )
    assert parse_mail(raw, fixture_catalog(tmp_path)).quote_number == "Q-2026-00088"
