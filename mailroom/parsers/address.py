"""The delivery address of a request, found by where it sits rather than by one phrasing.

An address is a block of lines. It starts after a ship-to label ("Ship to:", "收货地址："), after
a clause that names the place of delivery and ends in a colon ("请于12月9日前送达:"), under a
"Ship To" column heading of a two-column form, or after a delivery verb in running text
("送苏州工业园区仓库"), under a "Ship To" box of an HTML row of boxes, or at the "地址:" of a
consignee's block ("收货人：李明" over it). It ends where the next thing starts: a blank line,
another field's label, a table header, an enumerated clause of a contract, a sentence's end, a
greeting or closing.
A candidate must look like a place (a number or an address word), so "送达：12月9日" is not one,
and a place on file ("our Leeds depot", "same as last order") is not written out, so not one.
"""

from __future__ import annotations

import itertools
import re

from mailroom.parsers.scripts import compile_either, load_table
from mailroom.parsers.tables import header_roles

_DATA = load_table("fields.toml")
_LABELS = "|".join(_DATA["ship_to_labels"])
_NOUNS = "|".join(_DATA["ship_to_nouns"])
_CLAUSE_START = r"(?:^|(?<=[，,。;；、:：]))"

# The label starts a line or a clause of one ("价格跟上次一样，地址不变：...", "三、交货地点：").
_LABEL = compile_either(
    r"^[\s*>|\-•]*(?:[^\n]{0,80}?[，,。;；、]\s*)?(?:" + _LABELS + r")\s*(?:address)?\s*\**\s*"
    r"(?:[:：]|\|)\s*\**",
    re.IGNORECASE,
)
# A clause that names the place of delivery, just before a colon ("交货至甲方指定地点：").
_NOUN_CLAUSE = compile_either(
    _CLAUSE_START + r"[^，,。;；:：\n]*?(?:" + _NOUNS + r")[^，,。;；:：\n]{0,12}[:：]",
    re.IGNORECASE,
)
_NOUN = compile_either(_NOUNS, re.IGNORECASE)
_HEADING = compile_either(r"[\s*|]*(?:" + _LABELS + r")\s*(?:address)?[\s*|:：]*", re.IGNORECASE)
_OTHER_ADDRESS = compile_either("|".join(_DATA["not_ship_to"]), re.IGNORECASE)
# "送苏州工业园区仓库(星湖街328号)", "please deliver to our Long Beach warehouse".
_VERB = compile_either(r"(?:" + "|".join(_DATA["ship_to_verbs"]) + r")\s*", re.IGNORECASE)
# A delivery verb used as a label ("发到：...", "Send to: ...").
_VERB_LABEL = compile_either(
    r"^[\s*>|\-•]*(?:" + "|".join(_DATA["ship_to_verbs"]) + r")\s*[:：]\s*", re.IGNORECASE
)
_PLACE_WORD = compile_either("|".join(_DATA["address_words"]), re.IGNORECASE)
_KNOWN_PLACE = compile_either("|".join(_DATA["known_place"]), re.IGNORECASE)
_STOP = compile_either("|".join(_DATA["ship_to_stops"]), re.IGNORECASE)
# The next field of a form: "Need By: ...", "付款方式：", "三、付款方式：..." (Attn belongs to it).
_FIELD = compile_either(
    r"^\s*(?:[一二三四五六七八九十]+[、.]|\d{1,2}[、.)]\s)"
    r"|^\s*(?!attn|attention|c/o)[A-Za-z][A-Za-z .#/&'-]{0,30}[:：]"
    r"|^\s*[\u4e00-\u9fff（）()]{2,10}[:：]",
    re.IGNORECASE,
)
_DATE_FIRST = re.compile(r"^\s*(?:\d{1,4}[年/.-]\d{1,2}|\d{1,2}月|[A-Z][a-z]{2,8}\.? \d{1,2}\b)")
_CLAUSE_END = re.compile(r"[，。；;]|\s{4,}")
# In running text a place also ends at an ASCII comma or stop, or where a date or time begins.
_RUNNING_END = compile_either(r"[，。；;,]|\.(?:\s|$)|\s+(?:by|before|on|no\s+later|asap)\b", re.I)
# After a comma in running text, a town or postcode in capitals goes on with the place.
_TOWN = re.compile(
    r"\s*[A-Z][A-Za-z'-]+(?:\s+[A-Z0-9][A-Za-z0-9'-]*)*(?=\s*(?:$|[,.;]|\s(?:by|before|on)\b))"
)
# After a comma, a street line goes on with the place it follows: "SF Assembly - Receiving,
# 2150 Cesar Chavez St, ..." names who receives, then where.
_STREET = re.compile(r"\s*\d{1,5}[A-Za-z]?\s+[A-Z][A-Za-z'.-]+")
_COMMA = re.compile(r",\s*")
_GAP = re.compile(r"\s+")
# A stop word written as a label, with its colon ("收货人：", "Tel:", "Contact:").
_LABELLED_STOP = re.compile(r"(?=[^\s:：]{1,12}\s*[:：])")
# A line that is only a telephone number ("137-1002-3345", "+1 905 555 0172"): a contact's.
_PHONE = re.compile(r"\+?[\d()][\d\s().-]{7,}")
# A line that is only a mail address: a contact's too.
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# A document's reference standing alone ("Purchase Order #P00417"): its title, not a place.
_REFERENCE = compile_either(
    r"^\s*(?:" + "|".join(_DATA["po_labels"]) + r")\s*[:：#]?\s*#?\s*[A-Z0-9][\w\-/]*\d\s*$",
    re.IGNORECASE,
)
_MAX_LINES = 6


