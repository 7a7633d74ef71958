"""What a mail wants: the contract's intent, with how sure we are of it.

Headers decide first (bounces, auto-replies); then keyword tables for both languages
(data/intents.toml) score the subject and the new text, and what the mail carries (order
lines, a PO, our quote or order number, a tracking number) adds evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from mailroom.parsers.automatic import is_noreply
from mailroom.parsers.history import Known
from mailroom.parsers.needles import Needled
from mailroom.parsers.scripts import compile_either, load_table
from mailroom.parsers.tables import header_roles

_TABLE = load_table("intents.toml")
# Each intent's keywords with their weights; a keyword is searched only when the text holds
# a string every match of it needs (parsers/needles.py), which rules most of them out cheaply.
_PATTERNS: dict[str, list[tuple[Needled, float]]] = {
    intent: [(Needled(compile_either(p, re.IGNORECASE)), 3.0) for p in words.get("strong", [])]
    + [(Needled(compile_either(p, re.IGNORECASE)), 1.0) for p in words.get("weak", [])]
    for intent, words in _TABLE.items()
}
_REPLY_PREFIX = compile_either(
    r"^\s*((re|aw|sv|fw|fwd|回复|回覆|答复|转发)\s*[:：]\s*)+", re.IGNORECASE
)
# An automatic message that says its reader is away is an out-of-office reply.
_ABSENCE = compile_either(
    r"\b(automatic reply|auto(matic)?[- ]?reply|out of (the )?office|away (from|on|until)|"
    r"on (annual |parental )?leave|on vacation|limited access to (e-?mail|my mail))\b|"
    r"自动回复|自動回覆|不在办公室|休假|出差|假期",
    re.IGNORECASE,
)
# A program that says it received our message and logged it (a ticket system's, a shared
# mailbox's) answers for its people, as an out-of-office does.
_ACKNOWLEDGED = compile_either(
    r"\byour (request|message|e-?mail|enquiry|inquiry|ticket|case)\b[^.\n]{0,80}\b(has been|was|is)"
    r" (received|logged|created|opened|registered)\b|"
    r"\bwe (have )?received your (request|message|e-?mail|enquiry|inquiry)\b|"
    r"(已|已经)收到(您|你)的(邮件|来信|请求|工单)|工单(已|已经)(创建|受理|提交)",
    re.IGNORECASE,
)
# A document sent back signed or stamped: how a quote is accepted on paper.
_SIGNED = compile_either(
    r"\b(signed|countersigned|counter-signed|stamped|chopped|executed|sign(ed)? and return(ed)?)\b|"
    r"盖章|蓋章|签字|簽字|签章|簽章|回签|回簽|签回|簽回|回传|回傳|双签|雙簽|签好|簽好",
    re.IGNORECASE,
)
# A new version of a document already sent: a revised PO changes the order it revises.
_REVISED = compile_either(
    r"\b(revised|revision|rev\.?\s?\d|amended|updated|corrected|replaces?)\b|"
    r"(?<![A-Za-z])(v|rev)\d\b|修订|修訂|修改版|更新版|变更|變更|更正|替换|新版",
    re.IGNORECASE,
)
# Past receipt of goods: a problem written about goods that arrived is after-sales, and the
# items it names are what came, not what is ordered.
_RECEIVED = compile_either(
    r"\b(we|i) (have |just |finally )?(received|got|unpacked|opened)\b|\b(arrived|were delivered|"
    r"was delivered|came in|turned up)\b|(已经|已|刚|剛|今天|昨天)?收到(了)?(货|貨|的货|的貨)|"
    r"到(货|貨)(后|後|了)|(今天|昨天|已经?|刚)到(货|貨)|(货|貨)(已)?(到|收到)了|签收|簽收",
    re.IGNORECASE,
)
# Goods the writer already has: received, or bought from us before. A question about them is
# a question on their use (after-sales), whatever words of opinion or specification it holds.
_OWNED = compile_either(
    r"\b(we|i) (have |had |just |recently )?(received|got|bought|purchased)\b|"
    r"\b(bought|purchased|ordered) (them |these |those |it )?from you\b|"
    # Goods in use, or from an order or delivery of the past ("from our March order").
    r"\b(installed|in use|in service)\b|"
    r"\bfrom (our|the|your) (\w+ ){0,2}(order|delivery|shipment|batch|lot)\b|"
    r"(上批|上次|之前)(的|买|買|采购|採購|到)|装机后|裝機後|使用中|"
    r"(买|買|购买|購買|采购|採購)(了)?(你们|你們|贵司|貴司)?的|(收到|到货|到貨)的",
    re.IGNORECASE,
)
# A price said to stand as before ("same price", "价格按上次的", "价格跟上次一样") states the
# terms of an order; it asks for no price.
_SETTLED_PRICE = Needled(
    compile_either(
        r"\bsame (unit )?price\b|\b(at|for) the (same|usual|last|previous) (unit )?price\b|"
        r"\b(price|prices|pricing) (as|like) (before|last time|usual|agreed|previously)\b|"
        r"(价格|價格|价钱|價錢|单价|單價)\s*(还是|還是|仍然?|照旧|照舊)?\s*(按|跟|同|照|和|与|與)?\s*"
        r"(上次|上回|之前|以前|原来|原來|老|以往)",
        re.IGNORECASE,
    )
)
# A new version of an order document, said in its text: "Version 2 replaces the previous
# version", "revision 1", a title "Purchase order change", columns of previous and new counts.
_NEW_VERSION = compile_either(
    r"\b(version|revision|rev\.?|change (no\.?|number))\s*#?\s*(0*[2-9]|\d{2,}|(?<=revision )1|"
    r"(?<=rev )1|(?<=rev\. )1)\b|"
    r"^\s*(purchase )?order (change|amendment|revision)\b|\bchange order\b|"
    r"\b(previous|old|original)\s+(qty|quantity)\b.{0,120}\b(new|revised)\s+(qty|quantity)\b|"
    r"(原|变更前|變更前|修改前)(数量|數量).{0,60}(新|变更后|變更後|修改后|修改後)(数量|數量)|"
    r"订单变更|訂單變更|采购(订)?单变更|採購(訂)?單變更",
    re.IGNORECASE | re.MULTILINE,
)
_QUESTION = compile_either(r"[?？]")
# A question that asks us to do something ("can we split this one?", "could you move it?") is
# a request; one that asks to be told something ("can you confirm the ship date?") is not.
_ASKS_TO_ACT = compile_either(
    r"\b(can|could|would|may) (we|i|you) (please )?(?!(tell|let|check|confirm|give|send|share|"
    r"update|advise|provide|find|look|see|know)\b)[a-z]+",
    re.IGNORECASE,
)
# The part of an order not delivered yet: items listed under it are asked about, not ordered.
_REST_OF_ORDER = compile_either(
    r"\b(remaining|outstanding|open|missing|undelivered|back-?ordered)\s+(items?|lines?|"
    r"positions?|parts?|goods|quantit(y|ies)|pieces|pcs|balance)\b|\bthe rest of (the|our|this) "
    r"(order|PO|delivery|shipment)\b|\bbalance of (the|our|this) (order|PO)\b|"
    r"(剩余|剩下|其余|其餘|未交|未发|未發|欠)的?(货|貨|部分|数量|數量|物料)",
    re.IGNORECASE,
)
# Bulk mail offers to stop it; a person writing to us does not.
_UNSUBSCRIBE = compile_either(r"\bunsubscribe\b|\bopt[- ]out\b|退订|取消订阅", re.IGNORECASE)
# An automatic reply without RFC 3834 headers says so in a few lines and asks for nothing.
_SHORT_REPLY = 1500
_DO_NOT_REPLY = compile_either(
    r"\b(do not|please do not|don.t) (reply|respond)\b|\bnot monitored\b|"
    r"\b(automatically generated|system[- ]generated|auto-?generated)\b|"
    r"请勿(直接)?回复|系统自动发送",
    re.IGNORECASE,
)
_CARRIER_SENDER = compile_either(
    r"@(?:[\w.-]+\.)?(dhl|fedex|ups|sf-express|sf|zto|yto|sto|yunda|jd|jdl|deppon|ems|chinapost|"
    r"cainiao|maersk|"
    r"kuehne-nagel|dbschenker|expeditors|flexport|aftership|17track)\.",
    re.IGNORECASE,
)


@dataclass
class Evidence:
    """What the rest of the parse found, as far as it bears on the intent."""

    automatic: str | None = None  # from classify_automatic: bounce, auto_reply, list
    auto_submitted: str = ""
    sender: str | None = None
    subject: str = ""
    text: str = ""
    quote_number: str | None = None
    order_number: str | None = None
    po_number: str | None = None
    tracking_number: str | None = None
    has_lines: bool = False
    priced_lines: bool = False
    has_po_attachment: bool = False
    known_customer: bool = False
    # A program's mail whose answer goes to a customer (Reply-To) relays that customer's words.
    relays_customer: bool = False
    document_kinds: frozenset[str] = frozenset()
    document_names: str = ""
    quote_in_documents: bool = False
    known: Known = field(default_factory=Known)
    scores: dict[str, float] = field(default_factory=dict)


def keyword_scores(subject: str, text: str) -> dict[str, float]:
    """Each intent's keyword score; a subject match weighs twice a body match, except in a
    reply, whose subject names the thread ("Re: Purchase order ...") rather than this mail."""
    reply = bool(_REPLY_PREFIX.match(subject or ""))
    subject_weight = 1.0 if reply else 2.0
    subject = _REPLY_PREFIX.sub("", subject or "")
    # Mail programs wrap lines; a phrase broken over two lines is still the phrase.
    text = " ".join(text.split())
    folded_subject, folded_text = subject.casefold(), text.casefold()
    scores: dict[str, float] = {}
    for intent, patterns in _PATTERNS.items():
        score = 0.0
        for pattern, weight in patterns:
            if pattern.search(subject, folded_subject):
                score += subject_weight * weight
            if pattern.search(text, folded_text):
                score += weight
        scores[intent] = score
    return scores


def classify(ev: Evidence) -> tuple[str, float]:
    """The intent of a mail and a confidence from 0 to 1."""
    if ev.automatic == "bounce":
        return "bounce", 0.97
    if ev.automatic == "auto_reply" and not ev.auto_submitted.startswith("auto-generated"):
        return "auto_reply", 0.95
    opening = f"{ev.subject}\n{ev.text[:2000]}"
    if ev.automatic == "auto_reply" and (_ABSENCE.search(opening) or _ACKNOWLEDGED.search(opening)):
        # Exchange marks its out-of-office replies auto-generated, like a carrier's notices, and
        # so do ticket systems that log our mail.
        return "auto_reply", 0.9
    scores = keyword_scores(ev.subject, _without_headings(ev.text[:20_000]))
    _add_evidence(scores, ev)
    ev.scores = scores
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
    (best, top), (_second, runner_up) = ranked[0], ranked[1]
    if top < 2:
        return "other", 0.45 if ev.automatic else 0.35
    margin = (top - runner_up) / top
    return best, round(min(0.98, 0.55 + 0.4 * margin + min(top, 12) / 60), 3)


def _without_headings(text: str) -> str:
    """The text without its tables' heading rows: "Qty | Unit price" names columns, it asks
    for no price (what the rows hold is evidence of its own, the lines)."""
    if "|" not in text and "\t" not in text:
        return text
    kept = []
    for line in text.split("\n"):
        cells = [c.strip() for c in re.split(r"\||\t", line) if c.strip()]
        heading = len(cells) >= 3 and not re.search(r"\d", line) and header_roles(cells)
        kept.append("" if heading else line)
    return "\n".join(kept)


def _add_evidence(scores: dict[str, float], ev: Evidence) -> None:
    reply_subject = bool(_REPLY_PREFIX.match(ev.subject or ""))
    if ev.has_lines:
        scores["order"] += 3 if ev.po_number or ev.priced_lines else 1.5
        scores["quote_request"] += 1
        scores["order_change"] += 1 if ev.order_number else 0
    if ev.has_po_attachment:
        scores["order"] += 5
    if ev.po_number and not ev.order_number and (ev.has_lines or ev.has_po_attachment):
        scores["order"] += 2
    if not ev.has_lines and not ev.has_po_attachment:
        _without_items(scores, reply_subject)
    if ev.quote_number:
        # A reply to our quote is most often its acceptance (or an order against it).
        scores["quote_acceptance"] += 3 if reply_subject else 2
        scores["quote_request"] -= 4
    if ev.order_number and ev.has_lines:
        # Items that cite one of our order numbers change that order; a new one has none yet.
        scores["order_change"] += 3
    if ev.order_number:
        scores["order_change"] += 1
        scores["status_inquiry"] += 1
        scores["order"] -= 2
    if ev.tracking_number:
        scores["shipment_notice"] += 2
        scores["status_inquiry"] += 1
    if ev.sender and _CARRIER_SENDER.search(ev.sender):
        scores["shipment_notice"] += 6
    _documents(scores, ev)
    _settled_price(scores, ev)
    _asks_about(scores, ev)
    _notifying(scores, ev)
    _receipt(scores, ev)
    _rest_of_order(scores, ev)
    _in_the_orders_thread(scores, ev, reply_subject)
    _history(scores, ev)
    _absence(scores, ev)
    if ev.automatic == "list":
        scores["other"] += 4
    if ev.automatic == "auto_reply" and not ev.relays_customer:
        # Auto-generated notices: a carrier's, or noise.
        scores["shipment_notice"] += 1
        scores["other"] += 2


def _without_items(scores: dict[str, float], reply_subject: bool) -> None:
    """A new order names what it wants; without items a mail is more likely about an old one,
    and a reply in an order's thread that says to change something changes that order."""
    scores["order"] /= 2
    if reply_subject and scores["order_change"] > 0:
        scores["order_change"] = max(scores["order_change"], scores["order"]) + 1


