"""Separating the new text of a mail from quoted history and signatures (EN and ZH).

Numbers in an earlier message or a signature (an old PO, a phone number) are not the new
request. A forwarded message is different: it is what the sender wants us to act on, so its
text is kept while its own quoted history is cut, unless the sender's own words above it give
the counts to act on, which makes the forwarded message their background.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from mailroom.parsers.decode import address
from mailroom.parsers.numbers import counts_in
from mailroom.parsers.scripts import compile_either

_FORWARD = compile_either(
    r"^\s*(-{2,}\s*(forwarded message|original message follows)\s*-{2,}"
    r"|begin forwarded message:?"
    r"|-{2,}\s*(转发的邮件|转发邮件|以下是转发的邮件|Forwarded Message)\s*-{2,}"
    r"|转发邮件信息\s*[:：]?)\s*$",
    re.IGNORECASE,
)
_HISTORY = compile_either(
    r"^\s*(-{3,}\s*(original message|原始邮件|原始郵件|回复的原邮件)\s*-{3,}"
    r"|-{5,}\s*原始邮件\s*-{5,}|_{10,}|-{3,}\s*Reply message\s*-{3,}"
    r"|on .{4,200}\bwrote:?|.{0,80}\b(a écrit|schrieb|escribió)\s*:"
    r"|在\s*.{2,120}(写道|寫道)\s*[:：]?|于\s*.{2,120}(写道|寫道)\s*[:：]?)\s*$",
    re.IGNORECASE,
)
# "On Mon, 1 Dec 2026 at 10:00, John <j@x.com>" broken before "wrote:" by a mail program.
_WROTE_NEXT = compile_either(r"^\s*(wrote|写道)\s*[:：]?\s*$", re.IGNORECASE)
_ON_START = compile_either(r"^\s*(on|在|于)\s+\S", re.IGNORECASE)
_HEADER_FROM = compile_either(r"^\s*\**\s*(from|发件人|寄件者|發件人)\s*\**\s*[:：]", re.IGNORECASE)
_HEADER_LINE = compile_either(
    r"^\s*\**\s*(from|sent|date|to|cc|bcc|subject|reply-to|发件人|寄件者|發件人|发送时间|"
    r"發送時間|日期|时间|收件人|抄送|主题|主旨|主題|寄件日期|收件者|副本)\s*\**\s*[:：]",
    re.IGNORECASE,
)
_HEADER_NEXT = compile_either(
    r"^\s*\**\s*(sent|date|to|subject|发送时间|發送時間|日期|时间|收件人|主题|寄件日期)\s*\**\s*[:：]",
    re.IGNORECASE,
)
_FORWARD_SUBJECT = compile_either(r"^\s*(fwd?|fw|转发|轉寄|转寄)\s*[:：]", re.IGNORECASE)
_SIGNATURE = compile_either(
    r"^\s*(--|—|__)\s*$|^\s*((best|kind|warm|many)\s+(regards|wishes|thanks)|regards|"
    r"best|cheers|sincerely|yours (sincerely|faithfully|truly)|thanks( a lot| again)?|"
    r"thank you( very much)?|many thanks|br|rgds|with thanks|"
    r"此致|敬礼|此致敬礼|祝好|顺祝商祺|顺颂商祺|顺祝|祝商祺|谢谢|多谢|感谢|谢谢您|祝工作顺利|"
    r"sent from my \w+.*|从我的.{1,12}发送)\s*[,，.。!！]*\s*$",
    re.IGNORECASE,
)
_CONTACT = compile_either(
    r"^\s*(tel|phone|mob|mobile|cell|fax|e-?mail|web|website|skype|whatsapp|wechat|qq|"
    r"手机|電話|电话|传真|傳真|邮箱|郵箱|微信|网址)\b"
    # ... then a colon, a number or an address: "email as our order" is a sentence.
    r"\s*(?:[:：.]|(?=[+\d(])|(?=\S+@)).{0,80}$|^\s*(www\.|https?://)\S+\s*$",
    re.IGNORECASE,
)


@dataclass
class Split:
    """A mail's text cut in two: what is new, and what was quoted or signed off."""

    new: str
    quoted: str
    # Text typed between the lines of a quote, each with the quoted lines it answers.
    answers: list[tuple[str, str]] = field(default_factory=list)
    # The sender's words over a forwarded message when they speak of its quantities ("make
    # the NEMA 23 quantity 50, not 40"): the counts read from the forwarded text may not be
    # the ones meant.
    remark: str = ""
    # The address in the From line of the first forwarded message's headers: who wrote what
    # the forward passes on.
    forwarded_from: str | None = None

    @property
    def amended(self) -> bool:
        return bool(self.remark)


