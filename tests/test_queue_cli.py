"""`mailroom queue list|show|resolve` as a script runs it: real processes on a real store."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mailroom import queue as clerks_queue
from store.holds import HeldItem, history
from store.mail import Mail
from tests.support import mail, service_runtime

ROOT = Path(__file__).resolve().parents[1]


def mailroom(home: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAILROOM_")}
    env.update({"MAILROOM_HOME": str(home), "MAILROOM_FROM": "orders@mailroom.example"})
    return subprocess.run(
        [sys.executable, "-m", "mailroom", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )


@pytest.fixture
def held(tmp_path: Path) -> int:
    """A store in tmp_path with one order mail held for a clerk; returns the item id."""
    from tests.web_support import hold_a_mail

    with service_runtime(tmp_path) as runtime:
        raw = mail(
            subject="Order PO-1001",
            body="Hello,\n\nPurchase order PO-1001\n\nHX-2040  100 pcs  12.50 USD\n\nLaura",
        )
        return hold_a_mail(runtime, raw, [("low-confidence", "the SKU could not be matched")])


def read(home: Path, fn):
    with service_runtime(home) as runtime, runtime.read() as session:
        return fn(session)


def test_queue_list_json_is_an_array_of_the_open_items_with_the_contract_keys(tmp_path, held):
    # When the queue is listed as JSON
    result = mailroom(tmp_path, "queue", "list", "--json")

    # Then it is one array holding the held item with at least the contract's keys
    assert result.returncode == 0, result.stderr
    items = json.loads(result.stdout)
    assert [item["id"] for item in items] == [held]
    item = items[0]
    for key in ("id", "reasons", "message_id", "customer_id", "created_at", "status"):
        assert key in item
    assert item["status"] == "open"
    assert item["reasons"] == [
        {"rule": "low-confidence", "message": "the SKU could not be matched"}
    ]
    stored = read(tmp_path, lambda s: s.get(Mail, 1).message_id)
    assert item["message_id"] == stored


def test_queue_show_tells_why_it_is_held_what_was_extracted_and_what_happened(tmp_path, held):
    result = mailroom(tmp_path, "queue", "show", str(held))

    assert result.returncode == 0, result.stderr
    assert "low-confidence: the SKU could not be matched" in result.stdout
    assert "line 0: 100 x" in result.stdout
    assert "mailroom: held" in result.stdout


def test_queue_show_of_an_unknown_item_says_so_and_exits_1(tmp_path, held):
    result = mailroom(tmp_path, "queue", "show", "999")

    assert result.returncode == 1
    assert "there is no held item 999" in result.stderr
    assert "Traceback" not in result.stderr


def test_queue_resolve_accept_applies_the_corrections_and_closes_the_item(tmp_path, held):
    # When a clerk accepts the item with a corrected line from the command line
    result = mailroom(
        tmp_path,
        "queue",
        "resolve",
        str(held),
        "--accept",
        "--reason",
        "checked by phone",
        "--set",
        "lines.0.sku=HX-2040",
        "--set",
        "lines.0.quantity=120",
        "--as",
        "carol",
    )

    # Then the item is accepted by that clerk, with the line corrected in the mail's fields
    assert result.returncode == 0, result.stderr
    assert f"item {held} accepted with corrections to lines by carol" in result.stdout
    item, parsed = read(tmp_path, lambda s: (s.get(HeldItem, held), s.get(Mail, 1).parsed))
    assert (item.status, item.resolved_by, item.resolution) == (
        "accepted",
        "carol",
        "checked by phone",
    )
    assert parsed["lines"][0]["sku"] == "HX-2040" and parsed["lines"][0]["quantity"] == 120
    # (the resumed flow may hold the mail again for its own checks: a new item, not this one)
    still_open = json.loads(mailroom(tmp_path, "queue", "list", "--json").stdout)
    assert held not in [entry["id"] for entry in still_open]


def test_queue_resolve_reject_needs_a_reason_and_keeps_it(tmp_path, held):
    # Given a rejection without a reason
    refused = mailroom(tmp_path, "queue", "resolve", str(held), "--reject", "--as", "carol")
    assert refused.returncode == 1 and "needs a reason" in refused.stderr

    # When it comes with one
    result = mailroom(
        tmp_path,
        "queue",
        "resolve",
        str(held),
        "--reject",
        "--reason",
        "not our product",
        "--as",
        "carol",
    )

    # Then the item is rejected and the reason is in its history
    assert result.returncode == 0, result.stderr
    events = read(tmp_path, lambda s: [(e.action, e.actor, e.note) for e in history(s, held)])
    assert ("rejected", "carol", "not our product") in events


def test_queue_resolve_refuses_a_correction_it_cannot_check_and_changes_nothing(tmp_path, held):
    result = mailroom(
        tmp_path, "queue", "resolve", str(held), "--accept", "--set", "lines.0.quantity=lots"
    )

    assert result.returncode == 2
    assert "line 1: quantity must be a number" in result.stderr
    assert read(tmp_path, lambda s: s.get(HeldItem, held).status) == "open"


def test_queue_resolve_refuses_an_item_another_clerk_has_claimed(tmp_path, held):
    # Given alice claimed the item on the web page
    with service_runtime(tmp_path) as runtime:
        clerks_queue.claim(runtime, held, "alice")

    # When bob tries to accept it from the command line
    result = mailroom(tmp_path, "queue", "resolve", str(held), "--accept", "--as", "bob")

    # Then he is told who has it, and it stays open
    assert result.returncode == 1
    assert "claimed by alice" in result.stderr
    assert read(tmp_path, lambda s: s.get(HeldItem, held).status) == "open"


def test_clerks_add_reads_the_password_from_stdin_and_the_clerk_can_sign_in(tmp_path):
    from store.clerks import verify

    result = mailroom(
        tmp_path, "clerks", "add", "Dora", "--password-stdin", stdin="a long secret\n"
    )

    assert result.returncode == 0, result.stderr
    assert read(tmp_path, lambda s: verify(s, "dora", "a long secret") is not None)
    assert read(tmp_path, lambda s: verify(s, "dora", "a wrong secret") is None)