def _documents(scores: dict[str, float], ev: Evidence) -> None:
    """What the attached documents say: a quote or contract sent back accepts; a revised PO
    changes an order."""
    signed = _SIGNED.search(f"{ev.subject}\n{ev.text[:4000]}\n{ev.document_names}")
    if ev.document_kinds & {"quote", "contract"}:
        if ev.quote_number or ev.quote_in_documents:
            scores["quote_acceptance"] += 4
        if signed:
            scores["quote_acceptance"] += 3
    ordered = ev.has_po_attachment or (ev.po_number and ev.has_lines)
    if ordered and (
        _REVISED.search(f"{ev.subject}\n{ev.document_names}")
        or _NEW_VERSION.search(f"{ev.subject}\n{ev.text[:3000]}")
    ):
        # Whatever makes it look like an order makes it look like the change of one.
        scores["order_change"] = max(scores["order_change"], scores["order"]) + 3


def _settled_price(scores: dict[str, float], ev: Evidence) -> None:
    """A price said to stand as before is a term of the order, not a question for a quote:
    "30万个, 价格按上次的" repeats an order at the price already agreed."""
    text = ev.text[:6000]
    if not _SETTLED_PRICE.search(text, text.casefold()):
        return
    scores["quote_request"] = max(0.0, scores["quote_request"] - 3)
    if ev.has_lines:
        scores["order"] += 2