def ship_to(text: str) -> str | None:
    """The delivery address in `text`, its lines joined with `\\n`, or None."""
    lines = text.split("\n")
    for index, line in enumerate(lines):
        for block in _candidates(lines, index, line):
            address = "\n".join(" ".join(part.split()) for part in block if part.strip())
            if _looks_like_a_place(address):
                return address
    return None


def _candidates(lines: list[str], index: int, line: str) -> list[list[str]]:
    following = lines[index + 1 : index + 1 + _MAX_LINES]
    found: list[list[str]] = []
    # A hard-wrapped sentence ("could you send it to our new site instead\nof Hove:").
    before = (
        lines[index - 1] if index and not re.search(r"[.。!！?？:：]\s*$", lines[index - 1]) else ""
    )
    # A form's row of headings ("Vendor:      Ship To:      Terms:") is read by column first.
    column = _column_heading(line)
    if column is not None:
        found.append(_column_block(following, *column))
    boxed = _boxed_heading(line)
    if boxed is not None:
        found.append(_box_block(lines[index + 1 :], boxed))
    start = _label_end(line, before)
    if start is None:
        start = _consignees_address(lines, index)
    if start is not None:
        found.append(_block(line[start:], following))
    verb = _VERB.search(line)
    if verb and start is None:
        rest = line[verb.end() :]
        end = _running_end(rest)
        # A place running on into the next line is a wrapped sentence, read where it ends.
        wrapped = end is None and bool(following) and bool(following[0].strip())
        if not wrapped:
            found.append([rest[: end.start()] if end else rest])
    return found


def _running_end(rest: str) -> re.Match[str] | None:
    """Where a place named in running text ends: at a stop, a date's word, or a comma, unless
    the town or postcode follows it ("deliver them to 18 Mill Lane, Leeds LS1 4AB by Friday")."""
    for end in _RUNNING_END.finditer(rest):
        if end.group() != "," or not (
            _TOWN.match(rest, end.end()) or _STREET.match(rest, end.end())
        ):
            return end
    return None


# A consignee's block: "收货人：李明" / "电话：..." / "地址：..." names where the goods go.
_CONSIGNEE = compile_either(r"^\s*(?:收货人|收件人|consignee|receiver|recipient)\s*[:：]", re.I)
_BARE_ADDRESS = compile_either(r"^\s*(?:地址|address|addr\.?)\s*[:：]\s*", re.IGNORECASE)


def _consignees_address(lines: list[str], index: int) -> int | None:
    """Where the address of a recipient's block starts: a bare "地址:" or "Address:" is a
    signature's, unless a consignee or ship-to label heads the lines just above it, no blank
    between ("收货信息：" / "姓名：张伟" / "电话：..." / "地址：...")."""
    address = _BARE_ADDRESS.match(lines[index])
    if address is None:
        return None
    for above in reversed(lines[max(0, index - 4) : index]):
        if not above.strip():
            return None
        if _CONSIGNEE.match(above) or _LABEL.match(above) or _HEADING.fullmatch(above):
            return address.end()
    return None


