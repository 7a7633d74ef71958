"""The catalog snapshot the parser reads: kept in memory, and never older than a change.

A change this process committed is seen by the next mail at once; one committed by another
process (`mailroom catalog import` beside a running service) within `CATALOG_CHECK_SECONDS`.
"""

from __future__ import annotations

import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest

import mailroom.runtime
from store.catalog import Product
from tests.support import service_runtime


def product(sku: str) -> Product:
    return Product(
        sku=sku,
        name=f"Widget {sku}",
        aliases=[],
        unit_price=Decimal("1.50"),
        currency="USD",
        price_breaks=[],
    )


def test_a_product_this_process_adds_is_in_the_next_snapshot_at_once(tmp_path: Path):
    with service_runtime(tmp_path) as runtime:
        assert "HX-1" not in runtime.catalog().products
        with runtime.work() as work:
            work.session.add(product("HX-1"))
        assert "HX-1" in runtime.catalog().products


def test_a_rolled_back_change_does_not_make_the_snapshot_old(tmp_path: Path):
    with service_runtime(tmp_path) as runtime:
        first = runtime.catalog()
        with pytest.raises(RuntimeError), runtime.work() as work:
            work.session.add(product("HX-2"))
            work.session.flush()
            raise RuntimeError("the import failed")
        assert runtime.catalog() is first


def test_a_change_by_another_process_is_seen_once_the_snapshot_is_checked_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    with service_runtime(tmp_path) as runtime:
        first = runtime.catalog()
        # Another process adds a product straight into the database file
        with sqlite3.connect(tmp_path / "mailroom.db") as conn:
            conn.execute(
                "insert into products (sku, name, aliases, unit, unit_price, currency,"
                " price_breaks, moq, created_at, updated_at) values"
                " ('HX-3', 'Widget', '[]', 'pcs', 1.5, 'USD', '[]', 1,"
                " '2026-12-07 00:00:00', '2026-12-07 00:00:00')"
            )
        # Within the check interval the snapshot in memory is used as it is
        assert runtime.catalog() is first
        # Once the interval is over the database is asked again, and the change is seen
        monkeypatch.setattr(mailroom.runtime, "CATALOG_CHECK_SECONDS", 0.0)
        assert "HX-3" in runtime.catalog().products