def split_quoted(text: str, subject: str | None = None) -> Split:
    """Cut quoted history and signatures off a body text.

    Args:
        text: the body as decoded (plain, or HTML turned into text).
        subject: the mail's subject; a forwarded mail (`Fwd:`, `转发:`) keeps the first
            forwarded header block's message as new text.
    """
    lines = text.split("\n")
    forward_pending = bool(subject and _FORWARD_SUBJECT.match(subject))
    new: list[str] = []
    quoted: list[str] = []
    answers: list[tuple[str, str]] = []
    in_signature = False
    forwarded_at: int | None = None
    forwarded_from: str | None = None
    index = 0
    while index < len(lines):
        line = lines[index]
        if _FORWARD.match(line) or (forward_pending and _forwarded_here(lines, index)):
            forward_pending = False
            in_signature = False
            forwarded_at = len(new) if forwarded_at is None else forwarded_at
            start = index
            index = _skip_headers(lines, index + (0 if _HEADER_FROM.match(line) else 1))
            forwarded_from = forwarded_from or _from_address(lines[start:index])
            new.append("")
            continue
        if _is_history(lines, index):
            opened = _opens_marked_quote(lines, index)
            if opened:
                # "On ... wrote:" (or a header block) over "> " lines: the quote ends where they
                # end, and text after or between them is the writer's (bottom-posting, answers
                # typed inline between the quoted questions).
                quoted.extend(lines[index:opened])
                index = opened
                continue
            quoted.extend(lines[index:])
            break
        if _marked(line) or in_signature:
            # Quoted lines end a closing: text after them answers inline, between the quotes.
            in_signature = in_signature and not _marked(line)
            quoted.append(line)
        elif _SIGNATURE.match(line) and _short_tail(lines, index + 1):
            in_signature = True
            quoted.append(line)
        else:
            if line.strip() and (question := _question_above(lines, index)):
                answers.append((question, line.strip()))
            new.append(line)
        index += 1
    above = "\n".join(new[:forwarded_at]) if forwarded_at is not None else ""
    if forwarded_at is not None and counts_in(above):
        # The sender says what to do, with its counts: the message forwarded is background.
        quoted[:0] = new[forwarded_at:]
        new, above = new[:forwarded_at], ""
    new = _drop_contact_tail(new, quoted)
    remark = above if above and _QUANTITY_REMARK.search(above) else ""
    return Split("\n".join(new).strip(), "\n".join(quoted).strip(), answers, remark, forwarded_from)


def first_level(quoted: str) -> str:
    """The message a reply answers, out of its quoted history: the lines up to the next
    history that message quotes in turn (its own "On ... wrote:" or header block), without the
    lines marked twice (">>"). Our order or quote number there is what the reply is about; the
    older mails below it name earlier steps of the thread (the quote an order came from)."""
    lines = quoted.split("\n")
    bare = [_MARKS.sub("", line) for line in lines]
    kept: list[str] = []
    opened = False
    index = 0
    while index < len(lines):
        if lines[index][: len(lines[index]) - len(bare[index])].count(">") > 1:
            index += 1
            continue
        if _is_history(bare, index):
            if opened:
                break
            opened = True
            # Its header block is its own ("Subject: Order confirmation SO-2026-00321").
            end = _skip_headers(bare, index + 1)
            kept.extend(bare[index:end])
            index = end
            continue
        kept.append(bare[index])
        index += 1
    return "\n".join(kept)


_MARKS = re.compile(r"^[\s>]*")


