"""Reading quantities and prices as customers write them: separators, units, CJK multipliers.

`1,000 pcs`, `2k`, `2千`, `1.5万个`, `$1.20`, `USD 1.20`, `1.20 USD/pc`, `¥5.80`, `5.80元`.
Money is Decimal throughout.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from mailroom.parsers.scales import per_after, per_piece
from mailroom.parsers.scripts import compile_either, load_table
from mailroom.parsers.spaced import join_spaced_cell

_DATA = load_table("fields.toml")
_UNITS = "|".join(
    sorted(_DATA["quantity_units"]["pcs"] + _DATA["quantity_units"]["zh"], key=len, reverse=True)
)
NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
# A price may be written with a decimal comma (0,07 or 12,50: never three digits after it).
PRICE = rf"\d+,\d{{1,2}}(?![\d.,])|{NUMBER}"
# A quantity may also be written with dots between thousands (1.000, 12.500).
COUNT = rf"\d{{1,3}}(?:\.\d{{3}})+(?![\d.])|{NUMBER}"
_MULTIPLIER = {"千": 1000, "k": 1000, "K": 1000, "万": 10000, "萬": 10000, "百": 100}
# A number after a currency or "@" is money, whatever follows it ("at HKD 13.20 ea").
_MONEY_BEFORE = (
    r"(?<!(?:USD|HKD|EUR|GBP|CNY|RMB|AUD|CAD|CHF|JPY|TWD) )(?<![$¥￥€£@] )(?<!@)"
    r"(?<!(?:US|HK|NT)\$ )"
)
# A number followed by a unit word: the surest sign of a quantity.
QTY_WITH_UNIT = compile_either(
    rf"(?<![A-Za-z0-9_.$¥￥€£/-]){_MONEY_BEFORE}({NUMBER})\s*([千万萬kK百])?\s*(?:{_UNITS})"
    r"(?![A-Za-z])"
    # "T: 0512-6288 7410 M: 139...", "C = PER 100  M = PER 1000": a word before a colon or an
    # equals sign labels what follows.
    r"(?!\s*[:：=])",
    re.IGNORECASE,
)
# A range of counts ("3-5k pcs", "500~800个"): a clerk books its lower bound and asks about the
# rest. A multiplier written once ("3-5k") scales both ends.
# Found from its separator (a pattern that starts with a few characters is searched fast),
# then the lower end just before it.
_RANGE_HIGH = compile_either(
    rf"[-–~～至]\s*({NUMBER})\s*([千万萬kK])?\s*(?:{_UNITS})(?![A-Za-z])", re.IGNORECASE
)
_RANGE_LOW = compile_either(rf"(?<![A-Za-z0-9_.$¥￥€£/-])({NUMBER})\s*([千万萬kK])?\s*$")
QTY_MULT = compile_either(rf"(?<![A-Za-z0-9_.])({NUMBER})\s*([千万萬])(?!\s*[元块])")
QTY_LABEL = compile_either(
    rf"(?:\bq(?:uanti)?ty|数量|數量|(?<![A-Za-z0-9])[x×*])\s*[:：=]?\s*({NUMBER})\s*([千万萬kK])?"
    r"(?![\d.]|\s*[x×*]\s*\d)",
    re.IGNORECASE,
)
QTY_TIMES_AFTER = compile_either(rf"(?<![A-Za-z0-9_.])({NUMBER})\s*[x×*]\s", re.IGNORECASE)
# A new total: "to N", "-> N", or a Chinese verb of change ending in 到, 至, 为 or 成 (加到,
# 减到, 增至, 调整为, 改成, 提高到): whatever the verb, the count after it is the total.
# (compile_either matches the traditional forms too.)
_CHANGE_VERB = r"改|变|调整?|增加?|加|减少?|减|降低?|提高|提升|上调|下调|涨|升"
CHANGE_TO = rf"(?:{_CHANGE_VERB})\s*(?:到|至|为|成)"
QTY_CHANGE = compile_either(
    rf"(?:\bto\b|{CHANGE_TO}|->|→)\s*({NUMBER})\s*([千万萬kK])?",
    re.IGNORECASE,
)

# Marketplaces print the country apart from the sign ("US $0.085", "HK $ 12.50"): one currency.
_CURRENCY_WORDS = [
    (r"US\s?\$|USD|US\s*dollars?|美元|美金|\$", "USD"),
    (r"HK\s?\$|HKD|港币|港幣", "HKD"),
    (r"NT\s?\$|TWD|新台币|新台幣", "TWD"),
    (r"A\$|AUD", "AUD"),
    (r"C\$|CAD", "CAD"),
    (r"€|EUR|euros?|欧元|歐元", "EUR"),
    (r"£|GBP", "GBP"),
    (r"JPY|日元|円", "JPY"),
    (r"¥|￥|RMB|CNY|元|人民币|人民幣|块", "CNY"),
]
_CUR_ALT = "|".join(p for p, _ in _CURRENCY_WORDS)
_CUR_BEFORE = compile_either(rf"({_CUR_ALT})\s*({PRICE})(?![\d])", re.IGNORECASE)
_CUR_AFTER = compile_either(rf"(?<![A-Za-z0-9_.])({PRICE})\s*({_CUR_ALT})", re.IGNORECASE)
# "at 1.20", "at your quoted 3.15", "unit price: 0.11".
_PRICE_LABEL = compile_either(
    rf"(?:@|\bat(?:\s+(?:your|our|the))?\s+(?:quoted|agreed|offered)\b(?:\s+price)?|\bat\b"
    rf"|unit\s*price|price|单价|單價|价格|每个|每只|每件)\s*(?:is|of|[:：=])?\s*"
    rf"(?:({_CUR_ALT})\s*)?({PRICE})\s*({_CUR_ALT})?",
    re.IGNORECASE,
)
# A price cell may say what it is ("單價 USD 1.55", "Price: $3.20", "@ 0.12").
_PRICE_WORD = r"(?:unit\s*price|price|单价|單價|价格|價格|@)"
# ... and say whether tax is in it ("52元/卷（含税）", "0.30 USD excl. VAT").
TAX_NOTE = (
    r"(?:\s*[(（]?\s*(?:含税|含稅|不含税|未税|含税价|incl\.?\s*(?:VAT|tax)|excl\.?\s*(?:VAT|tax)|"
    r"net|gross|tax\s*incl(?:uded)?)\s*[)）]?)?"
)
CURRENCY_MENTION = compile_either(
    r"(?<![A-Za-z])(USD|EUR|GBP|CNY|RMB|HKD|AUD|CAD|JPY|TWD)(?![A-Za-z])|[$€£¥￥]|元|人民币|美元|美金",
    re.IGNORECASE,
)


def to_decimal(text: str) -> Decimal | None:
    """A number as written (`1,234.50`), or None."""
    text = text.strip()
    if re.fullmatch(r"\d+,\d{1,2}", text):
        text = text.replace(",", ".")  # a decimal comma
    try:
        return Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None


def currency_code(word: str | None) -> str | None:
    """ISO 4217 code for a currency sign or word (`$` → USD, `元` → CNY)."""
    if not word:
        return None
    for pattern, code in _CURRENCY_WORDS:
        if re.fullmatch(pattern, word.strip(), re.IGNORECASE):
            return code
    return None


def _scaled(number: str, multiplier: str | None) -> Decimal | None:
    if re.fullmatch(r"[1-9]\d{0,2}(?:\.\d{3})+", number):
        number = number.replace(".", "")  # "1.000" of a count is a thousand, not one
    value = to_decimal(number)
    if value is None:
        return None
    return value * _MULTIPLIER.get(multiplier or "", 1)


_COUNT_OF = compile_either(
    rf"(?<![A-Za-z0-9_.])({NUMBER})\s*([kK])?\s+of\s+(?:the|our|your|those|these)\b", re.I
)


def quantity_in(text: str) -> Decimal | None:
    """The quantity a text asks for: `to N` of a change, packs of a size, a number with a
    unit, then labels."""
    packed = None if QTY_CHANGE.search(text) else packed_count(text)
    if packed is not None:
        return packed
    ranged = None if QTY_CHANGE.search(text) else range_start(text)
    if ranged is not None:
        return ranged
    for pattern in (QTY_CHANGE, QTY_WITH_UNIT, QTY_MULT, QTY_LABEL, _COUNT_OF, QTY_TIMES_AFTER):
        found = pattern.search(text)
        if found:
            groups = found.groups()
            value = _scaled(groups[0], groups[1] if len(groups) > 1 else None)
            if value is not None and value > 0:
                return value
    return None


def ranges_in(text: str) -> list[tuple[str, Decimal]]:
    """Every range of counts in `text`, as written and as its lower bound: "3-5k pcs" is 3000
    (a multiplier written once scales both ends); the upper end must be the larger."""
    found: list[tuple[str, Decimal]] = []
    for high in _RANGE_HIGH.finditer(text):
        window = max(0, high.start() - 40)
        low = _RANGE_LOW.search(text, window, high.start())
        if low is None or (low.start() == window and window > 0):
            continue  # no number before the dash, or one cut off by the window
        start = _scaled(low.group(1), low.group(2) or high.group(2))
        end = _scaled(high.group(1), high.group(2))
        if start is not None and end is not None and 0 < start < end:
            found.append((text[low.start() : high.end()].strip(), start))
    return found


def range_start(text: str) -> Decimal | None:
    """The lower bound of the first range of counts in `text`, or None."""
    ranges = ranges_in(text)
    return ranges[0][1] if ranges else None


_PER_AFTER = compile_either(r"\s*(?:per|a|each|every|/|每)\s*\S", re.IGNORECASE)


def counts_in(text: str) -> list[tuple[str, Decimal]]:
    """Every count a text writes (`150卷`, `2k pcs`, `500 of the`), as written and as a value;
    a packing ratio ("10 rolls per carton") is not one."""
    found: list[tuple[str, Decimal]] = []
    found += ranges_in(text)
    for pattern in (QTY_WITH_UNIT, QTY_MULT, _COUNT_OF):
        for match in pattern.finditer(text):
            if _PER_AFTER.match(text, match.end()):
                continue
            value = _scaled(match.group(1), match.group(2))
            if value is not None and value > 0:
                found.append((match.group(0).strip(), value))
    return found


# "500 pcs, 2,000 pcs and 10,000 pcs", "1k / 5k / 10k", "50台、100台、300台": the counts one
# item is asked for at, each its own line of a request for quotes.
_TIER = rf"(?<![A-Za-z0-9_.$¥￥€£/-])({NUMBER})\s*([千万萬kK])?\s*((?:{_UNITS})(?![A-Za-z]))?"
_TIER_ONE = compile_either(_TIER, re.IGNORECASE)
_TIER_LIST = compile_either(
    rf"{_TIER}(?:\s*(?:,|/|、|，|\band\b|\bor\b|和|或|及)\s*{_TIER})+(?![A-Za-z\d%])",
    re.IGNORECASE,
)


def count_list(text: str) -> list[Decimal]:
    """The counts of the first list of counts in `text` (two or more, rising, one of them with
    a unit or a multiplier), or [] when there is none."""
    for listed in _TIER_LIST.finditer(text):
        parts = list(_TIER_ONE.finditer(listed.group(0)))
        values = [_scaled(p.group(1), p.group(2)) for p in parts]
        marked = any(p.group(2) or p.group(3) for p in parts)
        counts = [v for v in values if v is not None and v > 0]
        whole = len(counts) == len(parts) and all(v == v.to_integral_value() for v in counts)
        rising = all(a < b for a, b in zip(counts, counts[1:], strict=False))
        if marked and whole and rising and len(counts) >= 2:
            return counts
    return []


def join_count_lists(text: str) -> str:
    """`text` with "and"/"or" inside a list of counts written as "/", so that a sentence split
    at "and" before a count does not cut the list."""

    def joined(listed: re.Match[str]) -> str:
        if not count_list(listed.group(0)):
            return listed.group(0)
        return re.sub(r"\s+(?:and|or)\s+", " / ", listed.group(0))

    return _TIER_LIST.sub(joined, text)


def without_count_list(text: str) -> str:
    """`text` with its list of counts blanked out, to read the item it is about."""
    for listed in _TIER_LIST.finditer(text):
        if count_list(listed.group(0)):
            return text[: listed.start()] + " " + text[listed.end() :]
    return text


# Goods counted in packs of a stated size: "10箱（每箱2000只）", "5箱（1000只/箱）",
# "20 cartons x 500 pcs", "2 boxes of 100". The count is of pieces; a length per roll
# ("20 rolls x 5m") is the product's size, not its count.
PACKS = (
    r"箱|盒|包|卷|盘|盤|ctns?|cartons?|boxes|box|cases?|packs?|bags?|reels?|rolls?|coils?|drums?"
)
_MEASURE_AFTER = r"(?!\s*(?:mm|cm|m(?![A-Za-z])|米|kg|千克|g(?![A-Za-z])))"
# A pack's size is a whole number of pieces, never a price ("40 rolls @ 7.02", "x USD 3").
# It may be written in thousands ("2 reels (5k/reel)").
_SIZE = (
    r"(\d{1,3}(?:,\d{3})+|\d+)(?![\d.,]*\d)([kK千](?![A-Za-z]))?"
    r"(?!\s*(?:USD|RMB|CNY|EUR|元|美元))"
)
_PACKED = compile_either(
    rf"(?<![\d.,])({COUNT})\s*(?:{PACKS})\s*[(（,，]?\s*(?:"
    rf"(?:每\s*(?:{PACKS})|per\s+(?:{PACKS})|[x×*]|of)\s*{_SIZE}{_MEASURE_AFTER}"
    rf"|{_SIZE}{_MEASURE_AFTER}\s*(?:{_UNITS})?\s*(?:/|每)\s*(?:{PACKS}))",
    re.IGNORECASE,
)


def packed_count(text: str) -> Decimal | None:
    """The pieces in a count of packs with their size ("10箱（每箱2000只）" is 20000), or None."""
    found = _PACKED.search(text)
    if not found:
        return None
    first = found.group(2) is not None
    size = _scaled(found.group(2 if first else 4), found.group(3 if first else 5))
    packs = _scaled(found.group(1), None)
    return packs * size if packs and size else None


def parse_quantity_cell(cell: str) -> Decimal | None:
    """A table cell meant as a quantity: a bare number, maybe with a unit or multiplier, or a
    count of packs with their size."""
    text = join_spaced_cell(cell.strip())
    packed = packed_count(text)
    if packed is not None:
        return packed
    millions = _MILLIONS.fullmatch(text)
    if millions:  # "1,5 Mio", "2 million pcs", "1.2百万只"
        value = to_decimal(millions.group(1))
        return value * 1_000_000 if value else None
    found = re.fullmatch(
        rf"({COUNT})\s*([千万萬kK])?\s*(?:{_UNITS})?\.?", text, re.IGNORECASE
    ) or re.fullmatch(rf"({COUNT})\s*([千万萬])?\s*[^\sA-Za-z0-9./-]{{0,4}}", text)
    if not found:
        return None
    value = _scaled(found.group(1), found.group(2))
    return value if value is not None and value > 0 else None


_MILLIONS = compile_either(
    rf"({PRICE})\s*(?:mio\.?|millions?|millionen|mln\.?|百万|百萬)\s*(?:{_UNITS})?\.?",
    re.IGNORECASE,
)


# "line 2" or "item 3" numbers a line, it does not count anything.
_NOT_A_COUNT = r"(?<!line\s)(?<!item\s)(?<!pos\s)(?<!pos\.\s)(?<!no\.\s)"
_BEFORE_ITEM = compile_either(
    rf"{_NOT_A_COUNT}(?<![A-Za-z0-9_.])({COUNT})\s*([千万萬kK])?\s*"
    rf"(?:(?:{_UNITS})\.?\s*[(（]|(?:(?:{_UNITS})\.?\s*)?(?:of\s+(?:the\s+|our\s+|your\s+)?)?"
    r"(?:[x×*]\s*)?)\s*$",
    re.IGNORECASE,
)
# A bare number after an item is its count, unless a unit of a specification follows (1.27mm).
_AFTER_ITEM = compile_either(
    rf"^\s*[:：=,，\-]?\s*[x×*]?\s*({COUNT})\s*([千万萬kK])?"
    r"(?![\d.]|\s*(?:mm2?|cm|V|A|W|kW|mA|Nm|bar|Hz|P|pin)\b)",
    re.I,
)


# "3 boxes x 500 of the ...": the count before an item's name is a pack's size.
_PACKS_BEFORE = compile_either(
    rf"(?<![\d.,])({COUNT})\s*(?:{PACKS})\s*(?:[x×*]|of|[(（]\s*(?:each\s+)?)\s*$", re.I
)


def quantity_before_item(text: str) -> Decimal | None:
    """A count written right before an item's name: `2,500 of the`, `1000`, `500 pcs`; a
    count of packs before it multiplies it (`3 boxes x 500 of` is 1500)."""
    found = _BEFORE_ITEM.search(text)
    if not found:
        return None
    count = _scaled(found.group(1), found.group(2))
    packs = _PACKS_BEFORE.search(text, 0, found.start(1))
    size = _scaled(packs.group(1), None) if packs else None
    return count * size if count and size else count


def quantity_after_item(text: str) -> Decimal | None:
    """A count written after an item's name: a unit or label anywhere, or a number next to it."""
    value = quantity_in(text)
    if value is not None:
        return value
    found = _AFTER_ITEM.match(text)
    return _scaled(found.group(1), found.group(2)) if found else None


