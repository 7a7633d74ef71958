"""Importing products and customers from CSV files (contracts/catalog-csv.md).

Each file is read and checked completely before anything of it is written: a file with one
bad row stores nothing, and every bad row is reported with its file and line number.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from store.catalog import Customer, Product

_CURRENCY = re.compile(r"^[A-Z]{3}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_DOMAIN = re.compile(r"^[a-z0-9-]+(\.[a-z0-9-]+)+$")

Problem = tuple[str, int, str]


@dataclass
class FileReport:
    """What one file held: its kind, the rows it would store, and the problems found."""

    path: str
    kind: str = "unknown"
    rows: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


class _RowError(ValueError):
    pass


def read_file(path: Path) -> FileReport:
    """Read and check one CSV file; never writes. Problems are returned, not raised."""
    report = FileReport(str(path))
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        report.problems.append((str(path), 0, f"cannot read the file as UTF-8: {exc}"))
        return report
    reader = csv.DictReader(text.splitlines())
    header = [h.strip().lower() for h in reader.fieldnames or []]
    reader.fieldnames = header
    if "sku" in header:
        report.kind, convert = "products", _product_row
    elif "customer_id" in header:
        report.kind, convert = "customers", _customer_row
    else:
        report.problems.append((str(path), 1, "header has neither a `sku` nor a `customer_id`"))
        return report
    _convert_rows(report, reader, convert)
    return report


def _convert_rows(
    report: FileReport,
    reader: csv.DictReader[str],
    convert: Callable[[dict[str, str]], dict[str, Any]],
) -> None:
    seen: dict[str, int] = {}
    key = "sku" if report.kind == "products" else "customer_id"
    for raw in reader:
        line = reader.line_num
        cells = {k: (v or "").strip() for k, v in raw.items() if k is not None}
        if not any(cells.values()):
            continue
        try:
            row = convert(cells)
        except _RowError as exc:
            report.problems.append((report.path, line, str(exc)))
            continue
        if row[key] in seen:
            message = f"{key} {row[key]!r} also on line {seen[row[key]]}"
            report.problems.append((report.path, line, message))
        seen[row[key]] = line
        report.rows.append(row)


def _required(cells: dict[str, str], name: str) -> str:
    value = cells.get(name, "")
    if not value:
        raise _RowError(f"`{name}` is required")
    return value


def _decimal(cells: dict[str, str], name: str, *, required: bool = False) -> Decimal | None:
    value = _required(cells, name) if required else cells.get(name, "")
    if not value:
        return None
    try:
        number = Decimal(value.replace(",", ""))
    except InvalidOperation:
        raise _RowError(f"`{name}` is not a decimal number: {value!r}") from None
    if not number.is_finite() or number < 0:
        raise _RowError(f"`{name}` must be a number of 0 or more: {value!r}")
    return number


def _integer(cells: dict[str, str], name: str) -> int | None:
    value = cells.get(name, "")
    if not value:
        return None
    if not re.fullmatch(r"\d+", value.replace(",", "")):
        raise _RowError(f"`{name}` is not a whole number of 0 or more: {value!r}")
    return int(value.replace(",", ""))


def _split(value: str, sep: str = ";") -> list[str]:
    return [part.strip() for part in value.split(sep) if part.strip()]


def _price_breaks(value: str) -> list[list[Any]]:
    breaks: list[list[Any]] = []
    for pair in _split(value):
        qty, _, price = pair.partition(":")
        try:
            number = Decimal(price.strip())
        except InvalidOperation:
            number = Decimal("NaN")
        if not qty.strip().isdigit() or not number.is_finite() or number < 0:
            raise _RowError(f"`price_breaks` needs min_qty:price pairs, not {pair!r}")
        breaks.append([int(qty), f"{number:f}"])
    return sorted(breaks)


def _product_row(cells: dict[str, str]) -> dict[str, Any]:
    currency = _required(cells, "currency").upper()
    if not _CURRENCY.match(currency):
        raise _RowError(f"`currency` is not an ISO 4217 code: {cells['currency']!r}")
    return {
        "sku": _required(cells, "sku"),
        "name": _required(cells, "name"),
        "name_zh": cells.get("name_zh") or None,
        "aliases": _split(cells.get("aliases", "")),
        "unit": cells.get("unit") or "pcs",
        "unit_price": _decimal(cells, "unit_price", required=True),
        "currency": currency,
        "price_breaks": _price_breaks(cells.get("price_breaks", "")),
        "cost": _decimal(cells, "cost"),
        "moq": _integer(cells, "moq") or 1,
        "lead_time_days": _integer(cells, "lead_time_days"),
        "stock": _integer(cells, "stock"),
    }


def _customer_row(cells: dict[str, str]) -> dict[str, Any]:
    emails = [e.lower() for e in _split(cells.get("email", ""))]
    for email in emails:
        if not _EMAIL.match(email):
            raise _RowError(f"`email` is not a mail address: {email!r}")
    domains = [d.lower().lstrip("@") for d in _split(cells.get("domains", ""))]
    for domain in domains:
        if not _DOMAIN.match(domain):
            raise _RowError(f"`domains` is not a mail domain: {domain!r}")
    language = (cells.get("language") or "").lower() or None
    if language is not None and not re.fullmatch(r"[a-z]{2}", language):
        raise _RowError(f"`language` is not a two-letter code: {cells['language']!r}")
    ship_to = "\n".join(_split(cells.get("ship_to", ""), " / ")) or None
    return {
        "customer_id": _required(cells, "customer_id"),
        "name": _required(cells, "name"),
        "emails": emails,
        "domains": domains,
        "language": language,
        "discount_pct": _decimal(cells, "discount_pct"),
        "payment_terms": cells.get("payment_terms") or None,
        "ship_to": ship_to,
    }


def store_rows(session: Session, report: FileReport) -> tuple[int, int]:
    """Upsert a checked file's rows; returns (added, updated). Unchanged rows count as neither."""
    model: type[Product] | type[Customer] = Product if report.kind == "products" else Customer
    key = "sku" if report.kind == "products" else "customer_id"
    added = updated = 0
    for row in report.rows:
        existing = session.get(model, row[key])
        if existing is None:
            session.add(model(**row))
            added += 1
            continue
        changed = [k for k, v in row.items() if getattr(existing, k) != v]
        for name in changed:
            setattr(existing, name, row[name])
        updated += bool(changed)
    return added, updated


def import_files(session: Session, paths: Iterable[Path]) -> tuple[list[str], list[Problem]]:
    """Check every file, then store the ones without problems.

    Returns:
        One summary line per stored file, and every problem of the files not stored.
    """
    summaries: list[str] = []
    problems: list[Problem] = []
    for path in paths:
        report = read_file(path)
        if report.problems:
            problems.extend(report.problems)
            continue
        added, updated = store_rows(session, report)
        session.flush()
        unchanged = len(report.rows) - added - updated
        summaries.append(
            f"{path}: {len(report.rows)} {report.kind} "
            f"({added} added, {updated} updated, {unchanged} unchanged)"
        )
    return summaries, problems
