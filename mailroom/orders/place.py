"""Placing an order: check a request, create the order once, and make the one decision.

`place_order` is the way in for both a customer's order mail (`orders.check`) and an
accepted quote (quotes). The same PO twice makes one order: the second mail is held with
the reason and told which order it already is, and a unique key on (customer, PO) keeps it
so when two workers race.
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from mailroom.numbering import Numbering
from mailroom.orders.checks import Evaluation, evaluate, policy_of
from mailroom.orders.decide import decide
from mailroom.orders.outcome import order_context, settle
from mailroom.orders.request import (
    OrderRequest,
    RequestedLine,
    Signals,
    request_from_parsed,
    signals_from_parsed,
)
from mailroom.orders.rules import may_act_for
from mailroom.respond import answer, hold_mail
from mailroom.runtime import Runtime, Work
from store import holds
from store import orders as store
from store.base import utcnow
from store.catalog import products_by_sku
from store.mail import Mail
from store.orders import Order
from store.sequences import next_number

__all__ = ["OrderRequest", "RequestedLine", "place_order", "request_from_mail"]


def request_from_mail(mail: Mail) -> OrderRequest:
    """The order request a parsed order mail makes."""
    return request_from_parsed(mail.parsed or {}, mail.customer_id)


def place_order(
    runtime: Runtime,
    work: Work,
    mail: Mail,
    request: OrderRequest,
    signals: Signals | None = None,
) -> Order:
    """Check `request`, create its order and confirm it, ask the customer, or hold it.

    Exactly one reply to `mail` is written through `answer()`: the confirmation with its
    PDF, the questions for the customer, or an acknowledgement while a clerk looks.
    Running it again for the same mail and source returns the order it made the first time.

    Args:
        runtime: the service's runtime (settings, outbox sending).
        work: the unit of work the order, hold and reply are written in.
        mail: the mail that asks for the order (the order mail, or the quote's acceptance).
        request: what is asked; `source` is "mail" or "quote:<number>".
        signals: sender, confidence and attachment findings; from `mail.parsed` when None.

    Returns:
        The new order, or the existing order when the PO was already placed.
    """
    session = work.session
    made = store.from_mail(session, mail.id, request.source)
    if made is not None:
        return made
    signals = signals or signals_from_parsed(mail.parsed or {}, mail.sender)
    evaluation = _evaluate(runtime, work, request, signals)
    order = (
        None
        if evaluation.hits_rule("duplicate-po")
        else _create(work, mail, request, signals, runtime.settings.numbering)
    )
    if order is None:  # the PO is placed already (or another worker just placed it)
        evaluation = _evaluate(runtime, work, request, signals)
        return _duplicate(runtime, work, mail, request, evaluation)
    settle(runtime, work, order, evaluation, decide(evaluation.hits), mail)
    return order


def _evaluate(
    runtime: Runtime,
    work: Work,
    request: OrderRequest,
    signals: Signals,
    order_id: int | None = None,
) -> Evaluation:
    return evaluate(
        work.session,
        request,
        signals,
        today=utcnow().date(),
        policy=policy_of(runtime.settings),
        order_id=order_id,
    )


def _create(
    work: Work, mail: Mail, request: OrderRequest, signals: Signals, numbering: Numbering
) -> Order | None:
    """Insert the order with its number; None when the unique PO key says it exists."""
    session = work.session
    try:
        with session.begin_nested():
            order = Order(
                number=next_number(session, numbering.order),
                customer_id=request.customer_id,
                po_number=request.po_number,
                status=store.RECEIVED,
                requested_date=request.requested_date,
                ship_to=request.ship_to,
                language=mail.language,
                source=request.source,
                mail_id=mail.id,
                sender=(signals.sender or "").lower() or None,
                confidence=signals.confidence,
                reasons=[],
                tracking_numbers=[],
            )
            session.add(order)
            session.flush()
            store.record(session, order, store.RECEIVED, note=request.source, mail_id=mail.id)
            session.flush()
    except IntegrityError:
        return None
    return order


def _duplicate(
    runtime: Runtime, work: Work, mail: Mail, request: OrderRequest, evaluation: Evaluation
) -> Order:
    """A PO placed before: no second order; the mail waits for a clerk with every reason."""
    session = work.session
    existing = None
    if request.customer_id and request.po_number:
        existing = store.by_po(session, request.customer_id, request.po_number)
    if existing is None:  # the insert failed on another key: let the job try again
        raise RuntimeError(f"order for mail {mail.id} could not be stored; retrying")
    hold_mail(work, mail, [holds.reason(hit.rule, hit.message) for hit in evaluation.hits])
    mail.outcome = f"PO {request.po_number} is already order {existing.number}"
    customer = evaluation.customer
    shown = customer is not None and may_act_for(customer, mail.sender)
    products = products_by_sku(session, (line.sku for line in existing.lines))
    context = {
        **order_context(existing, products),
        "po_number": request.po_number,
        "shown": shown,
    }
    answer(runtime, work, mail, "order/duplicate", context=context)
    return existing
