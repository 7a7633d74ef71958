"""Ruled tables read from a PDF page's own drawing: rules from its paths, cells from its text.

A purchase order's item table is usually a grid of thin lines. When the grid is complete (every
rule crosses the whole table) and every row holds one line of text, its cells are plain to see,
and pdfplumber's layout analysis (40-250 ms a page) would add nothing. Anything less plain (a
cell whose text wraps, merged cells, rules inside a form, a compound or curved path) makes
`page_grids` or `read_grid` answer None, and the caller leaves the page to pdfplumber.
Positions follow pdfplumber's rules so both read a grid alike: rectangles count as four rules,
rules closer than 3 points are one, and a character belongs to the cell holding its centre.
"""

from __future__ import annotations

import bisect
import ctypes
import itertools
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

# left, right, bottom, top, text, whitespace just before, index in the page's text
Char = tuple[float, float, float, float, str, int, int]
# The whitespace before a character: none (0), one pdfium inferred from a gap, one in the PDF.
SPACE_INFERRED = 1
SPACE_WRITTEN = 2

# A path at most this thick (points) is a rule.
RULE_WIDTH = 2.0
# pdfplumber's snap and join tolerances: rules this close meet, positions this close are one.
TOLERANCE = 3.0
# More rules than this is a form or a drawing, not an item table; pairing them all costs.
MAX_EDGES = 400


@dataclass(frozen=True)
class Edge:
    """A horizontal or vertical rule: where it lies (`at`) and the span it covers."""

    horizontal: bool
    at: float
    start: float
    end: float


@dataclass(frozen=True)
class Grid:
    """A complete ruled table: column boundaries left to right, row boundaries top to bottom."""

    xs: list[float]
    ys: list[float]


def page_grids(page: pdfium.PdfPage) -> list[Grid] | None:
    """The complete grids drawn on a page, top to bottom.

    Returns:
        The grids (none when no rules meet), or None when the drawing has rules that meet but
        make no complete grid, or paths this reader does not model: pdfplumber must decide.
    """
    edges = _page_edges(page)
    if edges is None or len(edges) > MAX_EDGES:
        return None
    grids = []
    for component in _components(_joined(edges)):
        across = [edge for edge in component if edge.horizontal]
        down = [edge for edge in component if not edge.horizontal]
        if not across or not down:
            continue  # a rule that meets no other makes no cell
        grid = _complete(across, down)
        if grid is None:
            return None
        grids.append(grid)
    return sorted(grids, key=lambda grid: -grid.ys[0])


def read_grid(grid: Grid, lines: list[list[Char]]) -> list[list[list[Char]]] | None:
    """The characters of each cell of a grid, row by row (rows without text left out).

    Args:
        grid: a complete grid of the page.
        lines: the page's text lines, each a list of characters.

    Returns:
        Rows of cells, or None when a row holds more than one line of text (a wrapped cell).
    """
    left, right, bottom, top = grid.xs[0], grid.xs[-1], grid.ys[-1], grid.ys[0]
    downward = [-y for y in grid.ys]  # row boundaries in ascending order, for bisect
    rows: dict[int, list[list[Char]]] = {}
    for line in lines:
        inside = [c for c in line if left < _x(c) < right and bottom < _y(c) < top]
        if not inside:
            continue
        middles = [_y(char) for char in inside]
        slot = bisect.bisect_right(downward, -max(middles))
        if slot != bisect.bisect_right(downward, -min(middles)) or slot in rows:
            return None  # one line over two rows, or two lines in one row
        cells: list[list[Char]] = [[] for _ in grid.xs[1:]]
        for char in inside:
            cells[bisect.bisect_right(grid.xs, _x(char)) - 1].append(char)
        rows[slot] = cells
    return [rows[slot] for slot in sorted(rows)]


def _x(char: Char) -> float:
    return (char[0] + char[1]) / 2


def _y(char: Char) -> float:
    return (char[2] + char[3]) / 2


