"""`mailroom parse`: show what the service understands of mail files, one object per mail."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from mailroom.parsers import ParseResult, parse_mail
from mailroom.parsers.catalog import Catalog
from mailroom.settings import load_settings
from store.db import make_engine, migrate, session_factory
from store.history import StoreHistory


def mail_files(paths: tuple[str, ...]) -> Iterator[tuple[str, Path]]:
    """Each PATH as given, and for a folder every `*.eml` in it (recursive, sorted)."""
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.suffix.lower() == ".eml")
            for child in found:
                if child.is_file():
                    yield str(child), child
        else:
            yield given, path


@contextmanager
def store_knowledge() -> Iterator[tuple[Catalog, StoreHistory]]:
    """The current store's catalog, and its history for looking up what mails refer to (read
    only; migrating an empty store is harmless)."""
    settings = load_settings()
    engine = make_engine(settings.db_url)
    try:
        migrate(engine)
        sessions = session_factory(engine)
        with sessions() as session:
            catalog = Catalog.load(session, settings.numbering)
        yield catalog, StoreHistory(sessions)
    finally:
        engine.dispose()


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="JSON Lines: one object per mail.")
def parse(paths: tuple[str, ...], as_json: bool) -> None:
    """Parse mail files (.eml) or folders of them and print what was understood."""
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        raise click.BadParameter(f"no such file or folder: {', '.join(missing)}", param_hint="PATH")
    with store_knowledge() as (catalog, history):
        for name, path in mail_files(paths):
            _parse_one(name, path, catalog, history, as_json)


def _parse_one(
    name: str, path: Path, catalog: Catalog, history: StoreHistory, as_json: bool
) -> None:
    """Parse one file and print its object (or summary) at once."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        result = ParseResult(file=name, intent="unreadable", error=f"cannot read: {exc}")
    else:
        result = parse_mail(raw, catalog, file=name, history=history)
    if as_json:
        sys.stdout.write(json.dumps(result.to_json(), ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(summary(result) + "\n")
    sys.stdout.flush()


def summary(result: ParseResult) -> str:
    """A few readable lines about one parsed mail."""
    head = f"{result.file}: {result.intent} ({result.language}, confidence {result.confidence:.2f})"
    out = [head, f"  from {result.sender or '?'}  customer {result.customer_id or '-'}"]
    if result.error:
        out.append(f"  error: {result.error}")
    refs = {
        "PO": result.po_number,
        "order": result.order_number,
        "quote": result.quote_number,
        "tracking": result.tracking_number,
        "date": result.requested_date,
    }
    shown = "  ".join(f"{k} {v}" for k, v in refs.items() if v)
    if shown:
        out.append(f"  {shown}")
    if result.ship_to:
        out.append("  ship to: " + result.ship_to.replace("\n", ", "))
    for line in result.lines:
        price = f" at {line.unit_price} {line.currency or ''}".rstrip() if line.unit_price else ""
        out.append(f"  - {line.quantity} x {line.sku or '?'} ({line.description}){price}")
    for att in result.attachments:
        out.append(f"  [{att.kind}] {att.filename} ({att.size} bytes)")
    return "\n".join(out)


if __name__ == "__main__":
    parse()
