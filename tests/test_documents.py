"""Our PDF documents: rendered in both languages, read back with pdfplumber, checked by text."""

from __future__ import annotations

import io
import logging
import tomllib
from datetime import date
from decimal import Decimal
from importlib import resources
from pathlib import Path

import pdfplumber
import pytest

import mailroom.documents as documents
from mailroom.documents import KINDS, Document, DocumentLine, render
from mailroom.documents.fonts import FALLBACK_NAME, document_font
from mailroom.documents.labels import format_amount, format_unit_price, labels

D = Decimal
LANGUAGES = ("en", "zh")


def sample(**changes: object) -> Document:
    """A three-line document in USD for a Chinese customer, with every field filled."""
    lines = (
        DocumentLine(
            "BOLT-M8", D(500), "Socket cap screw M8", "内六角螺钉", "pcs",
            D("11.80"), D("5900.00"), "USD", date(2026, 3, 3), from_stock=True,
        ),
        DocumentLine(
            "NUT-M8", D(100), "Hex nut M8", "六角螺母", "pcs", D("0.045"), D("4.50"), "USD",
            date(2026, 3, 23), note="Quoted at the MOQ",
        ),
        DocumentLine(
            "WASHER-BOX", D("2.5"), "Washer box", "", "box", D("1234.5"), D("3086.25"), "USD",
        ),
    )  # fmt: skip
    values: dict[str, object] = {
        "company_name": "Mailroom Trading Co.",
        "number": "Q-2026-00042",
        "date": date(2026, 3, 2),
        "customer_name": "深圳华强电子有限公司",
        "customer_address": "华强北路1号 / 518000 Shenzhen",
        "customer_po": "PO-7781",
        "order_number": "SO-2026-00012",
        "valid_until": date(2026, 3, 16),
        "promised_date": date(2026, 3, 23),
        "due_date": date(2026, 4, 1),
        "lines": lines,
        "payment_terms": "NET 30",
        "notes": ("价格不含增值税。",),
    }
    values.update(changes)
    return Document(**values)  # type: ignore[arg-type]


def pages_text(pdf: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(pdf)) as opened:
        return [page.extract_text() or "" for page in opened.pages]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_document_reads_back_with_its_names_lines_and_totals(kind: str, language: str) -> None:
    # Given a document with Chinese names, three lines and a total
    doc = sample()
    table = labels(language)
    # When it is rendered in that language and read back
    pdf = render(kind, doc, language)
    (text,) = pages_text(pdf)
    # Then the title, our number, the customer (in Chinese) and the references are there
    for expected in (
        table["titles"][kind],
        doc.number,
        doc.customer_name,
        "华强北路1号",
        "PO-7781",
    ):
        assert expected in text, expected
    # And every line shows its SKU and quantity, and its name in the document's language
    for line in doc.lines:
        assert line.sku in text
    assert "2.5" in text and "500" in text
    assert ("内六角螺钉" if language == "zh" else "Socket cap screw M8") in text
    if KINDS[kind].priced:
        # And priced documents show unit prices, amounts and the total
        for line in doc.lines:
            assert line.unit_price is not None and line.amount is not None
            assert format_unit_price(line.unit_price, "USD") in text
            assert format_amount(line.amount, "USD") in text
        assert "8,990.75" in text
        assert f"{table['text']['total']} USD" in text
    else:
        # And a packing list shows no prices, but the total quantity per unit
        assert "1,234.50" not in text and "8,990.75" not in text
        assert f"600 {table['units']['pcs']}" in text


def test_chinese_labels_and_dates_are_printed_in_a_chinese_document() -> None:
    # Given a quote
    # When rendered in Chinese
    (text,) = pages_text(render("quote", sample(), "zh"))
    # Then the labels, units and dates are Chinese
    for expected in (
        "报价单",
        "报价单号",
        "有效期至",
        "2026年3月16日",
        "单价",
        "件",
        "合计",
        "第 1 页",
    ):
        assert expected in text, expected
    assert "Quotation" not in text


