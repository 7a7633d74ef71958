"""Our own numbers: the shapes mail cites them in, the template new ones are made with, and
finding an order or quote from another spelling of its number."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mailroom.errors import ConfigError
from mailroom.numbering import NumberFormat, Numbering
from mailroom.parsers import parse_mail
from mailroom.settings import load_settings
from store import orders as store
from store.base import utcnow
from store.orders import CONFIRMED
from tests.shop import Shop, in_days
from tests.support import mail

ACME = "john.miller@acme-industrial.com"
YEAR = utcnow().year


@pytest.mark.parametrize(
    ("text", "order", "quote"),
    [
        ("Re: SO-261634 delivery", "SO-261634", None),
        ("about so 2026/118, please", "SO 2026/118", None),
        ("SO#261634 is late", "SO#261634", None),
        ("your SO No. 261634", "SO No. 261634", None),
        ("ORD-2026-00012 and SO-2026-00013", "ORD-2026-00012", None),
        ("the prices of Q-26366 are confirmed", None, "Q-26366"),
        ("报价单QT-2026-00031已确认", None, "QT-2026-00031"),
    ],
)
def test_the_default_formats_recognise_numbers_from_other_systems(
    text: str, order: str | None, quote: str | None
) -> None:
    # Given the default numbering
    numbering = Numbering()
    # When a text citing a number is searched
    # Then the number is found as written, of the right kind
    assert numbering.order.find(text) == order
    assert numbering.quote.find(text) == quote


@pytest.mark.parametrize(
    "text", ["Q 2027 forecast", "Q1 2027", "PO 4500012345", "SOLAR 2026/118", "ISO 9001:2015"]
)
def test_quarters_codes_and_other_numbers_are_not_ours(text: str) -> None:
    numbering = Numbering()
    assert numbering.order.find(text) is None and numbering.quote.find(text) is None


def test_spellings_of_one_number_share_a_key() -> None:
    fmt = NumberFormat("SO-{year}-{seq:05d}", aliases=("ORD",))
    assert fmt.key("so 2026/118") == fmt.key("SO-2026-00118") == fmt.key("ORD-2026-118")
    assert fmt.key("SO-2026-00119") != fmt.key("SO-2026-00118")
    assert fmt.key("not a number") is None


def test_a_configured_prefix_is_what_a_mail_is_parsed_for(tmp_path: Path) -> None:
    # Given a supplier whose ERP numbers orders AB-nnnnnn and quotes ANG-nnnnn
    settings = load_settings(
        home=tmp_path, order_number_format="AB-{seq:06d}", quote_number_format="ANG-{seq:05d}"
    )
    from mailroom.parsers.catalog import Catalog

    catalog = Catalog.of([], [], settings.numbering)
    # When a customer cites both
    raw = mail(ACME, "Re: ANG-00412", "Hello, about AB-104233: the prices of ANG-00412 are fine.")
    result = parse_mail(raw, catalog)
    # Then both are read, and neither is taken for the customer's PO
    assert (result.order_number, result.quote_number) == ("AB-104233", "ANG-00412")
    assert result.po_number is None


def test_a_template_without_a_counter_is_a_configuration_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="MAILROOM_ORDER_NUMBER_FORMAT.*seq"):
        load_settings(home=tmp_path, order_number_format="SO-{year}")


def test_prefixes_from_the_environment_are_a_comma_list(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MAILROOM_ORDER_NUMBER_ALIASES", "ord, auf")
    assert load_settings(home=tmp_path).order_number_aliases == ["ORD", "AUF"]


@pytest.fixture
def shop(dovecot: Any, smtp_sink: Any, database_url: str, tmp_path: Path) -> Iterator[Shop]:
    yield Shop.open(dovecot, smtp_sink, tmp_path, database_url)


ERP = {"order_number_format": "SO {year}/{seq}", "order_number_first": 118}


def test_new_orders_are_numbered_by_the_configured_template_from_its_first_value(
    shop: Shop,
) -> None:
    # Given numbering configured as the supplier's ERP writes it, going on from 118
    order = mail(
        ACME,
        "Purchase order AC-77",
        "Please supply under our PO AC-77:\n\n1. HX-2040 Hex Bolt M8x40 - 5000 pcs\n\n"
        f"Requested delivery date: {in_days(30)}\n\nJohn",
    )
    # When an order mail is worked
    shop.run(order, **ERP)
    # Then the order carries the next number in that shape, and the confirmation cites it
    (made,) = shop.orders()
    assert made.number == f"SO {YEAR}/118" and made.status == CONFIRMED
    assert made.number in str(shop.sent_to(ACME)[-1]["Subject"])


def test_a_change_citing_another_spelling_of_our_number_changes_that_order(shop: Shop) -> None:
    # Given a confirmed order numbered SO <year>/118
    shop.run(
        mail(
            ACME,
            "Purchase order AC-78",
            "Please supply under our PO AC-78:\n\n1. HX-2040 Hex Bolt M8x40 - 5000 pcs\n\n"
            f"Requested delivery date: {in_days(30)}\n\nJohn",
        ),
        **ERP,
    )
    # When John writes the number his own way and asks for more
    shop.run(
        mail(
            ACME,
            f"change so-{YEAR}-0118",
            f"Hello,\n\nplease change the quantity on so-{YEAR}-0118:\n\n"
            "1. HX-2040 Hex Bolt M8x40 - 8000 pcs\n\nThanks,\nJohn",
        ),
        **ERP,
    )
    # Then that order is the one changed, and no second order was made
    (changed,) = shop.orders()
    assert changed.revision == 2 and [int(line.quantity) for line in changed.lines] == [8000]
    assert shop.query(lambda s: store.by_number(s, f"SO {YEAR} / 118").id) == changed.id
