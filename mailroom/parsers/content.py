"""What reading one attachment gave: its text, its tables and, if reading failed, why."""

from __future__ import annotations

from dataclasses import dataclass, field

# Why an attachment could not be read (fully); the clerks' page shows these words.
FINDINGS = ("encrypted", "image_only", "broken", "too_large", "timeout", "unsupported")


@dataclass
class AttachmentContent:
    """The readable content of one attachment.

    `text` keeps the layout where it helps: columns of one line are separated by two or more
    spaces. `tables` are rows of cell strings. `finding` is one of `FINDINGS`, or None when the
    attachment was read; `pages` counts a PDF's pages (0 for other kinds).
    """

    text: str
    tables: list[list[list[str]]] = field(default_factory=list)
    finding: str | None = None
    pages: int = 0
