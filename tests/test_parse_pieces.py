"""The parser's stages on their own: charsets, quotes, dates, numbers, fields, lines, intent."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from mailroom.numbering import Numbering
from mailroom.parsers import parse_mail
from mailroom.parsers.address import ship_to
from mailroom.parsers.catalog import Catalog, CustomerRef, ProductRef
from mailroom.parsers.charsets import decode_bytes
from mailroom.parsers.dates import find_dates
from mailroom.parsers.decode import decode
from mailroom.parsers.fields import po_number, requested_date, tracking_number
from mailroom.parsers.html import html_to_text
from mailroom.parsers.lines import extract_lines
from mailroom.parsers.numbers import parse_price_cell, price_in, quantity_in
from mailroom.parsers.quotes import split_quoted
from tests.support import mail

REAL = Path("/work/shared/corpus/real/emails")
CATALOG = Catalog.of(
    [
        ProductRef(
            "HX-2040", "Hex Bolt M8x40 Zinc Plated", "六角螺栓 M8x40 镀锌", ("M8x40 hex bolt",)
        ),
        ProductRef(
            "BR-6204", "Deep Groove Ball Bearing 6204-2RS", "深沟球轴承 6204-2RS", ("6204-2RS",)
        ),
        ProductRef("SN-PS10", "Pressure Transmitter 0-10 bar 4-20mA", "压力变送器 0-10bar 4-20mA"),
        ProductRef("CN-USBC24", "USB-C Receptacle 24-Pin SMT", "USB-C 24针贴片母座"),
        ProductRef("LD-STRIP5", "LED Strip 24V 5m Neutral White", "LED 灯带 24V 5米 中性白"),
    ],
    [CustomerRef("C-ACME", "Acme", ("buyer@acme.com",), ("acme.com",))],
)


def _lines(text: str) -> list[tuple[str | None, Decimal, Decimal | None, str | None]]:
    return [(x.sku, x.quantity, x.unit_price, x.currency) for x in extract_lines(text, CATALOG)]


def test_gbk_text_labelled_gb2312_decodes_without_replacement_characters() -> None:
    # Given GBK-only characters (镕 is not in GB2312) labelled gb2312
    data = "朱镕基 订单".encode("gbk")
    # When decoded / Then the text is whole
    assert decode_bytes(data, "gb2312") == "朱镕基 订单"


def test_big5_labelled_ascii_and_iso_2022_jp_unlabelled_are_both_read() -> None:
    # Given Big5 bytes that claim to be ASCII, and ISO-2022-JP with no label
    # When decoded / Then both come back as the text written
    assert decode_bytes("臺灣訂單數量".encode("big5"), "us-ascii") == "臺灣訂單數量"
    assert decode_bytes("すみません".encode("iso2022_jp"), None) == "すみません"


@pytest.mark.skipif(not REAL.is_dir(), reason="the shared corpus of real mail is not here")
def test_real_mails_that_defeat_mail_parser_decode_here() -> None:
    # Given real mails with a BOM, GBK as gb2312, ISO-2022-JP and raw Big5 headers
    bom = decode((REAL / "demisto_utf_8_with_bom.eml").read_bytes())
    gbk = decode((REAL / "phpmime_failure.eml").read_bytes())
    jis = decode((REAL / "mikel_japanese_iso_2022.eml").read_bytes())
    big5 = decode((REAL / "mikel_content_transfer_encoding_empty.eml").read_bytes())
    # Then headers and text are read, with no replacement characters
    assert bom.sender == "test@test.com" and bom.subject == "Test UTF Email"
    assert "\ufffd" not in gbk.text and gbk.text.strip()
    assert "すみません" in jis.text
    assert "大家說英語" in (big5.subject or "")


def test_a_tnef_winmail_dat_and_an_empty_mail_are_handled() -> None:
    # Given an empty file / When parsed / Then unreadable with a reason, never an exception
    result = parse_mail(b"")
    assert result.intent == "unreadable" and result.error


def test_quoted_history_and_signatures_are_cut_in_both_languages() -> None:
    # Given a reply with a signature and an Outlook header block, and a Chinese reply
    english = (
        "Please ship PO 7788.\n\nBest regards,\nJohn\nTel: +1 555 0100\n\n"
        "From: Orders <o@x.com>\nSent: Monday, 1 Dec 2026\nTo: John\nSubject: PO 1234\n\nPO 1234"
    )
    chinese = (
        "请发货。\n\n谢谢！\n张伟\n手机：13800138000\n\n"
        "在 2026年12月1日 10:00，o@x.com 写道：\n> PO 1234"
    )
    # When split / Then only the request is new
    assert split_quoted(english).new == "Please ship PO 7788."
    assert split_quoted(chinese).new == "请发货。"
    assert "PO 1234" in split_quoted(english).quoted


def test_a_forwarded_message_is_kept_as_the_request() -> None:
    # Given a forward whose forwarded part is the order
    text = (
        "FYI, please handle.\n\n---------- Forwarded message ---------\nFrom: A <a@b.com>\n"
        "Date: Mon, 1 Dec 2026\nSubject: PO 55\nTo: c@d.com\n\nPO 55: 500 pcs HX-2040"
    )
    # When split / Then the forwarded text stays new
    assert "PO 55: 500 pcs HX-2040" in split_quoted(text, "Fwd: PO 55").new


@pytest.mark.parametrize(
    ("written", "us", "expected"),
    [
        ("2026-12-15", False, "2026-12-15"),
        ("15/12/2026", False, "2026-12-15"),
        ("12/15/2026", True, "2026-12-15"),
        ("03/04/2026", False, "2026-04-03"),
        ("03/04/2026", True, "2026-03-04"),
        ("Dec 15, 2026", False, "2026-12-15"),
        ("15th of December", False, "2026-12-15"),
        ("2026年12月15日", False, "2026-12-15"),
        ("1月5日", False, "2027-01-05"),
        ("18.12.2026.", False, "2026-12-18"),
    ],
)
def test_dates_are_read_in_every_usual_format(written: str, us: bool, expected: str) -> None:
    # Given a date as written, in a mail sent on 2026-11-20 / When read / Then it is ISO
    (found,) = find_dates(written, date(2026, 11, 20), us_first=us)
    assert found.value.isoformat() == expected


def test_only_a_delivery_date_is_the_requested_date() -> None:
    # Given a PO date and a delivery date
    text = "PO date: 2026-11-20\nPlease deliver by 15 December 2026."
    # When the requested date is read / Then it is the delivery date
    assert requested_date(text, date(2026, 11, 20)) == "2026-12-15"
    assert requested_date("请于12月20号前送到工厂", date(2026, 11, 20)) == "2026-12-20"


@pytest.mark.parametrize(
    ("text", "qty"),
    [("1,000 pcs", 1000), ("2千个", 2000), ("1.5万个", 15000), ("qty: 300", 300), ("x 40", 40)],
)
def test_quantities_with_separators_units_and_multipliers(text: str, qty: int) -> None:
    # Given a quantity as written / When read / Then it is the count
    assert quantity_in(text) == qty


@pytest.mark.parametrize(
    ("text", "price", "currency"),
    [
        ("at $1.20", "1.20", "USD"),
        ("@ USD 0.11", "0.11", "USD"),
        ("单价5.80元", "5.80", "CNY"),
        ("¥3.5", "3.5", "CNY"),
        ("RMB 12.50", "12.50", "CNY"),
        ("2.10 EUR", "2.10", "EUR"),
    ],
)
def test_prices_with_signs_and_codes(text: str, price: str, currency: str) -> None:
    # Given a price as written / When read / Then amount and ISO code are right
    assert price_in(text) == (Decimal(price), currency)


def test_po_tracking_and_ship_to_fields() -> None:
    # Given labelled fields in both languages
    assert po_number(Numbering(), "Our PO No.: 4500012345, ref SO-2026-00012") == "4500012345"
    assert po_number(Numbering(), "采购单号：CG20261234") == "CG20261234"
    assert tracking_number("您的包裹SF1234567890123已揽收") == "SF1234567890123"
    assert tracking_number("DHL AWB 1234567890 picked up") == "1234567890"
    assert tracking_number("UPS 1Z999AA10123456784") == "1Z999AA10123456784"
    assert ship_to("Ship to:\nAcme Inc.\n1 Main St\n\nThanks") == "Acme Inc.\n1 Main St"


def test_lines_from_running_text_in_both_languages() -> None:
    # Given items written the ways customers write them
    # When read / Then each resolves to its SKU with quantity and price
    assert _lines("500 pcs of HX-2040 at $0.12") == [("HX-2040", 500, Decimal("0.12"), "USD")]
    assert _lines("Please send 2,500 of the 6204-2RS bearings and 1000 M8x40 hex bolts") == [
        ("BR-6204", 2500, None, None),
        ("HX-2040", 1000, None, None),
    ]
    assert _lines("六角螺栓 M8x40 镀锌 2千个，单价0.11元") == [
        ("HX-2040", 2000, Decimal("0.11"), "CNY")
    ]
    assert _lines("- Presure Transmiter 0-10 bar 4-20mA x 5") == [("SN-PS10", 5, None, None)]


def test_lines_from_aligned_and_html_tables_use_the_header() -> None:
    # Given the same order as an aligned text table and as an HTML table
    aligned = (
        "Part No.    Description      Qty      Unit Price (USD)\n"
        "HX-2040     bolt             5,000    0.11\n"
        "ZZ-999      widget           20       3.00"
    )
    html = html_to_text(
        "<table><tr><th>型号</th><th>数量</th><th>单价(元)</th></tr>"
        "<tr><td>BR-6204</td><td>200</td><td>12.5</td></tr></table>"
    )
    # When read / Then every row is a line; an unknown part keeps its line with no SKU
    assert _lines(aligned) == [
        ("HX-2040", 5000, Decimal("0.11"), "USD"),
        (None, 20, Decimal("3.00"), "USD"),
    ]
    assert _lines(html) == [("BR-6204", 200, Decimal("12.5"), "CNY")]


def test_an_unsure_product_match_lowers_confidence() -> None:
    # Given two orders that differ only in how surely the product is named
    head = b"From: buyer@acme.com\r\nSubject: PO 123\r\nMessage-ID: <x@y>\r\n\r\n"
    sure = parse_mail(head + b"PO 123: 500 pcs of HX-2040", CATALOG)
    unsure = parse_mail(head + b"PO 123: 500 pcs of Hex Blt M8 Zinc", CATALOG)
    # When both are parsed / Then the unsure one has the lower confidence
    assert sure.lines[0].sku == "HX-2040" and sure.customer_id == "C-ACME"
    assert unsure.confidence < sure.confidence


@pytest.mark.parametrize(
    ("written", "po"),
    [
        ("Please supply against our PO-88412.", "PO-88412"),
        ("PO: 88412", "88412"),
        ("PO# 88412", "88412"),
        ("Our purchase order no. 4500127731 follows.", "4500127731"),
        ("采购订单号：CG20261127", "CG20261127"),
        ("（订单 SO-2026-00109，我司单号 JL-CG-2026-1121）", "JL-CG-2026-1121"),
        ("Our PO number is SCE 4471. We need it by January.", "SCE 4471"),
        ("Our purchase order number for this business is NT-BE-26-0420.", "NT-BE-26-0420"),
    ],
)
def test_a_po_number_is_taken_as_written_and_a_label_is_not_part_of_it(written, po) -> None:
    raw = mail("buyer@customer.example", "Order", f"Hello,\n\n{written}\n\n1. HX-2040 - 5000 pcs\n")
    assert parse_mail(raw).po_number == po


def test_a_list_of_counts_for_one_item_is_a_line_for_each() -> None:
    # Given requests for quotes at several quantities, written three ways
    # When read / Then each count is a line of the same item, and a price is never a count
    assert _lines("Please quote HX-2040 for 500 pcs, 2,000 pcs and 10,000 pcs.") == [
        ("HX-2040", 500, None, None),
        ("HX-2040", 2000, None, None),
        ("HX-2040", 10000, None, None),
    ]
    assert _lines("深沟球轴承 6204-2RS 分别按 100个、500个、1000个报价") == [
        ("BR-6204", 100, None, None),
        ("BR-6204", 500, None, None),
        ("BR-6204", 1000, None, None),
    ]
    assert _lines("20,000 pcs HX-2040 at USD 0.10 and 600 pcs 6204-2RS at USD 1.70") == [
        ("HX-2040", 20000, Decimal("0.10"), "USD"),
        ("BR-6204", 600, Decimal("1.70"), "USD"),
    ]


def test_an_item_named_in_one_sentence_is_counted_by_the_next() -> None:
    text = "We are looking for a new source of 6204-2RS bearings.\nCould you quote 1k / 5k?"
    assert _lines(text) == [("BR-6204", 1000, None, None), ("BR-6204", 5000, None, None)]


def test_a_chinese_name_in_another_word_order_is_the_same_product() -> None:
    assert _lines("另外 M8x40 镀锌六角螺栓 3000个") == [("HX-2040", 3000, None, None)]


def test_a_price_cell_may_say_what_it_is() -> None:
    assert parse_price_cell("單價 USD 1.55") == (Decimal("1.55"), "USD")
    assert parse_price_cell("Price: $3.20") == (Decimal("3.20"), "USD")
    assert parse_price_cell("Pricey 3.20") == (None, None)


def test_a_chinese_header_that_joins_names_names_its_column() -> None:
    # Given a table whose headers join two names ("品名规格") or add an owner ("我司料号")
    table = (
        "| 序号 | 品名规格 | 数量 | 单价 |\n"
        "| 1 | 深沟球轴承 6204-2RS | 500 | 1.70 |\n"
        "| 2 | 六角螺栓 HX-2040 | 3000 | 0.11 |\n"
    )
    # When read / Then each row is a line of the named product
    assert [(x.sku, x.quantity, x.unit_price) for x in extract_lines(table, CATALOG)] == [
        ("BR-6204", 500, Decimal("1.70")),
        ("HX-2040", 3000, Decimal("0.11")),
    ]


def test_a_lowercase_word_and_a_number_are_not_a_part_code() -> None:
    # Given a sentence about a build, beside a real line
    text = "For the pilot build of 40 units we need:\n1. HX-2040 - 5000 pcs"
    # When read / Then only the real line is a line
    assert _lines(text) == [("HX-2040", 5000, None, None)]


def test_a_count_that_no_line_accounts_for_is_unread_but_a_length_or_a_column_gap_is_not() -> None:
    # Given the text of a PO whose second row the reader gave no line
    from mailroom.parsers.lines import Line
    from mailroom.parsers.understand import _unread

    text = (
        "00010 HX-2040 hex bolt 5,000 PC 0.11\n"
        "00020 1002331 nut 20,000 PC 0.07\n"
        "00030 cable pitch 1.27m\n"
        "2            M8 washer kit\n"
    )
    lines = [Line("HX-2040", Decimal(5000), "HX-2040", Decimal("0.11"), "USD")]
    # When asked what is unread / Then the uncounted row is, and the length and line number not
    assert _unread(text, lines, CATALOG, counts=True) == ["20,000 PC"]


def test_a_reply_written_below_a_marked_quote_is_the_new_text() -> None:
    # Given a bottom-posted reply: the attribution, "> " lines, then the answer
    text = (
        "On 2 Dec 2026, Orders Desk wrote:\n> Your order SO-2026-00142 is confirmed.\n>\n"
        "> 1. PT-10B-420 5 pcs\n\nPlease change the transmitters to 8 pcs.\n\nTom"
    )
    # When split / Then the answer is new and the quote is not
    split = split_quoted(text)
    assert split.new.startswith("Please change the transmitters to 8 pcs.")
    assert "SO-2026-00142" in split.quoted and "SO-2026-00142" not in split.new


def test_an_item_named_inside_a_chinese_clause_is_found_among_the_words_around_it() -> None:
    # Given changes that run the item into the sentence around it, beside other clauses
    # When read / Then the item is the catalog's and the count is the new one
    assert _lines("SO-2026-00412 里的USB-C母座数量从10000改为15000个，其它两项不变") == [
        ("CN-USBC24", 15000, None, None)
    ]
    assert _lines("订单 SO-2026-00142 的压力变送器数量改为 8 台，其他不变") == [
        ("SN-PS10", 8, None, None)
    ]


def test_a_count_that_is_part_of_the_product_name_is_not_the_quantity() -> None:
    text = "24V 5米中性白灯带 150卷，灯带价格按上次的走。"
    assert _lines(text) == [("LD-STRIP5", 150, None, None)]


def test_a_table_inside_a_cell_is_that_cells_text_and_the_row_keeps_its_cells() -> None:
    # Given an HTML row whose description cell holds a small two-line table
    markup = (
        "<table><tr><th>Line</th><th>Description</th><th>Part</th><th>Qty</th></tr>"
        "<tr><td>1</td><td><table><tr><td>Proximity sensor M18</td></tr>"
        "<tr><td>sensing 8 mm</td></tr></table></td><td>LJ18A3</td><td>300</td></tr></table>"
    )
    # When turned to text / Then the row is one line with every cell in its place
    assert html_to_text(markup).splitlines()[-1] == (
        "1 | Proximity sensor M18 sensing 8 mm | LJ18A3 | 300"
    )


def test_a_layout_table_around_a_data_table_keeps_both_in_order() -> None:
    markup = (
        "<table><tr><td>Request for quotation"
        "<table><tr><td>Item</td><td>Qty</td></tr><tr><td>HX-2040</td><td>500</td></tr>"
        "<tr><td>BR-6204</td><td>200</td></tr><tr><td>SN-PS10</td><td>5</td></tr></table>"
        "</td><td>Thank you</td></tr></table>"
    )
    assert [line for line in html_to_text(markup).splitlines() if line] == [
        "Request for quotation",
        "Item | Qty",
        "HX-2040 | 500",
        "BR-6204 | 200",
        "SN-PS10 | 5",
        "Thank you",
    ]


@pytest.mark.parametrize(
    ("written", "value"),
    [
        ("Could these be with us by end of January?", date(2027, 1, 31)),
        ("push it back to the end of February", date(2027, 2, 28)),
        ("by the end of next month", date(2027, 1, 31)),
        ("能不能这个月底前到", date(2026, 12, 31)),
        ("1月底前交货", date(2027, 1, 31)),
    ],
)
def test_the_end_of_a_month_is_its_last_day(written: str, value: date) -> None:
    assert [f.value for f in find_dates(written, date(2026, 12, 3))] == [value]


def test_a_date_labelled_in_the_cell_before_it_is_read_and_a_reply_by_date_is_not() -> None:
    row = "Reply by | 2026-12-10 | | Required on site | February 15, 2027"
    assert requested_date(row, date(2026, 12, 3)) == "2027-02-15"


@pytest.mark.parametrize(
    ("written", "pieces"),
    [
        ("10箱（每箱2000只）", 20000),
        ("5箱（1000只/箱）", 5000),
        ("20 cartons x 500 pcs", 10000),
        ("2 boxes of 100", 200),
    ],
)
def test_packs_of_a_stated_size_count_their_pieces(written: str, pieces: int) -> None:
    assert quantity_in(written) == pieces


@pytest.mark.parametrize("written", ["20 rolls x 5m", "40 roll @ 7.02 USD/pc", "3 boxes x 100 USD"])
def test_a_size_per_pack_that_is_a_length_or_a_price_multiplies_nothing(written: str) -> None:
    assert quantity_in(written) == int(written.split()[0])


def test_a_word_before_a_colon_is_a_label_not_a_unit() -> None:
    assert _lines("陈晓东\nT: 0512-6288 7410 M: 139-1365-2208") == []


def test_a_price_cell_may_say_whether_tax_is_in_it() -> None:
    assert parse_price_cell("单价52元/卷（含税）") == (Decimal("52"), "CNY")
    assert parse_price_cell("0.30 USD excl. VAT") == (Decimal("0.30"), "USD")


def test_taiwan_characters_match_a_pattern_written_in_simplified() -> None:
    # Given a change written in Taiwan's characters (改為, not OpenCC's standard 改爲)
    text = "品名：M12 四芯A型公頭連接器（HX-2040） 數量：由 500 個 改為 800 個"
    # When read / Then the new count is the line's
    assert _lines(text) == [("HX-2040", 800, None, None)]


def test_a_model_code_only_one_product_carries_names_it_unsurely() -> None:
    catalog = Catalog.of(
        [
            ProductRef("SW-ROCK16", "Rocker Switch 16A", "船型开关 16A 红色带灯", ("KCD4 red",)),
            ProductRef("SW-TACT6", "Tactile Switch 6x6", "轻触开关 6x6"),
        ],
        [],
    )
    match = catalog.resolve("船型开关 红色带灯 KCD4")
    assert match is not None and match.sku == "SW-ROCK16" and not match.sure


def test_items_each_led_by_a_count_in_one_sentence_are_a_line_each() -> None:
    catalog = Catalog.of(
        [
            ProductRef("LD-2835W", "LED 2835 Warm White", "2835 暖白灯珠"),
            ProductRef("LD-STRIP5", "LED Strip 24V 5m Neutral White", "LED 灯带 24V 5米 中性白"),
            ProductRef("PS-2405", "Power Supply 24V 5A", "导轨电源", ("DIN rail PSU 24V 5A",)),
        ],
        [],
    )
    text = (
        "We'd need 2k of the 2835 warm white chips, another 40 rolls of the 24V 5m neutral"
        " white strip and 25 of the DIN rail PSUs (24V 5A) please."
    )
    lines = [(x.sku, x.quantity) for x in extract_lines(text, catalog)]
    assert lines == [("LD-2835W", 2000), ("LD-STRIP5", 40), ("PS-2405", 25)]


def test_a_forward_under_the_senders_own_counts_is_background() -> None:
    # Given a sender who says what to change, above a colleague's forwarded note
    text = (
        "Please bump the 6205 bearings to 600 pcs on SO-2026-00131.\n\n"
        "---------- Forwarded message ---------\nFrom: Karen <k@acme.com>\nDate: Fri\n"
        "Subject: PO changes\nTo: John\n\nTheir confirmation had 1,000 RJ45 jacks and 400 6205."
    )
    # When split / Then the forwarded note is not new text
    split = split_quoted(text, "Fwd: PO changes")
    assert split.new == "Please bump the 6205 bearings to 600 pcs on SO-2026-00131."
    assert "1,000 RJ45" in split.quoted


def test_a_forward_with_no_word_of_the_senders_is_the_request() -> None:
    text = (
        "FYI, please process.\n\n---------- Forwarded message ---------\nFrom: Karen <k@a.com>\n"
        "Date: Fri\nSubject: PO 88\nTo: John\n\nPlease supply 500 pcs HX-2040."
    )
    assert "500 pcs HX-2040" in split_quoted(text, "Fwd: PO 88").new


def test_a_count_of_the_orders_lines_is_not_a_line() -> None:
    assert _lines("附件为我司采购订单 HX-PO-20261203-07（第2页还有3个物料），请确认。") == []


def test_a_date_under_its_heading_in_a_printed_form_is_read() -> None:
    from mailroom.parsers.fields import headed_rows, requested_date_in_tables

    text = (
        "P.O. NUMBER\nMC-24417\nORDER DATE            REQUIRED DATE\nVENDOR\n"
        "2026-12-02       Jan 22, 2027"
    )
    assert requested_date_in_tables(headed_rows(text), date(2026, 12, 2)) == "2027-01-22"


def test_counts_written_in_english_words_are_read() -> None:
    from mailroom.parsers.normalise import normalise

    text = "send twenty thousand of the washers, roughly half a million chips; one of them is fine"
    assert normalise(text) == (
        "send 20000 of the washers, roughly 500000 chips; one of them is fine"
    )


def test_a_sentence_that_starts_with_email_is_not_a_contact_line() -> None:
    text = "We accept your quotation. Please treat this\nemail as our order; PO number SCE-4490.\n"
    assert "PO number SCE-4490" in split_quoted(text).new
    assert "Tel: +61 2 9555" not in split_quoted("Thanks.\nTel: +61 2 9555 0140").new


def test_dates_as_erp_systems_print_them_and_a_kuayue_waybill() -> None:
    found = find_dates("Need-By 15-JAN-2027, printed 04.Dec.2026", date(2026, 12, 4))
    assert [f.value for f in found] == [date(2027, 1, 15), date(2026, 12, 4)]
    assert tracking_number("跨越速运 运单号 KY4000852736195") == "KY4000852736195"
