"""Changes to an order by mail: a customer's correction, a change, or a cancellation.

A mail is tied to an order by our order number, by the thread it answers, or by the
customer's PO. A correction of a held order is checked again with the same rules and then
confirmed, asked about, or held. A change to a confirmed order is applied only when it passes
every check; a cancellation only before the order is in production. Anything else waits for
a clerk, and the customer is told.
"""

from __future__ import annotations

import re

from sqlalchemy.orm import Session

from mailroom.orders.checks import Evaluation, evaluate, policy_of
from mailroom.orders.decide import CONFIRM, decide
from mailroom.orders.outcome import close_holds, confirm, order_context, settle
from mailroom.orders.request import (
    OrderRequest,
    RequestedLine,
    request_from_parsed,
    signals_from_parsed,
)
from mailroom.orders.rules import may_act_for
from mailroom.parsers.cancellations import cancels_whole_order
from mailroom.parsers.decode import decode
from mailroom.parsers.quotes import split_quoted
from mailroom.respond import answer, hold_mail
from mailroom.runtime import Runtime, Work
from store import holds
from store import orders as store
from store.base import utcnow
from store.catalog import Customer, products_by_sku
from store.mail import DONE, Mail
from store.orders import Order

_CANCEL = re.compile(r"\bcancel(?:led|ling|lation)?\b|取消|撤销|撤单", re.IGNORECASE)
_NEGATION = re.compile(r"\b(?:not|don't|do not|no need to|never)\b|不要|不用|勿|别", re.IGNORECASE)


def find_order(session: Session, mail: Mail) -> Order | None:
    """The order a mail is about: by our number, by its thread, then by the customer's PO."""
    parsed = mail.parsed or {}
    number = parsed.get("order_number")
    if number:
        found = store.by_number(session, str(number))
        if found is not None:
            return found
    found = store.in_thread(session, [str(r) for r in parsed.get("references") or ()])
    if found is not None:
        return found
    po_number = parsed.get("po_number")
    if mail.customer_id and po_number:
        return store.by_po(session, mail.customer_id, str(po_number).strip())
    return None


def held_order_for(session: Session, mail: Mail) -> Order | None:
    """The held order an order mail corrects (same thread, number or PO), if any."""
    order = find_order(session, mail)
    return order if order is not None and order.status == store.ON_HOLD else None


def wants_cancellation(mail: Mail) -> bool:
    """True when the new text of the mail asks plainly to cancel (no negation beside it)."""
    decoded = decode(mail.raw)
    text = split_quoted(decoded.text or "", decoded.subject).new
    for sentence in re.split(r"[.!?\n。！？]", f"{decoded.subject or ''}\n{text}"):
        if _CANCEL.search(sentence) and not _NEGATION.search(sentence):
            return True
    return False


def cancels_all(mail: Mail, order: Order) -> bool:
    """Whether a mail that cancels cancels the whole order, not some of its lines: it says so
    ("cancel the whole order", 整单取消, whatever lines it lists), or the lines it takes off
    (quantity 0) are all the order has, or it names none ("cancel our order SO-…")."""
    decoded = decode(mail.raw)
    if cancels_whole_order(split_quoted(decoded.text or "", decoded.subject).new):
        return True
    lines = (mail.parsed or {}).get("lines") or []
    removed = {line.get("sku") for line in lines if line.get("sku") and not line.get("quantity")}
    return not removed or {line.sku for line in order.lines if line.sku} <= removed


def correct(runtime: Runtime, work: Work, mail: Mail, order: Order) -> None:
    """Apply a customer's correction to a held order, check it again and decide again."""
    evaluation = _evaluate(runtime, work, mail, order)
    close_holds(work.session, order, "mailroom", f"corrected by mail {mail.reference}")
    settle(runtime, work, order, evaluation, decide(evaluation.hits), mail)


def change(runtime: Runtime, work: Work, mail: Mail, order: Order) -> None:
    """Handle an `order_change` mail for `order`: correct, change, cancel, or hold.

    The sender must be allowed for the order's customer; anyone else gets a polite answer
    that says nothing about the order, and the mail is held.
    """
    customer = work.session.get(Customer, order.customer_id) if order.customer_id else None
    if customer is None or not may_act_for(customer, mail.sender):
        hold_mail(work, mail, [_not_allowed(mail, order)])
        answer(runtime, work, mail, "order/no-answer")
        return
    if wants_cancellation(mail) and cancels_all(mail, order):
        _cancel(runtime, work, mail, order)
    elif order.status in (store.RECEIVED, store.ON_HOLD):
        correct(runtime, work, mail, order)
    elif _changes_nothing(order, mail):
        _resent(runtime, work, mail, order)
    elif order.status == store.CONFIRMED:
        _change_confirmed(runtime, work, mail, order)
    else:
        _held_change(runtime, work, mail, order, f"the order is already {order.status}")


