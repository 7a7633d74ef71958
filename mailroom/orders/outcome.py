"""Carrying out the decision on a checked order: confirm it, ask the customer, or hold it.

Whatever the decision, the order's lines and reasons are updated, its history gets a step,
and exactly one message goes out: the reply to the mail that caused it (through `answer`),
or, when a clerk decided, a status email (through `notify`, once per confirmation).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mailroom.documents import issue
from mailroom.documents.labels import format_amount, format_unit_price
from mailroom.orders import pdf
from mailroom.orders.checks import Evaluation
from mailroom.orders.decide import ASK, CONFIRM
from mailroom.orders.rules import Hit, may_act_for
from mailroom.pricing import round_money
from mailroom.replies.compose import Document as Attachment
from mailroom.replies.render import reply_language
from mailroom.respond import answer, notify
from mailroom.runtime import Runtime, Work
from store import holds
from store import orders as store
from store.catalog import Customer, Product, products_by_sku
from store.mail import DONE, HELD, Mail
from store.orders import Order, OrderLine
from store.outbox import OutboxMessage

HOLD_KIND = "order"


def settle(
    runtime: Runtime, work: Work, order: Order, evaluation: Evaluation, decision: str, mail: Mail
) -> None:
    """Carry out `decision` for `order`, answering `mail` (the mail that caused the check)."""
    if decision == CONFIRM:
        confirm(runtime, work, order, evaluation, mail=mail)
    else:
        hold_order(runtime, work, order, evaluation, mail=mail, ask=decision == ASK)


def apply_lines(order: Order, evaluation: Evaluation) -> None:
    """Write the evaluated lines onto the order, with our prices where a line is priced."""
    order.lines.clear()
    for view in evaluation.lines:
        product, priced = view.product, view.priced
        line = OrderLine(
            position=view.position,
            sku=view.sku,
            description=view.description,
            quantity=view.quantity,
            unit=product.unit if product else "pcs",
            requested_price=view.unit_price,
            requested_currency=view.currency,
            sure=view.sure,
            currency=product.currency if product else view.currency,
        )
        if priced is not None:
            line.dispatch_date, line.from_stock = priced.dispatch_date, priced.from_stock
            if priced.offered and priced.quantity == view.quantity:
                line.unit_price, line.amount = priced.unit_price, priced.amount
        if view.agreed and view.unit_price is not None and line.currency:
            line.unit_price = view.unit_price
            line.amount = round_money(view.unit_price * view.quantity, line.currency)
        order.lines.append(line)
    request = evaluation.request
    if not evaluation.hits_rule("duplicate-po"):  # never write a PO another order has
        order.customer_id, order.po_number = request.customer_id, request.po_number
    order.requested_date = request.requested_date
    order.ship_to = evaluation.ship_to
    order.promised_date = evaluation.promised_date
    if evaluation.customer is not None:
        order.payment_terms = evaluation.customer.payment_terms


def confirm(
    runtime: Runtime,
    work: Work,
    order: Order,
    evaluation: Evaluation,
    *,
    mail: Mail | None,
    actor: str = "mailroom",
    note: str | None = None,
    keep: int | None = None,
) -> None:
    """Confirm the order and send the confirmation with its PDF.

    Args:
        mail: the mail to answer with the confirmation; None when a clerk confirmed, and
            the confirmation then goes out as a status email in the order's thread.
        actor: who confirmed (a clerk's name, or "mailroom").
        note: why, for the order's history.
        keep: a held item the caller resolves itself (a clerk's accept).
    """
    session = work.session
    apply_lines(order, evaluation)
    order.reasons, order.waiting_for = [], None
    store.record(session, order, store.CONFIRMED, note=note, actor=actor, mail_id=_id(mail))
    close_holds(session, order, actor, note or "the order was confirmed", keep)
    _send_confirmation(runtime, work, order, evaluation.customer, mail)


def _send_confirmation(
    runtime: Runtime, work: Work, order: Order, customer: Customer | None, mail: Mail | None
) -> None:
    """The confirmation with its PDF: the reply to `mail`, or else a status email in the
    order's thread (when someone may be told)."""
    session = work.session
    source = session.get(Mail, order.mail_id) if order.mail_id else None
    language = reply_language(customer.language if customer else None, order.language)
    products = products_by_sku(session, (line.sku for line in order.lines))
    document = pdf.confirmation(order, customer, products, runtime.settings, language)
    context = order_context(order, products)
    if mail is not None:
        mail.stage, mail.outcome = DONE, f"order {order.number} confirmed"
        row = answer(runtime, work, mail, "order/confirmed", context=context, documents=(document,))
    else:
        recipient = recipient_for(order, customer)
        if source is None or recipient is None:
            return
        row = _notify_confirmed(runtime, work, order, source, recipient, context, document)
    if row is not None:
        issue.file_generated(
            session,
            document,
            kind="confirmation",
            number=order.number,
            language=language,
            order=order,
        )


def _notify_confirmed(
    runtime: Runtime,
    work: Work,
    order: Order,
    source: Mail,
    recipient: str,
    context: dict[str, Any],
    document: Attachment,
) -> OutboxMessage | None:
    """The confirmation as a status email in the order's thread (a clerk confirmed it)."""
    return notify(
        runtime,
        work,
        key=f"status:{order.number}:confirmed:{order.revision}",
        purpose="order/confirmed",
        recipient=recipient,
        mail=source,
        context={**context, "notice": True},
        documents=(document,),
    )


def hold_order(
    runtime: Runtime, work: Work, order: Order, evaluation: Evaluation, *, mail: Mail, ask: bool
) -> None:
    """Hold the order with every hit; ask the customer (`ask`) or acknowledge it for a clerk."""
    session = work.session
    apply_lines(order, evaluation)
    order.reasons = [hit.to_json() for hit in evaluation.hits]
    order.waiting_for = store.WAITING_CUSTOMER if ask else store.WAITING_CLERK
    summary = "; ".join(hit.message for hit in evaluation.hits)
    store.record(session, order, store.ON_HOLD, note=summary, mail_id=mail.id)
    holds.hold(
        session,
        dedupe_key=f"order:{order.number}:mail:{mail.id}",
        kind=HOLD_KIND,
        reasons=[holds.reason(hit.rule, hit.message) for hit in evaluation.hits],
        mail_id=mail.id,
        ref=order.number,
        customer_id=order.customer_id,
        message_id=mail.message_id,
    )
    mail.stage = HELD
    mail.outcome = f"order {order.number} held: {summary}"[:2000]
    products = products_by_sku(session, (line.sku for line in order.lines))
    context = {**order_context(order, products), "problems": problems(evaluation.hits)}
    answer(runtime, work, mail, "order/questions" if ask else "order/received", context=context)


def close_holds(
    session: Session, order: Order, by: str, note: str, keep: int | None = None
) -> None:
    """Resolve the order's open items in the clerks' queue: the order has moved on."""
    query = select(holds.HeldItem).where(
        holds.HeldItem.kind == HOLD_KIND,
        holds.HeldItem.ref == order.number,
        holds.HeldItem.status == holds.OPEN,
    )
    for item in session.scalars(query):
        if item.id != keep:
            holds.resolve(session, item, holds.ACCEPTED, by, note)


def recipient_for(order: Order, customer: Customer | None) -> str | None:
    """Who hears about the order: whoever placed it if the customer allows them, else the
    customer's first listed address; None when nobody may be told."""
    if customer is None:
        return None
    if order.sender and may_act_for(customer, order.sender):
        return order.sender
    listed = [str(e) for e in customer.emails or () if e]
    return listed[0].lower() if listed else None


def problems(hits: list[Hit]) -> list[dict[str, Any]]:
    """The hits as the customer's templates read them."""
    return [hit.to_json() for hit in hits]


def order_context(order: Order, products: dict[str, Product]) -> dict[str, Any]:
    """What the order templates show of an order: plain strings, dates as YYYY-MM-DD."""
    return {
        "notice": False,
        "revised": order.revision > 1,
        "order": {
            "number": order.number,
            "po_number": order.po_number,
            "status": order.status,
            "requested_date": _day(order.requested_date),
            "promised_date": _day(order.promised_date),
            "ship_to": order.ship_to,
            "payment_terms": order.payment_terms,
            "tracking_numbers": list(order.tracking_numbers or ()),
            "lines": [_line(line, products.get(line.sku or "")) for line in order.lines],
            "totals": [
                {"currency": currency, "amount": _money(amount, currency)}
                for currency, amount in order.totals().items()
            ],
        },
    }


def _line(line: OrderLine, product: Product | None) -> dict[str, Any]:
    currency = line.currency or ""
    return {
        "position": line.position,
        "sku": line.sku or "",
        "name": product.name if product else line.description,
        "name_zh": (product.name_zh or product.name) if product else line.description,
        "quantity": f"{line.quantity.normalize():f}",
        "unit": line.unit,
        "unit_price": _money(line.unit_price, currency, unit=True),
        "amount": _money(line.amount, currency),
        "currency": currency,
    }


def _money(value: Decimal | None, currency: str, *, unit: bool = False) -> str | None:
    if value is None:
        return None
    if unit:
        return format_unit_price(value, currency or "USD")
    return format_amount(value, currency or "USD")


def _day(value: Any) -> str | None:
    return value.isoformat() if value else None


def _id(mail: Mail | None) -> int | None:
    return mail.id if mail is not None else None