def price_in(text: str) -> tuple[Decimal | None, str | None]:
    """The unit price a text gives and its currency, if any: (`1.20`, `USD`); a price for a
    hundred or a thousand ("USD 7.00 per 100", "85元/千只") as the price of one."""
    value, code, end = _price_found(text)
    if value is None:
        return None, None
    return per_piece(value, per_after(text, end)), code


def _price_found(text: str) -> tuple[Decimal | None, str | None, int]:
    for found in _PRICE_LABEL.finditer(text):
        value = to_decimal(found.group(2))
        if value is not None:
            return value, currency_code(found.group(1) or found.group(3)), found.end()
    before = _CUR_BEFORE.search(text)
    if before:
        return to_decimal(before.group(2)), currency_code(before.group(1)), before.end()
    after = _CUR_AFTER.search(text)
    if after and not re.match(r"\s*[千万萬]", text[after.end(1) : after.end(1) + 2]):
        return to_decimal(after.group(1)), currency_code(after.group(2)), after.end()
    return None, None, 0


def parse_price_cell(cell: str) -> tuple[Decimal | None, str | None]:
    """A table cell meant as a price: a number with or without a currency sign or code."""
    text = cell.strip()
    if not text:
        return None, None
    found = re.fullmatch(
        rf"(?:{_PRICE_WORD}\s*[:：]?\s*)?({_CUR_ALT})?\s*({PRICE})\s*({_CUR_ALT})?(\s*/\s*\w+)?"
        + TAX_NOTE,
        text,
        re.IGNORECASE,
    )
    if not found:
        return None, None
    return to_decimal(found.group(2)), currency_code(found.group(1) or found.group(3))


def currency_in(text: str) -> str | None:
    """The one currency a text names, or None when it names none or several."""
    codes = {
        currency_code(m.group(0)) or m.group(0).upper() for m in CURRENCY_MENTION.finditer(text)
    }
    codes = {"CNY" if c == "RMB" else c for c in codes}
    return codes.pop() if len(codes) == 1 else None