def _changes_nothing(order: Order, mail: Mail) -> bool:
    """Whether the mail asks for the order exactly as it stands: the same PO sent again."""
    asked = request_from_parsed(mail.parsed or {}, mail.customer_id)
    after = merged(order, asked)
    before = sorted((line.sku or line.description, line.quantity) for line in order.lines)
    now = sorted((line.sku or line.description, line.quantity) for line in after.lines)
    return (
        bool(asked.lines)
        and now == before
        and after.requested_date == order.requested_date
        and (after.ship_to or "") == (order.ship_to or "")
    )


def _resent(runtime: Runtime, work: Work, mail: Mail, order: Order) -> None:
    """The same PO sent again changes nothing: no second order, no revision; a clerk sees it
    and the customer is told which order it already is."""
    session = work.session
    reason = f"PO {order.po_number} is already order {order.number}; this mail changes nothing"
    hold_mail(work, mail, [holds.reason("duplicate-po", reason)])
    mail.outcome = f"PO {order.po_number} is already order {order.number}"
    products = products_by_sku(session, (line.sku for line in order.lines))
    context = {**order_context(order, products), "po_number": order.po_number, "shown": True}
    answer(runtime, work, mail, "order/duplicate", context=context)


def _change_confirmed(runtime: Runtime, work: Work, mail: Mail, order: Order) -> None:
    """A confirmed order changes only when the changed order passes every check."""
    evaluation = _evaluate(runtime, work, mail, order)
    if decide(evaluation.hits) != CONFIRM:
        reasons = "; ".join(hit.message for hit in evaluation.hits)
        _held_change(runtime, work, mail, order, f"the change does not pass the checks: {reasons}")
        return
    order.revision += 1
    note = f"changed by mail {mail.reference}"
    confirm(runtime, work, order, evaluation, mail=mail, note=note)


def _cancel(runtime: Runtime, work: Work, mail: Mail, order: Order) -> None:
    if order.status not in store.CHANGEABLE:
        _held_change(runtime, work, mail, order, f"cancellation asked, but it is {order.status}")
        return
    session = work.session
    order.waiting_for = None
    store.record(session, order, store.CANCELLED, note=f"by mail {mail.reference}", mail_id=mail.id)
    close_holds(session, order, "mailroom", f"cancelled by the customer (mail {mail.reference})")
    mail.stage, mail.outcome = DONE, f"order {order.number} cancelled"
    products = products_by_sku(session, (line.sku for line in order.lines))
    answer(runtime, work, mail, "order/cancelled", context=order_context(order, products))


def _held_change(runtime: Runtime, work: Work, mail: Mail, order: Order, why: str) -> None:
    """The change waits for a clerk; the order stays as it is; the customer is told."""
    session = work.session
    hold_mail(work, mail, [holds.reason("change-held", f"order {order.number}: {why}")])
    session.add(
        store.OrderEvent(
            order_id=order.id, status=order.status, note=f"change asked: {why}", mail_id=mail.id
        )
    )
    too_late = order.status not in store.CHANGEABLE
    products = products_by_sku(session, (line.sku for line in order.lines))
    context = {**order_context(order, products), "too_late": too_late}
    answer(runtime, work, mail, "order/change-held", context=context)


def _not_allowed(mail: Mail, order: Order) -> dict[str, str]:
    return holds.reason(
        "sender-not-allowed",
        f"{mail.sender} wrote about order {order.number} but may not act for "
        f"{order.customer_id or 'its customer'}",
    )


def _evaluate(runtime: Runtime, work: Work, mail: Mail, order: Order) -> Evaluation:
    request = merged(order, request_from_parsed(mail.parsed or {}, mail.customer_id))
    return evaluate(
        work.session,
        request,
        signals_from_parsed(mail.parsed or {}, mail.sender),
        today=utcnow().date(),
        policy=policy_of(runtime.settings),
        order_id=order.id,
    )


def merged(order: Order, asked: OrderRequest) -> OrderRequest:
    """The order with a mail's corrections: lines by SKU, new fields over old ones.

    A line naming a SKU already on the order replaces that line (quantity 0 removes it); a
    line with a new SKU takes the place of the first line we could not resolve, or is added.
    """
    lines = [
        RequestedLine(
            sku=line.sku,
            description=line.description,
            quantity=line.quantity,
            unit_price=line.requested_price,
            currency=line.requested_currency,
            sure=line.sure,
        )
        for line in order.lines
    ]
    for new in asked.lines:
        _merge_line(lines, new)
    return OrderRequest(
        customer_id=order.customer_id or asked.customer_id,
        po_number=order.po_number or asked.po_number,
        lines=[line for line in lines if line.quantity > 0],
        requested_date=asked.requested_date or order.requested_date,
        ship_to=asked.ship_to or order.ship_to,
        source=order.source,
    )


def _merge_line(lines: list[RequestedLine], new: RequestedLine) -> None:
    same = [i for i, line in enumerate(lines) if new.sku and line.sku == new.sku]
    unresolved = [i for i, line in enumerate(lines) if not line.sku or not line.sure]
    places = same or unresolved
    if places:
        lines[places[0]] = new
    else:
        lines.append(new)
