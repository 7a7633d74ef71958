"""What an after-sales mail is about (a short shipment, a defect, a return ...) and which lines.

The words are data: each kind lists the English and Chinese phrases that name it. Every
phrase found counts for its kind; the kind with the most wins, and a tie goes to the kind
listed first (the more specific one). A mail naming none is a complaint, for a clerk to
read. The affected lines are the catalog items the new text names, each with the count
written beside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol

# Most specific first: a tie between two kinds goes to the earlier one.
WORDS: dict[str, tuple[str, ...]] = {
    "transport_damage": (
        r"\b(damaged|broken|crushed|dented|wet) (in|during) (transit|transport|shipping)\b",
        r"\b(carton|box|boxes|pallet|packaging|package|crate)s? (was |were |is |are |arrived )"
        r"?(damaged|crushed|broken|torn|wet|dented)\b",
        r"\btransport damage\b",
        r"\bdamaged on arrival\b",
        "运输(中)?(损坏|破损|压坏)",
        "(外包装|包装|箱子|纸箱|托盘)(破损|压坏|损坏|破了)",
        "压坏",
    ),
    "short_shipment": (
        r"\bshort[- ]?(shipped|shipment|delivery|delivered)\b",
        r"\bmissing (items?|parts?|pieces|pcs|\d)",
        r"\b(only|just) (received|got|delivered) \d",
        r"\b\d[\d,]* (pcs |pieces |units )?(are |were |is )?missing\b",
        r"\b(less|fewer) than (we )?ordered\b",
        r"\bquantity (received )?(is |was )?(short|less)\b",
        "少发",
        "漏发",
        "短少",
        "缺货",
        "少了",
        "实收",
        "只收到",
    ),
    "wrong_item": (
        r"\bwrong (items?|parts?|products?|goods|model|size|colou?r|sku)\b",
        r"\b(sent|shipped|delivered|received) (us )?the wrong\b",
        r"\bnot what we ordered\b",
        "发错",
        "错发",
        "型号不对",
        "不是我们订的",
    ),
    "defect": (
        r"\bdefect(ive|s)?\b",
        r"\bfaulty\b",
        r"\bnot working\b",
        r"\bdoes(n.t| not) work\b",
        r"\bstopped working\b",
        r"\bdead on arrival\b",
        r"\bDOA\b",
        r"\bno output\b",
        r"\boverheat(s|ing)?\b",
        r"\bburn(t|ed) out\b",
        r"\bquality (issue|problem)s?\b",
        r"\bcorroded\b",
        r"\brusty\b",
        "质量问题",
        "品质问题",
        "不良",
        "故障",
        "坏了",
        "不能用",
        "无法使用",
        "不工作",
        "生锈",
        "异响",
    ),
    "return": (
        r"\breturn(ing)? (the |these |those |them|it|all)",
        r"\bRMA\b",
        r"\brefund\b",
        r"\bsend (them|it|the goods) back\b",
        r"\bwant to return\b",
        "退货",
        "退回",
        "退款",
        "换货",
    ),
    "question": (
        r"\bhow (do|to|can|should) (i|we|you) (install|use|wire|connect|configure|mount)\b",
        r"\b(installation|user|operating) (manual|guide|instructions)\b",
        r"\bdatasheet\b",
        r"\bwiring diagram\b",
        "怎么(安装|使用|接线|用)",
        "如何(安装|使用|接线)",
        "说明书",
        "接线图",
    ),
    "complaint": (
        r"\bcomplain(t|ts|ing)?\b",
        r"\b(very|really|extremely) (disappointed|unhappy|dissatisfied)\b",
        r"\bunacceptable\b",
        "投诉",
        "不满意",
        "太差",
    ),
}
FALLBACK = "complaint"
_PATTERNS = {
    kind: tuple(re.compile(p, re.IGNORECASE) for p in phrases) for kind, phrases in WORDS.items()
}
# A count right after these is the missing quantity, not the ordered one.
_SHORT_BY = re.compile(r"(missing|short( by)?|less|少发了?|少了|缺了?|漏发了?)\s*$", re.IGNORECASE)
_SHORT_AFTER = re.compile(
    r"^\s*(are |is |were |was )?(missing|short|not (delivered|received|there)|缺|未到|没到)",
    re.IGNORECASE,
)
# A count as people write it beside an item: "200", "1,200 pcs", "200个"; not part of a code,
# a date or a decimal.
_COUNT = re.compile(
    r"(?<![A-Za-z0-9_.,/-])(\d{1,3}(?:,\d{3})+|\d+)(?![A-Za-z0-9_.,/-]*\d)(?![-/.:]\d)"
    r"(\s*(?:pcs|pieces|pc|units?|sets?|rolls?|boxes|cartons|个|件|台|只|套|卷|箱)\b)?",
    re.IGNORECASE,
)
_FRAGMENT_END = re.compile(r"[\n.;!?。；！？]")


class Mentions(Protocol):
    """What the kinds need of the catalog (`mailroom.parsers.catalog.Catalog`)."""

    def mentions(self, text: str) -> list[tuple[int, int, str]]: ...


@dataclass
class Kind:
    """What an after-sales mail is about, and the words that said so."""

    kind: str
    evidence: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class AffectedLine:
    """One item the customer names, with the count written beside it (None if none)."""

    sku: str
    quantity: Decimal | None

    def to_json(self) -> dict[str, str | None]:
        quantity = None if self.quantity is None else f"{self.quantity.normalize():f}"
        return {"sku": self.sku, "quantity": quantity}


def classify(text: str, subject: str = "") -> Kind:
    """The kind of an after-sales mail from its subject and new text.

    Returns:
        The kind with the most phrases found (ties to the more specific kind), with the
        phrases as written; `complaint` with no evidence when no phrase is found.
    """
    sample = f"{subject}\n{text}"
    best: Kind | None = None
    for kind, patterns in _PATTERNS.items():
        found = [m.group(0) for p in patterns for m in p.finditer(sample)]
        if found and (best is None or len(found) > len(best.evidence)):
            best = Kind(kind, found)
    return best or Kind(FALLBACK)


def affected_lines(text: str, catalog: Mentions) -> list[AffectedLine]:
    """The catalog items `text` names, once each, with the count beside each.

    The count is the one in the same sentence as the item; a count next to "missing" or
    "short" is preferred (it is what is affected, not what was ordered or received).
    """
    lines: dict[str, AffectedLine] = {}
    for start, end, sku in catalog.mentions(text):
        if sku in lines:
            continue
        lines[sku] = AffectedLine(sku, _count_near(text, start, end))
    return list(lines.values())


def _count_near(text: str, start: int, end: int) -> Decimal | None:
    before = _FRAGMENT_END.split(text[:start])[-1]
    after = _FRAGMENT_END.split(text[end:])[0]
    blank = " " * (end - start)  # a number inside the name counts nothing
    fragment = f"{before}{blank}{after}"
    counts = [
        (m.start(), m.end(), Decimal(m.group(1).replace(",", "")))
        for m in _COUNT.finditer(fragment)
    ]
    if not counts:
        return None
    for start, end, value in counts:
        if _SHORT_BY.search(fragment[:start]) or _SHORT_AFTER.match(fragment[end:]):
            return value
    return counts[0][2]
