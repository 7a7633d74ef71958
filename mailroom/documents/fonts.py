"""The one font our documents use: WenQuanYi Micro Hei embedded, or a built-in CID font.

WenQuanYi Micro Hei (Debian `fonts-wqy-microhei`) covers Latin and Chinese, so every label,
name and number is set in one font. Without it, reportlab's built-in STSong-Light still
renders and reads back, but it is not embedded: viewers without CJK data show blanks.
"""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError, TTFont

WQY_MICROHEI = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
EMBEDDED_NAME = "MailroomWQY"
FALLBACK_NAME = "STSong-Light"

log = logging.getLogger(__name__)


@cache
def document_font(path: Path = WQY_MICROHEI) -> str:
    """Register the document font once and return its reportlab name.

    Args:
        path: the TrueType collection to embed (its first face is used).

    Returns:
        The registered font name: the embedded WenQuanYi face, or STSong-Light when the
        file is missing or unreadable (logged once, as a warning).
    """
    try:
        pdfmetrics.registerFont(TTFont(EMBEDDED_NAME, str(path), subfontIndex=0))
        return EMBEDDED_NAME
    except (OSError, TTFError) as error:
        log.warning(
            "document font %s unusable (%s); using the built-in %s, which is not embedded "
            "(install Debian's fonts-wqy-microhei)",
            path,
            error,
            FALLBACK_NAME,
        )
    pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_NAME))
    return FALLBACK_NAME
