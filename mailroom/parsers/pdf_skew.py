"""Turning a slightly rotated page's characters upright before they are grouped into lines.

A PDF drawn to look scanned, or a page placed a little askew, has its text rotated by a degree
or so. Its words are real text, but one row's words drift up or down across the page: at 0.8°
a row 500 points wide climbs 7 points, about a line's height, so grouping characters by height
alone breaks every row in pieces. The skew is measured where it shows plainest, between
neighbouring letters of a word (their boxes share a baseline, so their middles climb by the
tangent of the angle), and the whole page is turned back by it. An upright page measures 0 and
is left exactly as it was.
"""

from __future__ import annotations

import math
import statistics

from mailroom.parsers.pdf_grid import Char

# Fewer neighbouring pairs than this say nothing reliable about a page's angle.
MIN_PAIRS = 12
# Slopes below this (about 0.1°) are upright; above MAX_SLOPE (about 3.4°) the page is turned
# on purpose (a stamp, a label set at an angle) and not read as a skewed page.
MIN_SLOPE = 0.002
MAX_SLOPE = 0.06
# The share of pairs whose slope must agree with the page's, within SLOPE_SPREAD.
AGREEING = 0.5
SLOPE_SPREAD = 0.004


def page_slope(chars: list[Char]) -> float:
    """The tangent of the angle the page's text is turned by (counter-clockwise positive), or 0.

    Args:
        chars: the page's characters in the order of its text (a word's letters neighbours).
    """
    slopes = []
    for one, two in zip(chars, chars[1:], strict=False):
        if two[6] != one[6] + 1:
            continue  # a space or a line break between them: not one word's letters
        height = one[3] - one[2]
        step = two[0] - one[0]
        if height <= 0 or abs((two[3] - two[2]) - height) > 0.2 * height:
            continue  # another size of type: not the same baseline's box
        if not 0.2 * height < step < 1.5 * height:
            continue
        slopes.append(((two[2] + two[3]) - (one[2] + one[3])) / 2 / step)
    if len(slopes) < MIN_PAIRS:
        return 0.0
    slope = statistics.median(slopes)
    if not MIN_SLOPE <= abs(slope) <= MAX_SLOPE:
        return 0.0
    agreeing = sum(abs(value - slope) <= SLOPE_SPREAD for value in slopes)
    return slope if agreeing >= AGREEING * len(slopes) else 0.0


def upright(chars: list[Char], slope: float) -> list[Char]:
    """The characters turned back by the angle whose tangent is `slope`, about the origin.

    Each box is moved by its middle; its size is what the glyph's own box was before the turn
    widened it (a turned box's bounds are wider and taller by the other side times the sine).
    """
    angle = math.atan(slope)
    cos, sin = math.cos(angle), math.sin(angle)
    shrink = 1 - sin * sin
    out: list[Char] = []
    for left, right, bottom, top, text, space, index in chars:
        x, y = (left + right) / 2, (bottom + top) / 2
        width, height = right - left, top - bottom
        half_w = max((width - height * abs(sin)) / shrink, width * 0.5) / 2
        half_h = max((height - width * abs(sin)) / shrink, height * 0.5) / 2
        mx, my = x * cos + y * sin, y * cos - x * sin
        out.append((mx - half_w, mx + half_w, my - half_h, my + half_h, text, space, index))
    return out
