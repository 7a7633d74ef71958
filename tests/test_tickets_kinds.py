"""The kind of an after-sales mail and its affected lines come from its words and items."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mailroom.aftersales.kinds import AffectedLine, affected_lines, classify


class TwoProducts:
    """The catalog's part the kinds use: where HX-2040 and SN-PS10 are named."""

    def mentions(self, text: str) -> list[tuple[int, int, str]]:
        found = []
        for sku in ("HX-2040", "SN-PS10"):
            at = text.find(sku)
            if at >= 0:
                found.append((at, at + len(sku), sku))
        return sorted(found)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("The delivery was short shipped, 200 pcs are missing.", "short_shipment"),
        ("货已收到，但是少发了200个。", "short_shipment"),
        ("Two cartons arrived crushed, the goods were damaged in transit.", "transport_damage"),
        ("外包装破损，运输中损坏。", "transport_damage"),
        ("You sent us the wrong item: M10 instead of M8.", "wrong_item"),
        ("发错货了，型号不对。", "wrong_item"),
        ("Three transmitters are defective, no output at all.", "defect"),
        ("有三个传感器故障，不能用。", "defect"),
        ("We want to return the unused units and get a refund.", "return"),
        ("我们要退货。", "return"),
        ("How do we wire the sensor? Is there an installation manual?", "question"),
        ("请问怎么接线？有说明书吗？", "question"),
        ("This is the third late delivery, unacceptable.", "complaint"),
        ("Please call me back about last week.", "complaint"),
    ],
)
def test_the_kind_is_the_one_whose_words_the_mail_uses_most(text: str, kind: str) -> None:
    # When an after-sales text is classified, Then its kind is the one its words name
    assert classify(text).kind == kind


def test_the_evidence_is_the_words_as_written() -> None:
    # When a mail is classified, Then the phrases found are kept for the clerk
    assert classify("It is DEFECTIVE and faulty").evidence == ["DEFECTIVE", "faulty"]
    assert classify("hello").evidence == []


def test_affected_lines_take_the_missing_count_over_the_received_one() -> None:
    # Given a text naming two items with counts received and missing
    text = (
        "Only 4800 pcs of HX-2040 arrived, 200 pcs are missing. "
        "SN-PS10 实收8个，缺2个。 HX-2040 again."
    )

    # When the affected lines are read
    lines = affected_lines(text, TwoProducts())

    # Then each item appears once, with the count that is missing
    assert lines == [
        AffectedLine("HX-2040", Decimal(200)),
        AffectedLine("SN-PS10", Decimal(2)),
    ]
    assert lines[0].to_json() == {"sku": "HX-2040", "quantity": "200"}
