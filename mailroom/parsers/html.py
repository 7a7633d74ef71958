"""HTML mail bodies to plain text that keeps table rows and quoted blocks recognisable.

Table cells are joined with ` | ` on one line per row, so the same line extractor reads an
HTML table and a plain-text one; a `<blockquote>` becomes `> ` lines so quote stripping sees it.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

# Large marketing mails stress the converter, not the extraction: a request is never this long.
MAX_HTML = 400_000
_BLOCK = frozenset(
    [
        "p",
        "div",
        "br",
        "li",
        "ul",
        "ol",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "tr",
        "table",
        "pre",
        "hr",
        "section",
        "article",
        "header",
        "footer",
        "address",
        "center",
        "dl",
        "dt",
        "dd",
        "form",
    ]
)
# Blocks drawn without a margin: a new line, not a blank one (web mail writes each line as a
# <div>, and a blank line between them would cut an address block in two).
_LINE = frozenset({"div", "li", "dt", "dd"})
_SKIP = frozenset({"script", "style", "head", "title", "noscript", "template"})
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")
# A line break inside a table cell, until the row tells whether its cells are boxes of lines.
_CELL_BREAK = "\x1f"
_BOX_LINES = 3


class _TextBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip = 0
        self.quote = 0
        self.cells: list[list[str]] | None = None  # cells of the current table row
        # Rows left open by a table inside one of their cells, with where its text starts.
        self.open_rows: list[tuple[list[list[str]], int]] = []
        self.tables = 0
        self.pre = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "pre":
            self.pre += 1
        if tag in _SKIP:
            self.skip += 1
        elif tag == "blockquote":
            self.quote += 1
            self._newline()
        elif tag == "table":
            self.tables += 1
            if self.cells:
                self.open_rows.append((self.cells, len(self.out)))
                self.cells = None
            self._newline()
        elif tag == "tr":
            self._line_break()
            self.cells = []
        elif tag in ("td", "th") and self.cells is not None:
            self.cells.append([])
        elif self.cells is not None:
            # A paragraph or break inside a cell (Outlook wraps every cell in <p>) is a space:
            # the row must stay one line, unless its cells are boxes of lines (see _flush_row).
            if tag in _BLOCK:
                self._text(_CELL_BREAK)
        elif tag in _LINE:
            self._line_break()
        elif tag in _BLOCK:
            self._newline()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "hr"):
            self._newline() if self.cells is None or not self.cells else self._text(_CELL_BREAK)

    def handle_endtag(self, tag: str) -> None:
        if tag == "pre":
            self.pre = max(0, self.pre - 1)
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag == "blockquote":
            self.quote = max(0, self.quote - 1)
            self._newline()
        elif tag == "tr":
            self._flush_row()
        elif tag == "table":
            self._flush_row()
            self.tables = max(0, self.tables - 1)
            self._newline()
            if self.open_rows:
                self._close_inner_table()
        elif tag in _LINE and self.cells is None:
            self._line_break()
        elif tag in _BLOCK and self.cells is None:
            self._newline()

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.pre:
            self._text(data)
        elif data.strip() or not self._at_line_start():
            # A line break in HTML source is a space; only <pre> keeps it.
            self._text(data.replace("\r", " ").replace("\n", " "))

    def _at_line_start(self) -> bool:
        return self.cells is None and (not self.out or self.out[-1].rstrip("> ").endswith("\n"))

    def _text(self, data: str) -> None:
        if self.cells is not None and self.cells:
            self.cells[-1].append(data)
        elif self.cells is not None:
            # Text inside a row but outside any cell: keep it as a cell of its own.
            self.cells.append([data])
        else:
            self.out.append(data)

    def _flush_row(self) -> None:
        if self.cells is None:
            return
        boxes = [
            [
                line
                for part in "".join(c).split(_CELL_BREAK)
                if (line := _SPACES.sub(" ", part).strip())
            ]
            for c in self.cells
        ]
        self.cells = None
        if sum(len(box) >= _BOX_LINES for box in boxes) >= 2:
            # Boxes side by side ("Ship To" and "Bill To", each lines of an address): each is a
            # block of its own lines, as a plain-text mail would write it.
            for box in boxes:
                self._newline()
                self.out.append("\n".join(box))
                self._newline()
            return
        row = [" ".join(box) for box in boxes]
        if any(row):
            self._line_break()
            self.out.append(" | ".join(row))
            self._line_break()

    def _close_inner_table(self) -> None:
        """Back in the row whose cell held a table. A small table of one column (a
        description set in two lines) is that cell's text; a larger one keeps its lines, after
        what the row held so far, and the row goes on with its next cells."""
        cells, start = self.open_rows.pop()
        inner = [line.strip("> ") for line in "".join(self.out[start:]).split("\n")]
        inner = [line for line in inner if line]
        if len(inner) <= 3 and not any(" | " in line for line in inner):
            del self.out[start:]
            cells[-1].append(" " + " ".join(inner))
            self.cells = cells
            return
        before = self.out[start:]
        del self.out[start:]
        self.cells = cells
        self._flush_row()
        self.out.extend(before)
        self.cells = []

    def _line_break(self) -> None:
        """End the current line, without the blank line a new block would leave."""
        if self.out and not self.out[-1].endswith("\n") and not self.out[-1].startswith("\n"):
            self.out.append("\n" + "> " * self.quote)

    def _newline(self) -> None:
        self.out.append("\n" + "> " * self.quote)


def html_to_text(markup: str) -> str:
    """Readable text of an HTML body: blocks on their own lines, table rows as `a | b | c`."""
    builder = _TextBuilder()
    try:
        builder.feed(markup[:MAX_HTML])
        builder.close()
    except Exception:  # html.parser is lenient; a failure here must not lose the mail
        return _SPACES.sub(" ", html.unescape(re.sub(r"<[^>]+>", " ", markup[:MAX_HTML])))
    builder._flush_row()
    joined = "".join(builder.out).replace(_CELL_BREAK, " ")
    lines = [_SPACES.sub(" ", line).strip() for line in joined.split("\n")]
    text = "\n".join(lines)
    # A quoted block keeps its `>` markers, but lines that hold only markers are dropped.
    text = re.sub(r"(?m)^(?:>\s*)+$", "", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()
