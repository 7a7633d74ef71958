"""Writing customers vary in but that means the same: full-width forms and numbers in words.

`１０００个` and `1000个`, `：` and `:`, `两千个` and `2000个`, "twenty thousand" and "20000" say
the same thing, as do "3 gross" and "432 pcs", "half a dozen cartons" and "6 cartons"; the
extractors read one spelling, so the new text is brought to it first. The
mail's own text is kept as sent. English number words are text2num's to read; small ones
("one of them", "I need two") stay words, as text2num leaves them.
"""

from __future__ import annotations

import re
from decimal import Decimal

from text_to_num import alpha2digit

# Full-width ASCII (U+FF01-FF5E) and the ideographic space, to their ASCII forms.
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5}
_DIGITS |= {"六": 6, "七": 7, "八": 8, "九": 9}
_SMALL = {"十": 10, "百": 100, "千": 1000}
_LARGE = {"万": 10_000, "萬": 10_000}
# A run of Chinese numerals counts something only when a measure word follows it
# ("两千个", "五万只"); "一起", "一下" and "第一" are words, not numbers.
_MEASURE = "个個只件套台片颗顆卷盒箱米条條包支把pcsPCS"
_ZH_COUNT = re.compile(
    rf"(?<![第\d])([一二两兩三四五六七八九十][零〇一二两兩三四五六七八九十百千万萬]*)(?=\s*[{_MEASURE}])"
)


_HALF = re.compile(r"\bhalf an? (thousand|million)\b", re.IGNORECASE)
_NUMBER_WORD = re.compile(
    r"\b(hundred|thousand|million|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|"
    r"three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen)\b",
    re.IGNORECASE,
)


# A dozen is 12 and a gross 144 of whatever follows ("2 dozen boxes", "half a dozen cartons"),
# or of pieces when nothing does ("3 gross"). A gross weight, margin or price counts nothing.
_DOZENS = re.compile(
    r"(?:(?<![\d.,])(\d+(?:\.\d+)?)|\b(half\s+an?|an?|one))\s+(dozens?|gross)\b"
    r"(?!\s+(?:weight|wt|margin|price|amount|total|profit|sales|revenue|income|value|kg)\b)",
    re.IGNORECASE,
)
_UNIT_AFTER = re.compile(
    r"\s*(?:pcs?|pieces?|units?|ea|each|sets?|pairs?|rolls?|reels?|box(?:es)?|cartons?|ctns?"
    r"|cases?|packs?|packets?|bags?|lots?|bundles?|coils?)\b",
    re.IGNORECASE,
)
_PER_DOZEN = {"dozen": 12, "dozens": 12, "gross": 144}


def normalise(text: str) -> str:
    """The text with full-width forms made ASCII and numbers in words made digits."""
    text = text.translate(_FULL_WIDTH)
    if _DOZENS.search(text):
        text = _DOZENS.sub(lambda m: _counted_dozens(m, text), text)
    if _NUMBER_WORD.search(text):
        text = _HALF.sub(lambda m: "500" if m.group(1).lower() == "thousand" else "500000", text)
        text = alpha2digit(text, "en")
    if not _ZH_COUNT.search(text):
        return text
    return _ZH_COUNT.sub(lambda m: _digits(m, text), text)


def _counted_dozens(found: re.Match[str], text: str) -> str:
    """ "3 gross" as "432 pcs", "half a dozen cartons" as "6 cartons": the count of what the
    dozens are of, in pieces unless a unit or a pack follows."""
    word = (found.group(2) or "").lower()
    number = Decimal(found.group(1)) if found.group(1) else Decimal("0.5" if "half" in word else 1)
    value = (number * _PER_DOZEN[found.group(3).lower()]).normalize()
    written = f"{value:f}"
    return written if _UNIT_AFTER.match(text, found.end()) else f"{written} pcs"


def _digits(found: re.Match[str], text: str) -> str:
    # The numeral was a word of its own: keep it apart from a code before it ("5V两千个").
    value = str(zh_number(found.group(1)))
    before = text[found.start() - 1] if found.start() else ""
    return f" {value}" if before.isascii() and before.isalnum() else value


def zh_number(text: str) -> int:
    """The value of a Chinese numeral: `两千` 2000, `一万五千` 15000, `十二` 12."""
    total = section = digit = 0
    for char in text:
        if char in _DIGITS:
            digit = _DIGITS[char]
        elif char in _SMALL:
            section += (digit or 1) * _SMALL[char]
            digit = 0
        elif char in _LARGE:
            total += (section + digit) * _LARGE[char]
            section = digit = 0
    return total + section + digit
