"""Ratings and comments in a customer's feedback: "5/5", "4 stars", "满意", "评分：4".

A rating is a whole number from 1 to 5. Scores out of 10 are halved (rounded half up);
Chinese satisfaction words map to a rating (非常满意 5, 满意 4, 一般 3, 不满意 2, 非常不满意 1),
and so do their English counterparts. The comment is the new text of the reply.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

MAX_COMMENT = 4000
_NUMBER = r"(\d{1,2}(?:\.\d)?)"
# (pattern, scale): the first group is the score on that scale.
_SCORES: tuple[tuple[re.Pattern[str], int], ...] = (
    (re.compile(rf"(?<![\d.]){_NUMBER}\s*(?:/|out of|of)\s*5(?![\d.])", re.IGNORECASE), 5),
    (re.compile(rf"(?<![\d.]){_NUMBER}\s*(?:/|out of|of)\s*10(?![\d.])", re.IGNORECASE), 10),
    (re.compile(rf"(?<![\d.]){_NUMBER}\s*(?:stars?|★)", re.IGNORECASE), 5),
    (
        re.compile(
            rf"(?:评分|評分|打分|rating|score)\s*[:：为是]?\s*{_NUMBER}\s*分?", re.IGNORECASE
        ),
        5,
    ),
    (re.compile(rf"(?<![\d.]){_NUMBER}\s*分(?!钟|鐘)"), 5),
    (re.compile(rf"(?<![\d.]){_NUMBER}\s*星"), 5),
)
_STARS = re.compile(r"★{1,5}")
# Words, most specific first: "非常不满意" before "不满意" before "满意".
_WORDS: tuple[tuple[re.Pattern[str], int], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), rating)
    for pattern, rating in (
        (r"非常不满意|很不满意|非常不滿意|很不滿意", 1),
        (r"\b(very|extremely|totally) (dissatisfied|unhappy|disappointed)\b", 1),
        (r"不满意|不滿意", 2),
        (r"\b(dissatisfied|not (satisfied|happy)|unhappy|disappointed)\b", 2),
        (r"非常满意|很满意|非常滿意|很滿意|十分满意", 5),
        (r"\b(very|extremely|really) (satisfied|happy|pleased)\b|\bexcellent\b", 5),
        (r"满意|滿意", 4),
        (r"\b(satisfied|happy|pleased|good)\b", 4),
        (r"一般|还行|還行", 3),
        (r"\b(ok|okay|average|so-so)\b", 3),
    )
)


@dataclass(frozen=True)
class Feedback:
    """What a feedback reply says: a rating from 1 to 5 (None if none), its words, a comment."""

    rating: int | None
    written: str | None
    comment: str


def read_feedback(text: str) -> Feedback:
    """The rating and comment in the new text of a feedback reply.

    A score ("4/5", "9 out of 10", "4 stars", "评分：4", "★★★★") wins over words; among
    words the first matching entry of the table wins.
    """
    comment = text.strip()[:MAX_COMMENT]
    for pattern, scale in _SCORES:
        found = pattern.search(text)
        if found:
            rating = _on_five(Decimal(found.group(1)), scale)
            if rating is not None:
                return Feedback(rating, found.group(0).strip(), comment)
    stars = _STARS.search(text)
    if stars:
        return Feedback(len(stars.group(0)), stars.group(0), comment)
    for pattern, rating in _WORDS:
        found = pattern.search(text)
        if found:
            return Feedback(rating, found.group(0), comment)
    return Feedback(None, None, comment)


def _on_five(score: Decimal, scale: int) -> int | None:
    """`score` on a scale of `scale`, as a whole rating from 1 to 5; None when out of range."""
    if score < 0 or score > scale:
        return None
    five = (score * 5 / scale).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return max(1, int(five))
