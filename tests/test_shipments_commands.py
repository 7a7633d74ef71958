"""`mailroom shipments book|list|show|track`, and the carrier rules that choose for `book`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from mailroom.cli import main
from mailroom.logistics.choose import Need, choose, need_for
from tests.fake_carrier import FakeCarrier
from tests.shipping import confirmed_order
from tests.shop import Shop

CUSTOMERS = {
    "C-ACME": "Acme Industrial Supply Inc. / 1200 Harbor Blvd / Long Beach CA 90802 / USA",
    "C-HUAXIN": "深圳市宝安区西乡街道航城大道168号 / 华信电子 收货部",
    "C-JINLONG": "江苏省苏州市工业园区星湖街328号 / 金龙自动化 仓库",
    "C-NORDTEK": "Nordtek Automation GmbH / Industriestrasse 14 / 70565 Stuttgart / Germany",
    "C-BRIGHTON": "Brighton Lighting Ltd / Unit 7 Hove Business Park / Brighton BN3 7ES / UK",
}


@pytest.fixture
def shop(dovecot: Any, smtp_sink: Any, sqlite_url: str, tmp_path: Path) -> Iterator[Shop]:
    yield Shop.open(dovecot, smtp_sink, tmp_path, sqlite_url)


@pytest.mark.parametrize(
    ("customer", "weight", "urgency", "carrier", "rule"),
    [
        ("C-ACME", "12", "standard", "ups", "parcel-to-north-america"),
        ("C-ACME", "45", "standard", "fedex", "heavy-to-north-america"),
        ("C-ACME", "2", "express", "dhl", "urgent-abroad"),
        ("C-HUAXIN", "3", "standard", "sf", "customer-prefers-sf-in-china"),
        ("C-JINLONG", "5", "standard", "zto", "parcel-in-jiangsu-zhejiang-shanghai"),
        ("C-JINLONG", "80", "standard", "deppon", "heavy-freight-in-china"),
        ("C-NORDTEK", "5", "economy", "dhl", "customer-prefers-dhl-abroad"),
        ("C-BRIGHTON", "150", "standard", "bluewave", "heavy-abroad-by-forwarder"),
        ("C-BRIGHTON", "4", "economy", "ems", "economy-abroad"),
    ],
)
def test_the_first_matching_rule_chooses_the_carrier_and_names_the_reason(
    customer: str, weight: str, urgency: str, carrier: str, rule: str
) -> None:
    # Given an order's destination, weight, urgency and customer
    need = need_for(CUSTOMERS[customer], customer, weight_kg=Decimal(weight), urgency=urgency)

    # When the rules choose
    choice = choose(need)

    # Then the carrier is the first matching rule's, and that rule is the reason
    assert choice is not None and (choice.carrier, choice.rule) == (carrier, rule)
    assert rule in choice.reason


def test_a_budget_below_a_rules_cost_passes_the_choice_to_the_next_rule() -> None:
    # Given a 45 kg parcel to the US: FedEx's rule costs 60 + 4.2/kg = 249 USD, UPS's 350 USD
    def need(budget: str, currency: str = "USD") -> Need:
        return Need(
            country="US", weight_kg=Decimal(45), budget=Decimal(budget), budget_currency=currency
        )

    # When the rules choose within 300 USD, within 200 USD, and within 200 CNY
    roomy, tight, other = choose(need("300")), choose(need("200")), choose(need("200", "CNY"))

    # Then 300 USD takes FedEx; no rule is within 200 USD; a CNY budget limits no USD rule
    assert roomy is not None and (roomy.carrier, roomy.cost) == ("fedex", Decimal("249.00"))
    assert tight is None
    assert other is not None and other.carrier == "fedex"


def test_book_chooses_by_the_rules_a_clerk_overrides_and_list_show_and_track_tell_it(
    shop: Shop, tmp_path: Path
) -> None:
    # Given a confirmed order of Acme's and a carrier API that knows the UPS parcel
    number = confirmed_order(shop)
    carrier = FakeCarrier().start()
    carrier.parcels[("ups", "1Z4E27W90413562805")] = (
        [
            {
                "time": "2026-12-06 09:00:00",
                "context": "Departed from facility",
                "location": "Ningbo",
            }
        ],
        "0",
    )
    env = {
        "MAILROOM_HOME": str(tmp_path),
        "MAILROOM_DATABASE_URL": shop.database_url,
        "MAILROOM_CARRIER_API_URL": carrier.url,
        "MAILROOM_CARRIER_API_KEY": carrier.api_key,
    }
    run = CliRunner().invoke
    try:
        # When a clerk asks what the rules choose, books it, and books a second parcel by DHL
        asked = run(main, ["shipments", "book", number, "--weight", "12"], env=env)
        booked = run(
            main,
            ["shipments", "book", number, "--weight", "12", "--tracking", "1Z4E27W90413562805"],
            env=env,
        )
        again = run(
            main, ["shipments", "book", number, "--tracking", "1Z4E27W90413562805"], env=env
        )
        override = run(
            main,
            [
                "shipments",
                "book",
                number,
                "--carrier",
                "dhl",
                "--service",
                "EXPRESS WORLDWIDE",
                "--tracking",
                "4829301756",
                "--as",
                "anna",
            ],
            env=env,
        )
        tracked = run(main, ["shipments", "track", "1Z4E27W90413562805"], env=env)
        listed = run(main, ["shipments", "list", "--json"], env=env)
        shown = run(main, ["shipments", "show", "1Z4E27W90413562805"], env=env)
        missing = run(main, ["shipments", "show", "1Z0000000000000000"], env=env)
    finally:
        carrier.stop()

    # Then the rules chose UPS with their reason, and the clerk's choice is recorded as hers
    assert asked.exit_code == 0 and "UPS" in asked.output
    assert "parcel-to-north-america" in asked.output
    assert booked.exit_code == 0, booked.output
    assert again.exit_code == 0 and override.exit_code == 0, override.output
    rows = json.loads(listed.output)
    assert [(r["carrier"], r["tracking_number"]) for r in rows] == [
        ("ups", "1Z4E27W90413562805"),
        ("dhl", "4829301756"),
    ]
    assert "parcel-to-north-america" in rows[0]["chosen_by"]
    assert rows[0]["weight_kg"] == "12" and rows[1]["chosen_by"] == "chosen by anna"
    # And track applied the carrier's event, which show lists; an unknown number is one line
    assert tracked.exit_code == 0 and "new events applied" in tracked.output, tracked.output
    assert "in_transit" in shown.output and "Departed from facility" in shown.output
    assert missing.exit_code == 1 and "there is no shipment" in missing.output
