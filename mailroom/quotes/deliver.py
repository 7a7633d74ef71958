"""Sending a quote to the customer, and putting one in front of a clerk.

A quote goes out, its PDF filed as a generated document, as the answer to the mail that
asked for it; when that mail was answered
already (we asked back, or acknowledged it while a clerk checked the prices) it goes out as
its own status email, once per quote. Either way the quote remembers the Message-ID, so the
customer's "yes" in reply finds it.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from mailroom.documents import issue
from mailroom.quotes.build import products_for
from mailroom.quotes.document import quote_attachment, template_context
from mailroom.respond import answer, notify, reply_key
from mailroom.runtime import Runtime, Work
from store import holds, outbox
from store.base import utcnow
from store.catalog import Customer, Product
from store.mail import HELD as MAIL_HELD
from store.mail import Mail
from store.quotes import HELD, SENT, Quote


def sent_key(quote: Quote) -> str:
    """The outbox key of a quote sent after its mail was answered (one such mail per quote)."""
    return f"quote:{quote.number}:sent"


def send_quote(
    runtime: Runtime, work: Work, mail: Mail, quote: Quote, customer: Customer
) -> outbox.OutboxMessage | None:
    """Write the quote mail, PDF attached, to the outbox and mark the quote sent.

    Args:
        mail: the mail the quote answers (its sender receives the quote).
        quote: a quote whose offered lines all carry a price.
        customer: the quote's customer.

    Returns:
        The outbox row; None when it could not be written (over the sender's reply cap, or
        sent already), and then the quote is left as it was.
    """
    products = _products(work.session, quote)
    attachment = quote_attachment(quote, customer, products, runtime.settings)
    context = template_context(quote, products, mail.subject)
    if not outbox.exists(work.session, reply_key(mail)):
        row = answer(runtime, work, mail, "quote/sent", context=context, documents=(attachment,))
    else:
        row = notify(
            runtime,
            work,
            key=sent_key(quote),
            purpose="quote/sent",
            recipient=mail.sender or "",
            mail=mail,
            context=context,
            documents=(attachment,),
        )
    if row is not None:
        quote.status, quote.sent_at, quote.sent_message_id = SENT, utcnow(), row.message_id
        issue.file_generated(
            work.session,
            attachment,
            kind="quote",
            number=quote.number,
            language=quote.language,
            quote=quote,
        )
    return row


def hold_quote(work: Work, mail: Mail, quote: Quote, reasons: list[dict[str, str]]) -> None:
    """Put the quote in the clerks' queue with `reasons`; its mail waits with it."""
    quote.status = HELD
    mail.stage = MAIL_HELD
    holds.hold(
        work.session,
        dedupe_key=f"quote:{quote.number}",
        kind="quote",
        reasons=reasons,
        mail_id=mail.id,
        ref=quote.number,
        customer_id=quote.customer_id,
        message_id=mail.message_id,
        detail=f"quote {quote.number} for {quote.customer_id}",
    )


def acknowledge_held(runtime: Runtime, work: Work, mail: Mail, quote: Quote) -> None:
    """Tell the customer their quote is being prepared and a colleague will send it."""
    products = _products(work.session, quote)
    context = template_context(quote, products, mail.subject)
    answer(runtime, work, mail, "quote/held", context=context)


def _products(session: Session, quote: Quote) -> dict[str, Product]:
    return products_for(session, (line.sku for line in quote.lines))