def _page_edges(page: pdfium.PdfPage) -> list[Edge] | None:
    """Rules and rectangle sides on the page; None when a path is anything else."""
    edges: list[Edge] = []
    for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=2):
        left, bottom, right, top = obj.get_bounds()
        wide, tall = right - left > RULE_WIDTH, top - bottom > RULE_WIDTH
        if obj.level > 0 and (wide or tall):
            return None  # inside a form its own matrix applies: leave it to pdfplumber
        if wide and not tall:
            edges.append(Edge(True, (bottom + top) / 2, left, right))
        elif tall and not wide:
            edges.append(Edge(False, (left + right) / 2, bottom, top))
        elif wide and tall:
            if not _is_rectangle(obj):
                return None
            edges += [Edge(True, y, left, right) for y in (bottom, top)]
            edges += [Edge(False, x, bottom, top) for x in (left, right)]
    return edges


def _is_rectangle(obj: pdfium.PdfObject) -> bool:
    """Whether a path is one upright rectangle (a move and three or four straight lines)."""
    count = pdfium_c.FPDFPath_CountSegments(obj.raw)
    if not 4 <= count <= 5:
        return False
    matrix = obj.get_matrix()
    if abs(matrix.b) > 1e-6 or abs(matrix.c) > 1e-6:
        return False
    x, y = ctypes.c_float(), ctypes.c_float()
    points = []
    for index in range(count):
        segment = pdfium_c.FPDFPath_GetPathSegment(obj.raw, index)
        kind = pdfium_c.FPDFPathSegment_GetType(segment)
        if kind != (pdfium_c.FPDF_SEGMENT_MOVETO if index == 0 else pdfium_c.FPDF_SEGMENT_LINETO):
            return False
        pdfium_c.FPDFPathSegment_GetPoint(segment, ctypes.byref(x), ctypes.byref(y))
        points.append((x.value, y.value))
    points.append(points[0])
    return all(
        abs(a[0] - b[0]) < 0.01 or abs(a[1] - b[1]) < 0.01 for a, b in itertools.pairwise(points)
    )


def _joined(edges: list[Edge]) -> list[Edge]:
    """Edges on one line that touch or overlap become one (rules drawn cell by cell)."""
    out: list[Edge] = []
    for horizontal in (True, False):
        lines: list[list[Edge]] = []
        for edge in sorted((e for e in edges if e.horizontal == horizontal), key=lambda e: e.at):
            if lines and edge.at - lines[-1][0].at <= TOLERANCE:
                lines[-1].append(edge)
            else:
                lines.append([edge])
        for line in lines:
            out += _merged(line)
    return out


def _merged(line: list[Edge]) -> list[Edge]:
    """The spans of edges on one line, overlapping or touching ones made one."""
    out: list[Edge] = []
    for edge in sorted(line, key=lambda e: e.start):
        if out and edge.start <= out[-1].end + TOLERANCE:
            last = out[-1]
            out[-1] = Edge(last.horizontal, last.at, last.start, max(last.end, edge.end))
        else:
            out.append(edge)
    return out


def _meet(a: Edge, b: Edge) -> bool:
    if a.horizontal == b.horizontal:
        return False
    return (
        b.start - TOLERANCE <= a.at <= b.end + TOLERANCE
        and a.start - TOLERANCE <= b.at <= a.end + TOLERANCE
    )


def _components(edges: list[Edge]) -> list[list[Edge]]:
    """Groups of edges that meet, directly or through others."""
    parent = list(range(len(edges)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, a in enumerate(edges):
        for j in range(i + 1, len(edges)):
            if _meet(a, edges[j]):
                parent[root(i)] = root(j)
    groups: dict[int, list[Edge]] = {}
    for i, edge in enumerate(edges):
        groups.setdefault(root(i), []).append(edge)
    return list(groups.values())


def _complete(across: list[Edge], down: list[Edge]) -> Grid | None:
    """The grid the rules make when each one crosses the whole table; else None."""
    xs = _positions([edge.at for edge in down])
    ys = _positions([edge.at for edge in across])[::-1]
    if len(xs) < 2 or len(ys) < 2:
        return None
    for edges, low, high in ((across, xs[0], xs[-1]), (down, ys[-1], ys[0])):
        if any(e.start > low + TOLERANCE or e.end < high - TOLERANCE for e in edges):
            return None
    return Grid(xs, ys)


def _positions(values: list[float]) -> list[float]:
    """Sorted positions, those within the tolerance of the previous one merged."""
    out: list[float] = []
    for value in sorted(values):
        if out and value - out[-1] <= TOLERANCE:
            continue
        out.append(value)
    return out
