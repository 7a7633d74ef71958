"""Customer relations: feedback asked after delivery and recorded, digests, quiet customers.

Each piece keeps its promise through the store: a feedback request is written once per order
(a `Feedback` row per order, and the outbox key `feedback:<order>:ask`), never to a customer
whose record opts out, and only to an address the record allows. A digest goes out once per
period (the outbox key `digest:<customer>:<period>`). Every function takes "now" from its
caller, so the jobs and the tests decide what time it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from mailroom.aftersales.feedback import read_feedback
from mailroom.orders.outcome import order_context, recipient_for
from mailroom.orders.rules import may_act_for
from mailroom.replies.compose import Thread
from mailroom.replies.render import render, reply_language
from mailroom.respond import answer, composed, hold_mail, notify, store_and_send
from mailroom.runtime import Runtime, Work
from store import holds, outbox
from store import relations as store
from store.catalog import Customer, products_by_sku
from store.mail import DONE, Mail
from store.orders import Order
from store.relations import Feedback

# A rating at or below this is read by a clerk: an unhappy customer wants a person.
LOW_RATING = 2


def ask_feedback(runtime: Runtime, work: Work, now: datetime) -> list[str]:
    """Ask for feedback on every order delivered `feedback_after_days` ago, once per order.

    An order whose customer opted out, or that nobody may be told about, is marked as
    handled (a `Feedback` row without `asked_at`) and never asked.

    Returns:
        The numbers of the orders whose customer was asked now.
    """
    days = runtime.settings.feedback_after_days
    if days <= 0:
        return []
    session, asked = work.session, []
    for order in store.delivered_unasked(session, now - timedelta(days=days)):
        row = Feedback(order_id=order.id, customer_id=order.customer_id)
        session.add(row)
        customer = session.get(Customer, order.customer_id) if order.customer_id else None
        if customer is None or customer.feedback_opt_out:
            continue
        sent = _ask(runtime, work, order, customer)
        if sent is not None:
            row.asked_at, row.asked_message_id = now, sent.message_id
            asked.append(order.number)
    return asked


def _ask(
    runtime: Runtime, work: Work, order: Order, customer: Customer
) -> outbox.OutboxMessage | None:
    source = work.session.get(Mail, order.mail_id) if order.mail_id else None
    to = recipient_for(order, customer)
    if source is None or to is None:
        return None
    products = products_by_sku(work.session, (line.sku for line in order.lines))
    return notify(
        runtime,
        work,
        key=f"feedback:{order.number}:ask",
        purpose="feedback/ask",
        recipient=to,
        mail=source,
        context=order_context(order, products),
    )


def record_feedback(runtime: Runtime, work: Work, mail: Mail, text: str, now: datetime) -> Feedback:
    """Record the rating and comment of `mail`, on the order whose request it answers.

    A low rating, no rating, or a sender who is not a known customer's is held for a clerk;
    the sender gets one thank-you either way.

    Returns:
        The feedback row (the same one when the mail was recorded before).
    """
    session = work.session
    known = store.from_mail(session, mail.id)
    if known is not None:
        return known
    read = read_feedback(text)
    asked = store.asked_in_thread(session, list((mail.parsed or {}).get("references") or ()))
    if asked is None or asked.mail_id is not None or asked.customer_id != mail.customer_id:
        asked = Feedback(customer_id=mail.customer_id)
        session.add(asked)
    asked.mail_id, asked.rating, asked.comment, asked.received_at = (
        mail.id,
        read.rating,
        read.comment,
        now,
    )
    session.flush()
    mail.stage, mail.outcome = DONE, f"feedback recorded: rating {read.rating or '-'}/5"
    reasons = _feedback_reasons(session, mail, read.rating)
    if reasons:
        hold_mail(work, mail, reasons)
    answer(runtime, work, mail, "feedback/thanks", context={"rating": read.rating})
    return asked


def _feedback_reasons(session: Session, mail: Mail, rating: int | None) -> list[dict[str, str]]:
    customer = session.get(Customer, mail.customer_id) if mail.customer_id else None
    reasons = []
    if customer is None or not may_act_for(customer, mail.sender):
        why = f"feedback from {mail.sender}, who is not a known customer's address"
        reasons.append(holds.reason("unknown-customer", why))
    if rating is None:
        reasons.append(holds.reason("no-rating", "feedback without a rating: read the comment"))
    elif rating <= LOW_RATING:
        reasons.append(holds.reason("low-rating", f"the customer rated us {rating}/5"))
    return reasons


def period_of(schedule: str, now: datetime) -> str:
    """The period a digest on `schedule` belongs to at `now`: `2026-W49` or `2026-12`."""
    if schedule == "weekly":
        year, week, _day = now.isocalendar()
        return f"{year}-W{week:02d}"
    return f"{now:%Y-%m}"


@dataclass
class DigestRun:
    """What one run of the digest job did: the customers sent a digest, and for what period."""

    sent: list[tuple[str, str]]


def send_digests(runtime: Runtime, work: Work, now: datetime) -> DigestRun:
    """Send each customer on a weekly or monthly schedule its digest of open orders, once per
    period; a customer with no open orders, or no listed address, gets none."""
    session, run = work.session, DigestRun([])
    for customer in store.digest_customers(session):
        period = period_of(customer.digest, now)
        key = f"digest:{customer.customer_id}:{period}"
        listed = [str(e).lower() for e in customer.emails or () if e]
        orders = store.open_orders(session, customer.customer_id)
        if not listed or not orders or outbox.exists(session, key):
            continue
        products = products_by_sku(session, (line.sku for o in orders for line in o.lines))
        context = {
            "period": period,
            "schedule": customer.digest,
            "orders": [order_context(o, products)["order"] for o in orders],
        }
        _write_digest(runtime, work, customer, listed[0], key, context)
        run.sent.append((customer.customer_id, period))
    return run


def _write_digest(
    runtime: Runtime,
    work: Work,
    customer: Customer,
    recipient: str,
    key: str,
    context: dict[str, Any],
) -> None:
    """A digest answers no mail: it starts a thread of its own, from our address."""
    settings = runtime.settings
    language = reply_language(customer.language)
    rendered = render(
        "customer/digest",
        language,
        greeting_name=customer.name,
        company_name=settings.company_name,
        **context,
    )
    message_id, raw = composed(settings, rendered, recipient, Thread(None, ()), (), True)
    store_and_send(
        runtime,
        work,
        outbox.OutboxMessage(
            dedupe_key=key,
            mail_id=None,
            purpose="customer/digest",
            recipient=recipient,
            message_id=message_id,
            raw=raw,
        ),
    )


def dormant(session: Session, now: datetime, days: int) -> list[tuple[Customer, datetime | None]]:
    """Customers with no order in the last `days` days (or none ever), longest quiet first."""
    cutoff = now - timedelta(days=days)
    quiet = [(c, at) for c, at in store.last_orders(session) if at is None or at < cutoff]
    return sorted(quiet, key=lambda pair: (pair[1] is not None, pair[1] or now))
