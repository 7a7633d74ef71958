"""CPU per mail of the service's own steps, in one thread: intake, the decision, the reply.

    python bench/steps.py                     # question mails, an empty catalog
    python bench/steps.py --mails order       # an order from a sender the catalog lacks (held)
    python bench/steps.py --mails confirmed --products 5000
                                              # a clean order from a customer, confirmed with
                                              # its PDF, against the fixture catalog and
                                              # 5000 products more

Mails are stored in a throw-away SQLite database, then `mail.received` is called for each in
this thread as a worker would (it runs the domain actor in its own transaction), with a
sender that accepts every reply without a network. No IMAP, SMTP or queue: what is left is
the cost of mailroom's own work per mail, which `bench/pipeline.py` measures end to end. The
figure is CPU time (`time.process_time`), steadier than wall time on a busy machine.
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dramatiq.middleware import CurrentMessage  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from bench.pipeline import KINDS  # noqa: E402
from mailroom.actions.intake import mail_received  # noqa: E402
from mailroom.catalog_import import import_files  # noqa: E402
from mailroom.runtime import open_runtime  # noqa: E402
from mailroom.settings import load_settings  # noqa: E402
from store.mail import Location, store_mail  # noqa: E402
from store.outbox import SENT, OutboxMessage  # noqa: E402
from tests.support import mail  # noqa: E402

CATALOG = ROOT / "fixtures" / "catalog"
WARM_UP = 50


class AcceptingSender:
    """Takes every reply at once: the bench measures mailroom, not an SMTP server."""

    description = "nowhere (bench)"

    def send(self, raw: bytes, sender: str, recipient: str, message_id: str) -> None:
        pass

    def close(self) -> None:
        pass


def customer_mail(kind: str, n: int) -> bytes:
    """The question and held-order mails of `bench/pipeline.py`, or a customer's clean order."""
    if kind in KINDS:
        subject, body = KINDS[kind]
        return mail(f"buyer{n}@customer{n % 97}.example", subject.format(n=n), body.format(n=n))
    return mail(
        "purchasing@acme-industrial.com",
        f"PO-K{n}",
        f"Please supply 5000 pcs of HX-2040 at 0.11 USD, PO number PO-K{n}, "
        "required by 2027-03-01.",
    )


def load_catalog(runtime, home: Path, extra_products: int) -> None:
    more = home / "more_products.csv"
    with more.open("w", newline="") as out:
        rows = csv.writer(out)
        rows.writerow(["sku", "name", "unit", "unit_price", "currency", "moq", "stock"])
        rows.writerows(
            [f"ZZ-{n:05d}", f"Part {n}", "pcs", "1.00", "USD", 1, 100]
            for n in range(extra_products)
        )
    with runtime.work() as work:
        import_files(work.session, [*sorted(CATALOG.glob("*.csv")), more])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=1000, help="mails measured")
    parser.add_argument("--mails", choices=("question", "order", "confirmed"), default="question")
    parser.add_argument("--products", type=int, default=0, help="products beyond the fixtures")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder)
        runtime = open_runtime(
            load_settings(home=home, from_address="orders@bench.example", reply_cap=10**6)
        )
        runtime.sender = AcceptingSender()
        if args.mails == "confirmed" or args.products:
            load_catalog(runtime, home, args.products)
        with runtime.work() as work:
            stored = [
                store_mail(work.session, customer_mail(args.mails, n), Location("b", "I", 1, n))
                for n in range(args.n + WARM_UP)
            ]
            ids = [m.id for m in stored if m is not None]
        CurrentMessage._MESSAGE.set(mail_received.message(0))  # as a worker runs a job
        for mail_id in ids[:WARM_UP]:
            mail_received(mail_id)
        started = time.process_time()
        for mail_id in ids[WARM_UP:]:
            mail_received(mail_id)
        spent = time.process_time() - started
        with runtime.read() as session:
            sent = session.scalar(select(func.count()).where(OutboxMessage.status == SENT))
        runtime.close()
    if sent != len(ids):
        raise SystemExit(f"only {sent} of {len(ids)} mails were answered")
    print(
        f"{args.mails} mails, {args.products} extra products: {spent / args.n * 1000:.2f} ms "
        f"of CPU per mail ({args.n / spent:.0f} mails/s on one core)"
    )


if __name__ == "__main__":
    main()
