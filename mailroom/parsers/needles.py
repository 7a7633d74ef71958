"""The plain text every match of a pattern must contain, so that a search that cannot match
is skipped.

Most of the parser's time goes into searching a few hundred keyword patterns over each mail.
Python's `re` finds a pattern that starts with a literal quickly, but one that starts with a
word boundary, a lookbehind or a group is tried at every position of the text. A substring test
(`in`) is far cheaper, so each pattern is first reduced to the strings of which any match holds
at least one ("update" for `\\bupdate\\b`; "quote", "quotation", "offer" or "price" for
`(quot(e|ation)|offer|price)s? (is|are)`), read from the pattern's own parse tree.
"""

from __future__ import annotations

import itertools
import re
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]
from typing import Any

# A run of characters becomes at most this many strings ("[报報][价價]" is four).
_MAX_SPELLINGS = 16
_MIN_LENGTH = 2


class Needled:
    """A compiled pattern with the strings one of which every match contains."""

    __slots__ = ("ignore_case", "needles", "pattern")

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self.ignore_case = bool(pattern.flags & re.IGNORECASE)
        self.needles = needles_of(pattern)

    def search(self, text: str, folded: str) -> bool:
        """Whether the pattern occurs in `text`; `folded` is `text.casefold()`."""
        if self.needles is None:
            return self.pattern.search(text) is not None
        haystack = folded if self.ignore_case else text
        for needle in self.needles:
            if needle in haystack:
                return self.pattern.search(text) is not None
        return False


def needles_of(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """Strings of which every match of `pattern` contains at least one (case-folded when the
    pattern ignores case), or None when the pattern has no such set."""
    try:
        tree = _parser.parse(pattern.pattern, pattern.flags)
    except Exception:  # a pattern the parser of this Python reads differently: search it plainly
        return None
    found = _of_sequence(list(tree))
    if found is None:
        return None
    if pattern.flags & re.IGNORECASE:
        found = {needle.casefold() for needle in found}
    return tuple(sorted(found))


def _of_sequence(items: list[tuple[Any, Any]]) -> set[str] | None:
    """The most selective needle set of a sequence: its longest run of plain characters, or a
    group, branch or repeat within it that has one."""
    candidates: list[set[str]] = []
    run: list[set[str]] = []
    for op, arg in items:
        chars = _chars(op, arg)
        if chars is not None:
            run.append(chars)
            continue
        candidates.append(_spellings(run))
        run = []
        inner = _of_item(op, arg)
        if inner is not None:
            candidates.append(inner)
    candidates.append(_spellings(run))
    usable = [c for c in candidates if c and min(map(len, c)) >= _MIN_LENGTH]
    return max(usable, key=lambda c: (min(map(len, c)), -len(c)), default=None)


def _of_item(op: Any, arg: Any) -> set[str] | None:
    if op is sre.SUBPATTERN:
        # A group that turns on a flag of its own ("(?i:...)") is matched otherwise: opaque.
        return None if arg[1] else _of_sequence(list(arg[-1]))
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT) and arg[0] >= 1:
        return _of_sequence(list(arg[2]))
    if op is sre.BRANCH:
        branches = [_of_sequence(list(branch)) for branch in arg[1]]
        if any(b is None for b in branches):
            return None
        return set().union(*(b for b in branches if b is not None))
    return None


def _chars(op: Any, arg: Any) -> set[str] | None:
    """The characters one item matches when it is a plain character or a small set of them."""
    if op is sre.LITERAL:
        return {chr(arg)}
    if op is sre.IN and all(kind is sre.LITERAL for kind, _value in arg) and len(arg) <= 4:
        return {chr(value) for _kind, value in arg}
    return None


def _spellings(run: list[set[str]]) -> set[str]:
    """Every string a run of character sets spells, or nothing when there are too many."""
    count = 1
    for chars in run:
        count *= len(chars)
    if not run or count > _MAX_SPELLINGS:
        return set()
    return {"".join(chosen) for chosen in itertools.product(*run)}
