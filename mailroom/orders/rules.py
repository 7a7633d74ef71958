"""The order checks: small named rules, all run, every hit kept with a reason a clerk reads.

Each rule looks at one `Context` (the order as asked, with what the catalog and pricing say
about it) and appends a `Hit` per problem. A hit the customer can fix (an unknown SKU with
close matches, a quantity below the MOQ, a price lower than ours) is marked `fixable`, and
its `details` fill the customer's reply; every other hit waits for a clerk.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from mailroom.pricing import LinePrice
from store.catalog import Customer, Product


@dataclass(frozen=True)
class Hit:
    """One problem found: the rule's name, a sentence for a clerk, and values for the customer."""

    rule: str
    message: str
    fixable: bool = False
    details: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "message": self.message,
            "fixable": self.fixable,
            "details": dict(self.details),
        }


@dataclass
class LineView:
    """One requested line as the rules see it: as written, resolved, and priced by us."""

    position: int
    sku: str | None
    description: str
    quantity: Decimal
    unit_price: Decimal | None = None
    currency: str | None = None
    sure: bool = True
    agreed: bool = False
    product: Product | None = None
    priced: LinePrice | None = None
    suggestions: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return self.sku or self.description or f"line {self.position}"


@dataclass
class Context:
    """Everything the rules look at; built by `mailroom.orders.checks.evaluate`."""

    sender: str | None
    customer_id: str | None
    customer: Customer | None
    po_number: str | None
    lines: list[LineView]
    requested_date: date | None
    ship_to: str | None
    confidence: float
    findings: list[dict[str, str]]
    today: date
    min_confidence: float
    duplicate_of: str | None = None
    unread: list[str] = field(default_factory=list)


def may_act_for(customer: Customer, address: str | None) -> bool:
    """True when `address` is one the customer record lists, or is on one of its domains.

    Only exact addresses and exact domains count: a look-alike subdomain waits for a clerk.
    """
    if not address or "@" not in address:
        return False
    address = address.strip().lower()
    if address in {str(e).strip().lower() for e in customer.emails or ()}:
        return True
    domain = address.rsplit("@", 1)[1]
    return domain in {str(d).strip().lower() for d in customer.domains or ()}


class Rule(ABC):
    """A named check. `check` appends a Hit for every problem it finds; it never raises.

    A rule sets a kebab-case `name` and a one-sentence `description` a clerk reads.
    """

    name = ""
    description = ""

    @abstractmethod
    def check(self, ctx: Context, hits: list[Hit]) -> None:
        """Append a `Hit` to `hits` for every problem this rule finds in `ctx`."""

    def hit(self, message: str, *, fixable: bool = False, **details: object) -> Hit:
        return Hit(self.name, message, fixable, {k: str(v) for k, v in details.items()})


class UnknownCustomer(Rule):
    name = "unknown-customer"
    description = "The order must come from a customer in our catalog."

    def check(self, ctx: Context, hits: list[Hit]) -> None:
        if ctx.customer is not None:
            return
        if ctx.customer_id:
            hits.append(self.hit(f"customer {ctx.customer_id} is not in the catalog"))
        else:
            hits.append(self.hit(f"the sender {ctx.sender or '(none)'} is not a known customer"))


class SenderNotAllowed(Rule):
    name = "sender-not-allowed"
    description = "Only addresses and domains on the customer record may order for it."

    def check(self, ctx: Context, hits: list[Hit]) -> None:
        if ctx.customer is None or may_act_for(ctx.customer, ctx.sender):
            return
        hits.append(
            self.hit(
                f"{ctx.sender or 'the sender'} is not an address or domain that may order "
                f"for {ctx.customer.customer_id}"
            )
        )


class NoLines(Rule):
    name = "no-lines"
    description = "An order must list at least one item."

    def check(self, ctx: Context, hits: list[Hit]) -> None:
        if not ctx.lines:
            hits.append(self.hit("no order lines were found in the mail or its attachments"))


class UnknownSku(Rule):
    name = "unknown-sku"
    description = "Every line must name one of our products."

    def check(self, ctx: Context, hits: list[Hit]) -> None:
        for line in ctx.lines:
            if line.product is not None:
                continue
            matches = ", ".join(line.suggestions)
            message = f"line {line.position}: {line.description!r} is not one of our products"
            hits.append(
                self.hit(
                    f"{message}; close matches: {matches}" if matches else message,
                    fixable=bool(matches),
                    line=line.position,
                    item=line.description,
                    matches=matches,
                )
            )


class AmbiguousSku(Rule):
    name = "ambiguous-sku"
    description = "A line matched to a product only loosely must be confirmed."

    def check(self, ctx: Context, hits: list[Hit]) -> None:
        for line in ctx.lines:
            if line.product is None or line.sure:
                continue
            hits.append(
                self.hit(
                    f"line {line.position}: {line.description!r} was read as {line.sku}, "
                    "but the match is not sure",
                    fixable=True,
                    line=line.position,
                    item=line.description,
                    matches=line.sku,
                )
            )


class BelowMoq(Rule):
    name = "below-moq"
    description = "Quantities must reach the product's minimum order quantity."

    def check(self, ctx: Context, hits: list[Hit]) -> None:
        for line in ctx.lines:
            product = line.product
            if product is None or line.quantity <= 0 or line.quantity >= (product.moq or 1):
                continue
            hits.append(
                self.hit(
                    f"line {line.position}: {line.quantity.normalize():f} {product.unit} of "
                    f"{product.sku} is below the minimum order quantity of {product.moq}",
                    fixable=True,
                    line=line.position,
                    sku=product.sku,
                    quantity=f"{line.quantity.normalize():f}",
                    moq=product.moq,
                    unit=product.unit,
                )
            )


