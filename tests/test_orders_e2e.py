"""Orders end to end, through Dovecot and the SMTP sink: order mails in, confirmations out."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, func, select

from mailroom.catalog_import import import_files
from store.catalog import Product
from store.orders import CONFIRMED
from tests.shop import (
    Shop,
    body,
    check_rows_priced,
    expected_price,
    in_days,
    money,
    pdf_text,
)
from tests.support import mail


@pytest.fixture
def shop(dovecot: Any, smtp_sink: Any, database_url: str, tmp_path: Path) -> Iterator[Shop]:
    yield Shop.open(dovecot, smtp_sink, tmp_path, database_url)


def english_order(po: str = "AC-77812", sender: str = "john.miller@acme-industrial.com") -> bytes:
    return mail(
        sender,
        f"Purchase order {po}",
        f"Hello,\n\nPlease supply the following under our purchase order {po}:\n\n"
        "1. HX-2040 Hex Bolt M8x40 - 5000 pcs\n"
        "2. BR-6204 Ball Bearing 6204-2RS - 600 pcs\n\n"
        f"Requested delivery date: {in_days(30)}\n\n"
        "Best regards,\nJohn Miller\nAcme Industrial Supply",
    )


def test_a_clean_english_order_is_confirmed_with_a_pdf_of_its_lines_and_total(shop: Shop):
    # Given Acme (5 % discount) orders two products in stock, well before the requested date
    asked = {"HX-2040": 5000, "BR-6204": 600}

    # When the service runs
    shop.run(english_order())

    # Then one order is confirmed and John gets one reply carrying its number and the PDF
    (order,) = shop.orders()
    assert order.status == CONFIRMED and order.customer_id == "C-ACME", order.reasons
    (reply,) = shop.sent_to("john.miller@acme-industrial.com")
    assert order.number in str(reply["Subject"])
    filename, text = pdf_text(reply)
    assert filename == f"{order.number}.pdf"
    # And every line of the PDF shows the price worked out from the catalog, and the total
    total = check_rows_priced(text, asked, "C-ACME")
    for sku, quantity in asked.items():
        _unit, amount = expected_price(sku, quantity, "C-ACME")
        assert money(amount) in body(reply)
    assert money(total) in text and money(total) in body(reply)
    assert "Order Confirmation" in text and "NET 30" in text and order.number in text


def test_a_clean_chinese_order_is_confirmed_in_chinese_with_a_chinese_pdf(shop: Shop):
    # Given Huaxin (3 % discount) orders in Chinese
    asked = {"CN-M12A4": 500, "SN-IR18": 200}
    order_mail = mail(
        "zhang.min@huaxin-elec.cn",
        "采购订单 HX20261201",
        "您好，\n\n请按以下订单发货，订单号：HX20261201\n\n"
        "CN-M12A4 M12 四芯A型公头连接器 500个\n"
        "SN-IR18 M18 电感式接近开关 200个\n\n"
        f"交货日期：{in_days(30)}\n\n谢谢！\n张敏",
    )

    # When the service runs
    shop.run(order_mail)

    # Then the order is confirmed in Chinese, with a Chinese confirmation PDF
    (order,) = shop.orders()
    assert order.status == CONFIRMED, order.reasons
    (reply,) = shop.sent_to("zhang.min@huaxin-elec.cn")
    assert "已确认" in body(reply)
    _name, text = pdf_text(reply)
    assert "订单确认" in text and "月结30天" in text and "接近开关" in text
    total = check_rows_priced(text, asked, "C-HUAXIN")
    assert money(total) in text


def test_an_order_reads_the_products_it_names_not_the_whole_catalog(shop: Shop, tmp_path: Path):
    # Given a supplier's catalog of a few thousand products
    filler = tmp_path / "more_products.csv"
    with filler.open("w", newline="") as out:
        rows = csv.writer(out)
        rows.writerow(["sku", "name", "unit", "unit_price", "currency", "moq", "stock"])
        rows.writerows(
            [f"ZZ-{n:05d}", f"Part {n}", "pcs", "1.00", "USD", 1, 100] for n in range(3000)
        )
    shop.with_runtime(lambda runtime: _import(runtime, filler))
    catalog_size = shop.query(lambda s: s.scalar(select(func.count()).select_from(Product)))
    loaded: list[str] = []

    def listen(target: Product, _context: Any) -> None:
        loaded.append(target.sku)

    # When an order for two of them is checked and confirmed
    event.listen(Product, "load", listen)
    try:
        shop.run(english_order())
    finally:
        event.remove(Product, "load", listen)

    # Then it is confirmed, and the catalog was read once (the parser's snapshot), not again
    # for the order's checks, its confirmation and its reply
    (order,) = shop.orders()
    assert order.status == CONFIRMED, order.reasons
    assert catalog_size > 3000
    assert len(loaded) < catalog_size + 20, len(loaded)


def _import(runtime: Any, path: Path) -> None:
    with runtime.work() as work:
        _summaries, problems = import_files(work.session, [path])
    assert not problems, problems
