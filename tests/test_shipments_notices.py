"""Carrier notices read into parcel, status, time, place, ETA and reason (golden files)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mailroom.logistics.notices import read_notice

CARRIERS = Path(__file__).parent.parent / "fixtures" / "carriers"
EXPECTED = json.loads((CARRIERS / "expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_a_carrier_notice_is_read_into_its_parcel_and_event(name: str) -> None:
    # Given a carrier's mail as it arrives
    raw = (CARRIERS / f"{name}.eml").read_bytes()

    # When it is read
    notice = read_notice(raw)

    # Then it names the parcel, its status, when and where, the ETA, and why
    expected = EXPECTED[name]
    assert notice is not None, name
    got = notice.to_json()
    for field in ("carrier", "tracking_number", "status", "exception_kind", "happened_at"):
        assert got[field] == expected[field], (field, got)
    assert got["place"] == expected["place"], got
    assert got["eta"] == expected["eta"], got
    if "reason_has" in expected:
        assert expected["reason_has"] in (got["reason"] or ""), got
    else:
        assert got["reason"] is None, got


def test_a_customers_mail_is_not_a_carrier_notice() -> None:
    # Given a customer asking about a parcel, with no tracking number
    raw = (
        b"From: john.miller@acme-industrial.com\r\nTo: orders@mailroom.example\r\n"
        b"Subject: Where is our order?\r\n\r\nHello, has it been shipped yet? John\r\n"
    )

    # Then it is not read as a notice
    assert read_notice(raw) is None
