"""Documents on the clerks' desk: listed on the order and customer pages and in the order's
timeline, downloadable by a signed-in clerk only, byte for byte."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from store.documents import Document
from tests.shop import Shop, in_days
from tests.support import mail
from tests.test_web_pages import csrf_of, signed_in
from tests.web_support import add_clerk, served


@pytest.fixture
def shop(dovecot: Any, smtp_sink: Any, sqlite_url: str, tmp_path: Path) -> Iterator[Shop]:
    yield Shop.open(dovecot, smtp_sink, tmp_path, sqlite_url)


def test_the_desk_lists_an_orders_documents_and_serves_them_to_clerks_only(shop: Shop):
    # Given a confirmed order, its confirmation PDF filed
    shop.run(
        mail(
            "john.miller@acme-industrial.com",
            "Purchase order AC-5100",
            "Hello,\n\nPlease supply under our purchase order AC-5100:\n\n"
            f"1. BR-6204 Ball Bearing 6204-2RS - 600 pcs\n\nRequested delivery date: {in_days(30)}"
            "\n\nJohn",
        )
    )
    (order,) = shop.orders()
    (document,) = shop.query(lambda s: list(s.scalars(select(Document))))

    with served(shop.home, database_url=shop.database_url) as site:
        add_clerk(site.runtime, "alice")
        visitor = httpx.Client(base_url=site.url, follow_redirects=False)
        _ = csrf_of(visitor.get("/signin"))
        clerk = signed_in(site)

        # When a visitor and a signed-in clerk ask for the pages and the file
        refused = visitor.get(f"/documents/{document.id}")
        order_page = clerk.get(f"/orders/{order.number}")
        customer_page = clerk.get("/customers/C-ACME")
        download = clerk.get(f"/documents/{document.id}")

    # Then the visitor is sent to sign in, and the clerk sees the document listed on both
    # pages and in the order's timeline, and downloads the very bytes filed
    assert refused.status_code == 303 and refused.headers["location"].startswith("/signin")
    assert order_page.status_code == 200 and customer_page.status_code == 200
    link = f'href="/documents/{document.id}"'
    assert order_page.text.count(link) == 2  # the documents card and the timeline
    assert link in customer_page.text and document.filename in customer_page.text
    assert "generated confirmation" in order_page.text
    assert download.status_code == 200
    assert hashlib.sha256(download.content).hexdigest() == document.sha256
    assert download.headers["content-disposition"].startswith("attachment;")
