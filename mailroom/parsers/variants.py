"""Words that tell one variant of an item from another: a colour, male or female, NPN or PNP.

A fuzzy match of "光伏电缆 4平方 黑色" to our red PV cable is close in letters and wrong in the
one word that matters; confirming it would ship the wrong goods. So a product is never matched
to a text that names another value of one of these kinds than the product's names do.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from mailroom.parsers.scripts import either_script

_WORDS = [
    [
        ("red", "红色"),
        ("black", "黑色"),
        ("white", "白色"),
        ("blue", "蓝色"),
        ("green", "绿色"),
        ("yellow", "黄色"),
        ("gr[ae]y", "灰色"),
        ("orange", "橙色"),
        ("brown", "棕色"),
    ],
    [("male", "公头|公座|公端"), ("female", "母头|母座|母端")],
    [("npn", "npn"), ("pnp", "pnp")],
]
_VARIANTS = [
    [
        re.compile(rf"(?<![A-Za-z])(?:{english})(?![A-Za-z])|{either_script(chinese)}", re.I)
        for english, chinese in group
    ]
    for group in _WORDS
]


def names_another_variant(description: str, names: Iterable[str]) -> bool:
    """Whether `description` names a variant (a colour, male/female, NPN/PNP) that none of a
    product's `names` name, where they name another value of the same kind."""
    held_text = " ".join(names)
    for group in _VARIANTS:
        asked = {i for i, spelling in enumerate(group) if spelling.search(description)}
        held = {i for i, spelling in enumerate(group) if spelling.search(held_text)}
        if asked and held and not asked & held:
            return True
    return False
