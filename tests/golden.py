"""The golden corpus: loading its catalog and cases, and comparing a parse field by field."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from mailroom.catalog_import import import_files
from mailroom.parsers.catalog import Catalog
from store.db import make_engine, migrate, session_factory, transaction

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "fixtures" / "golden"
CATALOG_FILES = [
    ROOT / "fixtures" / "catalog" / "products.csv",
    ROOT / "fixtures" / "catalog" / "customers.csv",
]
FIELDS = (
    "message_id",
    "from",
    "language",
    "intent",
    "customer_id",
    "po_number",
    "order_number",
    "quote_number",
    "tracking_number",
    "requested_date",
    "ship_to",
    "lines",
    "attachments",
)


def fixture_catalog(home: Path) -> Catalog:
    """The fixture catalog, imported into a fresh SQLite store and read back as a snapshot."""
    engine = make_engine(f"sqlite:///{home / 'golden.db'}")
    migrate(engine)
    factory = session_factory(engine)
    with transaction(factory) as session:
        _summaries, problems = import_files(session, CATALOG_FILES)
        assert not problems, problems
    with factory() as session:
        return _load(session)


def _load(session: Session) -> Catalog:
    return Catalog.load(session)


def cases(folder: Path = GOLDEN) -> list[Path]:
    """The `.eml` cases of a corpus folder (the golden one unless told), sorted by name."""
    return sorted(folder.glob("*.eml"))


def expected_of(case: Path) -> dict[str, Any]:
    return json.loads(case.with_suffix(".json").read_text(encoding="utf-8"))


def _line_key(line: dict[str, Any]) -> tuple[Any, ...]:
    return (line["sku"], float(line["quantity"]), line["unit_price"], line["currency"])


def _attachment_key(att: dict[str, Any]) -> tuple[Any, ...]:
    return (att["filename"], att["content_type"], att["size"], att["kind"])


def compare(actual: dict[str, Any], expected: dict[str, Any]) -> dict[str, bool]:
    """Each field: does the parse equal the expectation (lines and attachments as multisets)."""
    result = {}
    for name in FIELDS:
        if name == "lines":
            ok = Counter(map(_line_key, actual["lines"])) == Counter(
                map(_line_key, expected["lines"])
            )
        elif name == "attachments":
            got = Counter(map(_attachment_key, actual["attachments"]))
            ok = got == Counter(map(_attachment_key, expected["attachments"]))
        else:
            ok = actual.get(name) == expected.get(name)
        result[name] = ok
    return result


def line_counts(actual: dict[str, Any], expected: dict[str, Any]) -> tuple[int, int, int]:
    """(true positives, parsed lines, expected lines) for the line-item F1."""
    got = Counter(map(_line_key, actual["lines"]))
    want = Counter(map(_line_key, expected["lines"]))
    return sum((got & want).values()), sum(got.values()), sum(want.values())