class PriceDiffers(Rule):
    name = "price-differs"
    description = "A price the customer wrote may not be lower than what we charge."

    def check(self, ctx: Context, hits: list[Hit]) -> None:
        for line in ctx.lines:
            if line.agreed:
                continue  # agreed before (a quote, a clerk): charged as it is
            ours = line.priced.unit_price if line.priced else None
            if line.unit_price is None or ours is None or line.product is None:
                continue
            if line.currency and line.currency != line.product.currency:
                continue  # the currency rule speaks for this line
            if line.unit_price < ours:
                hits.append(
                    self.hit(
                        f"line {line.position}: {line.product.sku} written at {line.unit_price} "
                        f"but our price is {ours} {line.product.currency}",
                        fixable=True,
                        line=line.position,
                        sku=line.product.sku,
                        written=line.unit_price,
                        ours=ours,
                        currency=line.product.currency,
                    )
                )


class CurrencyMismatch(Rule):
    name = "currency-mismatch"
    description = "A line must be in the currency the product is priced in."

    def check(self, ctx: Context, hits: list[Hit]) -> None:
        for line in ctx.lines:
            product = line.product
            if product is None or not line.currency or line.currency == product.currency:
                continue
            hits.append(
                self.hit(
                    f"line {line.position}: asked in {line.currency}, but {product.sku} is "
                    f"priced in {product.currency}",
                    line=line.position,
                    sku=product.sku,
                )
            )


class CannotPrice(Rule):
    name = "cannot-price"
    description = "Pricing must be able to offer every line (margin floor, quantity, list price)."

    def check(self, ctx: Context, hits: list[Hit]) -> None:
        for line in ctx.lines:
            if line.agreed and line.unit_price is not None:
                continue
            for hold in line.priced.holds if line.priced else ():
                if hold.code != "currency-not-covered":
                    hits.append(self.hit(f"line {line.position}: {hold.message}"))


class DuplicatePo(Rule):
    name = "duplicate-po"
    description = "A customer's PO number makes one order only."

    def check(self, ctx: Context, hits: list[Hit]) -> None:
        if ctx.duplicate_of:
            hits.append(
                self.hit(
                    f"PO {ctx.po_number} of {ctx.customer_id} is already order {ctx.duplicate_of}",
                    order=ctx.duplicate_of,
                )
            )


class StockShort(Rule):
    name = "stock-short"
    description = "Stock and lead time must meet the requested date."

    def check(self, ctx: Context, hits: list[Hit]) -> None:
        wanted = ctx.requested_date
        if wanted is not None and wanted < ctx.today:
            hits.append(self.hit(f"the requested date {wanted} is in the past"))
            return
        for line in ctx.lines:
            ships = line.priced.dispatch_date if line.priced else None
            if wanted is None or ships is None or ships <= wanted or line.product is None:
                continue
            hits.append(
                self.hit(
                    f"line {line.position}: {line.product.sku} stock is {line.product.stock}; "
                    f"with a lead time of {line.product.lead_time_days} days it can leave on "
                    f"{ships}, after the requested {wanted}"
                )
            )


class MissingShipTo(Rule):
    name = "missing-ship-to"
    description = "We must know where to deliver: the mail's address or the customer's default."

    def check(self, ctx: Context, hits: list[Hit]) -> None:
        if ctx.ship_to or (ctx.customer is not None and ctx.customer.ship_to):
            return
        hits.append(self.hit("no delivery address in the mail and no default for the customer"))


class LowConfidence(Rule):
    name = "low-confidence"
    description = "The mail must have been understood with high confidence."

    def check(self, ctx: Context, hits: list[Hit]) -> None:
        if ctx.confidence < ctx.min_confidence:
            hits.append(
                self.hit(
                    f"the mail was understood with confidence {ctx.confidence:.2f}, "
                    f"below {ctx.min_confidence:.2f}"
                )
            )


class UnreadItems(Rule):
    name = "unread-items"
    description = "Everything the mail names must be in an order line."

    def check(self, ctx: Context, hits: list[Hit]) -> None:
        if ctx.unread:
            named = ", ".join(f"'{item}'" for item in ctx.unread)
            hits.append(self.hit(f"the mail names {named}, but no order line was read for it"))


class UnreadableAttachment(Rule):
    name = "unreadable-attachment"
    description = "Every attachment must have been read."

    def check(self, ctx: Context, hits: list[Hit]) -> None:
        for finding in ctx.findings:
            hits.append(
                self.hit(
                    f"attachment {finding.get('filename') or '(unnamed)'} could not be read: "
                    f"{finding.get('finding') or 'unknown problem'}"
                )
            )


RULES: tuple[Rule, ...] = (
    UnknownCustomer(),
    SenderNotAllowed(),
    NoLines(),
    UnknownSku(),
    AmbiguousSku(),
    BelowMoq(),
    PriceDiffers(),
    CurrencyMismatch(),
    CannotPrice(),
    DuplicatePo(),
    StockShort(),
    MissingShipTo(),
    LowConfidence(),
    UnreadItems(),
    UnreadableAttachment(),
)


def run_rules(ctx: Context, rules: tuple[Rule, ...] = RULES) -> list[Hit]:
    """Run every rule on `ctx` and return all hits, in rule order."""
    hits: list[Hit] = []
    for rule in rules:
        rule.check(ctx, hits)
    return hits