def test_an_order_of_120_lines_spans_pages_with_every_line_and_the_header_repeated() -> None:
    # Given an order of 120 lines
    lines = tuple(
        DocumentLine(
            f"SKU-{n:04d}", D(n), f"Part {n}", f"零件{n}", "pcs", D("2.00"), D(2 * n), "USD"
        )
        for n in range(1, 121)
    )
    doc = sample(number="SO-2026-00012", lines=lines)
    # When the confirmation is rendered
    pages = pages_text(render("order_confirmation", doc, "en"))
    # Then it has several pages, each with the column header and "Page x of y"
    assert len(pages) >= 3
    for number, text in enumerate(pages, start=1):
        assert "Unit price" in text and "Amount" in text
        assert f"Page {number} of {len(pages)}" in text
    # And every line is there exactly once, and the total comes on the last page
    everything = "\n".join(pages)
    for line in lines:
        assert everything.count(line.sku) == 1, line.sku
    assert "14,520.00" in pages[-1]


def test_the_same_input_gives_the_same_bytes() -> None:
    # Given one document
    doc = sample()
    # When rendered twice
    # Then the PDFs are identical, so re-running a job stores nothing new
    assert render("invoice", doc, "zh") == render("invoice", doc, "zh")


def test_lines_in_several_currencies_show_each_currency_and_a_total_for_each() -> None:
    # Given lines in USD and JPY
    lines = (
        DocumentLine("A-1", D(10), "Alpha", "", "pcs", D("1.50"), D("15.00"), "USD"),
        DocumentLine("B-2", D(3), "Beta", "", "pcs", D(1200), D(3600), "JPY"),
    )
    # When a quote is rendered
    (text,) = pages_text(render("quote", sample(lines=lines), "en"))
    # Then each price carries its currency, and each currency has its own total
    assert "USD 1.50" in text and "JPY 1,200" in text
    assert "Total JPY 3,600" in text and "Total USD 15.00" in text


def test_markup_characters_and_an_unknown_language_do_not_break_rendering() -> None:
    # Given names with characters reportlab treats as markup
    line = DocumentLine("X&Y<1>", D(1), "Bolt <b>& nut", "", "pcs", D(1), D(1), "EUR")
    doc = sample(customer_name="A & B <Ltd>", lines=(line,))
    # When rendered for a customer whose language we have no labels for
    (text,) = pages_text(render("invoice", doc, "de-DE"))
    # Then the text comes out as written, under English labels
    assert "A & B <Ltd>" in text and "Bolt <b>& nut" in text and "X&Y<1>" in text
    assert "Invoice" in text


def test_both_languages_have_the_same_labels() -> None:
    # Given the label files
    def keys(table: dict[str, object], prefix: str = "") -> set[str]:
        found = set()
        for key, value in table.items():
            found.add(prefix + key)
            if isinstance(value, dict):
                found |= keys(value, f"{prefix}{key}.")
        return found

    folder = resources.files("mailroom.documents").joinpath("templates")
    tables = {
        lang: tomllib.loads(folder.joinpath(f"labels.{lang}.toml").read_text("utf-8"))
        for lang in LANGUAGES
    }
    # When their keys are compared
    # Then no label is missing in either language
    assert keys(tables["en"]) == keys(tables["zh"])


def test_without_the_wenquanyi_file_the_builtin_cjk_font_is_used_and_said_once(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    # Given the font file is missing
    missing = tmp_path / "no-such-font.ttc"
    monkeypatch.setattr(documents, "document_font", lambda: document_font(missing))
    caplog.set_level(logging.WARNING, logger="mailroom.documents.fonts")
    # When two documents are rendered
    first = render("quote", sample(), "zh")
    render("quote", sample(), "zh")
    # Then the built-in font is named in the PDF, the Chinese still reads back,
    # and the fallback was logged once
    assert FALLBACK_NAME.encode() in first
    (text,) = pages_text(first)
    assert "报价单" in text and "深圳华强电子有限公司" in text
    assert sum("fonts-wqy-microhei" in r.getMessage() for r in caplog.records) == 1
