"""Reading spreadsheet and text attachments: XLSX (openpyxl), CSV and plain text.

Cells become strings the way a person reads them in Excel: `1000.0` is "1000", a date is
`2026-12-15`. CSV and text files come in whatever charset the sender's Excel or editor used
(UTF-8 with or without BOM, UTF-16 "Unicode text", GBK/GB18030 from Chinese Windows), so the
charset is detected, never assumed.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import zipfile
from collections import Counter
from collections.abc import Iterable
from typing import Any

import charset_normalizer
import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from mailroom.parsers.content import AttachmentContent

# An order sheet has tens of rows; these caps keep a data dump from flooding the parser.
MAX_SHEETS = 20
MAX_ROWS = 5000
MAX_COLUMNS = 60
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Labels that mean a superset in practice: Chinese Windows writes GBK/GB18030 and calls it GB2312.
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "big5": "big5hkscs", "ascii": "utf-8"}


def read_xlsx(payload: bytes) -> AttachmentContent:
    """All sheets of a workbook: one table per sheet, and text with cells two spaces apart.

    Returns:
        The content; `finding` is "encrypted" for a password-protected workbook (an OLE file,
        not a zip) and "broken" for anything openpyxl cannot open.
    """
    if payload.startswith(b"\xd0\xcf\x11\xe0"):
        # An OLE container where a zip was expected: Excel's encrypted workbook format.
        return AttachmentContent(text="", finding="encrypted")
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(payload), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError):
        return AttachmentContent(text="", finding="broken")
    try:
        wrapped = []
        for sheet in workbook.worksheets[:MAX_SHEETS]:
            rows = sheet.iter_rows(max_row=MAX_ROWS, max_col=MAX_COLUMNS)
            table = _trim(
                [[cell_text(cell.value, cell.number_format) for cell in row] for row in rows]
            )
            if table:
                wrapped.append(table)
    except Exception:  # a damaged part inside the zip surfaces only while rows are read
        return AttachmentContent(text="", finding="broken")
    finally:
        workbook.close()
    return AttachmentContent(text=tables_text(wrapped), tables=[_flat(t) for t in wrapped])


def cell_text(value: Any, number_format: str | None = "General") -> str:
    """A cell's value as a person reads it: no float noise, dates as ISO dates, and the line
    breaks of a wrapped cell (an address typed with Alt+Enter) kept."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, int | float):
        if number_format and number_format.endswith("%"):
            return _number(value * 100) + "%"
        return _number(value)
    lines = (" ".join(line.split()) for line in str(value).splitlines())
    return "\n".join(line for line in lines if line)


def _number(value: float) -> str:
    """1000.0 -> "1000", 1.2 -> "1.2", 0.1 + 0.2 -> "0.3": ten decimals is beyond any price."""
    if isinstance(value, int):
        return str(value)
    text = f"{value:.10f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def read_csv(payload: bytes) -> AttachmentContent:
    """A CSV file as one table, whatever its charset and delimiter."""
    text = decode_text(payload)
    if not text.strip():
        return AttachmentContent(text="")
    delimiter = _delimiter(text[:16384])
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        rows = list(_capped(reader, MAX_ROWS))
    except csv.Error:
        return AttachmentContent(text=text, finding="broken")
    wrapped = _trim([[cell_text(cell) for cell in row[:MAX_COLUMNS]] for row in rows])
    return AttachmentContent(
        text=tables_text([wrapped]), tables=[_flat(wrapped)] if wrapped else []
    )


def _delimiter(sample: str) -> str:
    """The delimiter that splits the most rows into the same number of cells (more cells on a
    tie). csv.Sniffer guesses `,` for `4,20;250;1.050,00`: a decimal comma is not a column."""
    best, best_score = ",", (0, 0)
    rows = sample.splitlines()[:50]
    for candidate in ",;\t|":
        try:
            widths = [len(row) for row in csv.reader(rows, delimiter=candidate) if row]
        except csv.Error:
            continue
        if not widths:
            continue
        width, hits = Counter(widths).most_common(1)[0]
        score = (hits if width >= 2 else 0, width)
        if score > best_score:
            best, best_score = candidate, score
    return best


def decode_text(payload: bytes) -> str:
    """Bytes of a text file as a string; never raises (undecodable bytes become U+FFFD).

    Order: a BOM; UTF-8; Big5 if detection says so; GB18030 when the bytes decode as common
    simplified Chinese (detection alone takes short GBK for Korean); Windows-1252 for Western
    text; else whatever charset-normalizer finds.
    """
    for bom, encoding in _BOMS:
        if payload.startswith(bom):
            return payload.decode(encoding, errors="replace")
    try:
        return payload.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(payload[:200_000]).best()
    guess = _SUPERSETS.get(best.encoding, best.encoding) if best is not None else None
    if guess not in ("big5hkscs", "cp950"):
        for encoding in ("gb18030", "cp1252"):
            text = _strict(payload, encoding)
            if text is not None and (encoding != "gb18030" or _common_chinese(text)):
                return text
    return payload.decode(guess or "gb18030", errors="replace")


def _strict(payload: bytes, encoding: str) -> str | None:
    try:
        return payload.decode(encoding)
    except UnicodeDecodeError:
        return None


def _common_chinese(text: str) -> bool:
    """Most non-ASCII characters are in GB2312, the set everyday simplified Chinese uses."""
    wide = [char for char in text if ord(char) > 0x7F]
    common = 0
    for char in wide:
        try:
            char.encode("gb2312")
            common += 1
        except UnicodeEncodeError:
            pass
    return bool(wide) and common >= 0.8 * len(wide)


def tables_text(tables: Iterable[list[list[str]]]) -> str:
    """Tables as text: a row per line, non-empty cells between ` | ` as an HTML table's rows are
    written, a blank line between tables."""
    return "\n\n".join("\n".join(_row_text(row) for row in table) for table in tables)


def _flat(table: list[list[str]]) -> list[list[str]]:
    """A table with each cell on one line, as the column readers take it."""
    return [[" ".join(cell.split()) for cell in row] for row in table]


def _row_text(row: list[str]) -> str:
    """A row as a line; a label beside a wrapped cell ("Ship To" | an address in four lines)
    is a block of lines, as a form prints it, while an item row keeps to one line."""
    cells = [cell for cell in row if cell]
    if len(cells) <= 2 and any("\n" in cell for cell in cells):
        return "\n".join(cells)
    return " | ".join(" ".join(cell.split()) for cell in cells)


def _trim(rows: list[list[str]]) -> list[list[str]]:
    """Drop empty rows and the empty columns at the right edge."""
    rows = [row for row in rows if any(row)]
    width = max((max(i for i, cell in enumerate(row) if cell) + 1 for row in rows), default=0)
    return [row[:width] + [""] * (width - len(row)) for row in rows]


def _capped(rows: Iterable[list[str]], limit: int) -> Iterable[list[str]]:
    for number, row in enumerate(rows):
        if number >= limit:
            return
        yield row
