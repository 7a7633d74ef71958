"""Reading a PDF attachment: fast text with layout from pdfium, tables from pdfium or pdfplumber.

pdfium gives a page's text in about 1.5 ms, pdfplumber its tables in 40-250 ms (FACTS.md), so
every page is read with pdfium. A page that looks like it has an item table (lines with several
numbers, and vector lines drawn on it) has its ruled tables read from pdfium's own paths and
characters when they are plain (`pdf_grid`); only a page whose tables are not plain (wrapped
cells, merged cells, rules pdf_grid does not model) goes through pdfplumber. `read_pdf` runs
inside a sandbox worker; it never raises: failures become a finding.
"""

from __future__ import annotations

import ctypes
import io
import re
import time
from collections.abc import Iterator

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from mailroom.parsers.content import AttachmentContent
from mailroom.parsers.pdf_grid import SPACE_INFERRED, SPACE_WRITTEN, page_grids, read_grid
from mailroom.parsers.pdf_grid import Char as _Char
from mailroom.parsers.pdf_skew import page_slope, upright

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
# Inside a table cell, a gap wider than this (points, pdfplumber's x_tolerance) is a space.
CELL_WORD_GAP = 3.0

_NUMBER = re.compile(r"(?<![\w.,])[-+]?[$¥€£]?\d[\d,]*(?:\.\d+)?(?![\w])")
_READABLE = re.compile(r"[0-9A-Za-z\u00c0-\u024f\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")

Table = list[list[str]]


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


class _Page:
    """What one page gave: its text, its tables, and whether pdfplumber must read its tables."""

    def __init__(self, page: pdfium.PdfPage) -> None:
        lines, slope = _upright_lines(page)
        joined = [_join_line(line) for line in lines]
        self.text = "\n".join(text for text, _ in joined)
        self.doubled = any(doubled for _, doubled in joined)
        kinds = _object_kinds(page)
        self.has_images = pdfium_c.FPDF_PAGEOBJ_IMAGE in kinds
        self.tables: list[Table] = []
        self.unsure = False
        # A turned page's rules are turned too: neither grid reader models them, and its text
        # rows, upright again, are read as a table laid out in columns.
        if not slope and pdfium_c.FPDF_PAGEOBJ_PATH in kinds and looks_tabular(self.text):
            tables = _grid_tables(page, lines)
            self.unsure = tables is None
            self.tables = tables or []


def _read_document(
    document: pdfium.PdfDocument, payload: bytes, table_deadline: float
) -> AttachmentContent:
    page_count = len(document)
    if page_count == 0:
        return AttachmentContent(text="", finding="broken")
    pages: list[_Page] = []
    for index in range(min(page_count, MAX_TEXT_PAGES)):
        page = document[index]
        try:
            pages.append(_Page(page))
        finally:
            page.close()
    text = "\n\n".join(page.text for page in pages).strip("\n")
    readable = len(_READABLE.findall(text))
    has_images = any(page.has_images for page in pages)
    if readable < MIN_CHARS_PER_PAGE * len(pages) and (has_images or readable == 0):
        return AttachmentContent(text=text, finding="image_only", pages=page_count)
    unsure = [(index, page.doubled) for index, page in enumerate(pages) if page.unsure]
    by_page = _tables(payload, unsure[:MAX_TABLE_PAGES], table_deadline)
    tables: list[Table] = []
    for index, page in enumerate(pages):
        tables += by_page.get(index, page.tables)
    return AttachmentContent(text=text, tables=_kept(tables), pages=page_count)


def layout_text(page: pdfium.PdfPage) -> tuple[str, bool]:
    """A page's text as lines in reading order, columns separated by two or more spaces.

    Characters are placed by their loose boxes (font ascent to descent, advance width), grouped
    into lines by height and joined by their horizontal gaps: a gap of about a word space is
    one space, a wider one is a column gap. Glyphs drawn twice at nearly the same place (fake
    bold) are kept once; the second value says whether there were any.
    """
    lines = [_join_line(line) for line in _upright_lines(page)[0]]
    return "\n".join(text for text, _ in lines), any(doubled for _, doubled in lines)


def _upright_lines(page: pdfium.PdfPage) -> tuple[list[list[_Char]], float]:
    """A page's lines of characters, turned upright first when the page is drawn askew, and
    the page's slope (0 when upright)."""
    chars = _page_chars(page)
    slope = page_slope(chars)
    return list(_lines(upright(chars, slope) if slope else chars)), slope


def _page_chars(page: pdfium.PdfPage) -> list[_Char]:
    textpage = page.get_textpage()
    try:
        return _chars(textpage)
    finally:
        textpage.close()


