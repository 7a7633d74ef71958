"""Reading attachments: PDFs made here, sheets, text, HTML, limits, and the kind of document."""

from __future__ import annotations

import datetime as dt
import io
import os
import time
from concurrent.futures import ThreadPoolExecutor

import openpyxl
import pytest
from pdf_samples import (
    chinese_po,
    dense_pdf,
    english_po,
    image_only_pdf,
    order_rows,
    po_table_rows,
)

from mailroom.parsers.attachments import kind_of, read_attachment
from mailroom.parsers.sandbox import Sandbox, SandboxCrash, SandboxTimeout

EN_HEADER = ["SKU", "Description", "Qty", "Unit Price (USD)", "Amount"]
ZH_HEADER = ["物料编号", "品名", "数量", "单价(元)", "金额"]


def test_an_english_po_gives_its_text_and_its_item_table() -> None:
    # Given an English purchase order with a ruled table of three lines
    rows = order_rows(3)
    payload = english_po(rows, po_number="PO-2026-0042")
    # When it is read
    content = read_attachment("order.pdf", "application/pdf", payload)
    # Then the text has the heading fields and the table comes back cell by cell
    assert content.finding is None and content.pages == 1
    assert "PO Number: PO-2026-0042" in content.text
    assert content.tables == [po_table_rows(rows, EN_HEADER)]
    # and the text keeps the columns apart, so a text-table reader can use it as well
    first = po_table_rows(rows, EN_HEADER)[1]
    line = next(line for line in content.text.splitlines() if line.startswith(first[0]))
    assert [cell.strip() for cell in line.split("  ") if cell.strip()] == first


def test_a_chinese_po_in_an_embedded_cjk_font_reads_in_chinese() -> None:
    # Given a Chinese purchase order set in WenQuanYi Micro Hei
    rows = order_rows(2)
    payload = chinese_po(rows, po_number="CG-2026-118")
    # When it is read
    content = read_attachment("采购订单.pdf", "application/pdf", payload)
    # Then the Chinese text and the table are there
    assert content.finding is None
    assert "采购订单" in content.text
    assert "订单号：CG-2026-118" in content.text
    assert "交货日期：2026年12月15日" in content.text
    assert content.tables == [po_table_rows(rows, ZH_HEADER)]


def test_a_po_over_several_pages_gives_every_line() -> None:
    # Given an order of 60 lines that runs over more than one page
    rows = order_rows(60)
    payload = english_po(rows)
    # When it is read
    content = read_attachment("po.pdf", "application/pdf", payload)
    # Then every line is in the tables, once, and the header repeats per page
    assert content.pages >= 2
    assert len(content.tables) == content.pages
    body = [row for table in content.tables for row in table if row != EN_HEADER]
    assert body == po_table_rows(rows, EN_HEADER)[1:]
    assert all(sku in content.text for sku, *_ in rows)


def test_a_scanned_po_is_an_image_only_finding() -> None:
    # Given a PDF that is only a picture of an order
    payload = image_only_pdf()
    # When it is read
    content = read_attachment("scan.pdf", "application/pdf", payload)
    # Then there is no text and the finding says why
    assert content.finding == "image_only"
    assert content.text == ""
    assert content.pages == 1


