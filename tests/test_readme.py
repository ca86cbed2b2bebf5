"""The README's promises: its two commands, and charts that still match the data."""

from __future__ import annotations

import html
import re
from pathlib import Path

import orgdiff
from orgdiff.render import render

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def svg_texts(svg: str) -> list[str]:
    return sorted(html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg))


def dot_texts(dot_source: str) -> list[str]:
    """The text lines of every label in a DOT source, as Graphviz will draw them."""
    out = []
    for quoted, bare in re.findall(
        r'(?:label|xlabel)=(?:"((?:[^"\\]|\\.)*)"|([^\s"\]]+))', dot_source
    ):
        raw = quoted or bare
        for line in raw.split("\\n"):
            # Graphviz reads character references in labels (render.py writes & as &amp;).
            text = html.unescape(line.replace('\\"', '"').replace("\\\\", "\\"))
            if text:
                out.append(text)
    return sorted(out)


def test_quickstart_has_exactly_the_two_commands() -> None:
    """The quickstart block holds the main job and the test command, nothing else."""
    block = README.split("## Quickstart", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    commands = [line.split("#", 1)[0].strip() for line in block.strip().splitlines()]
    assert ["uv run orgdiff render 2025-09", "uv run pytest"] == commands


def test_readme_charts_match_the_data() -> None:
    """The committed README charts draw exactly the labels the data gives today."""
    tl = orgdiff.load(ROOT / "orgs" / "meta-ai")
    snap = tl.at("2025-09")
    chart = render(snap, title=f"{tl.name}, {snap.date.isoformat()}: {snap.event}")
    committed = (ROOT / "docs" / "images" / "meta-ai-2025-09.svg").read_text(encoding="utf-8")
    assert dot_texts(chart.source) == svg_texts(committed)

    d = tl.diff("2025-06", "2025-09")
    title = f"{tl.name}, {d.date_before} → {d.date_after}: {d.after.event}"
    chart = render(d, units_only=True, title=title)
    committed = (ROOT / "docs" / "images" / "meta-ai-2025-06-2025-09.svg").read_text(
        encoding="utf-8"
    )
    assert dot_texts(chart.source) == svg_texts(committed)
