"""Requested dates written as a calendar week, a week commencing, an ERP's yyyymmdd column, or
a Taiwanese ROC (民國) year; and a deadline for a quote, which is no delivery date."""

from __future__ import annotations

from datetime import date
from email.message import EmailMessage

from mailroom.parsers import parse_mail
from mailroom.parsers.catalog import Catalog, CustomerRef, ProductRef
from mailroom.parsers.dates import find_dates
from mailroom.parsers.fields import aligned_columns, requested_date, requested_date_in_tables

TODAY = date(2026, 12, 7)
CATALOG = Catalog.of(
    [ProductRef("BR-6205", "Deep Groove Ball Bearing 6205-2RS", "深沟球轴承 6205-2RS")],
    [
        CustomerRef("C-TW", "台北精機", ("buy@tw-parts.example",), ("tw-parts.example",), "zh", ""),
        CustomerRef("C-CN", "苏州机电", ("cg@sz-parts.example",), ("sz-parts.example",), "zh", ""),
        CustomerRef("C-EN", "Leeds Ltd", ("po@leeds.example",), ("leeds.example",), "en", ""),
    ],
)


def _parse(sender: str, body: str) -> str | None:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, "orders@x.example", "PO 7781"
    msg["Date"] = "Mon, 07 Dec 2026 10:00:00 +0800"
    msg.set_content(body)
    return parse_mail(msg.as_bytes(), CATALOG).requested_date


def test_a_calendar_week_is_due_by_the_friday_that_ends_it() -> None:
    assert requested_date("New delivery date: CW 5/2027.", TODAY) == "2027-02-05"
    assert requested_date("Delivery: KW 12/2027", TODAY) == "2027-03-26"
    assert requested_date("Liefertermin: KW 12/2027", TODAY) == "2027-03-26"
    assert requested_date("Delivery week: 12/2027", TODAY) == "2027-03-26"
    # Without a year it is the next such week: week 3 seen in December is next January's
    assert requested_date("Delivery in week 3 please", TODAY) == "2027-01-22"


def test_a_day_written_beside_the_week_says_it_more_exactly() -> None:
    text = "New delivery date: CW 5/2027, at the latest Wednesday 03.02.2027."
    assert requested_date(text, TODAY) == "2027-02-03"


def test_a_week_commencing_is_the_day_it_gives_even_a_wide_gap_after_its_label() -> None:
    assert requested_date("Delivery Date      w/c 11/01/2027", TODAY) == "2027-01-11"
    assert requested_date("Required week commencing 18 January 2027", TODAY) == "2027-01-18"


def test_last_week_and_a_count_after_it_are_no_calendar_week() -> None:
    assert find_dates("We received it last week. 6 of the 60 arrived broken.", TODAY) == []


def test_the_due_date_column_of_a_fixed_width_printout_is_read_as_yyyymmdd() -> None:
    # Given an IBM i style spool: headings one space apart, values under them
    text = (
        "LN ITEM NUMBER     DESCRIPTION          QTY ORD UM  UNIT COST PER DUE DATE\n"
        "01 SC-HN12SS304    NUT HEX M12 SS304     20,000 EA      7.000  C  20270115\n"
        "02 SC-FW08SS       WASHER FLAT M8 SS     50,000 EA      2.000  C  20270122\n"
        "\n"
        "ORDER TOTAL 2,800.00\n"
    )
    # Then the earliest due date is the requested one
    assert requested_date_in_tables(aligned_columns(text), TODAY) == "2027-01-15"


def test_roc_years_are_read_in_a_taiwanese_document() -> None:
    body = "附件為本公司採購單，請確認。\n品號 6205-2RS 數量 1,000 PCS\n預交日：116/01/20\n謝謝"
    assert _parse("buy@tw-parts.example", body) == "2027-01-20"


def test_a_date_that_says_min_guo_is_roc_in_any_script() -> None:
    body = "订单如下：6205-2RS 1000个，请于民國116年1月20日前交货。"
    assert _parse("cg@sz-parts.example", body) == "2027-01-20"


def test_a_three_digit_year_is_no_roc_date_in_simplified_chinese_or_english() -> None:
    assert _parse("cg@sz-parts.example", "订单如下：6205-2RS 1000个，交期 116/01/20。") is None
    assert find_dates("Need by 116/01/20", TODAY) == []
    # An ordinary two-digit year stays one: 16 January 2027, never 民國16 (1927)
    assert _parse("po@leeds.example", "Please supply 1000 pcs 6205-2RS, needed by 16/01/27.") == (
        "2027-01-16"
    )


def test_the_deadline_for_a_quotation_is_not_a_requested_delivery_date() -> None:
    assert requested_date("Please send your quotation by 16.12.2026.", TODAY) is None
    assert requested_date("We need your offer before 20 Dec 2026, thanks", TODAY) is None
    # A delivery asked for in its own clause of the same request still is one
    text = "Please quote for 500 pcs, required by 16.01.2027."
    assert requested_date(text, TODAY) == "2027-01-16"


def test_the_date_said_to_be_the_latest_wins_over_another_in_its_line() -> None:
    text = "We need the goods on site w/c 11 January, so latest delivery 8 January 2027 please."
    assert requested_date(text, TODAY) == "2027-01-08"
    # Without such a word the first requested date of the line stands
    text = "Delivery by 2027-01-20, or ship by 2027-01-25 if sea freight is late."
    assert requested_date(text, TODAY) == "2027-01-20"
