"""Replies under our messages: answers typed between the quoted lines of our question are the
customer's new text, each read with the product of the question it answers, never with that
question's counts or dates; and a change may take its PO from the history it quotes."""

from __future__ import annotations

import pytest

from mailroom.parsers import parse_mail
from mailroom.parsers.catalog import Catalog
from mailroom.parsers.quotes import split_quoted
from tests.golden import fixture_catalog
from tests.support import mail

ACME = "john.miller@acme-industrial.com"
OUR_QUESTION = """Hi, see my answers below.

John

-----Original Message-----
From: Order Desk <orders@x.example>
Sent: Friday, 4 December 2026 6:10 PM
Subject: SO-2026-00151

> Before we start SO-2026-00151, please confirm:
> 1. HX-3012 nuts: still 4,000 pcs?

Make it 6,000 pcs please.

> 2. Delivery 22 Jan 2027, fine?

Yes.

> 3. WS-0810 washers 8,000 pcs - unchanged?

Unchanged.
"""


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    return fixture_catalog(tmp_path_factory.mktemp("inline"))


def test_text_typed_between_quoted_lines_under_a_header_block_is_new() -> None:
    # Given a reply whose answers sit between the "> " lines under an Outlook header block
    # When its text is split
    split = split_quoted(OUR_QUESTION)
    # Then each answer is new text, beside the quoted lines it answers
    assert "Make it 6,000 pcs please." in split.new
    assert "Unchanged." in split.new
    assert "still 4,000 pcs" not in split.new
    assert split.answers[0] == (
        "Before we start SO-2026-00151, please confirm: 1. HX-3012 nuts: still 4,000 pcs?",
        "Make it 6,000 pcs please.",
    )


def test_an_inline_answer_with_a_count_changes_the_product_its_question_names(
    catalog: Catalog,
) -> None:
    # Given that reply from the customer
    raw = mail(ACME, "RE: SO-2026-00151", OUR_QUESTION)
    # When it is parsed
    parsed = parse_mail(raw, catalog)
    # Then it changes the one count it answers, and our planned date is not its request
    assert parsed.intent == "order_change"
    assert [(line.sku, line.quantity) for line in parsed.lines] == [("HX-3012", 6000)]
    assert parsed.requested_date is None


def test_a_change_whose_po_is_only_in_the_quoted_history_keeps_that_po(catalog: Catalog) -> None:
    # Given a top-posted change under the history of the order it changes
    raw = mail(
        ACME,
        "Re: Order confirmation SO-2026-00151",
        "Hi, please raise the HX-3012 nuts to 6,000 pcs (from 4,000).\n\nJohn\n\n"
        "From: Order Desk <orders@x.example>\nSent: Friday, 4 December 2026 6:10 PM\n"
        "Subject: Order confirmation SO-2026-00151\n\n"
        "Thank you for your PO AC-77310. HX-3012 4,000 pcs.\n",
    )
    # When it is parsed
    parsed = parse_mail(raw, catalog)
    # Then the change names the order's PO
    assert parsed.intent == "order_change"
    assert parsed.po_number == "AC-77310"
