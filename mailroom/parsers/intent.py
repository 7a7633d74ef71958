"""What a mail wants: the contract's intent, with how sure we are of it.

Headers decide first (bounces, auto-replies); then keyword tables for both languages
(data/intents.toml) score the subject and the new text, and what the mail carries (order
lines, a PO, our quote or order number, a tracking number) adds evidence.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

_TABLE = tomllib.loads((Path(__file__).parent / "data" / "intents.toml").read_text("utf-8"))
_PATTERNS: dict[str, list[tuple[re.Pattern[str], float]]] = {
    intent: [(re.compile(p, re.IGNORECASE), 3.0) for p in words.get("strong", [])]
    + [(re.compile(p, re.IGNORECASE), 1.0) for p in words.get("weak", [])]
    for intent, words in _TABLE.items()
}
# One pattern per intent that matches where any of its keywords does: most mails name few
# intents, and one pass ruling an intent out is much cheaper than a pass per keyword.
_ANY = {
    intent: re.compile(
        "|".join(f"(?:{p})" for p in [*w.get("strong", []), *w.get("weak", [])]), re.I
    )
    for intent, w in _TABLE.items()
}
_REPLY_PREFIX = re.compile(
    r"^\s*((re|aw|sv|fw|fwd|回复|回覆|答复|转发)\s*[:：]\s*)+", re.IGNORECASE
)
# An automatic message that says its reader is away is an out-of-office reply.
_ABSENCE = re.compile(
    r"\b(automatic reply|auto(matic)?[- ]?reply|out of (the )?office|away (from|on|until)|"
    r"on (annual |parental )?leave|on vacation|limited access to (e-?mail|my mail))\b|"
    r"自动回复|自動回覆|不在办公室|休假|出差|假期",
    re.IGNORECASE,
)
_CARRIER_SENDER = re.compile(
    r"@(?:[\w.-]+\.)?(dhl|fedex|ups|sf-express|sf|zto|yto|jd|ems|chinapost|cainiao|maersk|"
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
    scores: dict[str, float] = field(default_factory=dict)


def keyword_scores(subject: str, text: str) -> dict[str, float]:
    """Each intent's keyword score; a subject match weighs twice a body match."""
    subject = _REPLY_PREFIX.sub("", subject or "")
    # Mail programs wrap lines; a phrase broken over two lines is still the phrase.
    text = " ".join(text.split())
    scores: dict[str, float] = {}
    for intent, patterns in _PATTERNS.items():
        score = 0.0
        if not _ANY[intent].search(subject) and not _ANY[intent].search(text):
            scores[intent] = score
            continue
        for pattern, weight in patterns:
            if pattern.search(subject):
                score += 2 * weight
            if pattern.search(text):
                score += weight
        scores[intent] = score
    return scores


def classify(ev: Evidence) -> tuple[str, float]:
    """The intent of a mail and a confidence from 0 to 1."""
    if ev.automatic == "bounce":
        return "bounce", 0.97
    if ev.automatic == "auto_reply" and not ev.auto_submitted.startswith("auto-generated"):
        return "auto_reply", 0.95
    if ev.automatic == "auto_reply" and _ABSENCE.search(f"{ev.subject}\n{ev.text[:2000]}"):
        # Exchange marks its out-of-office replies auto-generated, like a carrier's notices.
        return "auto_reply", 0.9
    scores = keyword_scores(ev.subject, ev.text[:20_000])
    _add_evidence(scores, ev)
    ev.scores = scores
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
    (best, top), (_second, runner_up) = ranked[0], ranked[1]
    if top < 2:
        return "other", 0.45 if ev.automatic else 0.35
    margin = (top - runner_up) / top
    return best, round(min(0.98, 0.55 + 0.4 * margin + min(top, 12) / 60), 3)


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
        # A new order names what it wants; without items it is more likely about an old one.
        scores["order"] /= 2
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
    if ev.automatic == "list":
        scores["other"] += 4
    if ev.automatic == "auto_reply":  # auto-generated notices: a carrier's, or noise
        scores["shipment_notice"] += 1
        scores["other"] += 2
