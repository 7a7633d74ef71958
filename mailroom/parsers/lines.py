"""Order lines from what a customer wrote: running text, text and HTML tables, attachments.

Running text is read around each product the catalog recognises ("500 pcs of HX-2040 at
$1.20", "HX-2040 x 500", "六角螺栓 2千个 单价0.11元"); a line with a quantity and an item code
the catalog does not know is kept with no SKU, so the order checks can ask about it.
"""

from __future__ import annotations

import re
from decimal import Decimal

from mailroom.parsers.bom import builds_in, is_bom, per_builds
from mailroom.parsers.catalog import Catalog, SkuMatch
from mailroom.parsers.guesses import mark_guessed
from mailroom.parsers.layout import running_lines
from mailroom.parsers.numbers import (
    QTY_WITH_UNIT,
    count_list,
    counts_in,
    currency_in,
    join_count_lists,
    price_in,
    quantity_after_item,
    quantity_before_item,
    quantity_in,
    to_decimal,
    without_count_list,
)
from mailroom.parsers.packs import in_catalog_unit
from mailroom.parsers.removals import removal_clauses
from mailroom.parsers.result import Line
from mailroom.parsers.scripts import compile_either
from mailroom.parsers.spaced import join_spaced_counts
from mailroom.parsers.tables import _CODE, Row, find_tables, rows_to_lines

_SENTENCE = compile_either(r"[;；。]|\.\s+(?=[A-Z])|\s+and\s+(?=\d)")
# "HX-2040 500 pcs, 300 pcs of M8 washers": a comma before a count starts another item. Only
# where no product is named: around named products the counts are found by position.
_NEXT_COUNT = compile_either(r",\s+(?=\d[\d,.]*\s*[A-Za-z个件只套])")
# A count that leads its item: "2k of the ...", "another 40 rolls of the ...", "25 of our ...".
_COUNT_LED = compile_either(
    r"(?:^|[,;\s])\s*(?:another\s+)?"
    r"(\d[\d,.]*\s*[kK]?\s*(?:[A-Za-z]{2,8}\s+)?of\s+(?:the|our|your|those|these)\b)",
    re.IGNORECASE,
)
_COUNT_OF_ITEM = compile_either(r"(?<![\w.])\d[\d,.]*\s*[kK]?\s+of\b", re.IGNORECASE)
_CLAUSE_END = compile_either(r"[，；;。]|,(?!\d{3}(?!\d))")
# The old count of a change ("from 10000", "从10000改为15000个") is no part of the item.
_FROM_COUNT = compile_either(r"(?:\bfrom\b|从|由)\s*\d[\d,.]*\s*[千万萬kK]?", re.IGNORECASE)
# "第2页还有3个物料", "3 more line items": a count of the order's lines, not of goods.
_OF_LINES = compile_either(
    r"\s*(?:物料|品项|品項|项目|項目|型号|品种|line\s*items?|items|positions)", re.IGNORECASE
)
# "10 rolls per carton": a packing ratio, not an item.
_PER = compile_either(r"\s*(?:per|a|each|every|/|每)\s*\S", re.IGNORECASE)
_FILLER = compile_either(
    r"\b(please|pls|kindly|we|need|needs|want|would|like|to|order|supply|send|quote|for|of|"
    r"the|a|an|and|also|plus|with|add|at|@|unit|price|each|per|qty|quantity|pcs|pieces|units)\b"
    r"|请|需要|订购|采购|报价|单价|数量|各|再|另外|还有|[:：,，@()（）\-–•*]",
    re.IGNORECASE,
)
_ITEM_AFTER_COUNT = compile_either(
    r"\s*(?:of\s+(?:the\s+|our\s+|your\s+)?)?(.+?)(?=\s+(?:at|@|for|per|each|and|with)\b|"
    r"[,，;；(@]|单价|价格|$)",
    re.IGNORECASE,
)
_BULLET = compile_either(r"^\s*(?:[-*•·]|\d{1,2}[.)、]|[a-z][.)])\s+", re.IGNORECASE)


