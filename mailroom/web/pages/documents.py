"""Documents on the desk: the file of one filed document, for signed-in clerks only.

Served inert like a mail's attachments: a real PDF may open in the browser's own viewer
(`?inline=1`), everything else is a download the browser may not sniff into a page.
"""

from __future__ import annotations

from starlette.responses import Response

from mailroom.errors import NotFound
from mailroom.web.context import Ctx
from mailroom.web.pages.records import disposition
from store import documents as store


def document_file(ctx: Ctx) -> Response:
    """GET /documents/{id}: the bytes exactly as filed."""
    document_id = int(ctx.request.path_params["document_id"])
    with ctx.runtime.read() as session:
        document = store.get(session, document_id)
        if document is None:
            raise NotFound(f"there is no document {document_id}")
        content = store.content_of(session, document)
        filename = document.filename
    inline = ctx.arg("inline") == "1" and content.startswith(b"%PDF-")
    mime = "application/pdf" if inline else "application/octet-stream"
    response = Response(content, media_type=mime)
    response.headers["Content-Disposition"] = disposition(
        "inline" if inline else "attachment", filename
    )
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    policy = "frame-ancestors 'self'" if inline else "default-src 'none'; sandbox"
    response.headers["Content-Security-Policy"] = policy
    return response
