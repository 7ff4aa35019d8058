"""The report as a list of sections of blocks, rendered to one self-contained HTML page and to
Markdown.

The HTML embeds its figures as base64 PNG and its style in a ``<style>`` element: it loads
nothing when opened (links to the figures' sources are plain anchors).
"""

from __future__ import annotations

import base64
import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final

from tokendemand.report.figures import ReportFigure
from tokendemand.report.tables import Table

__all__ = [
    "Block",
    "Bullets",
    "Callout",
    "FigureBlock",
    "Paragraph",
    "Section",
    "TableBlock",
    "to_html",
    "to_markdown",
]


@dataclass(frozen=True)
class Paragraph:
    """Plain text."""

    text: str


@dataclass(frozen=True)
class Bullets:
    """A list of sentences."""

    items: tuple[str, ...]


@dataclass(frozen=True)
class Callout:
    """A highlighted note: ``kind`` is ``"warning"`` or ``"note"``."""

    kind: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class TableBlock:
    """A table, with the path of its CSV file."""

    table: Table


@dataclass(frozen=True)
class FigureBlock:
    """A figure, with the paths of its PNG and SVG files."""

    figure: ReportFigure


Block = Paragraph | Bullets | Callout | TableBlock | FigureBlock


@dataclass(frozen=True)
class Section:
    """A titled part of the report."""

    title: str
    anchor: str
    blocks: tuple[Block, ...] = field(default=())


_CSS: Final = """
body { font-family: "Helvetica Neue", Arial, "Noto Sans", sans-serif; color: #222;
  max-width: 1100px; margin: 2em auto; padding: 0 1.5em; line-height: 1.45; font-size: 15px; }
h1 { font-size: 1.7em; margin-bottom: 0.2em; }
h2 { font-size: 1.3em; border-bottom: 1px solid #ccc; padding-bottom: 0.2em; margin-top: 2em; }
h3 { font-size: 1.05em; margin-top: 1.4em; }
.meta { color: #666; font-size: 0.9em; }
table { border-collapse: collapse; margin: 0.6em 0 1em; font-size: 0.82em; }
th, td { border-bottom: 1px solid #e2e2e2; padding: 3px 8px; text-align: left;
  vertical-align: top; white-space: nowrap; }
th, td.text, td.url { white-space: normal; }
td.text { min-width: 16em; }
th { background: #f3f3f3; }
tr:nth-child(even) td { background: #fafafa; }
td.url { max-width: 18em; overflow-wrap: anywhere; }
figure { margin: 1.2em 0 2em; }
figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { font-size: 0.85em; color: #444; margin-top: 0.4em; }
.caption { font-size: 0.85em; color: #444; }
.callout { padding: 0.6em 1em; margin: 1em 0; border-left: 4px solid; }
.callout.warning { background: #fff4e5; border-color: #E69F00; }
.callout.note { background: #eef5fb; border-color: #0072B2; }
.callout ul { margin: 0.2em 0; padding-left: 1.2em; }
nav ol { columns: 2; font-size: 0.9em; }
@media print { body { max-width: none; font-size: 11pt; } h2 { break-before: auto; }
  figure { break-inside: avoid; } }
"""


_LONG: Final = 32
"""Cells longer than this may wrap; shorter ones (numbers, dates) stay on one line."""


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _link(url: str) -> str:
    parts = [u.strip() for u in url.split(" ; ") if u.strip()]
    return "<br>".join(
        f'<a href="{_esc(u)}">{_esc(u)}</a>' if u.startswith(("http://", "https://")) else _esc(u)
        for u in parts
    )


