"""What a customer asked us to quote, read from a parsed mail: items, quantities, currency.

The parser gives the lines it understood; this adds what a clerk would also notice reading
the mail: products named without a quantity, items we cannot place in our catalog (with the
closest products we do have), and a currency the customer asked to be quoted in.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from rapidfuzz import fuzz, process

from mailroom.parsers.catalog import Catalog, ProductRef, code_key
from mailroom.parsers.decode import decode
from mailroom.parsers.quotes import split_quoted

# Suggestions under this similarity (0-100), or far behind the best one, would only confuse
# the customer.
MIN_SUGGESTION_SCORE = 55.0
BEHIND_BEST = 12.0
MAX_SUGGESTIONS = 3
# Words around an item that say nothing about which product it is.
_NOISE = re.compile(
    r"\b(hi|hello|dear|please|pls|kindly|quote|quotation|price|prices|for|of|we|need|a|an|the|"
    r"and|us|me|send|offer|pcs|pieces|units|qty)\b|\d[\d,.]*\s*(pcs|pieces|units|个|只|件)"
    r"|请|报价|需要|[,，:：;；.。!！]",
    re.IGNORECASE,
)

_CODES = r"USD|EUR|GBP|CNY|RMB|JPY|AUD|CAD|HKD|CHF|SGD|NZD|TWD"
_ASKED_IN = re.compile(
    rf"\b(?:quote|quotation|quoted|prices?|pricing|offer|currency)\b[^.\n]{{0,40}}?"
    rf"(?:\bin\b|[:：])\s*(?P<code>{_CODES})\b"
    rf"|\b(?:in|currency)\s*[:：]?\s*(?P<code2>{_CODES})\s+(?:please|pls)\b",
    re.IGNORECASE,
)
_ZH_NAMES = {"人民币": "CNY", "美元": "USD", "欧元": "EUR", "英镑": "GBP", "日元": "JPY"}
_ZH_NAMES |= {"港币": "HKD", "港元": "HKD", "澳元": "AUD", "加元": "CAD", "台币": "TWD"}
_ASKED_IN_ZH = re.compile(
    r"(?:以|用|按)(?P<name>" + "|".join(_ZH_NAMES) + r")(?:报价|報價|计价|計價|结算)"
    r"|(?P<name2>" + "|".join(_ZH_NAMES) + r")(?:报价|報價|计价|計價)"
)


@dataclass(frozen=True)
class Asked:
    """One item to quote: our SKU, the quantity asked, and how the customer wrote it."""

    sku: str
    quantity: Decimal
    description: str = ""


@dataclass(frozen=True)
class Unknown:
    """An item we could not place surely in the catalog, with the closest products we have.

    `unsure` is True when the parser matched it to a product only by resemblance: a clerk
    would ask rather than quote, say, a NEMA 23 motor for a NEMA 24.
    """

    description: str
    quantity: Decimal | None
    suggestions: tuple[ProductRef, ...] = ()
    unsure: bool = False


@dataclass
class QuoteRequest:
    """Everything a request for quote asked, and what is missing to answer it."""

    items: list[Asked] = field(default_factory=list)
    unknown: list[Unknown] = field(default_factory=list)
    # Our products the customer named without saying how many.
    unquantified: list[ProductRef] = field(default_factory=list)
    currency: str | None = None
    customer_ref: str | None = None

    @property
    def complete(self) -> bool:
        """True when every item is known and has a quantity (and there is at least one)."""
        return bool(self.items) and not self.unknown and not self.unquantified


def new_text(raw: bytes) -> str:
    """The text the customer wrote in this mail: quoted history and signature cut off."""
    decoded = decode(raw)
    return split_quoted(decoded.text[:200_000], decoded.subject).new


def unsure_lines(parsed: Mapping[str, Any], raw: bytes, catalog: Catalog) -> set[tuple[str, str]]:
    """(sku, description) of the parsed lines whose SKU is only a resemblance match.

    The parse object does not say how sure a match was, so a line whose description does not
    name the product outright is checked against the parser's own verdict (the mail is
    parsed again, once, only then).
    """
    doubtful = []
    for line in parsed.get("lines") or ():
        sku, description = line.get("sku"), str(line.get("description") or "")
        match = catalog.resolve(description) if sku else None
        if sku and not (match and match.sku == sku and match.sure):
            doubtful.append((sku, description))
    if not doubtful:
        return set()
    from mailroom.parsers import parse_mail

    verdict = {(line.sku, line.description): line.sure for line in parse_mail(raw, catalog).lines}
    return {key for key in doubtful if not verdict.get(key, True)}


def read_request(
    parsed: Mapping[str, Any],
    text: str,
    catalog: Catalog,
    unsure: Collection[tuple[str, str]] = (),
) -> QuoteRequest:
    """Read the request for quote out of a mail's parse object and its new text.

    Args:
        parsed: the mail's parse object (`mail.parsed`, the contract's JSON).
        text: the new text of the mail (see `new_text`), searched for products named without
            a quantity and for the currency asked.
        catalog: our products, for suggestions and mentions.
        unsure: (sku, description) of lines matched only by resemblance (`unsure_lines`);
            they are asked about, with the matched product suggested first.

    Returns:
        The request; `complete` tells whether it can be priced as it stands.
    """
    request = QuoteRequest(customer_ref=parsed.get("po_number"))
    for line in parsed.get("lines") or ():
        _add_line(request, line, catalog, unsure)
    _add_mentions(request, text, catalog)
    request.currency = asked_currency(text)
    return request


def _add_line(
    request: QuoteRequest,
    line: Mapping[str, Any],
    catalog: Catalog,
    unsure: Collection[tuple[str, str]],
) -> None:
    """File one parsed line as an item, a product without a quantity, or an unknown item."""
    quantity = _quantity(line.get("quantity"))
    sku = line.get("sku")
    description = str(line.get("description") or sku or "").strip()
    if sku and sku in catalog.products and (sku, description) in unsure:
        near = (catalog.products[sku], *closest(catalog, description))
        request.unknown.append(
            Unknown(description, quantity, tuple(dict.fromkeys(near))[:MAX_SUGGESTIONS], True)
        )
    elif sku and sku in catalog.products and quantity is not None:
        request.items.append(Asked(sku, quantity, description))
    elif sku and sku in catalog.products:
        request.unquantified.append(catalog.products[sku])
    else:
        request.unknown.append(Unknown(description, quantity, tuple(closest(catalog, description))))


def _add_mentions(request: QuoteRequest, text: str, catalog: Catalog) -> None:
    """Our products the text names that no line asked for: known, but without a quantity."""
    asked = {item.sku for item in request.items} | {p.sku for p in request.unquantified}
    for _start, _end, sku in catalog.mentions(text):
        if sku not in asked:
            asked.add(sku)
            request.unquantified.append(catalog.products[sku])


def _quantity(value: Any) -> Decimal | None:
    try:
        quantity = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return quantity if quantity.is_finite() and quantity > 0 else None


def asked_currency(text: str) -> str | None:
    """The currency the customer asks to be quoted in ("please quote in EUR", "以欧元报价").

    Returns:
        An ISO 4217 code, or None when the mail does not ask for one.
    """
    found = _ASKED_IN.search(text)
    if found:
        code = (found.group("code") or found.group("code2")).upper()
        return "CNY" if code == "RMB" else code
    found_zh = _ASKED_IN_ZH.search(text)
    if found_zh:
        return _ZH_NAMES[found_zh.group("name") or found_zh.group("name2")]
    return None


def closest(catalog: Catalog, description: str, limit: int = MAX_SUGGESTIONS) -> list[ProductRef]:
    """The catalog's products closest to what the customer wrote, best first.

    Every name, Chinese name, alias and SKU of a product is compared; a product counts once,
    with its best score.

    Args:
        catalog: our products.
        description: the item as the customer wrote it.
        limit: how many suggestions at most.

    Returns:
        Up to `limit` products scoring at least MIN_SUGGESTION_SCORE.
    """
    labels: dict[str, str] = {}
    for product in catalog.products.values():
        for label in (product.sku, product.name, product.name_zh, *product.aliases):
            if label:
                labels.setdefault(label.lower(), product.sku)
    query = " ".join(_NOISE.sub(" ", description.lower()).split())
    key = code_key(query)
    # Two Chinese characters name a kind of product (螺栓); two Latin letters do not.
    if not labels or len(key) < (2 if re.search(r"[\u3400-\u9fff]", key) else 3):
        return []
    scored = process.extract(
        query,
        list(labels),
        scorer=fuzz.WRatio,
        limit=limit * 6,
        score_cutoff=MIN_SUGGESTION_SCORE,
    )
    found: list[ProductRef] = []
    best = scored[0][1] if scored else 0.0
    for label, score, _index in scored:
        product = catalog.products[labels[label]]
        if score >= best - BEHIND_BEST and product not in found:
            found.append(product)
    return found[:limit]
