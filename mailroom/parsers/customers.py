"""Which customer a mail is from, also when a system sends it for them.

A purchasing system (Coupa, QuickBooks Online, an ERP's mailer) sends a customer's PO from its
own domain. The customer is then who the mail says it is, matched against the customer records
on strong evidence only, because a wrong match would tell one customer about another's orders:
the sender's address, else a Reply-To on a customer's address or domain (the answer goes there),
else, for a mail a program sent, one customer named by both a document address on its domain
and its registered company name, or by one of them alone when nothing points elsewhere. A
customer found from the documents alone is reported as unsure, for a clerk to see.

A colleague who forwards a customer's mail to the order desk (a sales rep the customer wrote to
directly) writes from the desk's own domain; the customer is then who wrote the forwarded
message. Only a colleague's forward counts: anyone else passing on a customer's mail is not
that customer, and must never be told about their orders.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mailroom.parsers.automatic import is_noreply
from mailroom.parsers.catalog import Catalog
from mailroom.parsers.decode import Decoded, header_text

_ADDRESS = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Names compare without case, punctuation or spacing ("Maple Controls Corp." = "MAPLE CONTROLS
# CORP"): a document prints its writer's name as it likes.
_NOT_NAME = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class Identified:
    """The customer a mail is from, and whether the evidence leaves no doubt."""

    customer_id: str | None
    sure: bool = True


def identify(
    catalog: Catalog, decoded: Decoded, texts: list[str], forwarded_from: str | None = None
) -> Identified:
    """The customer of a mail; `texts` are its new text and its documents' text,
    `forwarded_from` the writer of the message it forwards."""
    found = catalog.customer_for(decoded.sender) or catalog.customer_for(decoded.reply_to)
    if not found and forwarded_from and _from_a_colleague(decoded):
        found = catalog.customer_for(forwarded_from)
    if found or not _sent_by_a_program(decoded):
        return Identified(found)
    by_address = {
        customer
        for text in texts
        for address in _ADDRESS.findall(text)
        if (customer := catalog.customer_for(address))
    }
    by_name = _named(catalog, decoded, texts)
    named = by_address | by_name
    if len(named) != 1:
        return Identified(None)  # nothing, or more than one customer: a clerk decides
    return Identified(named.pop(), sure=bool(by_address and by_name))


def _from_a_colleague(decoded: Decoded) -> bool:
    """The sender writes from the domain of the mailbox the mail was sent to."""
    if not decoded.sender or "@" not in decoded.sender or not decoded.headers:
        return False
    domain = decoded.sender.rsplit("@", 1)[1].lower()
    to = header_text(decoded.headers, "To").lower()
    return any(found.endswith("@" + domain) for found in _ADDRESS.findall(to))


def _sent_by_a_program(decoded: Decoded) -> bool:
    """A system's mail: a no-reply or notification sender ("quickbooks@notification.intuit.com",
    "ordersender@ansmtp.ariba.com"), a name sent "via" a system, or one that says it is
    automatic. A person's mail never is: what a forward cites is not who sent it."""
    headers = decoded.headers
    submitted = header_text(headers, "Auto-Submitted") if headers else ""
    display = header_text(headers, "From").split("<", 1)[0] if headers else ""
    return (
        is_noreply(decoded.sender)
        or bool(decoded.sender and _SYSTEM_SENDER.search(decoded.sender))
        or bool(_VIA.search(display))
        or decoded.automatic is not None
        or submitted.strip().lower().startswith("auto-generated")
    )


_SYSTEM_SENDER = re.compile(
    r"(?:^|[.@])(notifications?|mailer|ordersender[\w-]*|system|automated|do[-_.]?not[-_.]?reply)"
    r"[.@]",
    re.IGNORECASE,
)
# "Acme Industrial via Ariba Network", "John Miller (via Coupa)".
_VIA = re.compile(r"\bvia\b", re.IGNORECASE)


def _named(catalog: Catalog, decoded: Decoded, texts: list[str]) -> set[str]:
    """Customers whose registered name is the sender's display name or a line of a text."""
    display = header_text(decoded.headers, "From") if decoded.headers else ""
    display = display.split("<", 1)[0]
    lines = {_key(display)} | {_key(line) for text in texts for line in text.split("\n")}
    starts = [line for line in lines if line]
    found = set()
    for customer in catalog.customers.values():
        name = _key(customer.name)
        if len(name) >= 6 and any(line.startswith(name) for line in starts):
            found.add(customer.customer_id)
    return found


def _key(text: str) -> str:
    return _NOT_NAME.sub("", text).casefold()
