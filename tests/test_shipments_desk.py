"""The order page of the web desk shows each shipment with its event timeline."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.shipping import book_parcel, carrier_mail, confirmed_order
from tests.shop import Shop
from tests.web_support import PASSWORD, add_clerk, served


@pytest.fixture
def shop(dovecot: Any, smtp_sink: Any, sqlite_url: str, tmp_path: Path) -> Iterator[Shop]:
    yield Shop.open(dovecot, smtp_sink, tmp_path, sqlite_url)


def test_the_order_page_shows_each_shipment_and_its_events(shop: Shop) -> None:
    # Given an order with a UPS parcel that had an address problem, and one not scanned yet
    number = confirmed_order(shop)
    book_parcel(shop, number, "ups", "1Z4E27W90413562805", service="Worldwide Saver")
    book_parcel(shop, number, "dhl", "4829301756")
    shop.run(carrier_mail("ups-address"))

    # When a signed-in clerk opens the order's page
    with served(shop.home, database_url=shop.database_url) as site:
        add_clerk(site.runtime, "anna")
        client = httpx.Client(base_url=site.url, follow_redirects=False)
        token = re.search(r'name="csrf" value="([^"]+)"', client.get("/signin").text)
        assert token is not None
        client.post("/signin", data={"csrf": token.group(1), "name": "anna", "password": PASSWORD})
        page = client.get(f"/orders/{number}")

    # Then both parcels are there, the UPS one with its exception event and where it happened
    assert page.status_code == 200
    assert (
        "UPS" in page.text and "1Z4E27W90413562805" in page.text and "Worldwide Saver" in page.text
    )
    assert "address_problem" in page.text and "Birmingham, United Kingdom" in page.text
    assert "4829301756" in page.text and "No tracking event yet." in page.text
