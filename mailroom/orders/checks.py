"""Evaluating an order request: look up customer and products, price each line, run the rules.

`evaluate` is the one place the rules' `Context` is built, so a new order, a customer's
correction and a change by mail are all checked the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from rapidfuzz import fuzz, process
from sqlalchemy.orm import Session

from mailroom.orders.request import OrderRequest, RequestedLine, Signals
from mailroom.orders.rules import RULES, Context, Hit, LineView, run_rules
from mailroom.parsers.catalog import code_key
from mailroom.pricing import CustomerTerms, PricingPolicy, ProductTerms, price_line
from mailroom.settings import Settings
from store import orders
from store.catalog import Customer, Product, all_products, products_by_sku

# Below this the parse is not trusted enough to confirm anything automatically.
MIN_CONFIDENCE = 0.85
# Close catalog matches offered to a customer for an unknown item.
SUGGESTION_CUTOFF, SUGGESTIONS = 60.0, 3


@dataclass
class Evaluation:
    """The request checked: every hit, the lines as priced, and the date we can promise."""

    hits: list[Hit]
    lines: list[LineView]
    customer: Customer | None
    ship_to: str | None
    promised_date: date | None
    request: OrderRequest

    def hits_rule(self, name: str) -> bool:
        """True when the rule called `name` found something."""
        return any(hit.rule == name for hit in self.hits)


def policy_of(settings: Settings) -> PricingPolicy:
    """The pricing policy the settings give (margin floor and exchange rates)."""
    rates = {}
    for pair, rate in settings.exchange_rates.items():
        source, _, target = pair.partition("/")
        rates[(source, target)] = Decimal(rate)
    return PricingPolicy(min_margin=Decimal(settings.quote_min_margin), rates=rates)


def evaluate(
    session: Session,
    request: OrderRequest,
    signals: Signals,
    *,
    today: date,
    policy: PricingPolicy,
    order_id: int | None = None,
) -> Evaluation:
    """Check `request` against the catalog, pricing and existing orders.

    Args:
        session: where the catalog and orders are read.
        request: the order as asked.
        signals: the sender, the parse confidence and unreadable attachments.
        today: the day promises count from.
        policy: margin floor and exchange rates for pricing.
        order_id: the order being re-checked (it is not a duplicate of itself).

    Returns:
        All hits in rule order, the priced lines, and the promised date (None if unknown).
    """
    customer = session.get(Customer, request.customer_id) if request.customer_id else None
    lines = _views(session, request, customer, today, policy)
    ctx = Context(
        sender=signals.sender,
        customer_id=request.customer_id,
        customer=customer,
        po_number=request.po_number,
        lines=lines,
        requested_date=request.requested_date,
        ship_to=request.ship_to,
        confidence=signals.confidence,
        findings=signals.findings,
        today=today,
        min_confidence=MIN_CONFIDENCE,
        duplicate_of=_duplicate(session, request, order_id),
        unread=signals.unread,
    )
    ship_to = request.ship_to or (customer.ship_to if customer else None)
    return Evaluation(run_rules(ctx, RULES), lines, customer, ship_to, _promise(ctx), request)


def _views(
    session: Session,
    request: OrderRequest,
    customer: Customer | None,
    today: date,
    policy: PricingPolicy,
) -> list[LineView]:
    """Each requested line resolved against the catalog and priced on the customer's terms.

    A request made from a quote carries the quote's prices: its lines count as agreed.
    """
    products = products_by_sku(session, (line.sku for line in request.lines))
    terms = CustomerTerms.from_record(customer) if customer else CustomerTerms()
    quoted = request.source.startswith("quote:")
    views = [
        _view(position, line, products, terms, today, policy, agreed=line.agreed or quoted)
        for position, line in enumerate(request.lines, start=1)
    ]
    unknown = [
        (view, line)
        for view, line in zip(views, request.lines, strict=True)
        if view.product is None
    ]
    if unknown:  # only then is the whole catalog read: for what the line may have meant
        catalog = all_products(session)
        for view, line in unknown:
            view.suggestions = close_matches(line.description or line.sku or "", catalog)
    return views


def _view(
    position: int,
    line: RequestedLine,
    products: dict[str, Product],
    terms: CustomerTerms,
    today: date,
    policy: PricingPolicy,
    *,
    agreed: bool,
) -> LineView:
    product = products.get(line.sku) if line.sku else None
    view = LineView(
        position=position,
        sku=product.sku if product else None,
        description=line.description or (line.sku or ""),
        quantity=line.quantity,
        unit_price=line.unit_price,
        currency=line.currency,
        sure=line.sure,
        agreed=agreed and line.unit_price is not None,
        product=product,
    )
    if product is None:
        return view
    view.priced = price_line(
        ProductTerms.from_record(product), line.quantity, customer=terms, today=today, policy=policy
    )
    return view


def close_matches(text: str, products: Iterable[Product]) -> tuple[str, ...]:
    """Up to three SKUs whose code, name or alias looks like `text` or a word of it."""
    choices: dict[str, str] = {}
    for product in products:
        for name in (product.sku, product.name, product.name_zh, *(product.aliases or ())):
            if name:
                choices.setdefault(code_key(str(name)), product.sku)
    best: dict[str, float] = {}
    probes = {code_key(text), *(code_key(word) for word in text.split())}
    for probe in (p for p in probes if len(p) >= 3):
        found = process.extract(
            probe, list(choices), scorer=fuzz.ratio, score_cutoff=SUGGESTION_CUTOFF, limit=10
        )
        for choice, score, _index in found:
            sku = choices[choice]
            best[sku] = max(best.get(sku, 0.0), score)
    ranked = sorted(best, key=lambda sku: (-best[sku], sku))
    return tuple(ranked[:SUGGESTIONS])


def _duplicate(session: Session, request: OrderRequest, order_id: int | None) -> str | None:
    if not request.customer_id or not request.po_number:
        return None
    existing = orders.by_po(session, request.customer_id, request.po_number)
    if existing is None or existing.id == order_id:
        return None
    return existing.number


def _promise(ctx: Context) -> date | None:
    """The day the last line can leave (None when a line has no date): what we promise."""
    dates = [line.priced.dispatch_date if line.priced else None for line in ctx.lines]
    if not dates or None in dates:
        return None
    return max(d for d in dates if d is not None)
