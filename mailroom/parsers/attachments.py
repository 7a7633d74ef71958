"""Reading an attachment's content (PDF, XLSX, CSV, text, HTML) and telling what kind it is.

`read_attachment` is the one entry point: it picks a reader from the bytes, the file name and
the MIME type (in that order of trust), enforces the size limit before reading anything, and
runs the readers that parse complex binary formats (PDF, XLSX) in a sandbox process with a
hard time limit. It never raises: a problem is a `finding` on the result.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from html.parser import HTMLParser
from importlib import resources
from pathlib import PurePosixPath
from types import ModuleType
from typing import Any

from mailroom.parsers.content import FINDINGS, AttachmentContent
from mailroom.parsers.pdf import read_pdf
from mailroom.parsers.sandbox import SandboxCrash, SandboxTimeout, default_sandbox
from mailroom.parsers.scripts import compile_either

__all__ = ["FINDINGS", "AttachmentContent", "format_of", "kind_of", "read_attachment"]

_IMAGE_EXTENSIONS = frozenset(
    ["png", "jpg", "jpeg", "gif", "bmp", "tif", "tiff", "webp", "heic", "heif"]
)
_TEXT_EXTENSIONS = frozenset(["txt", "text", "tsv", "md", "log"])
_XLSX_TYPES = ("spreadsheetml", "ms-excel.sheet.macroenabled")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"
# How far into a document its heading may be, and how long a heading line is.
_HEADING_LINES = 12
_HEADING_CHARS = 40
_COLUMNS = compile_either(r"\s{2,}")


def read_attachment(
    filename: str,
    content_type: str,
    payload: bytes,
    *,
    timeout_s: float = 10.0,
    max_bytes: int = 20_000_000,
) -> AttachmentContent:
    """The readable content of one attachment.

    Args:
        filename: the name as sent (decoded); may be empty.
        content_type: the MIME type as sent; often wrong (`application/octet-stream`).
        payload: the decoded bytes.
        timeout_s: hard limit for parsing a PDF or XLSX; the work is killed when it overruns.
        max_bytes: larger payloads are not read at all.

    Returns:
        Text and tables, or a `finding`: "too_large", "timeout", "encrypted", "broken",
        "image_only" or "unsupported". Images give empty text and no finding.
    """
    if len(payload) > max_bytes:
        return AttachmentContent(text="", finding="too_large")
    kind = format_of(filename, content_type, payload)
    if kind in ("pdf", "xlsx"):
        return _sandboxed(kind, payload, timeout_s)
    if kind == "csv":
        return _sheets().read_csv(payload)
    if kind == "text":
        return AttachmentContent(text=_sheets().decode_text(payload))
    if kind == "html":
        return html_content(_sheets().decode_text(payload))
    if kind == "image":
        return AttachmentContent(text="")
    return AttachmentContent(text="", finding="unsupported")


def format_of(filename: str, content_type: str, payload: bytes) -> str:
    """The file format: pdf, xlsx, xls, csv, text, html, image or other.

    Magic bytes beat the extension, the extension beats the MIME type: mail clients label CSV
    files `application/vnd.ms-excel` and everything `application/octet-stream`.
    """
    extension = PurePosixPath(filename.lower().strip()).suffix.lstrip(".")
    mime = content_type.lower().split(";")[0].strip()
    if b"%PDF-" in payload[:1024]:
        return "pdf"
    if extension == "xls" or (payload.startswith(_OLE_MAGIC) and extension != "xlsx"):
        return "xls" if extension == "xls" or "excel" in mime else "other"
    by_extension = {"pdf": "pdf", "xlsx": "xlsx", "xlsm": "xlsx", "csv": "csv"}
    if extension in by_extension:
        return by_extension[extension]
    if extension in ("htm", "html") or mime in ("text/html", "application/xhtml+xml"):
        return "html"
    if extension in _IMAGE_EXTENSIONS or mime.startswith("image/"):
        return "image"
    if extension in _TEXT_EXTENSIONS:
        return "text"
    if mime == "application/pdf":
        return "pdf"
    if any(part in mime for part in _XLSX_TYPES):
        return "xlsx"
    if mime in ("text/csv", "application/csv", "text/comma-separated-values"):
        return "csv"
    return "text" if mime.startswith("text/") else "other"


def _sheets() -> ModuleType:
    """The sheet readers, imported on first need.

    openpyxl takes 0.3-0.6 s to import, which a process that only reads bodies and PDFs (and
    the first such mail it reads) should not pay.
    """
    from mailroom.parsers import sheets

    return sheets


def _sandboxed(kind: str, payload: bytes, timeout_s: float) -> AttachmentContent:
    """Run a binary-format reader in the sandbox; overruns and crashes become findings."""
    try:
        if kind == "pdf":
            return default_sandbox().call(read_pdf, payload, timeout_s, timeout_s=timeout_s)
        return default_sandbox().call(_sheets().read_xlsx, payload, timeout_s=timeout_s)
    except SandboxTimeout:
        return AttachmentContent(text="", finding="timeout")
    except SandboxCrash:
        return AttachmentContent(text="", finding="broken")


class _HtmlReader(HTMLParser):
    """Text of an HTML document, with each table row on one line and its cells collected."""

    _BLOCKS = frozenset(
        [
            "p",
            "div",
            "br",
            "li",
            "tr",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "table",
            "pre",
            "hr",
            "section",
            "article",
        ]
    )
    _SKIP = frozenset({"script", "style", "head", "title", "noscript", "template"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.tables: list[list[list[str]]] = []
        self.open_tables: list[list[list[str]]] = []
        self.cell: list[str] | None = None
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self.skip += 1
        elif tag == "table":
            self.open_tables.append([])
        elif tag == "tr" and self.open_tables:
            self.open_tables[-1].append([])
        elif tag in ("td", "th"):
            self._end_cell()
            self.cell = []
            self.current.append("  ")
        if tag in self._BLOCKS:
            self._break()

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in ("td", "th", "tr"):
            self._end_cell()
        elif tag == "table" and self.open_tables:
            self._end_cell()
            table = _sheets()._trim(self.open_tables.pop())
            if table:
                self.tables.append(table)
        if tag in self._BLOCKS:
            self._break()

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        self.current.append(data)
        if self.cell is not None:
            self.cell.append(data)

    def _end_cell(self) -> None:
        if self.cell is not None and self.open_tables and self.open_tables[-1]:
            self.open_tables[-1][-1].append(" ".join("".join(self.cell).split()))
        self.cell = None

    def _break(self) -> None:
        line = "".join(self.current)
        # Cell gaps stay two spaces; other runs of white space inside a line become one.
        cells = [" ".join(part.split()) for part in line.split("  ")]
        self.lines.append("  ".join(cell for cell in cells if cell))
        self.current = []


def html_content(markup: str) -> AttachmentContent:
    """Text (table cells two spaces apart) and tables of an HTML document."""
    reader = _HtmlReader()
    try:
        reader.feed(markup)
        reader.close()
    except (AssertionError, ValueError):  # html.parser gives up on some broken markup
        return AttachmentContent(text=re.sub(r"<[^>]*>", " ", markup), finding="broken")
    reader._break()
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(reader.lines)).strip()
    return AttachmentContent(text=text, tables=reader.tables)


_Kinds = list[tuple[str, re.Pattern[str], re.Pattern[str]]]


@cache
def _kind_table() -> tuple[re.Pattern[str], re.Pattern[str], _Kinds]:
    """The keyword table from data/attachment_kinds.toml, compiled once."""
    data: dict[str, Any] = tomllib.loads(
        resources.files("mailroom.parsers").joinpath("data/attachment_kinds.toml").read_text()
    )
    kinds = [
        (kind, _any_of(spec["title"]), _any_of(spec["title"] + spec["filename"]))
        for kind, spec in data["kinds"].items()
    ]
    mention = compile_either(data["mention_after"], re.IGNORECASE)
    number = compile_either(f"{data['mention_after']}|{data['number_after']}", re.IGNORECASE)
    return mention, number, kinds


def _any_of(patterns: list[str]) -> re.Pattern[str]:
    return compile_either("|".join(f"(?:{pattern})" for pattern in patterns), re.IGNORECASE)


def kind_of(filename: str, content_type: str, text: str) -> str:
    """The attachment's kind, one of `result.ATTACHMENT_KINDS`.

    Content decides first: a heading line near the top that names a kind ("PURCHASE ORDER",
    "装箱单"), else the kind the text names most often; mentions of other documents ("Invoice
    to:", "PO No." on an invoice) do not count. Then an image is "image", then the file name
    decides ("PO_4711.pdf"); anything else is "other".
    """
    mention, number, kinds = _kind_table()
    lines = [line for line in text.splitlines() if line.strip()][:_HEADING_LINES]
    for line in lines:
        for segment in _COLUMNS.split(line.strip()):
            if len(segment) <= _HEADING_CHARS and (kind := _first_named(segment, kinds, number)):
                return kind
    counts = {kind: len(_named(title, text[:20_000], mention)) for kind, title, _ in kinds}
    best = max(counts, key=lambda kind: counts[kind])
    if counts[best]:
        return best
    if format_of(filename, content_type, b"") == "image":
        return "image"
    name = PurePosixPath(filename.lower()).stem
    for kind, _, by_name in kinds:
        if name and by_name.search(name):
            return kind
    return "other"


def _first_named(segment: str, kinds: _Kinds, excluded: re.Pattern[str]) -> str | None:
    """The kind whose name starts earliest in a heading-sized piece of text, if any."""
    found = [
        (hits[0], kind) for kind, title, _ in kinds if (hits := _named(title, segment, excluded))
    ]
    return min(found)[1] if found else None


def _named(title: re.Pattern[str], text: str, excluded: re.Pattern[str]) -> list[int]:
    """Where a kind is named in the text, leaving out matches followed by `excluded`."""
    return [
        match.start() for match in title.finditer(text) if not excluded.match(text, match.end())
    ]