# A number beside a word for a quantity, in the sender's words over a forwarded message.
_QUANTITY_REMARK = compile_either(
    r"\b(?:qty|qtys|quantit(?:y|ies)|amounts?|counts?)\b[^.\n]{0,40}?\d"
    r"|\d[^.\n]{0,20}?\b(?:qty|quantit(?:y|ies))\b|数量[^。\n]{0,20}?\d|\d[^。\n]{0,10}?数量",
    re.IGNORECASE,
)


def _forwarded_here(lines: list[str], index: int) -> bool:
    """In a forwarded mail, the first header block (or the separator over it) starts the
    forwarded message: Outlook forwards under "-----Original Message-----" as it replies."""
    if _is_header_block(lines, index):
        return True
    if not _HISTORY.match(lines[index]):
        return False
    nxt = next((i for i in range(index + 1, min(len(lines), index + 3)) if lines[i].strip()), None)
    return nxt is not None and _is_header_block(lines, nxt)


def _is_history(lines: list[str], index: int) -> bool:
    line = lines[index]
    if _HISTORY.match(line):
        return True
    nxt = lines[index + 1] if index + 1 < len(lines) else ""
    if _ON_START.match(line) and _WROTE_NEXT.match(nxt):
        return True
    return _is_header_block(lines, index)


def _opens_marked_quote(lines: list[str], index: int) -> int:
    """Where the quote that the history line at `index` introduces starts, when its every line
    is marked with ">" so that its end is known; else 0. An Outlook separator and the header
    block under it ("From:", "Sent:", "Subject:") come before the marked lines."""
    start = _skip_headers(lines, index + 1)
    following = (i for i in range(index + 1, min(len(lines), index + 4)) if lines[i].strip())
    first = next(following, None)
    if first is not None and _marked(lines[first]):
        return first
    if start < len(lines) and start - index <= 12 and _marked(lines[start]):
        return start
    return 0


def _marked(line: str) -> bool:
    return line.lstrip().startswith(">")


def _question_above(lines: list[str], index: int) -> str:
    """The quoted lines right above a line of the writer's (blank lines between allowed): what
    an answer typed inline answers. Empty when the line does not follow a quote."""
    above = index - 1
    while above >= 0 and not lines[above].strip():
        above -= 1
    block: list[str] = []
    while above >= 0 and _marked(lines[above]) and len(block) < 3:
        text = lines[above].lstrip().lstrip(">").strip()
        if text:
            block.insert(0, text)
        elif block:
            break
        above -= 1
    return " ".join(block)


def _short_tail(lines: list[str], index: int) -> bool:
    """A closing line starts a signature only when few lines follow it in this message."""
    count = 0
    for i in range(index, min(len(lines), index + 40)):
        if _FORWARD.match(lines[i]) or _is_history(lines, i):
            break
        count += bool(lines[i].strip()) and not lines[i].lstrip().startswith(">")
        if count > 8:
            return False
    return True


def _is_header_block(lines: list[str], index: int) -> bool:
    """`From: ...` followed closely by `Sent:`/`Date:`/`To:` is a quoted mail's header."""
    if not _HEADER_FROM.match(lines[index]):
        return False
    return any(_HEADER_NEXT.match(line) for line in lines[index + 1 : index + 5])


def _from_address(headers: list[str]) -> str | None:
    """The address of a header block's From line ("From: Priya Shah <priya@x.co.uk>")."""
    for line in headers:
        if (label := _HEADER_FROM.match(line)) and (found := address(line[label.end() :])):
            return found
    return None


def _skip_headers(lines: list[str], index: int) -> int:
    while index < len(lines) and (_HEADER_LINE.match(lines[index]) or not lines[index].strip()):
        index += 1
    return index


def _drop_contact_tail(new: list[str], quoted: list[str]) -> list[str]:
    """A signature without a closing line still ends in phone, fax and mail lines."""
    end = len(new)
    while end and (not new[end - 1].strip() or _CONTACT.match(new[end - 1])):
        end -= 1
    if any(_CONTACT.match(line) for line in new[end:]):
        quoted.extend(new[end:])
        return new[:end]
    return new