def test_a_truncated_pdf_is_read_as_far_as_it_goes_or_found_broken() -> None:
    # Given the first half of a purchase order's bytes (a mail cut off in transit)
    payload = english_po(order_rows(3))
    half = payload[: len(payload) // 2]
    # When it is read
    content = read_attachment("po.pdf", "application/pdf", half)
    # Then it does not raise: it is "broken", or whatever pdfium recovers is text
    assert content.finding in ("broken", "image_only") or "PURCHASE ORDER" in content.text


def test_a_pdf_with_nothing_after_its_header_is_broken() -> None:
    # Given only the first bytes of a PDF
    content = read_attachment("po.pdf", "application/pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    # Then it is broken, not a crash
    assert content.finding == "broken"


def test_a_pdf_slower_than_its_limit_times_out_and_the_next_one_is_read() -> None:
    # Given a long, dense PDF that takes far longer than a tight limit to read
    slow = dense_pdf(pages=60)
    # When it is read with that limit
    started = time.monotonic()
    content = read_attachment("big.pdf", "application/pdf", slow, timeout_s=0.05)
    # Then the work is stopped and recorded as a timeout
    assert content.finding == "timeout"
    assert time.monotonic() - started < 5
    # And the next attachment is read normally, by a fresh worker
    after = read_attachment("po.pdf", "application/pdf", english_po(order_rows(1)))
    assert after.finding is None and "PURCHASE ORDER" in after.text


def test_an_oversized_payload_is_too_large_without_being_read() -> None:
    # Given a payload over the size limit (a valid PDF, so only the size can stop it)
    payload = english_po(order_rows(2))
    # When it is read with a limit below its size
    content = read_attachment("po.pdf", "application/pdf", payload, max_bytes=len(payload) - 1)
    # Then it is "too_large" and nothing of it was read
    assert content.finding == "too_large"
    assert content.text == "" and content.tables == [] and content.pages == 0


def test_several_threads_reading_pdfs_at_once_each_get_their_own_result() -> None:
    # Given eight different purchase orders
    numbers = [f"PO-{n:04d}" for n in range(8)]
    payloads = [
        english_po(order_rows(2 + n % 3), po_number=number) for n, number in enumerate(numbers)
    ]
    # When four threads read them at the same time
    with ThreadPoolExecutor(max_workers=4) as pool:
        contents = list(
            pool.map(lambda data: read_attachment("po.pdf", "application/pdf", data), payloads)
        )
    # Then each result belongs to its own file
    for number, n, content in zip(numbers, range(8), contents, strict=True):
        assert f"PO Number: {number}" in content.text
        assert len(content.tables[0]) == 1 + 2 + n % 3


def test_the_sandbox_kills_an_overrunning_call_and_survives_a_crashing_one() -> None:
    # Given a sandbox of one worker
    sandbox = Sandbox(workers=1)
    try:
        # When a call runs past its limit, it is stopped
        with pytest.raises(SandboxTimeout):
            sandbox.call(time.sleep, 30, timeout_s=0.2)
        # When the worker process dies mid-call, that is a crash, not a hang
        with pytest.raises(SandboxCrash):
            sandbox.call(os._exit, 3, timeout_s=10)
        # When the function raises, the error's text comes back
        with pytest.raises(SandboxCrash, match="ValueError"):
            sandbox.call(int, "not a number", timeout_s=10)
        # Then the sandbox still works
        assert sandbox.call(sum, [1, 2, 3], timeout_s=10) == 6
    finally:
        sandbox.close()


def _workbook(sheets: dict[str, list[list[object]]]) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_an_xlsx_gives_every_sheet_with_cells_as_a_person_reads_them() -> None:
    # Given a workbook of two sheets with floats, integers, dates and Chinese text
    payload = _workbook(
        {
            "订单": [
                ["采购订单", None, None],
                ["物料编号", "数量", "单价"],
                ["HX-2040", 1000.0, 1.2],
                ["垫圈", 500, 0.1 + 0.2],
            ],
            "Delivery": [["Date", dt.datetime(2026, 12, 15)], [None, None], ["Ship to", "Pier 3"]],
        }
    )
    # When it is read
    content = read_attachment(
        "order.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        payload,
    )
    # Then each sheet is one table, numbers without float noise, empty rows gone
    assert content.finding is None
    assert content.tables == [
        [
            ["采购订单", "", ""],
            ["物料编号", "数量", "单价"],
            ["HX-2040", "1000", "1.2"],
            ["垫圈", "500", "0.3"],
        ],
        [["Date", "2026-12-15"], ["Ship to", "Pier 3"]],
    ]
    assert "HX-2040 | 1000 | 1.2" in content.text


def test_an_xlsx_that_is_not_a_workbook_is_broken() -> None:
    content = read_attachment("order.xlsx", "application/octet-stream", b"PK\x03\x04 not a zip")
    assert content.finding == "broken"


CSV_ROWS = [["物料编号", "品名", "数量", "单价"], ["HX-2040", "六角螺栓 M8", "1,000", "1.20"]]


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-8-sig", ","), ("gbk", ","), ("gb18030", ";"), ("utf-16", "\t"), ("utf-8", ";")],
)
def test_a_csv_round_trips_its_cells_in_the_charsets_excel_writes(
    encoding: str, delimiter: str
) -> None:
    # Given a CSV as Excel writes it in that charset, one cell quoted for its comma
    lines = [delimiter.join(f'"{c}"' if "," in c else c for c in row) for row in CSV_ROWS]
    payload = "\r\n".join(lines).encode(encoding)
    # When it is read (the MIME type Outlook gives CSV files)
    content = read_attachment("order.csv", "application/vnd.ms-excel", payload)
    # Then the cells come back as written
    assert content.finding is None
    assert content.tables == [CSV_ROWS]


def test_a_plain_text_attachment_in_gbk_is_decoded() -> None:
    text = "请按以下数量供货：\nHX-2040  1000个\n谢谢"
    content = read_attachment("note.txt", "text/plain", text.encode("gbk"))
    assert content.finding is None and content.text == text


def test_an_html_attachment_gives_text_with_columns_and_its_tables() -> None:
    # Given an HTML order with a table
    markup = (
        "<html><head><style>td{color:red}</style></head><body><h1>Purchase Order</h1>"
        "<table><tr><th>SKU</th><th>Qty</th></tr><tr><td>HX-2040</td><td>1,000</td></tr>"
        "</table><p>Thanks &amp; regards</p></body></html>"
    )
    # When it is read
    content = read_attachment("po.html", "text/html", markup.encode())
    # Then the table is there, as cells and as a text line with a column gap
    assert content.tables == [[["SKU", "Qty"], ["HX-2040", "1,000"]]]
    assert "HX-2040  1,000" in content.text and "Thanks & regards" in content.text
    assert "color" not in content.text


@pytest.mark.parametrize(
    ("filename", "content_type", "magic", "finding"),
    [
        ("photo.jpg", "image/jpeg", b"\xff\xd8\xff\xe0\x00\x10JFIF", None),
        ("old.xls", "application/vnd.ms-excel", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "unsupported"),
        ("spec.docx", "application/octet-stream", b"PK\x03\x04\x14\x00", "unsupported"),
        ("archive.zip", "application/zip", b"PK\x03\x04\x14\x00", "unsupported"),
    ],
)
def test_formats_without_a_reader_give_no_text(
    filename: str, content_type: str, magic: bytes, finding: str | None
) -> None:
    content = read_attachment(filename, content_type, magic + b"\x00\x01 binary")
    assert content.text == "" and content.finding == finding


@pytest.mark.parametrize(
    ("filename", "text", "kind"),
    [
        ("invoice.pdf", "ACME Ltd\nPURCHASE ORDER\nInvoice to: ACME Ltd", "purchase_order"),
        ("scan.pdf", "深圳某某公司\n采购订单\n订单号：CG-1\n发票抬头：某某公司", "purchase_order"),
        ("doc.pdf", "Buyer Co.          Purchase Order No. 4711\nPlease deliver", "purchase_order"),
        ("po.pdf", "COMMERCIAL INVOICE\nPO No.: 4711\nInvoice No.: INV-9", "invoice"),
        ("order.pdf", "装箱单\n箱号  数量", "packing_list"),
        ("order.pdf", "Packing List\nCarton 1 of 3", "packing_list"),
        ("file.pdf", "报价单\n有效期30天", "quote"),
        ("file.pdf", "QUOTATION\nValid for 30 days", "quote"),
        ("file.pdf", "销售合同\n甲方：", "contract"),
        ("file.pdf", "BILL OF LADING\nShipper:", "shipping_document"),
        ("file.pdf", "AIR WAYBILL\n", "shipping_document"),
        ("PO_4711.pdf", "", "purchase_order"),
        ("装箱单-0098.xlsx", "", "packing_list"),
        ("INV-2026-001.pdf", "", "invoice"),
        ("photo.png", "", "image"),
        ("notes.pdf", "Minutes of the meeting", "other"),
    ],
)
def test_kind_is_decided_by_content_before_the_file_name(
    filename: str, text: str, kind: str
) -> None:
    assert kind_of(filename, "application/octet-stream", text) == kind


def test_a_po_pdf_read_back_is_classified_as_a_purchase_order() -> None:
    content = read_attachment("invoice.pdf", "application/pdf", chinese_po(order_rows(1)))
    assert kind_of("invoice.pdf", "application/pdf", content.text) == "purchase_order"


def test_a_prestarted_worker_takes_the_first_call() -> None:
    # Given a sandbox told to start a worker before any call
    sandbox = Sandbox(workers=1)
    try:
        sandbox.prestart()
        started = {worker.process.pid for worker in sandbox._idle}
        # When the first call comes
        pid = sandbox.call(os.getpid, timeout_s=30)
        # Then the worker started ahead ran it, and a second prestart starts no other
        sandbox.prestart()
        assert started == {pid} == {worker.process.pid for worker in sandbox._idle}
    finally:
        sandbox.close()
