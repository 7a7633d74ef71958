"""Counts and prices written in hundreds or thousands: "数量(千只)", a unit of 千只, a price
"元/千只", "per 100 pcs", or a PER column of codes (IBM i and other ERPs print C for a hundred,
M for a thousand, E for each).

The parse's contract is a count in pieces and a price per piece, so a table that writes its
quantity in thousands has its counts multiplied and a price per hundred or thousand divided.
"""

from __future__ import annotations

import re
from decimal import Decimal

from mailroom.parsers.scripts import compile_either

# "千只", "k pcs", "'000", "(x1000)", "thousands": a count in thousands.
_THOUSANDS = compile_either(
    r"千\s*(?:只|个|個|件|片|颗|顆|支|条|條|套|pcs)|(?<![A-Za-z])k\s*pcs\b|\bthousands\b|'000\b"
    r"|[(（]\s*(?:x|×)?\s*1,?000\s*[)）]",
    re.IGNORECASE,
)
_HUNDREDS = compile_either(
    r"百\s*(?:只|个|個|件|片|颗|顆|支|条|條|套|pcs)|\bhundreds\b|[(（]\s*(?:x|×)?\s*100\s*[)）]",
    re.IGNORECASE,
)
# "/千只", "每千个", "per 1,000", "/100 pcs", "per C": what a price is for. A bare "per m" is a
# metre, never a thousand; only a PER column's code says M. "kpcs" is a thousand pieces.
_PER_WORD = r"1,?000|100|千|百|k(?:\s*pcs?\b|(?![A-Za-z]))|thousand|hundred|c(?![A-Za-z])"
_PER = compile_either(rf"(?:/|\bper\b|每)\s*({_PER_WORD}|mille)", re.IGNORECASE)
_PER_VALUES = {"1000": 1000, "1,000": 1000, "100": 100, "千": 1000, "百": 100, "k": 1000}
_PER_VALUES |= {"thousand": 1000, "hundred": 100, "mille": 1000, "c": 100}
_CODES = {"E": 1, "C": 100, "M": 1000}


def count_scale(text: str) -> int:
    """How many pieces one counted unit of `text` is: 1000 for "千只" or "k pcs", else 1."""
    if _THOUSANDS.search(text):
        return 1000
    return 100 if _HUNDREDS.search(text) else 1


def price_per(text: str) -> int:
    """How many pieces a price in `text` is for: 1000 for "元/千只" or "per 1,000", else 1."""
    found = _PER.search(text)
    return _per_value(found.group(1)) if found else 1


# Right after a price: "USD 7.00 per 100", "0.95 EUR / 1000 pcs", "85元/千只", "$4.20/C".
_PER_AFTER = compile_either(
    rf"\s*(?:(?:pcs?|ea)\.?\s*)?(?:/|\bper\b|每)\s*({_PER_WORD})", re.IGNORECASE
)


# "USD 12.00/M", "38.00 per M": the trade's capital M (mille) is a thousand; a small m after
# a price is a metre.
_PER_MILLE = re.compile(r"\s*(?:/|\bper\s)\s*M(?![A-Za-z])")


def per_after(text: str, at: int) -> int:
    """How many pieces the price that ends at `at` in `text` is for (1 unless it says)."""
    found = _PER_AFTER.match(text, at)
    if found:
        return _per_value(found.group(1))
    return 1000 if _PER_MILLE.match(text, at) else 1


def _per_value(word: str) -> int:
    """The pieces a price's "per" word names; "kpcs" and "k pcs" are a thousand pieces."""
    key = word.lower()
    return 1000 if key.startswith("k") else _PER_VALUES[key]


def per_cell(cell: str) -> int:
    """A PER column's cell as a number of pieces: C is 100, M is 1000, E or nothing is 1; a
    number ("100", "/1000") is itself."""
    text = cell.strip().upper().lstrip("/").strip()
    if text in _CODES:
        return _CODES[text]
    if re.fullmatch(r"1(?:,?0{3}|00?)", text):
        return int(text.replace(",", ""))
    return price_per(cell)


def per_piece(price: Decimal | None, per: int) -> Decimal | None:
    """A price for `per` pieces as a price for one, exact (7.000 per 100 is 0.07)."""
    if price is None or per == 1:
        return price
    value = price / per
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
