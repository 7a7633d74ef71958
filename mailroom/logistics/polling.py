"""Tracking by asking the carrier: an adapter interface and a kuaidi100-style HTTP JSON adapter.

`TrackingApi.track(number)` returns the parcel's events, normalised. The one real adapter
speaks the kuaidi100 query API (`POST <base>/poll/query.do`, form `customer`, `sign`,
`param`; the answer a JSON object with `state` and `data` rows of `time`, `context`,
`location`); its pushes (`lastResult`) have the same shape, so the webhook reads them here too.
"""

from __future__ import annotations

import hashlib
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any, Protocol

from mailroom.errors import CarrierError
from mailroom.logistics import carriers
from mailroom.logistics.events import TrackingEvent
from mailroom.settings import Settings
from store import shipments as store

# The API writes times in China time, without a zone.
API_ZONE = timezone(timedelta(hours=8))
# kuaidi100's answer for a parcel it has no scan of yet (just booked): not an error.
NO_RESULT_YET = "500"
# kuaidi100's parcel states, for an event whose text names no status we know.
STATES: dict[str, tuple[str, str | None]] = {
    "0": (store.IN_TRANSIT, None),
    "1": (store.IN_TRANSIT, None),
    "2": (store.EXCEPTION, None),
    "3": (store.DELIVERED, None),
    "4": (store.RETURNED, store.RETURNED_TO_SENDER),
    "5": (store.OUT_FOR_DELIVERY, None),
    "6": (store.RETURNED, store.RETURNED_TO_SENDER),
    "8": (store.EXCEPTION, store.CUSTOMS_HOLD),
    "14": (store.EXCEPTION, store.FAILED_ATTEMPT),
}


class TrackingApi(Protocol):
    """A carrier's tracking service for one carrier's parcels."""

    def track(self, number: str) -> list[TrackingEvent]:
        """Every event the carrier knows of parcel `number`, oldest first.

        Raises:
            CarrierError: the service cannot be reached or gives an answer we cannot read.
        """
        ...


@dataclass(frozen=True)
class Kuaidi100:
    """The kuaidi100 query API for one carrier (its company code)."""

    base_url: str
    customer: str
    key: str
    company: str
    timeout: float = 10.0

    def track(self, number: str) -> list[TrackingEvent]:
        param = json.dumps({"com": self.company, "num": number, "resultv2": "1"})
        sign = hashlib.md5((param + self.key + self.customer).encode()).hexdigest().upper()
        form = urllib.parse.urlencode({"customer": self.customer, "sign": sign, "param": param})
        request = urllib.request.Request(
            self.base_url.rstrip("/") + "/poll/query.do",
            data=form.encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                answer = json.loads(response.read().decode("utf-8"))
        except (OSError, urllib.error.URLError, ValueError) as exc:
            raise CarrierError(f"{self.company} tracking for {number} failed: {exc}") from None
        if isinstance(answer, dict) and str(answer.get("returnCode")) == NO_RESULT_YET:
            return []
        if not isinstance(answer, dict) or str(answer.get("status")) != "200":
            said = answer.get("message") if isinstance(answer, dict) else answer
            raise CarrierError(f"{self.company} tracking for {number} refused: {said}")
        return events_from(answer, carriers.by_api_code(self.company))


def adapter_for(settings: Settings, carrier_code: str) -> TrackingApi | None:
    """The tracking API for a carrier's parcels, or None (no API set up, carrier not on it)."""
    carrier = carriers.get(carrier_code)
    if not settings.carrier_api_url or carrier is None or carrier.api_code is None:
        return None
    customer, _, key = settings.carrier_api_key.partition(":")
    return Kuaidi100(
        settings.carrier_api_url,
        customer,
        key,
        carrier.api_code,
        settings.carrier_api_timeout_seconds,
    )


def events_from(result: dict[str, Any], carrier: carriers.Carrier | None) -> list[TrackingEvent]:
    """The events of a kuaidi100 result (a query answer or a push's `lastResult`), oldest first.

    Raises:
        CarrierError: a row without a readable time.
    """
    rows = result.get("data") or []
    state = str(result.get("state", ""))
    out = []
    for index, row in enumerate(rows):  # newest first, as the API writes them
        text = str(row.get("context") or "")
        phrase = carriers.phrase_for(text, carrier)
        status, kind = (phrase.status, phrase.kind) if phrase else (store.IN_TRANSIT, None)
        if index == 0 and phrase is None and state in STATES:
            status, kind = STATES[state]
        out.append(
            TrackingEvent(
                happened_at=_time(str(row.get("time") or row.get("ftime") or "")),
                status=status,
                exception_kind=kind,
                place=(str(row.get("location") or row.get("areaName") or "") or None),
                description=text[:500] or None,
            )
        )
    return sorted(out, key=lambda e: e.happened_at)


def _time(value: str) -> datetime:
    found = re.fullmatch(r"\s*(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?\s*", value)
    if not found:
        raise CarrierError(f"the tracking API gave a time that cannot be read: {value!r}")
    y, mo, d, h, mi, s = (int(g or 0) for g in found.groups())
    return datetime(y, mo, d, h, mi, s, tzinfo=API_ZONE).astimezone(UTC)
