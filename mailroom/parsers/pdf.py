"""Reading a PDF attachment: fast text with layout from pdfium, tables from pdfplumber.

pdfium gives a page's text in about 1.5 ms, pdfplumber its tables in about 60 ms (FACTS.md),
so every page is read with pdfium and only pages that look like a ruled table (lines with
several numbers, and vector lines drawn on the page) go through pdfplumber. `read_pdf` runs
inside a sandbox worker; it never raises: failures become a finding.
"""

from __future__ import annotations

import ctypes
import io
import re
import time
from collections.abc import Iterator

import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from mailroom.parsers.content import AttachmentContent

# Pages read for text; a longer PDF is a catalogue or a report, not a purchase order.
MAX_TEXT_PAGES = 60
# Pages given to pdfplumber for tables, and the share of the time budget it may use.
MAX_TABLE_PAGES = 6
TABLE_BUDGET_SHARE = 0.6
# A page with fewer readable characters than this, and an image on it, is a scan.
MIN_CHARS_PER_PAGE = 20
# Horizontal gaps, in line heights: from WORD_GAP a space, from COLUMN_GAP a column break.
WORD_GAP = 0.12
COLUMN_GAP = 0.6

_NUMBER = re.compile(r"(?<![\w.,])[-+]?[$¥€£]?\d[\d,]*(?:\.\d+)?(?![\w])")
_READABLE = re.compile(r"[0-9A-Za-z\u00c0-\u024f\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def read_pdf(payload: bytes, budget_s: float = 10.0) -> AttachmentContent:
    """Text (with column layout), ruled tables and findings of one PDF.

    Args:
        payload: the PDF's bytes.
        budget_s: the caller's time limit; table extraction stops early to stay within it.

    Returns:
        The content; `finding` is "encrypted", "broken" or "image_only" when the PDF gives no
        usable text.
    """
    started = time.monotonic()
    try:
        document = pdfium.PdfDocument(payload)
    except pdfium.PdfiumError as error:
        finding = "encrypted" if "password" in str(error).lower() else "broken"
        return AttachmentContent(text="", finding=finding)
    try:
        return _read_document(document, payload, started + budget_s * TABLE_BUDGET_SHARE)
    except pdfium.PdfiumError:
        return AttachmentContent(text="", finding="broken")
    finally:
        document.close()


def _read_document(
    document: pdfium.PdfDocument, payload: bytes, table_deadline: float
) -> AttachmentContent:
    page_count = len(document)
    if page_count == 0:
        return AttachmentContent(text="", finding="broken")
    texts: list[str] = []
    candidates: list[tuple[int, bool]] = []  # (page index, has doubled glyphs)
    has_images = False
    for index in range(min(page_count, MAX_TEXT_PAGES)):
        page = document[index]
        try:
            text, doubled = layout_text(page)
            kinds = _object_kinds(page)
        finally:
            page.close()
        texts.append(text)
        has_images = has_images or pdfium_c.FPDF_PAGEOBJ_IMAGE in kinds
        if pdfium_c.FPDF_PAGEOBJ_PATH in kinds and looks_tabular(text):
            candidates.append((index, doubled))
    text = "\n\n".join(texts).strip("\n")
    readable = len(_READABLE.findall(text))
    if readable < MIN_CHARS_PER_PAGE * len(texts) and (has_images or readable == 0):
        return AttachmentContent(text=text, finding="image_only", pages=page_count)
    tables = _tables(payload, candidates[:MAX_TABLE_PAGES], table_deadline)
    return AttachmentContent(text=text, tables=tables, pages=page_count)


def layout_text(page: pdfium.PdfPage) -> tuple[str, bool]:
    """A page's text as lines in reading order, columns separated by two or more spaces.

    Characters are placed by their loose boxes (font ascent to descent, advance width), grouped
    into lines by height and joined by their horizontal gaps: a gap of about a word space is
    one space, a wider one is a column gap. Glyphs drawn twice at nearly the same place (fake
    bold) are kept once; the second value says whether there were any.
    """
    textpage = page.get_textpage()
    try:
        chars = _chars(textpage)
    finally:
        textpage.close()
    lines = [_join_line(line) for line in _lines(chars)]
    return "\n".join(text for text, _ in lines), any(doubled for _, doubled in lines)


# left, right, bottom, top, text, whitespace just before, index in the page's text
_Char = tuple[float, float, float, float, str, bool, int]


def _chars(textpage: pdfium.PdfTextPage) -> list[_Char]:
    """Non-blank characters with their boxes; `space` says whitespace came just before."""
    count = pdfium_c.FPDFText_CountChars(textpage.raw)
    text = textpage.get_text_range()
    if len(text) != count:  # characters outside the BMP: read them one by one
        text = "".join(chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, i)) for i in range(count))
    rect = pdfium_c.FS_RECTF()
    rect_ref = ctypes.byref(rect)
    loose_box = pdfium_c.FPDFText_GetLooseCharBox
    raw = textpage.raw
    chars: list[_Char] = []
    space = False
    for index, char in enumerate(text):
        if char.isspace() or char == "\x00":
            space = True
            continue
        loose_box(raw, index, rect_ref)
        chars.append((rect.left, rect.right, rect.bottom, rect.top, char, space, index))
        space = False
    return chars


