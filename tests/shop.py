"""What the order and quote tests share: a mailbox, an SMTP sink and a store with the catalog.

Expected prices are worked out here from the catalog's CSV files by the rule the business
states (best volume break, the customer's discount, half-up to cents), not by the code
under test.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pdfplumber
from sqlalchemy import select

from mailroom.catalog_import import import_files
from store.db import make_engine, migrate, session_factory, transaction
from store.orders import Order
from tests.support import run_once, service_runtime

CATALOG = Path(__file__).parent.parent / "fixtures" / "catalog"


def _rows(name: str, key: str) -> dict[str, dict[str, str]]:
    with (CATALOG / name).open(encoding="utf-8-sig") as handle:
        return {row[key]: row for row in csv.DictReader(handle)}


PRODUCTS = _rows("products.csv", "sku")
CUSTOMERS = _rows("customers.csv", "customer_id")


def expected_price(sku: str, quantity: int, customer_id: str) -> tuple[Decimal, Decimal]:
    """(unit price, amount) by the stated rule, from the CSV rows alone."""
    product = PRODUCTS[sku]
    basis = Decimal(product["unit_price"])
    best = Decimal(0)
    for pair in filter(None, product["price_breaks"].split(";")):
        min_qty, price = (Decimal(x) for x in pair.split(":"))
        if best <= min_qty <= quantity:
            best, basis = min_qty, min(price, Decimal(product["unit_price"]))
    discount = Decimal(CUSTOMERS[customer_id]["discount_pct"] or 0)
    unit = (basis * (100 - discount) / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return unit, unit * quantity


def money(amount: Decimal) -> str:
    return f"{amount:,.2f}"


def check_rows_priced(text: str, asked: dict[str, int], customer_id: str) -> Decimal:
    """Check that the row of each asked SKU in `text` shows the unit price and amount worked
    out from the catalog; returns the total of the amounts."""
    total = Decimal(0)
    for sku, quantity in asked.items():
        unit, amount = expected_price(sku, quantity, customer_id)
        total += amount
        row = next(line for line in text.splitlines() if sku in line)
        assert money(unit) in row and money(amount) in row, row
    return total


def in_days(days: int) -> str:
    """A date `days` from today as customers write it (YYYY-MM-DD)."""
    return (date.today() + timedelta(days=days)).isoformat()


@dataclass
class Shop:
    """The service with its real servers, loaded with the fixture catalog."""

    dovecot: Any
    smtp: Any
    home: Path
    database_url: str

    @classmethod
    def open(cls, dovecot: Any, smtp: Any, home: Path, database_url: str) -> Shop:
        engine = make_engine(database_url)
        migrate(engine)
        with transaction(session_factory(engine)) as session:
            _summaries, problems = import_files(session, sorted(CATALOG.glob("*.csv")))
        engine.dispose()
        if problems:
            raise AssertionError(f"the fixture catalog does not import: {problems}")
        return cls(dovecot, smtp, home, database_url)

    def run(self, *mails: bytes, **settings: Any) -> Any:
        """Deliver `mails` to the mailbox and run the service once (with `settings` changed)."""
        if mails:
            self.dovecot.deliver_many(list(mails))
        return run_once(
            self.home,
            imap_url=self.dovecot.url(),
            smtp_url=self.smtp.url,
            database_url=self.database_url,
            **settings,
        )

    def query(self, fn: Callable[[Any], Any]) -> Any:
        engine = make_engine(self.database_url)
        try:
            with transaction(session_factory(engine)) as session:
                return fn(session)
        finally:
            engine.dispose()

    def orders(self) -> list[Order]:
        def load(session: Any) -> list[Order]:
            found = list(session.scalars(select(Order).order_by(Order.id)))
            for order in found:
                _ = list(order.lines)
            return found

        return self.query(load)  # type: ignore[no-any-return]

    def with_runtime(self, fn: Callable[[Any], Any]) -> Any:
        """Call `fn(runtime)` with the service's runtime open (a step a clerk or another area
        takes); what it writes to the outbox goes out on the next `run()`."""
        smtp_url = self.smtp.url if self.smtp is not None else ""
        with service_runtime(
            self.home, smtp_url=smtp_url, database_url=self.database_url
        ) as runtime:
            return fn(runtime)

    def sent_to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.smtp.messages if str(m["To"]) == address]


def pdf_text(message: EmailMessage) -> tuple[str, str]:
    """(file name, text) of the one PDF attached to a message."""
    (part,) = [p for p in message.iter_attachments() if p.get_content_type() == "application/pdf"]
    with pdfplumber.open(io.BytesIO(part.get_content())) as pdf:
        return part.get_filename() or "", "\n".join(page.extract_text() or "" for page in pdf.pages)


def pdfs(message: EmailMessage) -> list[EmailMessage]:
    return [p for p in message.iter_attachments() if p.get_content_type() == "application/pdf"]


def body(message: EmailMessage) -> str:
    return message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
