"""The order page of the web desk shows each shipment with its event timeline."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.shipping import book_parcel, carrier_mail, confirmed_order, open_items, shipment
from tests.shop import Shop
from tests.web_support import PASSWORD, add_clerk, served


def csrf_of(page: httpx.Response) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found, "the page has no CSRF token"
    return found.group(1)


def clerk(site: Any, name: str = "anna") -> httpx.Client:
    """A signed-in clerk's browser."""
    add_clerk(site.runtime, name)
    client = httpx.Client(base_url=site.url, follow_redirects=False)
    token = csrf_of(client.get("/signin"))
    client.post("/signin", data={"csrf": token, "name": name, "password": PASSWORD})
    return client


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
        client = clerk(site)
        page = client.get(f"/orders/{number}")
        queue = client.get("/queue")
        (item,) = [i for i in open_items(shop) if i.kind == "shipment"]
        held = client.get(f"/items/{item.id}")

    # Then both parcels are there, the UPS one with its exception event and where it happened
    assert page.status_code == 200
    assert (
        "UPS" in page.text and "1Z4E27W90413562805" in page.text and "Worldwide Saver" in page.text
    )
    assert "address_problem" in page.text and "Birmingham, United Kingdom" in page.text
    assert "4829301756" in page.text and "No tracking event yet." in page.text
    # And the clerks' queue and the item show the exception with its reason
    assert queue.status_code == 200 and held.status_code == 200
    assert "address was incorrect" in held.text and number in queue.text


def test_a_clerk_books_a_parcel_on_the_order_page_as_the_rules_choose_or_overrides(
    shop: Shop,
) -> None:
    # Given a confirmed order of Acme's (to the USA), whose page suggests the rules' carrier
    number = confirmed_order(shop)
    with served(shop.home, database_url=shop.database_url) as site:
        client = clerk(site)
        page = client.get(f"/orders/{number}")
        assert "parcel-to-north-america" in page.text

        # When she books one parcel as the rules choose, and one with DHL by her own choice
        token = csrf_of(page)
        by_rules = client.post(
            f"/orders/{number}/shipments",
            data={"csrf": token, "tracking": "1Z9W1X870368420319", "weight": "12"},
        )
        own = client.post(
            f"/orders/{number}/shipments",
            data={"csrf": token, "carrier": "dhl", "service": "EXPRESS", "tracking": "6170384922"},
        )
        after = client.get(f"/orders/{number}")

    # Then both are booked, each with why that carrier, and the page lists them
    assert by_rules.status_code == 303 and own.status_code == 303
    ups, dhl = shipment(shop, "1Z9W1X870368420319"), shipment(shop, "6170384922")
    assert (ups.carrier, ups.service) == ("ups", "Worldwide Saver")
    assert ups.chosen_by is not None and "parcel-to-north-america" in ups.chosen_by
    assert (dhl.carrier, dhl.chosen_by) == ("dhl", "chosen by anna")
    assert "1Z9W1X870368420319" in after.text and "6170384922" in after.text
