"""`mailroom documents list|show|get`: the files we received and made, for people and scripts.

`get` writes the document's bytes exactly as filed (to a file, or to standard output), so
its SHA-256 is the one `show` prints.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click
from sqlalchemy.orm import Session

from mailroom.commands import store_session
from mailroom.commands.output import echo_json, echo_lines, echo_rows
from mailroom.errors import NotFound
from store import documents as store
from store import orders
from store.documents import Document
from store.orders import Order


def document_json(document: Document, order_number: str | None = None) -> dict[str, Any]:
    """One document as `documents list --json` and `documents show --json` print it."""
    return {
        "id": document.id,
        "kind": document.kind,
        "direction": document.direction,
        "filename": document.filename,
        "content_type": document.content_type,
        "size": document.size,
        "sha256": document.sha256,
        "number": document.number,
        "version": document.version,
        "language": document.language,
        "order_number": order_number,
        "order_id": document.order_id,
        "quote_id": document.quote_id,
        "customer_id": document.customer_id,
        "mail_id": document.mail_id,
        "state": document.state,
        "check_status": document.check_status,
        "check_note": document.check_note,
        "created_at": document.created_at.isoformat(),
    }


@click.group()
def documents() -> None:
    """Documents: POs, contracts, our confirmations, quotes, invoices and packing lists."""


@documents.command("list")
@click.option("--order", "order_number", help="Only the documents of this order (SO-...).")
@click.option("--customer", "customer_id", help="Only the documents of this customer ID.")
@click.option("--json", "as_json", is_flag=True, help="A JSON array of the documents.")
def list_(order_number: str | None, customer_id: str | None, as_json: bool) -> None:
    """The documents, oldest first."""
    with store_session() as session:
        order = _order(session, order_number) if order_number else None
        rows = store.listed(session, order_id=order.id if order else None, customer_id=customer_id)
        numbers = _order_numbers(session, rows)
        echo_rows(
            rows,
            as_json=as_json,
            to_json=lambda d: document_json(d, numbers.get(d.order_id or 0)),
            summary=lambda d: _summary(d, numbers.get(d.order_id or 0)),
            none="no documents",
        )


@documents.command()
@click.argument("document_id", type=int)
@click.option("--json", "as_json", is_flag=True, help="The document as a JSON object.")
def show(document_id: int, as_json: bool) -> None:
    """One document: kind, owner, number and version, SHA-256, what its check found."""
    with store_session() as session:
        document = _document(session, document_id)
        data = document_json(
            document, _order_numbers(session, [document]).get(document.order_id or 0)
        )
        if as_json:
            echo_json(data)
            return
        echo_lines(f"{key}: {value}" for key, value in data.items() if value is not None)


@documents.command()
@click.argument("document_id", type=int)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE."
)
def get(document_id: int, output: Path | None) -> None:
    """Write document DOCUMENT_ID's bytes to FILE (default: its file name) or `-` (stdout)."""
    with store_session() as session:
        document = _document(session, document_id)
        content = store.content_of(session, document)
        name = document.filename
    if output is not None and str(output) == "-":
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()
        return
    target = output or Path(Path(name).name or f"document-{document_id}")
    target.write_bytes(content)
    click.echo(f"{target} ({len(content)} bytes)")


def _document(session: Session, document_id: int) -> Document:
    document = store.get(session, document_id)
    if document is None:
        raise NotFound(f"there is no document {document_id}; `mailroom documents list` shows them")
    return document


def _order(session: Session, number: str) -> Order:
    order = orders.by_number(session, number)
    if order is None:
        raise NotFound(f"there is no order {number}; `mailroom orders list` shows them")
    return order


def _order_numbers(session: Session, rows: list[Document]) -> dict[int, str]:
    ids = {d.order_id for d in rows if d.order_id}
    return {i: o.number for i in ids if (o := session.get(Order, i)) is not None}


def _summary(document: Document, order_number: str | None) -> str:
    number = f"{document.number} v{document.version}" if document.number else "-"
    check = f"  [{document.check_status}]" if document.check_status else ""
    return (
        f"{document.id:>5}  {document.direction:<9}  {document.kind:<17}  {number:<20}  "
        f"{order_number or document.customer_id or '-':<14}  {document.filename}{check}"
    )