def _grid_tables(page: pdfium.PdfPage, lines: list[list[_Char]]) -> list[Table] | None:
    """The page's plain ruled tables as cell strings; None when pdfplumber must read them."""
    try:
        grids = page_grids(page)
    except pdfium.PdfiumError:  # an odd drawing costs the fast path, not the document
        return None
    if grids is None:
        return None
    tables = []
    for grid in grids:
        rows = read_grid(grid, lines)
        if rows is None:
            return None
        tables.append([[_cell_text(cell) for cell in row] for row in rows])
    return tables


def _chars(textpage: pdfium.PdfTextPage) -> list[_Char]:
    """Non-blank characters with their boxes, and what whitespace came just before each.

    The whitespace mark is 0 (none), SPACE_INFERRED (pdfium put one in for a gap) or
    SPACE_WRITTEN (the PDF has one).
    """
    count = pdfium_c.FPDFText_CountChars(textpage.raw)
    text = textpage.get_text_range()
    if len(text) != count:  # characters outside the BMP: read them one by one
        text = "".join(chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, i)) for i in range(count))
    rect = pdfium_c.FS_RECTF()
    rect_ref = ctypes.byref(rect)
    loose_box = pdfium_c.FPDFText_GetLooseCharBox
    raw = textpage.raw
    chars: list[_Char] = []
    space = 0
    for index, char in enumerate(text):
        if char.isspace() or char == "\x00":
            inferred = pdfium_c.FPDFText_IsGenerated(raw, index) == 1
            space = max(space, SPACE_INFERRED if inferred else SPACE_WRITTEN)
            continue
        loose_box(raw, index, rect_ref)
        chars.append((rect.left, rect.right, rect.bottom, rect.top, char, space, index))
        space = 0
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


def _cell_text(cell: list[_Char]) -> str:
    """A table cell's text, its words one space apart."""
    return " ".join(_join_line(cell, in_cell=True)[0].split())


def _join_line(line: list[_Char], *, in_cell: bool = False) -> tuple[str, bool]:
    """One line's text: word gaps become a space, column gaps two or more.

    In a table cell a gap is a space only from CELL_WORD_GAP points, as pdfplumber reads it:
    the same cell then reads the same whichever of the two read its table.
    """
    line.sort(key=lambda char: (char[0], char[6]))
    parts: list[str] = []
    kept: list[_Char] = []
    for char in line:
        left, _, bottom, top, text, space, _ = char
        height = max(top - bottom, 1.0)
        if _drawn_again(char, kept, height):
            continue
        if kept:
            gap = left - kept[-1][1]
            if in_cell:
                written = space == SPACE_WRITTEN and gap > -height * 0.1
                parts.append(" " if gap > CELL_WORD_GAP or written else "")
            elif gap >= height * COLUMN_GAP:
                parts.append(" " * max(2, min(12, round(gap / (height * 0.45)))))
            elif gap >= height * WORD_GAP or (space and gap > -height * 0.1):
                parts.append(" ")
        parts.append(text)
        kept.append(char)
    return "".join(parts), len(kept) < len(line)


def _drawn_again(char: _Char, kept: list[_Char], height: float) -> bool:
    """Whether one of the last few characters kept is this glyph, drawn a second time."""
    return any(other[4] == char[4] and _same_glyph(char, other, height) for other in kept[-3:])


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
) -> dict[int, list[Table]]:
    """Ruled tables of the given pages by pdfplumber, until the deadline passes, by page index.

    pdfplumber is imported here, on first need, so a sandbox worker starts without it.
    `dedupe_chars` doubles pdfplumber's cost, so it runs only on pages with doubled glyphs.
    """
    found: dict[int, list[Table]] = {}
    if not pages:
        return found
    import pdfplumber

    try:
        with pdfplumber.open(io.BytesIO(payload)) as pdf:
            for index, doubled in pages:
                if time.monotonic() > deadline or index >= len(pdf.pages):
                    break
                page = pdf.pages[index].dedupe_chars() if doubled else pdf.pages[index]
                found[index] = [_clean(table) for table in page.extract_tables()]
                pdf.pages[index].close()
    except Exception:  # tables only add to the text: a pdfminer failure keeps what was found
        return found
    return found


def _clean(table: list[list[str | None]]) -> Table:
    """Cells as one-line strings; rows that are empty throughout are dropped."""
    rows = [[" ".join((cell or "").split()) for cell in row] for row in table]
    return [row for row in rows if any(row)]


def _kept(tables: list[Table]) -> list[Table]:
    """Tables of at least two rows and two columns; anything less is not an item table."""
    return [table for table in tables if len(table) >= 2 and max(map(len, table)) >= 2]
