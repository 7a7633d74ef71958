"""How many carrier notices the service applies per second, on SQLite (or the given database).

    python bench/shipments.py [--count N] [--database-url URL]

Three figures, each on one core:
- read: the fixture notices (fixtures/carriers/*.eml, every carrier) read into a `Notice`;
- apply: a notice's event applied to its shipment in its own transaction, as
  `shipments.notice` does: the event row, the shipment's status, the order moved to shipped
  (its status email rendered into the outbox), an exception held and its notice rendered;
- again: the same notices applied a second time (each one recognised, nothing written);
- later: a later in-transit scan of each parcel (the event and the status only: the order
  is shipped already, so no email is written);
and the notices per second both steps together allow (1 / (1/read + 1/apply)).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mailroom.catalog_import import import_files  # noqa: E402
from mailroom.logistics.book import book  # noqa: E402
from mailroom.logistics.events import Notice  # noqa: E402
from mailroom.logistics.notices import read_notice  # noqa: E402
from mailroom.logistics.tracking import apply_event  # noqa: E402
from mailroom.runtime import Runtime, open_runtime  # noqa: E402
from mailroom.settings import load_settings  # noqa: E402
from store import orders as order_store  # noqa: E402
from store.mail import Location, store_mail  # noqa: E402
from store.shipments import IN_TRANSIT, Shipment  # noqa: E402

CARRIERS = ROOT / "fixtures" / "carriers"
CATALOG = sorted((ROOT / "fixtures" / "catalog").glob("*.csv"))
ACME = "john.miller@acme-industrial.com"


def read_rate(raws: list[bytes], count: int) -> tuple[float, list[Notice]]:
    notices: list[Notice] = []
    started = time.perf_counter()
    for i in range(count):
        notice = read_notice(raws[i % len(raws)])
        assert notice is not None
        notices.append(notice)
    return count / (time.perf_counter() - started), notices


def setup(runtime: Runtime, notices: list[Notice]) -> list[int]:
    """One confirmed order of Acme's per notice, with the parcel booked; the shipment ids."""
    with runtime.work() as work:
        session = work.session
        import_files(session, CATALOG)
        source = store_mail(
            session,
            f"From: {ACME}\r\nSubject: PO\r\nMessage-ID: <bench@acme>\r\n\r\nPO".encode(),
            Location("bench", "INBOX", 1, 1),
        )
        assert source is not None
        ids = []
        for i, notice in enumerate(notices):
            order = order_store.Order(
                number=f"SO-2026-{i + 1:05d}",
                customer_id="C-ACME",
                po_number=f"B-{i}",
                status=order_store.CONFIRMED,
                sender=ACME,
                mail_id=source.id,
                language="en",
                ship_to="1200 Harbor Blvd / Long Beach CA 90802 / USA",
            )
            session.add(order)
            session.flush()
            number = f"{notice.tracking_number}{i:06d}"
            ids.append(book(session, order, carrier=notice.carrier, tracking_number=number).id)
        return ids


def later_scans(notices: list[Notice]) -> list[Notice]:
    """A second, later scan of each parcel: in transit an hour after its notice."""
    return [
        replace(
            n,
            event=replace(
                n.event,
                happened_at=n.event.happened_at + timedelta(hours=1),
                status=IN_TRANSIT,
                exception_kind=None,
            ),
            reason=None,
        )
        for n in notices
    ]


def apply_rate(runtime: Runtime, ids: list[int], notices: list[Notice]) -> float:
    started = time.perf_counter()
    for shipment_id, notice in zip(ids, notices, strict=True):
        with runtime.work() as work:
            shipment = work.session.get(Shipment, shipment_id)
            assert shipment is not None
            apply_event(
                runtime,
                work,
                shipment,
                notice.event,
                source="bench",
                eta=notice.eta,
                reason=notice.reason,
            )
    return len(ids) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=600)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    raws = [p.read_bytes() for p in sorted(CARRIERS.glob("*.eml"))]
    reads, notices = read_rate(raws, args.count)
    with tempfile.TemporaryDirectory() as home:
        settings = load_settings(
            home=Path(home), database_url=args.database_url, from_address="orders@bench.example"
        )
        runtime = open_runtime(settings)
        try:
            ids = setup(runtime, notices)
            applies = apply_rate(runtime, ids, notices)
            again = apply_rate(runtime, ids, notices)
            later = apply_rate(runtime, ids, later_scans(notices))
        finally:
            runtime.close()
    both = 1 / (1 / reads + 1 / applies)
    print(f"carrier notices ({len(raws)} fixtures, {args.count} applied, {runtime.engine.name}):")
    print(f"  read:   {reads:8.0f} notices/s")
    print(f"  apply:  {applies:8.0f} notices/s (one transaction each)")
    print(f"  again:  {again:8.0f} notices/s (recognised, nothing written)")
    print(f"  later:  {later:8.0f} notices/s (a new scan, no email)")
    print(f"  read + apply: {both:6.0f} notices/s")


if __name__ == "__main__":
    main()
