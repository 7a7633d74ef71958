"""Counts of packs of a stated length or weight, in the unit the catalog sells the product by.

"3 rolls of 100m" of a cable sold by the metre is 300 m; of an LED strip sold by the roll it is
3 rolls, the 100m being the strip's size. The count read from the text is of the packs, so a
line's product decides which reading is its count: where the catalog's unit is the measure the
packs are sized in, the packs are multiplied out.
"""

from __future__ import annotations

import re
from dataclasses import replace

from mailroom.parsers.catalog import Catalog
from mailroom.parsers.numbers import COUNT, PACKS, to_decimal
from mailroom.parsers.scripts import compile_either
from mailroom.parsers.tables import Row

# What each measure a catalog may sell by is written as.
_MEASURES = {
    "m": r"m|米|meters?|metres?|mtrs?",
    "kg": r"kgs?|千克|公斤|kilos?",
}
_CATALOG_UNITS = {"m": "m", "meter": "m", "metre": "m", "米": "m", "kg": "kg", "公斤": "kg"}
_SIZED = {
    unit: compile_either(
        rf"(?<![\d.,])({COUNT})\s*(?:{PACKS})\s*[(（,，]?\s*"
        rf"(?:(?:每\s*(?:{PACKS})|per\s+(?:{PACKS})|[x×*@]|of|each\s+of|à)?\s*"
        rf"(\d+(?:\.\d+)?)\s*(?:{written})(?![A-Za-z\d])(?!\s*/\s*(?:{PACKS}))"
        rf"|(\d+(?:\.\d+)?)\s*(?:{written})\s*(?:/|每|per\s+|a\s+)\s*(?:{PACKS}))",
        re.IGNORECASE,
    )
    for unit, written in _MEASURES.items()
}


def in_catalog_unit(row: Row, sentence: str, catalog: Catalog) -> Row:
    """`row` with its count of packs multiplied out when its product is sold by the measure
    the packs are sized in ("3 rolls of 100m", "3卷（每卷100米）" of a cable sold by the metre
    is 300); unchanged otherwise, and when `sentence` sizes no packs of its count."""
    product = catalog.products.get(row.match.sku) if row.match else None
    unit = _CATALOG_UNITS.get((product.unit if product else "").strip().lower())
    if unit is None:
        return row
    for found in _SIZED[unit].finditer(sentence):
        packs = to_decimal(found.group(1))
        size = to_decimal(found.group(2) or found.group(3))
        if packs == row.quantity and size:
            return replace(row, quantity=packs * size)
    return row