def extract_lines(
    text: str,
    catalog: Catalog,
    tables: list[list[list[str]]] | None = None,
    *,
    default_currency: str | None = None,
    builds: Decimal | None = None,
) -> list[Line]:
    """Every order line in a text and in the given tables, in the order written.

    Args:
        text: new text of the mail or an attachment's text (tables inside are found here).
        catalog: resolves what was written into SKUs.
        tables: tables that arrived as cells already (PDF, spreadsheet, CSV).
        default_currency: the currency the document names, for prices written without one.
        builds: how many assemblies the mail asks a bill of materials for ("250 boards");
            when None, the number the text itself names.
    """
    found_tables, free = find_tables(text)
    currency = default_currency or currency_in(text)
    rows: list[Row] = []
    for table in [*(tables or []), *found_tables]:
        read = rows_to_lines(table, catalog, currency)
        rows.extend(per_builds(read, builds or builds_in(text)) if is_bom(table) else read)
    # An item named without a count ("a new source of 6204-2RS bearings.") is counted by the
    # sentence right after it ("Could you quote 500 pcs, 2,000 pcs and 10,000 pcs?").
    uncounted: Row | None = None
    for written in running_lines(free):
        line, doubtful = join_spaced_counts(written)
        for sentence in _SENTENCE.split(_BULLET.sub("", join_count_lists(line))):
            found, uncounted = _sentence_rows(sentence, catalog, currency, uncounted)
            found = [in_catalog_unit(row, sentence, catalog) for row in found]
            rows.extend(mark_guessed(found, sentence, doubtful))
    return _dedupe([_to_line(r) for r in rows])


def answer_lines(answers: list[tuple[str, str]], catalog: Catalog) -> list[Line]:
    """The lines of answers typed inline under our quoted questions: "No - please make it 150
    pcs" under "> Qty of PS-1210: still 100 pcs?" counts the one product the question names.

    Only the product is taken from the question, never its counts or dates: those are ours, and
    an answer that gives no count of its own ("Correct, no change.") changes nothing.
    """
    lines: list[Line] = []
    for question, answer in answers:
        if not counts_in(answer) or catalog.mentions(answer):
            continue
        named = _merge_repeats(question, catalog.mentions(question))
        if len({sku for _start, _end, sku in named}) != 1:
            continue
        start, end, _sku = named[0]
        lines.extend(extract_lines(f"{question[start:end]} {answer}", catalog))
    return _dedupe(lines)


def _to_line(row: Row) -> Line:
    return Line(
        description=row.description.strip()[:200],
        quantity=row.quantity,
        sku=row.match.sku if row.match else None,
        unit_price=row.unit_price,
        currency=row.currency,
        sure=(row.match.sure if row.match else True) and not row.guessed,
    )


def _dedupe(lines: list[Line]) -> list[Line]:
    seen: set[tuple[str | None, Decimal, str]] = set()
    out = []
    for line in lines:
        key = (line.sku, line.quantity, "" if line.sku else line.description.lower())
        if key not in seen:
            seen.add(key)
            out.append(line)
    return out


def merge_lines(first: list[Line], second: list[Line]) -> list[Line]:
    """Lines of the body, then those of attachments that the body did not already give."""
    keys = {(line.sku, line.quantity) for line in first if line.sku}
    return first + [line for line in second if not (line.sku and (line.sku, line.quantity) in keys)]


def _sentence_rows(
    sentence: str, catalog: Catalog, currency: str | None, uncounted: Row | None
) -> tuple[list[Row], Row | None]:
    """The rows of one sentence, and the item it names without a count (for the next one)."""
    if not sentence.strip():
        return [], uncounted
    phrases = _count_led_phrases(sentence)
    if len(phrases) > 1:
        rows = [
            row for phrase in phrases for row in _sentence_rows(phrase, catalog, currency, None)[0]
        ]
        return rows, None
    mentions = _merge_repeats(sentence, catalog.mentions(sentence))
    removed = _removed_rows(sentence, catalog, currency) if mentions else None
    if removed is not None:
        return removed, None
    if mentions:
        return _mentioned_rows(sentence, mentions, catalog, currency)
    tiers = count_list(sentence)
    if tiers:
        # "For the USB-C 24-pin receptacle, what would your price be for 1k / 5k / 10k?"
        item = (
            uncounted.match
            if uncounted
            else catalog.resolve(_item_text(without_count_list(sentence)))
        )
        if item is not None:
            return [Row(sentence.strip(), count, item, None, None) for count in tiers], None
    rows = []
    for part in _NEXT_COUNT.split(sentence):
        row = _row_without_mention(part, catalog, currency)
        if row is not None:
            rows.append(row)
    led = None if rows else _led_by_bare_count(sentence, catalog, currency)
    if led is not None:
        return [led], None
    if uncounted is not None and all(row.match is None for row in rows):
        counted = _counted(uncounted, sentence, currency)
        if counted:
            return counted, None
    return rows, None