def _asks_about(scores: dict[str, float], ev: Evidence) -> None:
    """What a question asks about, without items to order: an order or PO it names by number
    (its status), or goods the writer already has (their use: after-sales)."""
    if ev.has_lines or ev.has_po_attachment:
        return
    questions = [s for s in _sentences(ev.text[:6000]) if _QUESTION.search(s)]
    if not questions:
        return
    refs = [r for r in (ev.po_number, ev.order_number) if r]
    telling = [q for q in questions if not _ASKS_TO_ACT.search(q)]
    if refs and any(r in q for q in telling for r in refs):
        scores["status_inquiry"] += 2
    carrier = bool(ev.sender and _CARRIER_SENDER.search(ev.sender))
    if ev.known_customer and not carrier and not ev.automatic:
        # A carrier notifies; a customer who writes in its words ("no scan since Nov 30")
        # and asks us something asks where the goods are.
        scores["status_inquiry"] = max(scores["status_inquiry"], scores["shipment_notice"]) + 1
    asked = scores["quote_request"] >= 3 or scores["status_inquiry"] >= 3
    if not asked and not refs and _OWNED.search(ev.text[:6000]):
        # Words of opinion or specification ("contact rating") do not make it feedback.
        scores["after_sales"] = max(scores["after_sales"], scores["feedback"]) + 3


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[?？.!。！])\s+|\n", text) if s.strip()]


