"""The needle prefilter: a keyword pattern is skipped only where it cannot match."""

from __future__ import annotations

import re

import pytest

from mailroom.parsers.needles import Needled, needles_of
from mailroom.parsers.scripts import compile_either


@pytest.mark.parametrize(
    ("pattern", "needles"),
    [
        (r"\bupdate\b", ("update",)),
        (r"(quot(e|ation)|offer|price)s? (is|are)", ("offer", "price", "quot")),
        (r"\bPO\s*(no|number)", ("po",)),
        (r"\b(delayed|late)\b", ("delayed", "late")),
        (r"(?<!接受)报价", ("報价", "報價", "报价", "报價")),
        (r"(?i:ship)ped", ("ped",)),
        (r"\d+\s*pcs", ("pcs",)),
    ],
)
def test_a_pattern_needs_the_plain_text_of_its_longest_run(pattern, needles) -> None:
    assert needles_of(compile_either(pattern, re.IGNORECASE)) == needles


def test_a_pattern_without_plain_text_has_no_needles_and_is_always_searched() -> None:
    assert needles_of(re.compile(r"\d{4}-\d{2}")) is None
    assert Needled(re.compile(r"\d{4}-\d{2}")).search("due 2026-12", "due 2026-12")


@pytest.mark.parametrize(
    "text", ["Any UPDATE on PO 88?", "where is it", "Quotation are fine", "報價單", "Shipped ok"]
)
def test_the_prefilter_agrees_with_the_pattern(text: str) -> None:
    for source in (r"\bupdate\b", r"(quot(e|ation)|offer|price)s? (is|are)", r"报价", r"ship"):
        pattern = compile_either(source, re.IGNORECASE)
        assert Needled(pattern).search(text, text.casefold()) == bool(pattern.search(text))
