"""Where a delivery address starts and where it ends, in the shapes customers write it."""

from __future__ import annotations

from mailroom.parsers.address import ship_to


def test_a_labelled_block_ends_at_the_next_field_of_the_form() -> None:
    text = (
        "Ship To: Harbor Tools Inc., Dock 4, 88 Pier Road, Oakland CA 94607\n"
        "Need By: 2027-02-01 Terms: NET 30\n"
        "Line Part Description Qty UOM Unit Price\n"
        "1 HX-2040 bolt 500 EA 0.10"
    )
    assert ship_to(text) == "Harbor Tools Inc., Dock 4, 88 Pier Road, Oakland CA 94607"


def test_a_block_ends_at_a_table_header_even_without_a_blank_line() -> None:
    text = "送货地址：上海市嘉定区曹安公路4888号\n东区二号仓\n序号 品名 数量 单价\n1 轴承 100 1.2"
    assert ship_to(text) == "上海市嘉定区曹安公路4888号\n东区二号仓"


def test_a_contract_clause_gives_its_place_up_to_the_clause_end() -> None:
    text = (
        "二、交货时间：2027年1月5日\n"
        "三、交货地点：天津市西青区赛达大道12号 北厂仓库，运费乙方承担。\n"
        "四、付款方式：月结"
    )
    assert ship_to(text) == "天津市西青区赛达大道12号 北厂仓库"


def test_a_sentence_naming_the_delivery_and_ending_in_a_colon_heads_the_block() -> None:
    text = "请于1月10日前送达:\n成都市高新区天府五街200号\n研发楼 张工收\n\n谢谢"
    assert ship_to(text) == "成都市高新区天府五街200号\n研发楼 张工收"


def test_a_hard_wrapped_request_to_send_elsewhere_heads_the_block() -> None:
    text = (
        "Could you please send the goods to our second warehouse instead\n"
        "of the usual one:\n\nNorthline Ltd\n14 Mill Lane\nLeeds LS1 4AB\n\nThanks"
    )
    assert ship_to(text) == "Northline Ltd\n14 Mill Lane\nLeeds LS1 4AB"


def test_a_ship_to_column_beside_the_vendor_column_is_read_alone() -> None:
    text = (
        "Vendor            Ship To\n"
        "Kaiyuan Parts            Harbor Tools Inc.\n"
        "Ningbo            Dock 4\n"
        "88 Pier Road\n"
        "Oakland CA 94607\n"
        "Deliver by: Feb 1, 2027"
    )
    assert ship_to(text) == "Harbor Tools Inc.\nDock 4\n88 Pier Road\nOakland CA 94607"


def test_a_ship_to_cell_of_an_html_table() -> None:
    assert ship_to("Ship to | 12 Harbour St, Sydney NSW 2000") == "12 Harbour St, Sydney NSW 2000"


def test_a_delivery_verb_in_running_text_gives_the_place_it_names() -> None:
    text = "1万个下周要,送无锡新区锡梅路55号仓库。款到发货。"
    assert ship_to(text) == "无锡新区锡梅路55号仓库"


def test_a_signature_or_billing_address_is_not_where_the_goods_go() -> None:
    assert ship_to("李静\n苏州某某有限公司\n地址:苏州市星湖街328号") is None
    assert ship_to("Bill to address:\nAcme Ltd\n1 Main Street") is None


def test_a_date_after_a_delivery_word_is_not_a_place() -> None:
    assert ship_to("送达：12月9日") is None
    assert ship_to("压力变送器 0-10bar 4-20mA 10个") is None


def test_a_ship_to_heading_over_the_address_as_a_form_prints_it() -> None:
    text = "SHIP TO\nMaple Controls - Receiving\n88 Industrial Pkwy, Door 4\nCanada\n\n# Part Qty"
    assert ship_to(text) == "Maple Controls - Receiving\n88 Industrial Pkwy, Door 4\nCanada"


def test_a_ship_to_column_of_a_sheet_ends_at_each_rows_cell() -> None:
    text = (
        "Ship to: Pacific Robotics LLC, Dock 2 | Date | 2026-12-03\n"
        "350 Bay Road, Redwood City CA | Need date | 01/08/2027\nQty | UoM | Description"
    )
    assert ship_to(text) == "Pacific Robotics LLC, Dock 2\n350 Bay Road, Redwood City CA"


def test_a_delivery_verb_as_a_label_starts_the_address() -> None:
    assert ship_to("发到：河北省保定市竞秀区朝阳北大街1566号\n刘强") == (
        "河北省保定市竞秀区朝阳北大街1566号\n刘强"
    )


def test_a_place_the_reader_already_knows_is_no_address() -> None:
    assert ship_to("Ship to: our usual warehouse, as always.") is None


def test_the_next_heading_of_a_form_or_a_sign_off_ends_the_address() -> None:
    assert ship_to("SHIP TO\nHK Link Trading\n3 Kin Chuen Street\nSHIP VIA\nCourier") == (
        "HK Link Trading\n3 Kin Chuen Street"
    )
    assert ship_to("ship to:\nPacific Robotics LLC\n1450 Greg St Suite 104\nthx!!") == (
        "Pacific Robotics LLC\n1450 Greg St Suite 104"
    )


def test_a_ship_to_column_in_the_middle_of_a_form_is_read_down_its_column() -> None:
    text = (
        "Vendor:            Ship To:            Payment Terms: NET 30\n"
        "Kaiyuan Parts Co., Ltd.            Acme Industrial Supply Inc.\n"
        "Supplier No. 20417            1200 Harbor Blvd\n"
        "Long Beach CA 90802\n"
        "Line   Item   Description   Quantity   Unit Price\n"
    )
    assert ship_to(text) == "Acme Industrial Supply Inc.\n1200 Harbor Blvd\nLong Beach CA 90802"


def test_a_german_delivery_address_label() -> None:
    assert ship_to("Lieferadresse: Nordtek GmbH, Tor 2, Industriestrasse 14, 70565 Stuttgart") == (
        "Nordtek GmbH, Tor 2, Industriestrasse 14, 70565 Stuttgart"
    )