def _notifying(scores: dict[str, float], ev: Evidence) -> None:
    """A program that says not to answer it notifies, and a mail that offers to stop sending
    is sent in bulk: either asks nothing and wants no help. A portal that relays a customer's
    message and sends the answer to them (Reply-To) asks what the customer asks."""
    notice = is_noreply(ev.sender) or _DO_NOT_REPLY.search(ev.text[-3000:])
    if notice and not ev.relays_customer:
        for asking in ("status_inquiry", "after_sales", "quote_request"):
            scores[asking] /= 3
    if _UNSUBSCRIBE.search(ev.text[-3000:]) and not ev.has_lines:
        for asking in ("status_inquiry", "after_sales", "quote_request", "order"):
            scores[asking] /= 3


def _receipt(scores: dict[str, float], ev: Evidence) -> None:
    """A complaint about goods received or bought from us: after-sales, whatever items and
    PO it names."""
    text = ev.text[:6000]
    if scores["after_sales"] >= 3 and (_RECEIVED.search(text) or _OWNED.search(text)):
        scores["after_sales"] += 3
        if ev.has_lines:
            scores["order"] -= 3


def _rest_of_order(scores: dict[str, float], ev: Evidence) -> None:
    """A question about the part of an order still to come ("the remaining lines"): the items
    it lists are what it asks about, not a new order."""
    text = ev.text[:6000]
    if scores["status_inquiry"] >= 3 and _QUESTION.search(text) and _REST_OF_ORDER.search(text):
        scores["status_inquiry"] = max(scores["status_inquiry"], scores["order"]) + 1


