"""Catalog import: CSV products and customers into the store, all or nothing per file."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy.orm import Session

from mailroom.commands.catalog import catalog
from mailroom.parsers.catalog import Catalog
from store.catalog import Customer, Product, all_customers, all_products
from store.db import make_engine, session_factory

FIXTURES = Path(__file__).parent.parent / "fixtures" / "catalog"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MAILROOM_HOME", str(tmp_path))
    monkeypatch.delenv("MAILROOM_DATABASE_URL", raising=False)
    return tmp_path


def _session(home: Path) -> Session:
    return session_factory(make_engine(f"sqlite:///{home / 'mailroom.db'}"))()


def _import(*files: Path | str) -> tuple[int, str]:
    result = CliRunner().invoke(catalog, ["import", *map(str, files)])
    return result.exit_code, result.output


def test_the_fixture_catalog_imports_every_product_and_customer(home: Path) -> None:
    # Given the fixture catalog files
    # When they are imported
    code, output = _import(FIXTURES / "products.csv", FIXTURES / "customers.csv")
    # Then every row is stored, with lists and decimals parsed
    assert code == 0, output
    with _session(home) as session:
        products = all_products(session)
        customers = all_customers(session)
        bolt = session.get(Product, "HX-2040")
        huaxin = session.get(Customer, "C-HUAXIN")
    assert len(products) == 40 and len(customers) == 12
    assert bolt is not None and bolt.unit_price == Decimal("0.12")
    assert bolt.aliases == ["M8x40 hex bolt", "HB840"]
    assert bolt.price_breaks == [[5000, "0.11"], [20000, "0.10"]]
    assert huaxin is not None and huaxin.language == "zh"
    assert huaxin.ship_to is not None and "\n" in huaxin.ship_to
    assert "zhang.min@huaxin-elec.cn" in huaxin.emails


def test_importing_the_same_file_twice_changes_nothing(home: Path) -> None:
    # Given an imported product list
    _import(FIXTURES / "products.csv")
    # When it is imported again
    code, output = _import(FIXTURES / "products.csv")
    # Then nothing is added or updated
    assert code == 0
    assert "0 added, 0 updated, 40 unchanged" in output


def test_a_changed_row_updates_the_stored_product(home: Path, tmp_path: Path) -> None:
    # Given an imported product list
    _import(FIXTURES / "products.csv")
    changed = tmp_path / "changed.csv"
    text = (FIXTURES / "products.csv").read_text(encoding="utf-8")
    changed.write_text(text.replace(",0.12,USD,", ",0.13,USD,"), encoding="utf-8")
    # When a file with one changed price is imported
    code, output = _import(changed)
    # Then that one product is updated
    assert code == 0 and "1 updated" in output
    with _session(home) as session:
        bolt = session.get(Product, "HX-2040")
    assert bolt is not None and bolt.unit_price == Decimal("0.13")


def test_a_bad_row_is_reported_by_line_and_nothing_of_its_file_is_stored(
    home: Path, tmp_path: Path
) -> None:
    # Given a product file whose third data row has no price, with a BOM
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "\ufeffsku,name,unit_price,currency\n"
        "A-1,Alpha,1.00,USD\n"
        "A-2,Beta,2.00,usd\n"
        "A-3,Gamma,,USD\n"
        "A-4,Delta,abc,US\n",
        encoding="utf-8",
    )
    # When it is imported beside a good customer file
    code, output = _import(bad, FIXTURES / "customers.csv")
    # Then the bad rows are named with file and line, exit 1, and only the good file is stored
    assert code == 1
    assert f"{bad}:4: `unit_price` is required" in output
    assert f"{bad}:5:" in output
    with _session(home) as session:
        assert all_products(session) == []
        assert len(all_customers(session)) == 12


def test_a_file_of_unknown_kind_is_refused(home: Path, tmp_path: Path) -> None:
    # Given a CSV with neither a sku nor a customer_id column
    other = tmp_path / "other.csv"
    other.write_text("a,b\n1,2\n", encoding="utf-8")
    # When it is imported
    code, output = _import(other)
    # Then it is refused with its line
    assert code == 1 and f"{other}:1:" in output


def test_the_snapshot_resolves_codes_aliases_names_and_misspellings(home: Path) -> None:
    # Given the imported fixture catalog
    _import(FIXTURES / "products.csv", FIXTURES / "customers.csv")
    with _session(home) as session:
        snapshot = Catalog.load(session)
    # When descriptions are resolved / Then each finds its SKU, unsure only when misspelled
    assert snapshot.resolve("hx2040") is not None
    assert snapshot.resolve("hx2040").sku == "HX-2040"  # type: ignore[union-attr]
    assert snapshot.resolve("SRD-05VDC-SL-C").sku == "RL-5V1C"  # type: ignore[union-attr]
    assert snapshot.resolve("深沟球轴承 6205-2RS").sku == "BR-6205"  # type: ignore[union-attr]
    fuzzy = snapshot.resolve("Presure Transmiter 0-10 bar 4-20mA")
    assert fuzzy is not None and fuzzy.sku == "SN-PS10"
    assert snapshot.resolve("completely unrelated widget") is None
    # And senders resolve by address, then by domain
    assert snapshot.customer_for("zhang.min@huaxin-elec.cn") == "C-HUAXIN"
    assert snapshot.customer_for("someone.else@nordtek.de") == "C-NORDTEK"
    assert snapshot.customer_for("x@unknown.example") is None
