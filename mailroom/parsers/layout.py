"""Running text as it was meant: lines a mail program wrapped are joined again, and one item
written as a form (a field a line) is gathered on one line, so an item and its count meet.
"""

from __future__ import annotations

import re

from mailroom.parsers.scripts import load_table

_DATA = load_table("fields.toml")
_LABEL_END = r")\s*[:：]"
_ITEM_LABEL = re.compile(r"^\s*(?:" + "|".join(_DATA["form_labels"]["item"]) + _LABEL_END, re.I)
_DETAIL_LABEL = re.compile(r"^\s*(?:" + "|".join(_DATA["form_labels"]["detail"]) + _LABEL_END, re.I)
# Mail programs wrap plain text near 72-78 characters; a shorter line ended where its writer
# ended it.
WRAP_WIDTH = 60
_BULLET = re.compile(r"^\s*(?:[-*•·]|\d{1,2}[.)、]|[a-z][.)])\s+", re.IGNORECASE)
_ENDS_SENTENCE = re.compile(r"[.:;!?。：；！？]\s*$")


def running_lines(lines: list[str]) -> list[str]:
    """The lines with wrapped sentences joined and form-written items gathered."""
    return _gather_forms(_unwrap(lines))


def _unwrap(lines: list[str]) -> list[str]:
    out: list[str] = []
    for line in lines:
        if out and _wrapped(out[-1], line):
            out[-1] = f"{out[-1].rstrip()} {line.strip()}"
        else:
            out.append(line)
    return out


def _wrapped(previous: str, line: str) -> bool:
    """Was `line` the rest of `previous`, cut by the mail program's line width?"""
    if len(previous.strip()) < WRAP_WIDTH or not line.strip() or _ENDS_SENTENCE.search(previous):
        return False
    return not _BULLET.match(line) and not _ITEM_LABEL.match(line) and ":" not in line[:20]


def _gather_forms(lines: list[str]) -> list[str]:
    out: list[str] = []
    gathering = False
    for line in lines:
        if gathering and _DETAIL_LABEL.match(line):
            out[-1] = f"{out[-1].rstrip()} {line.strip()}"
            continue
        gathering = bool(_ITEM_LABEL.match(line))
        out.append(line)
    return out