def _in_the_orders_thread(scores: dict[str, float], ev: Evidence, reply_subject: bool) -> None:
    """A reply in the thread of a PO ("RE: PO HX-PO-26141") that says to change something
    changes that PO, whatever items it names: the order was placed before this mail."""
    subject = _REPLY_PREFIX.sub("", ev.subject or "")
    if reply_subject and ev.po_number and ev.po_number in subject and scores["order_change"] >= 3:
        scores["order_change"] = max(scores["order_change"], scores["order"]) + 1


def _absence(scores: dict[str, float], ev: Evidence) -> None:
    """Only a short mail that asks for nothing can be a person's program answering for them
    (mail with RFC 3834 headers was decided before any scoring)."""
    if ev.has_lines or ev.has_po_attachment or len(ev.text) > _SHORT_REPLY or ev.automatic:
        scores["auto_reply"] = 0.0


def _history(scores: dict[str, float], ev: Evidence) -> None:
    """What the store knows: a PO already on file is not a new order; a reply to our quote is
    most often about that quote."""
    known = ev.known
    if known.po_on_file and not ev.quote_number:
        # We never place one PO twice: what reads as its order is a change of the one we hold.
        scores["order_change"] = max(scores["order_change"], scores["order"]) + 2
        scores["status_inquiry"] += 1
        scores["order"] = 0.0
    if known.order_on_file:
        scores["order_change"] += 1
        scores["status_inquiry"] += 1
    if known.replies_to == "quote" and not ev.has_po_attachment:
        scores["quote_acceptance"] += 2
    elif known.replies_to == "order":
        scores["order_change"] += 1
        scores["status_inquiry"] += 1
