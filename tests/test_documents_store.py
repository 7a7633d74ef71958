"""The document store on SQLite and PostgreSQL: filed once, versioned, bytes read back."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from store import documents
from store.db import make_engine, migrate, session_factory, transaction
from store.documents import RECEIVED, DocumentBlob, Links
from store.mail import Location, store_mail
from store.orders import Order


@pytest.fixture
def session(database_url: str) -> Iterator[Session]:
    engine = make_engine(database_url)
    migrate(engine)
    try:
        with transaction(session_factory(engine)) as session:
            yield session
    finally:
        engine.dispose()


def _mail(session: Session, n: int) -> int:
    stored = store_mail(session, f"Subject: {n}\n\nbody {n}".encode(), Location("a", "INBOX", 1, n))
    assert stored is not None
    return stored.id


def _file(session: Session, content: bytes, mail_id: int, **changes: object) -> tuple:
    values: dict = {
        "kind": "purchase_order",
        "direction": RECEIVED,
        "filename": "PO.pdf",
        "content_type": "application/pdf",
        "links": Links(customer_id="C-ACME", mail_id=mail_id),
        "number": "AC-77812",
    }
    return documents.file_document(session, content, **{**values, **changes})


def test_the_same_file_from_the_same_mail_is_filed_once_and_reads_back(session: Session):
    # Given a mail carrying a PO
    mail_id = _mail(session, 1)

    # When its attachment is filed twice (the step ran again)
    first, new_first = _file(session, b"%PDF-1.7 purchase order", mail_id)
    second, new_second = _file(session, b"%PDF-1.7 purchase order", mail_id)

    # Then there is one document, version 1, whose bytes read back exactly
    assert new_first and not new_second and first.id == second.id
    assert first.version == 1 and first.sha256 == documents.sha256(b"%PDF-1.7 purchase order")
    assert documents.content_of(session, first) == b"%PDF-1.7 purchase order"


def test_a_revised_po_under_the_same_number_is_version_2(session: Session):
    # Given a PO on file for Acme
    _file(session, b"%PDF po version one", _mail(session, 1))

    # When a different file arrives under the same PO number, and the first one again
    revised, _ = _file(session, b"%PDF po version two", _mail(session, 2))
    again, new = _file(session, b"%PDF po version one", _mail(session, 3))

    # Then the revision is version 2, and the first file resent is the same document
    assert revised.version == 2
    assert not new and again.version == 1


def test_the_same_bytes_for_two_owners_are_two_documents_sharing_one_blob(session: Session):
    # Given one file sent by two customers
    mail_id = _mail(session, 1)
    one, _ = _file(session, b"%PDF shared", mail_id, links=Links(customer_id="C-A", mail_id=1))
    two, _ = _file(session, b"%PDF shared", _mail(session, 2), links=Links(customer_id="C-B"))

    # Then each customer has its document, and the bytes are stored once
    assert one.id != two.id and one.owner == "customer:C-A" and two.owner == "customer:C-B"
    assert session.scalar(select(func.count()).select_from(DocumentBlob)) == 1


def test_a_document_filed_before_its_order_existed_is_linked_when_filed_again(session: Session):
    # Given a PO filed with its customer only (the order was not made yet)
    mail_id = _mail(session, 1)
    document, _ = _file(session, b"%PDF early", mail_id)

    # When the same mail's file is filed again once its order exists
    order = Order(number="SO-2026-00001", customer_id="C-ACME", mail_id=mail_id)
    session.add(order)
    session.flush()
    order_links = Links(order_id=order.id, customer_id="C-ACME", mail_id=mail_id)
    again, new = _file(session, b"%PDF early", mail_id, links=order_links)

    # Then it is the same document, now the order's
    assert not new and again.id == document.id
    assert again.order_id == order.id and again.owner == f"order:{order.id}"
    assert documents.listed(session, order_id=order.id) == [document]


def test_an_unknown_kind_is_refused(session: Session):
    with pytest.raises(ValueError):
        _file(session, b"x", _mail(session, 1), kind="brochure")