def _label_end(line: str, before: str = "") -> int | None:
    if _HEADING.fullmatch(line):
        return len(line)  # "SHIP TO" over the address, as a form prints it
    if ":" not in line and "：" not in line and "|" not in line:
        return None
    label = _LABEL.match(line) or _VERB_LABEL.match(line)
    if label:
        return label.end()
    clause = _NOUN_CLAUSE.search(line)
    if clause and _speaks_of_delivery(clause.group()):
        return clause.end()
    # "收货地址要改一下,我们搬新厂了,改为:": the line names the address and ends in a colon.
    if re.search(r"[:：]\s*$", line) and _speaks_of_delivery(f"{before} {line}"):
        return len(line)
    return None


def _speaks_of_delivery(sentence: str) -> bool:
    """Whether a sentence names the place of delivery as what it speaks of: a delivery noun or
    verb before any other address's word. "The delivery address differs from our invoice
    address:" introduces the delivery address; "Invoice address, not the delivery one:" not."""
    found = [m.start() for m in (_NOUN.search(sentence), _VERB.search(sentence)) if m]
    other = _OTHER_ADDRESS.search(sentence)
    return bool(found) and (other is None or other.start() > min(found))


def _block(first_line: str, following: list[str]) -> list[str]:
    first, ended = _first_clause(first_line.strip(" |*"))
    block = [first] if first else []
    if ended:
        return block
    passed_over = False
    # An address that began outside a table does not go on into one: after a wrapped cell's
    # lines, "Currency | USD" is the form's next row.
    in_table = " | " in first_line
    for position, nxt in enumerate(following):
        stripped = nxt.strip(" |*>")
        if not stripped:
            if block:
                break
            continue
        if block and not in_table and " | " in stripped:
            break
        if _ends_block(nxt, stripped):
            if passed_over or not _between_boxes(block, stripped, following[position + 1 :]):
                break
            passed_over = True
            continue
        part, ended = _first_clause(stripped)
        block.append(part)
        if ended:
            break
    return block


def _between_boxes(block: list[str], line: str, rest: list[str]) -> bool:
    """Whether a field's line ("Incoterms: FCA Shenzhen") is a neighbouring box's, set between
    the lines of the address as a PDF's text interleaves boxes side by side: only a name came
    before it, and the address goes on below it (a line that ends nothing)."""
    if not block or any(re.search(r"\d", part) for part in block):
        return False
    if not re.match(r"[^:：]{2,30}[:：]\s*\S", line):
        return False
    after = rest[0].strip(" |*>") if rest else ""
    return bool(after) and not _ends_block(rest[0], after)


def _first_clause(text: str) -> tuple[str, bool]:
    """The text up to its clause's end (a Chinese comma or stop, a wide gap); whether it ended.
    A table cell's end (" | ") ends the line's part but not the block: the address goes on in
    the same column of the next row."""
    text = text.split(" | ", 1)[0]
    end = _CLAUSE_END.search(text)
    # A comma ends the place when the next field starts after it ("仓库,收货人 陈工 ..."): the
    # new text is normalised, so a Chinese comma there is an ASCII one.
    field = next((m for m in _COMMA.finditer(text) if _STOP.match(text[m.end() :])), None)
    # So does the next field's label after a space ("...二号仓 收货人：陈工 135 6012 8830").
    field = field or next(
        (
            m
            for m in _GAP.finditer(text)
            if _LABELLED_STOP.match(text, m.end()) and _STOP.match(text[m.end() :])
        ),
        None,
    )
    if field and (end is None or field.start() < end.start()):
        end = field
    if end:
        return text[: end.start()].strip(), True
    return text.strip(), False


def _ends_block(line: str, stripped: str) -> bool:
    return bool(
        _STOP.match(stripped)
        or (_PHONE.fullmatch(stripped) and sum(c.isdigit() for c in stripped) >= 8)
        or _EMAIL.fullmatch(stripped)
        or _REFERENCE.match(stripped)
        or _label_end(line) is not None
        or _FIELD.match(stripped)
        or _is_table_header(stripped)
    )


def _is_table_header(line: str) -> bool:
    words = [w for w in re.split(r"\s*\|\s*|\t+|\s+", line) if w]
    return header_roles(words) is not None


def _column_heading(line: str) -> tuple[int, int] | None:
    """(index, count) of a "Ship To" heading among a line's wide-spaced columns."""
    cells = [c for c in re.split(r"\s{3,}", line.strip()) if c]
    if len(cells) < 2:
        return None
    for index, cell in enumerate(cells):
        if any(_BOX_HEADING.fullmatch(part) for part in _LANGUAGES.split(cell)):
            return index, len(cells)
    return None


