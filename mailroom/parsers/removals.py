"""Items a change takes off an order: "remove the 6301-ZZ bearings", "cancel line 2 - the
6205-2RS, 1,000 pcs", "六角螺栓 取消". Such an item is a line at quantity 0 (the orders module
drops it), whatever count its clause cites: that is the count it had, not one to deliver."""

from __future__ import annotations

import re

from mailroom.parsers.scripts import compile_either

# A verb that takes an item off; "drop ship" sends goods, it takes nothing off.
_REMOVES = compile_either(
    r"\b(?:remove|delete|cancel|drop(?![\s-]*ship)|take\s+(?:out|off))\b"
    r"|取消|删除|删掉|去掉|不要了",
    re.IGNORECASE,
)
# Clauses part at commas and semicolons, not at a thousands comma ("1,000").
_CLAUSE_END = compile_either(r"[，；;。]|,(?!\d{3}(?!\d))")


def removal_clauses(sentence: str) -> list[tuple[str, bool]]:
    """The clauses of `sentence`, each with whether it takes its items off the order; an empty
    list when no clause does, so a sentence without such a verb is read whole as before."""
    if not _REMOVES.search(sentence):
        return []
    clauses = [c for c in _CLAUSE_END.split(sentence) if c.strip()]
    return [(clause, bool(_REMOVES.search(clause))) for clause in clauses]
