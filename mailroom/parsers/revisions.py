"""The lines of a change that says in the mail what it changes and attaches the revised PO.

The document restates every line of the order, changed or not; the mail names the change. So
of the document's lines, those the mail names (by a product a body line resolved, or by a count
the mail writes) are the change, in the document's fuller form: its code, its price. A body
line the document restates (same product, or unresolved at the same count) gives way to it.
"""

from __future__ import annotations

from mailroom.parsers.lines import merge_lines
from mailroom.parsers.numbers import counts_in
from mailroom.parsers.result import Line


def changed_lines(body: list[Line], attached: list[Line], new: str) -> list[Line]:
    """The lines of a change from its body's lines, its documents' lines and its new text;
    all of them when the mail names none of the document's lines."""
    counts = {value for _written, value in counts_in(new)}
    named = {line.sku for line in body if line.sku}
    picked = [line for line in attached if line.sku in named or line.quantity in counts]
    if not picked:
        return merge_lines(body, attached)
    kept = [line for line in body if not any(_restates(done, line) for done in picked)]
    return merge_lines(kept, picked)


def _restates(document: Line, body: Line) -> bool:
    if body.sku:
        return document.sku == body.sku
    return document.quantity == body.quantity
