"""Plain geometry records of a laid-out page (lines, ruled-table cells and regions, pages) and
a page's chars indexed by position: what every extraction step reads, built on nothing else."""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .ocr import OcrPage

BBox = tuple[float, float, float, float]  # x0, top, x1, bottom


def middle(a: float, b: float) -> float:
    """The point halfway between two edges (a char's or line's centre)."""
    return (a + b) / 2


@dataclass
class Line:
    """One visual line of text (a segment of a row; panels are separate lines)."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    heavy: bool
    page: int  # PDF page index from 1
    col_left: float = 0.0
    col_right: float = 0.0
    column: str = "single"  # single | left | right | cell

    @property
    def bbox(self) -> BBox:
        return (self.x0, self.top, self.x1, self.bottom)


@dataclass
class Cell:
    bbox: BBox
    lines: list[Line]
    tables: list["TableRegion"] = field(default_factory=list)  # tables nested in the cell
    parts: list[tuple[int, BBox]] = field(default_factory=list)
    """(page, box) of each piece a page or panel break cut the cell into, in reading order;
    empty for a cell printed in one piece."""

    @property
    def top(self) -> float:
        return self.bbox[1]

    @property
    def bottom(self) -> float:
        return self.bbox[3]

    @property
    def text(self) -> str:
        return "\n".join(ln.text for ln in self.lines)

    def place(self, page: int, x: float, y: float) -> tuple[int, int, float]:
        """Reading-order key of what starts at (x, y) on `page` in this cell: page, then the
        piece it stands in (a panel break puts the later piece beside, and above, the earlier
        one), then height."""
        piece = next((i for i, (pg, (x0, top, x1, bottom)) in enumerate(self.parts)
                      if pg == page and x0 - 1 <= x <= x1 + 1 and top - 1 <= y <= bottom + 1), 0)
        return page, piece, y

    def then(self, other: "Cell") -> "Cell":
        """This cell with `other`, its piece after a page or panel break, appended."""
        return Cell(bbox=self.bbox, lines=self.lines + other.lines, tables=self.tables + other.tables,
                    parts=self._pieces() + other._pieces())

    def _pieces(self) -> list[tuple[int, BBox]]:
        if self.parts:
            return self.parts
        page = next((x.page for x in [*self.lines, *self.tables]), None)
        return [] if page is None else [(page, self.bbox)]


@dataclass
class TableRegion:
    """A ruled table on one page; `rows` hold None where a merged cell continues."""

    page: int
    bbox: BBox
    rows: list[list[Cell | None]]
    column: str = "single"
    continues: bool = False  # rows of a KPI grid whose header stands before a page or panel break

    @property
    def top(self) -> float:
        return self.bbox[1]

    @property
    def x0(self) -> float:
        return self.bbox[0]

    @property
    def bottom(self) -> float:
        return self.bbox[3]

    @property
    def x1(self) -> float:
        return self.bbox[2]

    def col_edges(self) -> list[float]:
        xs = sorted({round(c.bbox[0]) for r in self.rows for c in r if c} | {round(self.bbox[2])})
        return xs


@dataclass
class PageLayout:
    index: int  # from 1
    width: float
    height: float
    items: list[Line | TableRegion] = field(default_factory=list)
    margin_lines: list[Line] = field(default_factory=list)
    images: list[BBox] = field(default_factory=list)
    printed: int | None = None
    running: list[str] = field(default_factory=list)  # running header/footer texts
    gutter: tuple[float, float] | None = None  # the page's own; after order_pages, the one it is read with
    char_count: int = 0
    ocr: "OcrPage | None" = None  # what OCR read, when the page has no text layer
    text: str = ""  # all text of the page, for garbled-text checks


class CharIndex:
    """A page's chars by their centres, top to bottom, so that "the chars in this box" is a
    binary search and a short scan rather than a pass over the whole page."""

    def __init__(self, chars: list[dict]):
        self._items = sorted((((c["top"] + c["bottom"]) / 2, (c["x0"] + c["x1"]) / 2, c) for c in chars),
                             key=lambda t: t[0])
        self._mids = [m for m, _, _ in self._items]

    def within(self, bbox: BBox, pad: float = 0.0) -> list[dict]:
        """Chars whose centre lies in `bbox` grown by `pad` (edges included), top to bottom."""
        x0, top, x1, bottom = bbox
        lo, hi = bisect_left(self._mids, top - pad), bisect_right(self._mids, bottom + pad)
        return [c for _, cx, c in self._items[lo:hi] if x0 - pad <= cx <= x1 + pad]
