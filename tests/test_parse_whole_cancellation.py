"""A mail that cancels the whole order reports each line it lists at quantity 0, as a change
reports a line it takes off: the counts it cites are what the order had, not goods to send."""

from __future__ import annotations

from decimal import Decimal

from mailroom.parsers import parse_mail
from mailroom.parsers.catalog import Catalog, CustomerRef, ProductRef
from tests.support import mail

CATALOG = Catalog.of(
    [
        ProductRef("HX-2040", "Hex Bolt M8x40 Zinc Plated", "六角螺栓 M8x40 镀锌"),
        ProductRef("WS-0810", "Flat Washer M8 Stainless", "不锈钢平垫圈 M8"),
    ],
    [CustomerRef("C-ACME", "Acme", ("buyer@acme.com",), ("acme.com",))],
)


def read(subject: str, body: str) -> tuple[str | None, list[tuple[str | None, Decimal]]]:
    result = parse_mail(mail("buyer@acme.com", subject, body), CATALOG)
    return result.intent, [(line.sku, line.quantity) for line in result.lines]


def test_the_lines_listed_under_cancel_the_whole_order_are_at_quantity_zero() -> None:
    # Given a mail cancelling the whole order, listing its lines with their counts
    body = (
        "Hello,\n\nPlease cancel the whole order SO-2026-00100, the project is on hold:\n"
        "- HX-2040 hex bolts 5,000 pcs\n- WS-0810 washers 5,000 pcs\n\nSorry, Tom"
    )
    # Then it is a change whose every line is taken off
    assert read("SO-2026-00100", body) == (
        "order_change",
        [("HX-2040", Decimal(0)), ("WS-0810", Decimal(0))],
    )


def test_a_po_cancelled_entirely_takes_off_the_line_it_names() -> None:
    body = "Hi, we have to cancel PO AC-4411 entirely (SO-2026-00101, 500 pcs of HX-2040)."
    assert read("PO AC-4411", body) == ("order_change", [("HX-2040", Decimal(0))])


def test_an_order_cancelled_whole_in_chinese_takes_off_every_line() -> None:
    body = (
        "您好，订单 SO-2026-00102 全部取消：\n六角螺栓 M8x40 镀锌 2000个\n"
        "不锈钢平垫圈 M8 3000个\n谢谢"
    )
    assert read("订单 SO-2026-00102", body) == (
        "order_change",
        [("HX-2040", Decimal(0)), ("WS-0810", Decimal(0))],
    )


def test_cancelling_the_entire_order_in_chinese_word_order_takes_off_every_line() -> None:
    body = "关于SO-2026-00103，我们决定取消整个订单（六角螺栓 M8x40 镀锌 1万个），请确认。"
    assert read("SO-2026-00103", body) == ("order_change", [("HX-2040", Decimal(0))])


def test_a_change_that_keeps_the_order_is_not_a_whole_cancellation() -> None:
    body = (
        "We do not want to cancel the whole order SO-2026-00104, only reduce the HX-2040 "
        "to 2,000 pcs."
    )
    assert read("SO-2026-00104", body) == ("order_change", [("HX-2040", Decimal(2000))])


def test_a_whole_cancellation_that_keeps_a_line_is_no_whole_cancellation() -> None:
    body = "请取消整个订单SO-2026-00105，除了不锈钢平垫圈 M8 3000个保留。"
    assert read("SO-2026-00105", body) == ("order_change", [("WS-0810", Decimal(3000))])
