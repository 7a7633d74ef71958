"""`mailroom orders list|show`, and every order template rendering in both languages."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from mailroom.cli import main
from mailroom.replies.render import render
from tests.shop import Shop, in_days
from tests.support import mail

PURPOSES = (
    "order/confirmed",
    "order/questions",
    "order/received",
    "order/duplicate",
    "order/cancelled",
    "order/change-held",
    "order/status",
    "order/no-answer",
    "order/shipped",
    "order/delivered",
    "order/delayed",
)


@pytest.fixture
def shop(dovecot: Any, smtp_sink: Any, sqlite_url: str, tmp_path: Path) -> Iterator[Shop]:
    yield Shop.open(dovecot, smtp_sink, tmp_path, sqlite_url)


def test_orders_list_json_gives_the_contracts_fields_and_show_the_history(
    shop: Shop, tmp_path: Path
) -> None:
    # Given one confirmed order
    shop.run(
        mail(
            "john.miller@acme-industrial.com",
            "Purchase order AC-3131",
            "Hello,\n\nPlease supply the following under our purchase order AC-3131:\n\n"
            f"1. BR-6204 Ball Bearing 6204-2RS - 600 pcs\n\nRequested delivery date: {in_days(30)}"
            "\n\nJohn",
        )
    )
    env = {"MAILROOM_HOME": str(tmp_path), "MAILROOM_DATABASE_URL": shop.database_url}

    # When a script lists the orders and a person shows one
    listed = CliRunner().invoke(main, ["orders", "list", "--json"], env=env)
    (order,) = json.loads(listed.output)
    shown = CliRunner().invoke(main, ["orders", "show", order["order_number"]], env=env)
    missing = CliRunner().invoke(main, ["orders", "show", "SO-1999-99999"], env=env)

    # Then the JSON has the contract's fields, money as decimal strings
    assert listed.exit_code == 0
    assert order["customer_id"] == "C-ACME" and order["po_number"] == "AC-3131"
    assert order["status"] == "confirmed"
    assert order["lines"][0]["sku"] == "BR-6204" and order["lines"][0]["amount"] == "972.00"
    # And show tells the lines and the history; an unknown number is one clear line, exit 1
    assert shown.exit_code == 0 and "confirmed by mailroom" in shown.output
    assert "USD 1.62 = 972.00" in shown.output
    assert missing.exit_code == 1 and "there is no order SO-1999-99999" in missing.output


SAMPLE_ORDER = {
    "number": "SO-2026-00042",
    "po_number": "PO-7",
    "status": "shipped",
    "requested_date": "2026-12-20",
    "promised_date": "2026-12-10",
    "ship_to": "1 Main St / Springfield",
    "payment_terms": "NET 30",
    "tracking_numbers": ["1Z999"],
    "lines": [
        {
            "position": 1,
            "sku": "HX-2040",
            "name": "Hex Bolt",
            "name_zh": "六角螺栓",
            "quantity": "5000",
            "unit": "pcs",
            "unit_price": "0.10",
            "amount": "500.00",
            "currency": "USD",
        }
    ],
    "totals": [{"currency": "USD", "amount": "500.00"}],
}


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("purpose", PURPOSES)
def test_every_order_template_renders_a_subject_and_a_body(purpose: str, language: str) -> None:
    # Given everything a template may be given
    context = {
        "reference": "M2026-000001",
        "company_name": "Mailroom Trading Co.",
        "greeting_name": "Acme",
        "original_subject": "Purchase order PO-7",
        "subject_prefix": "Re: ",
        "notice": False,
        "revised": False,
        "order": SAMPLE_ORDER,
        "orders": [SAMPLE_ORDER],
        "asked": "SO-2026-00042",
        "problems": [
            {
                "rule": "below-moq",
                "message": "line 1: 500 pcs of HX-2040 is below the minimum order quantity",
                "fixable": True,
                "details": {"line": "1", "sku": "HX-2040", "quantity": "500", "moq": "1000"}
                | {"unit": "pcs"},
            }
        ],
        "po_number": "PO-7",
        "shown": True,
        "too_late": True,
        "previous_date": "2026-12-01",
        "overdue": False,
    }

    # When it is rendered
    rendered = render(purpose, language, **context)

    # Then the subject is one line and the body starts with the greeting
    assert rendered.subject and "\n" not in rendered.subject
    assert rendered.text.strip() and not rendered.text.startswith("\n")
    assert "Mailroom Trading Co." in rendered.text
    if purpose == "order/confirmed":  # the confirmation also has an HTML part with the lines
        assert rendered.html is not None and "HX-2040" in rendered.html


def test_shipped_and_delayed_from_the_command_line_tell_the_customer_once(
    shop: Shop, tmp_path: Path
) -> None:
    # Given one confirmed order
    shop.run(
        mail(
            "john.miller@acme-industrial.com",
            "Purchase order AC-4242",
            "Hello,\n\nPlease supply the following under our purchase order AC-4242:\n\n"
            f"1. BR-6204 Ball Bearing 6204-2RS - 600 pcs\n\nRequested delivery date: {in_days(30)}"
            "\n\nJohn",
        )
    )
    (order,) = shop.orders()
    env = {
        "MAILROOM_HOME": str(tmp_path),
        "MAILROOM_DATABASE_URL": shop.database_url,
        "MAILROOM_SMTP_URL": shop.smtp.url,
    }
    run = CliRunner().invoke
    before = len(shop.smtp.messages)

    # When a clerk marks it shipped twice (by mistake) and then promises a later date
    shipped = run(
        main, ["orders", "move", order.number, "shipped", "--tracking", "1Z999AA1"], env=env
    )
    again = run(main, ["orders", "move", order.number, "shipped"], env=env)
    later = run(
        main, ["orders", "delay", order.number, in_days(45), "--note", "port strike"], env=env
    )
    unknown = run(main, ["orders", "move", "SO-1999-99999", "shipped"], env=env)

    # Then the customer got one shipping email with the tracking number, and one delay email
    assert shipped.exit_code == again.exit_code == later.exit_code == 0, shipped.output
    new = shop.smtp.messages[before:]
    subjects = [str(m["Subject"]) for m in new]
    assert len(new) == 2, subjects
    assert all(str(m["To"]) == "john.miller@acme-industrial.com" for m in new)
    assert "1Z999AA1" in new[0].get_body(("plain",)).get_content()
    assert in_days(45) in new[1].get_body(("plain",)).get_content()
    # And a wrong number is one clear line with exit 1
    assert unknown.exit_code == 1 and "there is no order SO-1999-99999" in unknown.output
