"""Reading a chart's SVG as Graphviz wrote it: boxes, their text and where they are.

Coordinates stay Graphviz's own (points; y grows downwards, the whole drawing
shifted by one ``translate``), so comparisons between boxes need no transform.
Text extents are estimated with :func:`orgdiff.render.text_width`, a
conservative width for DejaVu Sans and the other common sans-serif fonts; a line
reaches from ``0.95 em`` above its baseline to ``0.25 em`` below.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field

from orgdiff.render import text_width

NS = "{http://www.w3.org/2000/svg}"
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e-?\d+)?")


@dataclass(frozen=True)
class Rect:
    left: float
    top: float
    right: float
    bottom: float

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2

    def contains(self, other: Rect, slack: float = 0.01) -> bool:
        return (
            self.left - slack <= other.left
            and other.right <= self.right + slack
            and self.top - slack <= other.top
            and other.bottom <= self.bottom + slack
        )

    def overlaps(self, other: Rect) -> bool:
        return (
            self.left < other.right
            and other.left < self.right
            and self.top < other.bottom
            and other.top < self.bottom
        )


@dataclass
class Text:
    content: str
    rect: Rect


@dataclass
class Box:
    """A node or a cluster Graphviz drew."""

    id: str
    classes: frozenset[str]
    kind: str  # "node" or "cluster"
    rect: Rect
    texts: list[Text] = field(default_factory=list)
    dashed: bool = False
    stroke: str | None = None

    @property
    def lines(self) -> list[str]:
        return [t.content for t in self.texts]


@dataclass
class Chart:
    width: float  # pt, as the <svg> element says
    height: float
    page: Rect  # the background: everything drawn must lie inside
    boxes: dict[str, Box]  # by SVG id
    edges: list[tuple[frozenset[str], str, bool]]  # classes, stroke colour, dashed
    texts: list[Text]  # every text in the drawing, the title among them

    def by_class(self, name: str) -> list[Box]:
        return [b for b in self.boxes.values() if name in b.classes]

    @property
    def drawn(self) -> list[Box]:
        """Boxes a reader sees: units, people, summaries."""
        return [b for b in self.boxes.values() if b.classes & {"unit", "person", "summary"}]


def _rect(points: list[tuple[float, float]]) -> Rect:
    xs = [x for x, _ in points]
    ys = [y for _, y in points]
    return Rect(min(xs), min(ys), max(xs), max(ys))


def _shape_points(g: ET.Element) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for el in g.iter():
        if el.tag == f"{NS}polygon":
            nums = [float(n) for n in _NUMBER.findall(el.get("points", ""))]
        elif el.tag == f"{NS}path":
            nums = [float(n) for n in _NUMBER.findall(el.get("d", ""))]
        elif el.tag == f"{NS}ellipse":
            cx, cy = float(el.get("cx", 0)), float(el.get("cy", 0))
            rx, ry = float(el.get("rx", 0)), float(el.get("ry", 0))
            nums = [cx - rx, cy - ry, cx + rx, cy + ry]
        else:
            continue
        out.extend(zip(nums[::2], nums[1::2], strict=False))
    return out


def _text(el: ET.Element) -> Text:
    content = "".join(el.itertext())
    size = float(el.get("font-size", "14"))
    x, y = float(el.get("x", 0)), float(el.get("y", 0))
    w = text_width(content.strip(), size)
    anchor = el.get("text-anchor", "start")
    left = x - w / 2 if anchor == "middle" else x - w if anchor == "end" else x
    return Text(content, Rect(left, y - 0.95 * size, left + w, y + 0.25 * size))


def _shape_style(g: ET.Element) -> tuple[bool, str | None]:
    for el in g.iter():
        if el.tag in (f"{NS}polygon", f"{NS}path", f"{NS}ellipse"):
            return bool(el.get("stroke-dasharray")), el.get("stroke")
    return False, None


def parse(svg: str) -> Chart:
    root = ET.fromstring(svg)
    width = float(root.get("width", "0pt").removesuffix("pt"))
    height = float(root.get("height", "0pt").removesuffix("pt"))
    graph = root.find(f"{NS}g")
    assert graph is not None
    background = graph.find(f"{NS}polygon")
    assert background is not None
    page = _rect(_shape_points(background))
    boxes: dict[str, Box] = {}
    edges: list[tuple[frozenset[str], str, bool]] = []
    texts: list[Text] = []
    for g in graph.iter(f"{NS}g"):
        classes = (g.get("class") or "").split()
        if not classes or classes[0] not in ("node", "cluster", "edge"):
            continue
        own_texts = [_text(t) for t in g.iter(f"{NS}text") if "".join(t.itertext()).strip()]
        texts.extend(own_texts)
        if classes[0] == "edge":
            dashed, stroke = _shape_style(g)
            edges.append((frozenset(classes[1:]), stroke or "", dashed))
            continue
        points = _shape_points(g)
        if not points:
            continue
        dashed, stroke = _shape_style(g)
        box_id = g.get("id", "")
        boxes[box_id] = Box(
            box_id,
            frozenset(classes[1:]),
            classes[0],
            _rect(points),
            own_texts,
            dashed,
            stroke,
        )
    for t in graph.findall(f"{NS}text"):  # the title and the graph's own labels
        texts.append(_text(t))
    return Chart(width, height, page, boxes, edges, texts)


def overlapping(boxes: list[Box]) -> Iterator[tuple[Box, Box]]:
    """Pairs of boxes that overlap, neither holding the other (a sweep along x)."""
    order = sorted(boxes, key=lambda b: b.rect.left)
    active: list[Box] = []
    for box in order:
        active = [a for a in active if a.rect.right > box.rect.left]
        for other in active:
            if not box.rect.overlaps(other.rect):
                continue
            nested = box.kind == "cluster" or other.kind == "cluster"
            if nested and (box.rect.contains(other.rect) or other.rect.contains(box.rect)):
                continue
            yield other, box
        active.append(box)
