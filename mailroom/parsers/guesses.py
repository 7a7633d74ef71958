"""Counts that are guesses: the lower bound of a range, a count split or joined in doubt, or
any count of a sentence that hedges it. A line read at such a count is kept but not sure, so it
never confirms an order on its own."""

from __future__ import annotations

import re
from decimal import Decimal

from mailroom.parsers.numbers import ranges_in
from mailroom.parsers.scripts import compile_either
from mailroom.parsers.tables import Row

# Words that leave a count open: "qty 40 (maybe 50?)", "around 2,000 pcs", "1000个左右".
_HEDGED = compile_either(
    r"\b(?:maybe|perhaps|possibly|probably)\b"
    r"|\b(?:about|around|roughly|approx(?:imately|\.)?|ca\.|circa)\s*\d"
    r"|\d\s*\S{0,3}?(?:左右|上下)|大概|大约|可能|也许|或许",
    re.IGNORECASE,
)


def mark_guessed(rows: list[Row], sentence: str, doubtful: set[Decimal]) -> list[Row]:
    """`rows` with those whose count is a guess marked: the lower bound of a range in
    `sentence`, one of the `doubtful` counts of its line ("Size 8 100 pcs": 100 or 8100?), or
    any count of a sentence that hedges it. A line booked at "3-5k pcs" or "qty 40 (maybe
    50?)" must never confirm an order on its own."""
    if _HEDGED.search(sentence):
        for row in rows:
            row.guessed = True
        return rows
    guesses = {start for _written, start in ranges_in(sentence)} | doubtful
    for row in rows:
        if row.quantity in guesses:
            row.guessed = True
    return rows
