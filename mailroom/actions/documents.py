"""`documents.file`: settle a mail's filed attachments once its domain step has decided.

It follows every domain actor (`pipeline.FOLLOW_UPS`), so the order or quote the mail made
or changed exists when its documents are linked; after a clerk's correction routes the mail
again, documents still without an order are linked (and checked) then. Reading a PO or
contract again for the cross-check runs outside any transaction (it may parse a PDF);
linking, checking and any hold are one short transaction. Documents already settled are
left alone, so it is safe to run twice.
"""

from __future__ import annotations

import logging
from typing import Any

from mailroom.documents import filing
from mailroom.documents.reading import DocumentFacts, read_facts
from mailroom.jobs import job
from mailroom.queue import resumer
from mailroom.runtime import Runtime, Work, current
from store import documents as store
from store.base import utcnow
from store.holds import HeldItem
from store.mail import UNFINISHED, Mail

log = logging.getLogger(__name__)


@job("documents.file")
def documents_file(mail_id: int) -> None:
    """Link mail `mail_id`'s pending documents and cross-check its POs and contracts."""
    runtime = current()
    facts = _read(runtime, mail_id)
    if facts is None:
        return
    with runtime.work() as work:
        mail = work.session.get(Mail, mail_id)
        if mail is None or mail.stage in UNFINISHED:
            return
        links = filing.links_for(work.session, mail)
        for document in store.unsettled_of_mail(work.session, mail_id):
            filing.settle(work.session, mail, document, links, facts.get(document.id))
            log.info("mail %s: %s %s filed", mail_id, document.kind, document.filename)


def _read(runtime: Runtime, mail_id: int) -> dict[int, DocumentFacts] | None:
    """What each pending PO or contract of the mail says; None when nothing is to be done
    yet (no unsettled documents, or the mail's domain step has not decided)."""
    with runtime.read() as session:
        mail = session.get(Mail, mail_id)
        if mail is None or mail.stage in UNFINISHED:
            return None
        pending = store.unsettled_of_mail(session, mail_id, lock=False)
        if not pending:
            return None
        links = filing.links_for(session, mail)
        wanted = [
            (d.id, d.filename, d.content_type, store.content_of(session, d))
            for d in pending
            if filing.needs_reading(d, links)
        ]
    catalog, today = runtime.catalog(), utcnow().date()
    return {
        doc_id: read_facts(name, content_type, content, catalog, today)
        for doc_id, name, content_type, content in wanted
    }


@resumer("document")
def _accept_difference(
    runtime: Runtime, work: Work, item: HeldItem, corrections: dict[str, Any], clerk: str
) -> None:
    """A clerk accepting a document's differences: the document counts as checked."""
    document_id = int(item.dedupe_key.split(":", 1)[1])
    document = store.get(work.session, document_id)
    if document is not None:
        store.mark_checked(document, store.CHECKED, f"differences accepted by {clerk}")
