"""Requested dates: the order of day and month told by what a mail and its documents write
rather than by who the writer is; dates that are history or another deadline; the labels and
weekdays that name a delivery date."""

from __future__ import annotations

from datetime import date
from email.message import EmailMessage

from mailroom.parsers import parse_mail
from mailroom.parsers.catalog import Catalog, CustomerRef, ProductRef
from mailroom.parsers.dates import month_first
from mailroom.parsers.fields import requested_date

TODAY = date(2026, 12, 7)


def test_a_date_readable_one_way_only_decides_the_order_of_the_others() -> None:
    assert month_first("Order date 02/11/2026, delivery 1/15/2027", TODAY) is True
    assert month_first("Bestelldatum 02/11/2026, Liefertermin 15/01/2027", TODAY) is False


def test_without_such_a_date_the_reading_that_keeps_dates_near_the_mail_wins() -> None:
    # "12/07/2026" on a mail of 7 December 2026 is that day, not five months ago
    assert month_first("Order Deadline 12/07/2026  Expected Arrival 01/08/2027", TODAY) is True
    assert month_first("Deliver on 03/04/2027", TODAY) is None


def test_a_uk_buyer_whose_po_prints_us_dates_is_read_month_first() -> None:
    # Given a British customer (day first, by its record) whose ERP writes US dates
    catalog = Catalog.of(
        [ProductRef("HX-2040", "Hex Bolt M8x40 Zinc Plated", "六角螺栓 M8x40 镀锌")],
        [
            CustomerRef(
                "C-UK",
                "Brit Ltd",
                ("buyer@brit.example",),
                ("brit.example",),
                "en",
                "1 High St / UK",
            )
        ],
    )
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "buyer@brit.example", "o@x.example", "PO P00099"
    msg["Date"] = "Mon, 07 Dec 2026 10:00:00 +0000"
    msg.set_content(
        "Purchase order P00099, order date 12/07/2026.\n"
        "Please supply 4,000 pcs HX-2040. Expected arrival 02/03/2027.\n"
    )
    # When it is parsed
    parsed = parse_mail(msg.as_bytes(), catalog)
    # Then the arrival is 3 February, not 2 March
    assert parsed.requested_date == "2027-02-03"


def test_a_date_before_the_mail_was_written_is_history_not_the_requested_date() -> None:
    # Given a chase for an order whose promised dispatch has passed
    text = "Where is our order? We were promised delivery by Dec 2, nothing yet."
    # Then no delivery date is requested; a later one still is
    assert requested_date(text, TODAY) is None
    assert requested_date("Please deliver by Dec 22.", TODAY) == "2026-12-22"


def test_an_expected_receipt_or_arrival_is_the_requested_date() -> None:
    # Given the boxes of ERP purchase orders, which name the date the buyer expects the goods
    # Then that date is the one requested
    assert requested_date("Terms: Net 30      Expected Receipt: 1/20/2027", TODAY) == "2027-01-20"
    assert requested_date("Planned arrival 2027-02-03", TODAY) == "2027-02-03"


def test_a_weekday_of_this_or_next_week_is_its_date() -> None:
    # Given a mail of Monday 7 December 2026
    assert requested_date("下周三前到货", TODAY) == "2026-12-16"
    assert requested_date("本周五前交货", TODAY) == "2026-12-11"


def test_a_chinese_latest_date_that_must_arrive_is_requested_and_a_quote_deadline_is_not() -> None:
    assert requested_date("项目最迟2027年1月20日要到货", TODAY) == "2027-01-20"
    assert requested_date("希望下周一前能收到报价,谢谢。", TODAY) is None


def test_the_day_goods_are_to_be_received_is_the_requested_date_in_chinese() -> None:
    # 收货 is the Chinese for "receive the goods", as "receive" is a delivery word in English
    assert requested_date("期望收货日期：2027年1月8日", TODAY) == "2027-01-08"
    assert requested_date("要求收貨時間 | 2027/01/15", TODAY) == "2027-01-15"
    assert requested_date("报价单号 XJ-88120，期望 2027-01-20 到厂", TODAY) == "2027-01-20"
    # and a day goods were received is history, not a request
    assert requested_date("收货日期 2026-12-01，发现有破损", TODAY) is None
