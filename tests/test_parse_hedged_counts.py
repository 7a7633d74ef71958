"""A count the customer leaves open is not one to confirm an order on: a hedged count ("qty 40
(maybe 50?)", "around 2,000 pcs", "1000个左右") and the counts of a forwarded request whose
sender writes about its quantities above it are read, but not sure, so a clerk looks."""

from __future__ import annotations

from decimal import Decimal

from mailroom.parsers import parse_mail
from mailroom.parsers.catalog import Catalog, ProductRef
from mailroom.parsers.lines import extract_lines
from tests.support import mail

CATALOG = Catalog.of(
    [
        ProductRef("HX-2040", "Hex Bolt M8x40 Zinc Plated", "六角螺栓 M8x40 镀锌"),
        ProductRef("WS-0810", "Flat washer M8 stainless", "不锈钢平垫圈 M8"),
    ],
    [],
)


def counted(text: str) -> list[tuple[str | None, Decimal, bool]]:
    return [(line.sku, line.quantity, line.sure) for line in extract_lines(text, CATALOG)]


def test_a_count_with_another_in_doubt_is_not_sure() -> None:
    assert counted("- HX-2040 hex bolts, qty 40 (maybe 50?)") == [("HX-2040", Decimal(40), False)]


def test_an_approximate_count_is_not_sure_in_english_or_chinese() -> None:
    assert counted("We need around 2,000 pcs of WS-0810.") == [("WS-0810", Decimal(2000), False)]
    assert counted("不锈钢平垫圈 M8 1000个左右") == [("WS-0810", Decimal(1000), False)]


def test_an_exact_count_beside_the_word_about_elsewhere_stays_sure() -> None:
    assert counted("About our order: 3000 pcs of HX-2040, please.") == [
        ("HX-2040", Decimal(3000), True)
    ]


FORWARDED = """\
{above}

Regards,
Claire

-------- Forwarded Message --------
Subject: bolts for line 3
From: Robert <robert@maple.example>
To: Procurement <procurement@maple.example>

Claire, can you order these:

- HX-2040 hex bolts, 400 pcs
- WS-0810 washers, 800 pcs

Thanks, Robert
"""


def forwarded_order(above: str) -> list[tuple[str | None, float, bool]]:
    raw = mail("claire@maple.example", "Fwd: bolts for line 3", FORWARDED.format(above=above))
    result = parse_mail(raw, CATALOG)
    return [(line.sku, float(line.quantity), line.sure) for line in result.lines]


def test_a_forwarded_request_whose_sender_changes_a_quantity_above_it_is_not_sure() -> None:
    # Given a forwarded list of items, and the sender's words over it about one of its counts
    lines = forwarded_order(
        "Please supply the items below against our PO 4471.\n"
        "Make the washer quantity 1000, not 800. Everything else as Robert wrote."
    )
    # Then the count it corrects is taken, but none is sure: a clerk reads the change
    assert lines == [("HX-2040", 400.0, False), ("WS-0810", 1000.0, False)]


def test_a_correction_written_the_other_way_round_is_applied_too() -> None:
    lines = forwarded_order("Robert's list below, but the bolt quantity goes from 400 to 650.")
    assert lines == [("HX-2040", 650.0, False), ("WS-0810", 800.0, False)]


def test_a_correction_whose_old_count_no_line_has_changes_no_count() -> None:
    # Given a remark whose old count is not one of the forwarded lines'
    lines = forwarded_order("Please order these, the quantity should be 300 rather than 350.")
    # Then the forwarded counts stand, and a clerk reads the remark
    assert lines == [("HX-2040", 400.0, False), ("WS-0810", 800.0, False)]


def test_a_forwarded_request_passed_on_as_it_is_stays_sure() -> None:
    lines = forwarded_order("Please supply the items below against our PO 4471.")
    assert lines == [("HX-2040", 400.0, True), ("WS-0810", 800.0, True)]