def _removed_rows(sentence: str, catalog: Catalog, currency: str | None) -> list[Row] | None:
    """The rows of a sentence one of whose clauses takes items off the order: those items at
    quantity 0, the other clauses read on their own; None when no clause names an item to
    take off."""
    clauses = removal_clauses(sentence)
    named = [(c, _merge_repeats(c, catalog.mentions(c)) if off else []) for c, off in clauses]
    if not any(mentions for _clause, mentions in named):
        return None
    rows: list[Row] = []
    for (clause, off), (_same, mentions) in zip(clauses, named, strict=True):
        if not off:
            rows.extend(_sentence_rows(clause, catalog, currency, None)[0])
        for start, end, _sku in mentions:
            item = clause[start:end]
            rows.append(Row(item, Decimal(0), catalog.resolve(item), None, None))
    return rows


# "500 RJ45 cat6 shielded jacks", "120 12V 10A power supplies": a whole number that leads
# an item's line and is followed by its words (as "five hundred" is, once read as digits).
_BARE_LEAD = compile_either(
    r"^\s*(\d{1,3}(?:,\d{3})+|[1-9]\d*)\s+(?=\d+[A-Za-z\u3400-\u9fff]|[^\d\s.,:/xX×*-])"
)


def _led_by_bare_count(sentence: str, catalog: Catalog, currency: str | None) -> Row | None:
    """The line of a sentence that gives no count but the bare number it starts with, before
    an item of ours; None when that number begins a product's name ("6205 bearings", "2835
    warm white LEDs")."""
    lead = _BARE_LEAD.match(sentence)
    if lead is None or _begins_a_name(sentence[lead.start(1) :], catalog):
        return None
    rest = sentence[lead.end() :]
    mentions = catalog.mentions(rest)
    named = rest[mentions[0][0] : mentions[0][1]] if mentions else _item_text(rest)
    match = catalog.resolve(named) if len(named) >= 3 else None
    count = to_decimal(lead.group(1))
    if match is None or count is None or count <= 0:
        return None
    price, cur = price_in(rest)
    # A bare number may yet number the line ("1 HX-2040"): the count is not sure.
    row = Row(rest.strip(" .,;"), count, match, price, _currency(price, cur, currency))
    row.guessed = True
    return row


def _begins_a_name(text: str, catalog: Catalog) -> bool:
    """Whether `text`'s number and the start of the word after it are written together in one
    of our products' names or aliases: "6205 bea..." is the 6205-2RS, "120 12V" is no name."""
    words = text.split()
    key = _compact("".join(words[:2])[: len(words[0]) + 3])
    return any(
        key in _compact(name)
        for product in catalog.products.values()
        for name in (product.sku, product.name, product.name_zh or "", *product.aliases)
    )


def _mentioned_rows(
    sentence: str, mentions: list[tuple[int, int, str]], catalog: Catalog, currency: str | None
) -> tuple[list[Row], Row | None]:
    """The rows of a sentence that names products, and the one it names without a count."""
    rows = _rows_around_mentions(sentence, mentions, catalog, currency)
    if rows or len(mentions) != 1:
        return rows, None
    led = _led_by_bare_count(sentence, catalog, currency)
    if led is not None:
        return [led], None
    start, end, _sku = mentions[0]
    named = sentence[start:end]
    return [], Row(named, Decimal(0), catalog.resolve(named), None, None)


