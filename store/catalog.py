"""The catalog: our products (with prices, MOQ, stock) and our customers (with who may order).

Imported from CSV (`mailroom catalog import`, see contracts/catalog-csv.md); read by the
parser to resolve SKUs and senders, and by the order and quote checks.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from itertools import chain
from typing import Any

from sqlalchemy import Numeric, String, Text, event, false, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from store.base import Base, Timestamped

Money = Numeric(14, 4)
# How often a customer's digest of open orders goes out.
DIGESTS = ("weekly", "monthly", "never")


class Product(Timestamped, Base):
    __tablename__ = "products"

    sku: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    name_zh: Mapped[str | None] = mapped_column(String(255))
    aliases: Mapped[list[Any]]
    unit: Mapped[str] = mapped_column(String(16), default="pcs")
    unit_price: Mapped[Decimal] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3))
    # [[min_qty, "price"], ...] sorted by min_qty; prices kept as strings to stay exact.
    price_breaks: Mapped[list[Any]]
    cost: Mapped[Decimal | None] = mapped_column(Money)
    moq: Mapped[int] = mapped_column(default=1)
    lead_time_days: Mapped[int | None]
    stock: Mapped[int | None]


class Customer(Timestamped, Base):
    __tablename__ = "customers"

    customer_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    emails: Mapped[list[Any]]
    domains: Mapped[list[Any]]
    language: Mapped[str | None] = mapped_column(String(8))
    discount_pct: Mapped[Decimal | None] = mapped_column(Numeric(6, 3))
    payment_terms: Mapped[str | None] = mapped_column(String(255))
    ship_to: Mapped[str | None] = mapped_column(Text)
    # Relations (mailroom.aftersales): no feedback requests when set; how often the customer
    # gets a digest of its open orders (one of DIGESTS).
    feedback_opt_out: Mapped[bool] = mapped_column(default=False, server_default=false())
    digest: Mapped[str] = mapped_column(String(8), default="never", server_default="never")


def all_products(session: Session) -> list[Product]:
    return list(session.scalars(select(Product).order_by(Product.sku)))


def products_by_sku(session: Session, skus: Iterable[str | None]) -> dict[str, Product]:
    """The products with these SKUs, by SKU: what an order's lines need, not the catalog."""
    wanted = sorted({sku for sku in skus if sku})
    if not wanted:
        return {}
    return {p.sku: p for p in session.scalars(select(Product).where(Product.sku.in_(wanted)))}


def all_customers(session: Session) -> list[Customer]:
    return list(session.scalars(select(Customer).order_by(Customer.customer_id)))


# Bumped after each commit in this process that wrote a product or a customer, so that a
# snapshot of the catalog kept in memory (`Runtime.catalog`) is known to be old at once.
_generation = 0


def generation() -> int:
    """How many commits of this process have changed the catalog so far."""
    return _generation


@event.listens_for(Session, "after_flush")
def _note_catalog_writes(session: Session, _context: Any) -> None:
    written = chain(session.new, session.dirty, session.deleted)
    if any(isinstance(row, (Product, Customer)) for row in written):
        session.info["catalog_written"] = True


@event.listens_for(Session, "after_commit")
def _count_catalog_commit(session: Session) -> None:
    global _generation
    if session.info.pop("catalog_written", False):
        _generation += 1


@event.listens_for(Session, "after_rollback")
def _forget_catalog_writes(session: Session) -> None:
    session.info.pop("catalog_written", None)