def _html_table(table: Table) -> str:
    frame = table.shown
    head = "".join(f"<th>{_esc(str(c))}</th>" for c in frame.columns)
    rows = []
    for values in frame.itertuples(index=False):
        cells = []
        for column, value in zip(frame.columns, values, strict=True):
            text = "" if value is None else str(value)
            if column in table.links:
                cells.append(f'<td class="url">{_link(text)}</td>')
            elif len(text) > _LONG:
                cells.append(f'<td class="text">{_esc(text)}</td>')
            else:
                cells.append(f"<td>{_esc(text)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f'<h3>{_esc(table.title)}</h3>\n<p class="caption">{_esc(table.caption)} '
        f"(<code>tables/{_esc(table.name)}.csv</code>)</p>\n"
        f"<table><thead><tr>{head}</tr></thead><tbody>\n" + "\n".join(rows) + "\n</tbody></table>"
    )


def _html_block(block: Block) -> str:
    if isinstance(block, Paragraph):
        return f"<p>{_esc(block.text)}</p>"
    if isinstance(block, Bullets):
        return "<ul>" + "".join(f"<li>{_esc(i)}</li>" for i in block.items) + "</ul>"
    if isinstance(block, Callout):
        items = "".join(f"<li>{_esc(i)}</li>" for i in block.items)
        return f'<div class="callout {_esc(block.kind)}"><ul>{items}</ul></div>'
    if isinstance(block, TableBlock):
        return _html_table(block.table)
    figure = block.figure
    data = base64.b64encode(figure.png).decode("ascii")
    return (
        f'<figure id="fig-{_esc(figure.name)}"><h3>{_esc(figure.title)}</h3>'
        f'<img alt="{_esc(figure.title)}" style="width: {figure.width:g}in" '
        f'src="data:image/png;base64,{data}">'
        f"<figcaption>{_esc(figure.caption)} (<code>figures/{_esc(figure.name)}.png</code>, "
        f"<code>.svg</code>)</figcaption></figure>"
    )


def to_html(title: str, meta: str, sections: Sequence[Section]) -> str:
    """One self-contained HTML page."""
    nav = "".join(f'<li><a href="#{_esc(s.anchor)}">{_esc(s.title)}</a></li>' for s in sections)
    body = []
    for section in sections:
        body.append(f'<h2 id="{_esc(section.anchor)}">{_esc(section.title)}</h2>')
        body.extend(_html_block(b) for b in section.blocks)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{_esc(title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        f'<h1>{_esc(title)}</h1>\n<p class="meta">{_esc(meta)}</p>\n'
        f"<nav><ol>{nav}</ol></nav>\n" + "\n".join(body) + "\n</body>\n</html>\n"
    )


def _md_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return text.replace("|", "\\|").replace("\n", " ")


def _md_table(table: Table) -> str:
    frame = table.shown
    lines = [
        f"### {table.title}",
        "",
        f"{table.caption} (`tables/{table.name}.csv`)",
        "",
        "| " + " | ".join(_md_cell(c) for c in frame.columns) + " |",
        "|" + "|".join("---" for _ in frame.columns) + "|",
    ]
    for values in frame.itertuples(index=False):
        lines.append("| " + " | ".join(_md_cell(v) for v in values) + " |")
    return "\n".join(lines)


def _md_block(block: Block) -> str:
    if isinstance(block, Paragraph):
        return block.text
    if isinstance(block, Bullets):
        return "\n".join(f"- {i}" for i in block.items)
    if isinstance(block, Callout):
        label = "Warning" if block.kind == "warning" else "Note"
        return "\n".join(f"> **{label}:** {i}" for i in block.items)
    if isinstance(block, TableBlock):
        return _md_table(block.table)
    figure = block.figure
    return (
        f"### {figure.title}\n\n![{figure.title}](figures/{figure.name}.png)\n\n"
        f"{figure.caption} (`figures/{figure.name}.png`, `figures/{figure.name}.svg`)"
    )


def to_markdown(title: str, meta: str, sections: Sequence[Section]) -> str:
    """The same report in Markdown; figures referenced from ``figures/``."""
    parts = [f"# {title}", "", meta]
    for section in sections:
        parts += ["", f"## {section.title}"]
        for block in section.blocks:
            parts += ["", _md_block(block)]
    return "\n".join(parts) + "\n"