def _count_led_phrases(sentence: str) -> list[str]:
    """A sentence that lists items each led by its count ("2k of the 2835 chips, another 40
    rolls of the 5m strip and 25 of the DIN rail PSUs"), cut before each count."""
    starts = [m.start(1) for m in _COUNT_LED.finditer(sentence)]
    if len(starts) < 2:
        return [sentence]
    bounds = [0, *starts[1:], len(sentence)]
    return [sentence[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]


def _counted(item: Row, sentence: str, currency: str | None) -> list[Row]:
    """`item` at the counts `sentence` gives it: each of a list of counts, or its one count."""
    single = quantity_in(sentence)
    counts = count_list(sentence) or ([single] if single is not None else [])
    price, cur = price_in(sentence)
    return [
        Row(item.description, count, item.match, price, _currency(price, cur, currency))
        for count in counts
    ]


def _merge_repeats(text: str, mentions: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """One item named twice in a row ("NEMA17 stepper 42HS40", "LED strip (LS-24-5NW)") is one
    mention: a count or price written after the second name belongs to the first."""
    merged: list[tuple[int, int, str]] = []
    for start, end, sku in mentions:
        if merged and merged[-1][2] == sku:
            gap = text[merged[-1][1] : start]
            if len(gap) <= 40 and not re.search(r"\d", gap):
                merged[-1] = (merged[-1][0], end, sku)
                continue
        merged.append((start, end, sku))
    return merged


def _rows_around_mentions(
    text: str, mentions: list[tuple[int, int, str]], catalog: Catalog, currency: str | None
) -> list[Row]:
    # Blank the product names out, so numbers inside them ("M8x40", "5m") are not quantities.
    blanked = list(text)
    for start, end, _sku in mentions:
        blanked[start:end] = " " * (end - start)
    plain = "".join(blanked)
    qty_before = _count_comes_first(plain, mentions)
    rows: list[Row] = []
    for i, (start, end, _sku) in enumerate(mentions):
        following = plain[end : mentions[i + 1][0] if i + 1 < len(mentions) else len(plain)]
        if qty_before:
            quantity = quantity_before_item(plain[mentions[i - 1][1] if i else 0 : start])
            window = plain[mentions[i - 1][1] if i else 0 : end]
            last = i + 1 == len(mentions)
            if quantity is None and (last or quantity_before_item(following) is None):
                # "5V 2000个 (SRD-05VDC), 另外 MY2N 插拔式继电器500个": a writer may change
                # order mid-sentence; a count after the item is its own when it does not
                # lead into the next item.
                quantity, window = quantity_after_item(following), following
        else:
            window = following
            quantity = quantity_after_item(window)
            if quantity is None and i:
                # "bump the 6205 to 600 pcs and add 200 pcs of the 6301ZZ": a writer who
                # counts after items may lead the next one with its count.
                quantity = _led_count(plain[mentions[i - 1][1] : start], rows)
        if quantity is None or quantity <= 0:
            continue
        after = plain[start : mentions[i + 1][0] if i + 1 < len(mentions) else len(plain)]
        price, cur = price_in(after)
        if price is None:
            price, cur = price_in(window)
        match = catalog.resolve(text[start:end])
        tiers = count_list(window)
        for count in tiers if quantity in tiers else [quantity]:
            rows.append(Row(text[start:end], count, match, price, _currency(price, cur, currency)))
    return rows


def _led_count(gap: str, rows: list[Row]) -> Decimal | None:
    """The count that leads an item from the end of the text before it ("... and add 200 pcs
    of the "), unless the item before took that count as its own."""
    led = quantity_before_item(gap)
    if led is None or (rows and rows[-1].quantity == led):
        return None
    return led


def _count_comes_first(plain: str, mentions: list[tuple[int, int, str]]) -> bool:
    """Whether the writer puts counts before items ("500 pcs HX-2040"). A bare number before the
    first item is a line number when a count with its unit follows it ("1  HX-2040  8000 pcs")."""
    lead = plain[: mentions[0][0]]
    if quantity_before_item(lead) is None:
        return False
    following = plain[mentions[0][1] : mentions[1][0] if len(mentions) > 1 else len(plain)]
    return QTY_WITH_UNIT.search(lead) is not None or QTY_WITH_UNIT.search(following) is None


def _currency(price: Decimal | None, found: str | None, default: str | None) -> str | None:
    if price is None:
        return None
    return found or default


def _row_without_mention(text: str, catalog: Catalog, currency: str | None) -> Row | None:
    """A sentence with a quantity and an item the catalog does not name exactly."""
    quantity_match = QTY_WITH_UNIT.search(text)
    quantity = quantity_in(text)
    if quantity is None:
        return None
    if quantity_match is not None and (
        _PER.match(text, quantity_match.end()) or _OF_LINES.match(text, quantity_match.end())
    ):
        return None
    price, cur = price_in(text)
    codes = _CODE.findall(text)
    match = None
    if quantity_match is not None:
        # "10k pcs 2835 warm white LEDs at ...": the item is what follows the count.
        named = _ITEM_AFTER_COUNT.match(text, quantity_match.end())
        if named and len(named.group(1).strip()) >= 3:
            match = catalog.resolve(named.group(1))
    # The item is named in the count's own clause, or else somewhere in the sentence.
    clause = _clause_of(text, quantity_match.start() if quantity_match else None)
    for item in dict.fromkeys(_item_text(catalog.without_our_numbers(t)) for t in (clause, text)):
        if match is None and len(item) >= 3:
            match = catalog.resolve(item)
    if match is None:
        match = _named_with_sizes(text, catalog)
    if match is None and not codes and not _variant_named(text, quantity_match, catalog):
        return None
    if match is None and quantity_match is None and not _BULLET.match(text):
        return None  # an unknown code and a bare number: too little to call it an item
    if match is not None and quantity_match is not None:
        quantity = _count_beside_name(text, quantity_match.group(0), match.sku, catalog) or quantity
    description = _BULLET.sub("", text).strip(" .,;")
    return Row(description, quantity, match, price, _currency(price, cur, currency))


def _named_with_sizes(text: str, catalog: Catalog) -> SkuMatch | None:
    """The item of "24V strip 5m NW x 60 rolls": where a line has several counts with units,
    those before the last are sizes of the item's name (5m), so the text before the last count
    is the name, sizes kept. `_count_beside_name` then takes the count that is no size."""
    counts = list(QTY_WITH_UNIT.finditer(text))
    if len(counts) < 2:
        return None
    named = _item_text(re.sub(r"\s[x×*]\s*$", " ", text[: counts[-1].start()]), sizes=True)
    return catalog.resolve(named) if len(named) >= 3 else None


def _variant_named(text: str, counted: re.Match[str] | None, catalog: Catalog) -> bool:
    """Whether a line with a count and its unit names another variant of one of our products
    ("光伏电缆 4平方 黑色 5000米" where ours is red): an item all the same, which we lack."""
    if counted is None:
        return False
    return catalog.other_variant_of(_item_text(text)) is not None


def _count_beside_name(text: str, first: str, sku: str, catalog: Catalog) -> Decimal | None:
    """When the first count in `text` is part of the product's name, the first that is not:
    in "24V 5米中性白灯带 150卷" the 5米 is the strip's length, as its name "LED 灯带 24V 5米
    中性白" says. None when the first count is no part of the name."""
    product = catalog.products[sku]
    names = {_compact(name) for name in (product.name, product.name_zh or "", *product.aliases)}
    if not any(_compact(first) in name for name in names):
        return None
    for written, value in counts_in(text):
        if not any(_compact(written) in name for name in names):
            return value
    return None


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text).casefold()


def _clause_of(text: str, at: int | None) -> str:
    """The clause of a sentence that holds position `at` (the count): "USB-C母座数量改为15000个，
    其它两项不变" is about the first clause's item only. Thousands commas ("1,000") do not
    part clauses."""
    if at is None:
        return text
    start = 0
    for found in _CLAUSE_END.finditer(text):
        if found.end() <= at:
            start = found.end()
        else:
            return text[start : found.start()]
    return text[start:]


def _item_text(text: str, *, sizes: bool = False) -> str:
    """The words of `text` that may name an item: counts, prices and filler words taken out
    (and counts with a unit too, unless `sizes` says they are the item's own, "5m")."""
    item = _BULLET.sub("", text)
    item = _FROM_COUNT.sub(" ", item)
    item = re.sub(
        r"(?:US\$|USD|RMB|CNY|EUR|[$¥￥€£])\s*\d[\d,.]*|\d[\d,.]*\s*(?:USD|RMB|CNY|EUR|元|美元)"
        r"(?:\s*/\s*\w+)?",
        " ",
        item,
        flags=re.IGNORECASE,
    )
    item = item if sizes else QTY_WITH_UNIT.sub(" ", item)
    item = _COUNT_OF_ITEM.sub(" ", item)
    item = re.sub(r"(?<![A-Za-z0-9])[x×]\s*\d[\d,]*|\d[\d,]*\s*[x×](?=\s)", " ", item)
    item = _FILLER.sub(" ", item)
    return " ".join(item.split()).strip(" .")
