"""Rendering replies from templates named by purpose and language.

A purpose such as `ack/received` has `ack/received.en.txt.j2` (first line `Subject: ...`,
then a blank line, then the plain text) and optionally `ack/received.en.html.j2`. Rendering
is pure and strict: a missing value is an error, not a blank in a customer's mail.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, TemplateNotFound, select_autoescape

LANGUAGES = ("en", "zh")
DEFAULT_LANGUAGE = "en"

_env = Environment(
    loader=PackageLoader("mailroom.replies", "templates"),
    undefined=StrictUndefined,
    autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False),
    keep_trailing_newline=True,
    trim_blocks=True,
    lstrip_blocks=True,
)


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str | None


def reply_language(*candidates: str | None) -> str:
    """The first of the candidates we write in (customer's preference, then the mail's)."""
    for language in candidates:
        if language in LANGUAGES:
            return language
    return DEFAULT_LANGUAGE


def render(purpose: str, language: str, **context: Any) -> Rendered:
    """Render the subject, text and HTML of `purpose` in `language`.

    Raises:
        jinja2.TemplateNotFound: there is no text template for that purpose and language.
        jinja2.UndefinedError: the template uses a value the caller did not give.
    """
    text = _env.get_template(f"{purpose}.{language}.txt.j2").render(**context)
    head, _, body = text.partition("\n\n")
    if not head.startswith("Subject: "):
        raise ValueError(f"template {purpose}.{language}.txt.j2 must start with 'Subject: '")
    try:
        html = _env.get_template(f"{purpose}.{language}.html.j2").render(**context)
    except TemplateNotFound:
        html = None
    return Rendered(subject=head.removeprefix("Subject: ").strip(), text=body, html=html)
