"""Mail that cancels a whole order: "please cancel the whole order", "cancel PO 4411
entirely", 整单取消, 订单全部取消, 取消整个订单.

Such a mail often lists the order's lines, with the counts they had, so a clerk sees what is
called off. Those counts are no goods to send: like an item a change takes off
(`removals.py`), each listed line is reported at quantity 0, and the orders module, finding
every line of the order taken off, cancels it whole.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

from mailroom.parsers.result import Line
from mailroom.parsers.scripts import compile_either

_CANCEL = r"cancel(?:l?ing|l?ed|lation\s+of)?"
_ORDER = r"(?:order|PO|purchase\s+order)(?:\s+(?:no\.?\s*)?[A-Z0-9][\w/-]*)?"
_WHOLE = compile_either(
    # "cancel the whole order", "cancel our entire PO 4411"
    rf"\b{_CANCEL}\s+(?:(?:the|our|this|my|your)\s+)?(?:whole|entire|complete|full)\s+{_ORDER}"
    # "cancel PO 4411 entirely", "cancel the order in full"
    rf"|\b{_CANCEL}\s+(?:(?:the|our|this|my)\s+)?{_ORDER}[^.\n]{{0,40}}?"
    r"\b(?:entirely|completely|in\s+full|in\s+its\s+entirety|altogether)\b"
    # "the whole order is cancelled", "cancel all items of the order"
    rf"|\b(?:whole|entire)\s+(?:order|PO)\s+(?:is\s+|to\s+be\s+|must\s+be\s+|will\s+be\s+)?cancel"
    rf"|\b{_CANCEL}\s+all\s+(?:of\s+)?(?:the\s+)?(?:lines|items|positions)\b"
    # 整单取消, 订单 SO-… 全部取消, 取消整个订单, 撤销全部订单
    r"|(?:整单|整[个张份]订单|订单\s*(?:[A-Za-z0-9-]+\s*)?全部|全部订单|所有订单)\s*(?:取消|撤销|作废)"
    r"|(?:取消|撤销|作废)\s*(?:整单|整[个张份]订单|全部订单|所有订单)",
    re.IGNORECASE,
)
# "we do not want to cancel the whole order", "不是整单取消": a denial before the words; "the
# whole order except the HX-2040", 保留: a part of the order kept, anywhere in the sentence.
_DENIED = compile_either(
    r"\b(?:not|don'?t|no\s+need|never)\b|不是|不要|无需|不用|并非|暂不|不必", re.IGNORECASE
)
_KEEPS = compile_either(
    r"\b(?:except|but\s+keep|apart\s+from|other\s+than|only)\b|除了|保留|只取消|仅取消",
    re.IGNORECASE,
)
_SENTENCES = re.compile(r"(?<=[.!?])\s+|\n|[。！？]")


def cancels_whole_order(text: str) -> bool:
    """Whether `text` (a mail's new text) calls off its whole order, in a sentence that
    neither denies it nor keeps a part of the order."""
    for sentence in _SENTENCES.split(text):
        found = _WHOLE.search(sentence)
        if found and not _DENIED.search(sentence, 0, found.start()) and not _KEEPS.search(sentence):
            return True
    return False


def taken_off(lines: list[Line]) -> list[Line]:
    """`lines` as a cancellation lists them: each at quantity 0, with no price to check."""
    return [replace(line, quantity=Decimal(0), unit_price=None, currency=None) for line in lines]