# A heading in two languages, "Lieferadresse / Delivery address:": either half names the box.
_LANGUAGES = re.compile(r"\s+/\s+")


_BOX_HEADING = compile_either(r"(?:" + _LABELS + r")\s*(?:address)?\s*[:：]?", re.IGNORECASE)


def _boxed_heading(line: str) -> int | None:
    """The index of a "Ship To" heading in a table row of headings only ("Bill To | Ship To")."""
    if "|" not in line:
        return None
    cells = [c for c in (c.strip(" *") for c in line.split("|")) if c]
    if len(cells) < 2:
        return None
    matched = [i for i, cell in enumerate(cells) if _BOX_HEADING.fullmatch(cell)]
    return matched[0] if matched else None


def _box_block(following: list[str], index: int) -> list[str]:
    """The box under the heading at `index`: an HTML row of address boxes side by side comes
    as one block of lines per cell, in the cells' order (see `parsers.html`)."""
    blocks: list[list[str]] = [[]]
    for line in following:
        if not line.strip():
            if len(blocks) > index and blocks[index]:
                break
            if blocks[-1]:
                blocks.append([])
        elif len(blocks[-1]) < _MAX_LINES:
            blocks[-1].append(line.strip())
    box = blocks[index] if index < len(blocks) else []
    return list(itertools.takewhile(lambda part: not _ends_block(part, part), box))


def _column_block(following: list[str], index: int, count: int) -> list[str]:
    """The lines of one column under its heading. A row with fewer cells fills the columns
    from the left (a column to the right ran out first); once the column is the row's last,
    a row of one cell goes on with it (the columns to its left ran out first)."""
    block: list[str] = []
    last = index == count - 1
    skipped = 0
    for line in following:
        cells = [c for c in re.split(r"\s{3,}", line.strip()) if c]
        if not cells or _headings_row(cells):
            break
        if len(cells) > index and not (last and len(cells) < count):
            cell = cells[index]
            last = last or len(cells) == index + 1
        elif last:
            cell = cells[-1]
        elif not block and skipped < 2:
            # A short row before the column's first line is the next box's ("DATE 12/04/2026"
            # under "P.O. 1187"): the column starts below it.
            skipped += 1
            continue
        else:
            break
        # The next field of this column ends it, not its neighbours'; a table header ends all.
        if _ends_block(cell, cell) or _is_table_header(line.strip()):
            break
        if not _is_code(cell):
            block.append(cell)
    return block


def _is_code(cell: str) -> bool:
    """A bare code ("KAIYUAN1", an account or supplier reference) is the value of a
    neighbouring box that ran into the column: no line of an address is one word of capitals
    and digits without a place word."""
    return bool(
        _CODE.fullmatch(cell)
        and sum(c.isalpha() for c in cell) >= 3
        and not _PLACE_WORD.search(cell)
    )


_CODE = re.compile(r"[A-Z][A-Z0-9_-]*\d[A-Z0-9_-]*|\d[A-Z0-9_-]*[A-Z][A-Z0-9_-]*")


def _headings_row(cells: list[str]) -> bool:
    """A form's next row of boxes ("Buyer   Order Deadline   Expected Arrival"): headings
    only, with neither digits nor a label's colon ("Supplier:  Kaiyuan ..." is a field and its
    value), one of them a field's name. It ends every column above it."""
    return (
        len(cells) > 1
        and not any(re.search(r"[\d:：]", cell) for cell in cells)
        and any(_STOP.match(cell) for cell in cells)
    )


def _looks_like_a_place(address: str) -> bool:
    if not address or len(address) < 4 or _DATE_FIRST.match(address):
        return False
    # "our Mississauga plant (standard address)", "same as last time (PO 7781)": a place on file
    # is named by its owner or as known already, and written out only with a street line.
    if _KNOWN_PLACE.search(address) and not _has_street_line(address):
        return False
    if re.search(r"\d", address):
        return True
    # "our usual warehouse" points at a place the reader knows; an address names it.
    named = not address.isascii() or re.search(r"\b[A-Z]", address)
    return bool(named and _PLACE_WORD.search(address))


def _has_street_line(address: str) -> bool:
    """A line with a number and an address word ("12 Quay Street", "星湖街328号")."""
    return any(re.search(r"\d", line) and _PLACE_WORD.search(line) for line in address.split("\n"))