def _lines(chars: list[_Char]) -> Iterator[list[_Char]]:
    """Group characters into lines, top to bottom, by the height of their middles."""
    chars.sort(key=lambda char: -(char[2] + char[3]))
    line: list[_Char] = []
    middle = tolerance = 0.0
    for char in chars:
        if line and abs((char[2] + char[3]) / 2 - middle) <= tolerance:
            line.append(char)
            continue
        if line:
            yield line
        line = [char]
        middle = (char[2] + char[3]) / 2
        tolerance = max(1.0, (char[3] - char[2]) * 0.4)
    if line:
        yield line


def _join_line(line: list[_Char]) -> tuple[str, bool]:
    """One line's text: word gaps become a space, column gaps two or more."""
    line.sort(key=lambda char: (char[0], char[6]))
    parts: list[str] = []
    kept: list[_Char] = []
    for char in line:
        left, _, bottom, top, text, space, _ = char
        height = max(top - bottom, 1.0)
        if any(_same_glyph(char, other, height) for other in kept[-3:]):
            continue
        if kept:
            gap = left - kept[-1][1]
            if gap >= height * COLUMN_GAP:
                parts.append(" " * max(2, min(12, round(gap / (height * 0.45)))))
            elif gap >= height * WORD_GAP or (space and gap > -height * 0.1):
                parts.append(" ")
        parts.append(text)
        kept.append(char)
    return "".join(parts), len(kept) < len(line)


def _same_glyph(char: _Char, other: _Char, height: float) -> bool:
    # Neighbours in the text with one box are a ligature's letters ("ffi"), not a double.
    close = height * 0.3
    return (
        char[4] == other[4]
        and abs(char[6] - other[6]) > 1
        and abs(char[0] - other[0]) < close
        and abs(char[2] + char[3] - other[2] - other[3]) < 2 * close
    )


def looks_tabular(text: str) -> bool:
    """Whether a page's text has rows of several numbers, as an order's item table does."""
    rows = 0
    for line in text.splitlines():
        if len(_NUMBER.findall(line)) >= 2:
            rows += 1
            if rows >= 2:
                return True
    return False


def _object_kinds(page: pdfium.PdfPage) -> set[int]:
    """The kinds of object drawn on a page (text, path, image, ...), forms included."""
    return {obj.type for obj in page.get_objects(max_depth=2)}


def _tables(
    payload: bytes, pages: list[tuple[int, bool]], deadline: float
) -> list[list[list[str]]]:
    """Ruled tables of the given pages, by pdfplumber, until the deadline passes.

    `dedupe_chars` doubles pdfplumber's cost, so it runs only on pages with doubled glyphs.
    """
    if not pages:
        return []
    found: list[list[list[str]]] = []
    try:
        with pdfplumber.open(io.BytesIO(payload)) as pdf:
            for index, doubled in pages:
                if time.monotonic() > deadline or index >= len(pdf.pages):
                    break
                page = pdf.pages[index].dedupe_chars() if doubled else pdf.pages[index]
                found.extend(_clean(table) for table in page.extract_tables())
                pdf.pages[index].close()
    except Exception:  # tables only add to the text: a pdfminer failure keeps what was found
        return found
    return [table for table in found if len(table) >= 2 and max(map(len, table)) >= 2]


def _clean(table: list[list[str | None]]) -> list[list[str]]:
    """Cells as one-line strings; rows that are empty throughout are dropped."""
    rows = [[" ".join((cell or "").split()) for cell in row] for row in table]
    return [row for row in rows if any(row)]
