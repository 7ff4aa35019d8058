"""Docstrings as Markdown: the reStructuredText habits of this package, rewritten for mkdocstrings.

The package's docstrings are numpydoc with a few reStructuredText constructs that Markdown does
not know. :func:`to_markdown` rewrites them before griffe parses a docstring (through the griffe
extension :class:`RstToMarkdown`, listed under ``extensions`` in ``mkdocs.yml``) and for the
``<!-- docstring: ... -->`` markers of :mod:`hooks`:

- roles (``:func:`~tokendemand.structure.evaluate```, ``:class:`Scenario```, ``:meth:`text
  <target>```) become optional cross-references: a link where the target is documented, plain
  code otherwise (no warning, so ``mkdocs build --strict`` passes);
- simple tables (``=====  =====`` borders) become Markdown tables;
- ``text::`` before a literal block becomes ``text:`` (the indented block is already Markdown
  code);
- doctest blocks outside an ``Examples`` section are fenced (``>>>`` would be a blockquote);
- section titles underlined with dashes that numpydoc does not know become bold paragraphs
  (not page headings).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

try:  # griffe is there when mkdocstrings runs; hooks.py uses only the functions
    import griffe

    _Extension: Any = griffe.Extension
except ImportError:  # pragma: no cover
    griffe = None
    _Extension = object

__all__ = ["RstToMarkdown", "to_markdown"]

NUMPY_SECTIONS = {
    "parameters",
    "other parameters",
    "returns",
    "yields",
    "receives",
    "raises",
    "warns",
    "warnings",
    "see also",
    "notes",
    "references",
    "examples",
    "attributes",
    "methods",
    "functions",
    "classes",
    "modules",
}

_ROLE = re.compile(r":(?:py:)?(?:func|class|meth|mod|data|attr|obj|exc|const|ref):`([^`]+)`")
_BORDER = re.compile(r"^(\s*)(=+)((?: +=+)+)\s*$")


def _role(resolve: Callable[[str], str]) -> Callable[[re.Match[str]], str]:
    def replace(match: re.Match[str]) -> str:
        content = match.group(1).strip()
        explicit = re.fullmatch(r"(.+?)\s*<([^>]+)>", content)
        if explicit:
            title, target = explicit.group(1), explicit.group(2)
        else:
            target = content
            title = content.lstrip("~.")
            if content.startswith("~"):
                title = title.rsplit(".", 1)[-1]
        target = re.sub(r"\.\s+", ".", target.lstrip("~"))
        title = re.sub(r"\.\s+", ".", title)
        identifier = resolve(target)
        return (
            f'<autoref identifier="{html.escape(identifier)}" optional>'
            f"<code>{html.escape(title)}</code></autoref>"
        )

    return replace


def _columns(border: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"=+", border)]


def _cells(line: str, spans: list[tuple[int, int]]) -> list[str]:
    cells = []
    for i, (start, _) in enumerate(spans):
        end = spans[i + 1][0] if i + 1 < len(spans) else len(line)
        cells.append(line[start:end].strip() if len(line) > start else "")
    return cells


def _markdown_row(cells: list[str]) -> str:
    return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"


def _tables(lines: list[str]) -> list[str]:
    """Rewrite every simple table (``====  ====`` borders) as a Markdown table."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        match = _BORDER.match(lines[i])
        if not match:
            out.append(lines[i])
            i += 1
            continue
        indent = match.group(1)
        spans = _columns(lines[i])
        borders = [i]
        j = i + 1
        while j < len(lines) and len(borders) < 3:
            if _BORDER.match(lines[j]):
                borders.append(j)
                # a header border is followed by more rows; a closing border is not
                following = lines[j + 1] if j + 1 < len(lines) else ""
                if len(borders) == 2 and (not following.strip() or _BORDER.match(following)):
                    break
            elif not lines[j].strip():
                break
            j += 1
        if len(borders) < 2:
            out.append(lines[i])
            i += 1
            continue
        rows: list[list[str]] = []
        header: list[str] | None = None
        body_start = borders[0] + 1
        if len(borders) == 3:
            header = [
                " ".join(c)
                for c in zip(
                    *(_cells(lines[k], spans) for k in range(borders[0] + 1, borders[1])),
                    strict=True,
                )
            ]
            header = [h.strip() for h in header]
            body_start = borders[1] + 1
        for k in range(body_start, borders[-1]):
            cells = _cells(lines[k], spans)
            if rows and not cells[0]:  # continuation of the previous row
                rows[-1] = [f"{a} {b}".strip() for a, b in zip(rows[-1], cells, strict=True)]
            else:
                rows.append(cells)
        head = header if header is not None else [" "] * len(spans)
        if out and out[-1].strip():
            out.append("")
        out.append(indent + _markdown_row(head))
        out.append(indent + "|" + "|".join("---" for _ in spans) + "|")
        out.extend(indent + _markdown_row(row) for row in rows)
        out.append("")
        i = borders[-1] + 1
    return out


def _is_underline(line: str) -> bool:
    return bool(re.fullmatch(r"\s*-{3,}\s*", line))


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _headings_and_doctests(lines: list[str]) -> list[str]:
    """Bold unknown section titles; fence doctest blocks outside an Examples section; turn
    definition lists outside numpydoc sections into Markdown ones (``def_list``)."""
    out: list[str] = []
    in_examples = False
    in_numpy_section = False
    literal_indent = -1  # indentation of the paragraph that opened a literal block ("::")
    i = 0
    while i < len(lines):
        line = lines[i]
        following = lines[i + 1] if i + 1 < len(lines) else ""
        if literal_indent >= 0:
            if not line.strip() or _indent(line) > literal_indent:
                out.append(line)
                i += 1
                continue
            literal_indent = -1
        if line.rstrip().endswith("::"):
            literal_indent = _indent(line)
            out.append(line)
            i += 1
            continue
        if line.strip() and _is_underline(following) and not _BORDER.match(line):
            title = line.strip()
            in_examples = title.lower() == "examples"
            in_numpy_section = title.lower() in NUMPY_SECTIONS
            if in_numpy_section:
                out.extend([line, following])
            else:
                out.extend([f"{line[: _indent(line)]}**{title}**", ""])
            i += 2
            continue
        previous = out[-1] if out else ""
        if (
            not in_numpy_section
            and line.strip()
            and not previous.strip()
            and following.strip()
            and _indent(following) > _indent(line)
            and not line.rstrip().endswith(":")
            and not re.match(r"\s*([-*|>]|\d+\.)", line)
        ):
            # "term\n    definition" (an RST definition list) -> "term\n:   definition"
            base = _indent(line)
            out.append(line)
            i += 1
            first = True
            while i < len(lines) and lines[i].strip() and _indent(lines[i]) > base:
                text = lines[i].strip()
                out.append(f"{' ' * base}:   {text}" if first else f"{' ' * (base + 4)}{text}")
                first = False
                i += 1
            if i < len(lines) and lines[i].strip():
                out.append("")  # a blank line between items keeps Markdown from nesting them
            continue
        if not in_examples and line.lstrip().startswith(">>>"):
            indent = line[: len(line) - len(line.lstrip())]
            block = []
            while i < len(lines) and lines[i].strip():
                block.append(lines[i][len(indent) :] if lines[i].startswith(indent) else lines[i])
                i += 1
            if out and out[-1].strip():
                out.append("")
            out.extend([f"{indent}```pycon", *(indent + b for b in block), f"{indent}```", ""])
            continue
        out.append(line)
        i += 1
    return out


def _literal_markers(lines: list[str]) -> list[str]:
    out = []
    for line in lines:
        stripped = line.rstrip()
        if stripped.endswith("::") and not stripped.endswith(":::"):
            if stripped.strip() == "::":
                out.append("")
                continue
            line = stripped[:-2].rstrip() + ":"
        out.append(line)
    return out


def to_markdown(text: str, resolve: Callable[[str], str] | None = None) -> str:
    """The docstring ``text`` with its reStructuredText constructs rewritten as Markdown.

    ``resolve`` maps a role's target (as written) to a full identifier; by default the target
    is kept as it is.
    """
    resolver = resolve if resolve is not None else (lambda name: name)
    lines = text.splitlines()
    lines = _tables(lines)
    lines = _headings_and_doctests(lines)
    lines = _literal_markers(lines)
    return _ROLE.sub(_role(resolver), "\n".join(lines))


def _resolver(obj: Any) -> Callable[[str], str]:
    """Full identifiers of role targets, looked up in the scope of the documented object."""
    package = obj.path.split(".", 1)[0]
    module = obj.module.path if hasattr(obj, "module") else obj.path

    def resolve(target: str) -> str:
        if target.startswith("."):  # relative to the module's package
            parent = module if obj.is_init_module else module.rsplit(".", 1)[0]
            return canonical(parent + target)
        if target.startswith(package + ".") or target == package:
            return canonical(target)
        head, _, rest = target.partition(".")
        try:
            found = obj.resolve(head)
        except Exception:
            try:
                found = obj.module.resolve(head)
            except Exception:
                return target
        return canonical(f"{found}.{rest}" if rest else found)

    def canonical(identifier: str) -> str:
        """Where the object is defined: a member reached through a re-export
        (``tokendemand.fitting.TokenDemandModel.fit``) is documented, and linked, under its
        defining module."""
        try:
            return str(obj.modules_collection[identifier].canonical_path)
        except Exception:
            return identifier

    return resolve


class RstToMarkdown(_Extension):  # type: ignore[misc]
    """Griffe extension: rewrite every docstring with :func:`to_markdown` before parsing."""

    def on_object(self, *, obj: Any, **kwargs: Any) -> None:
        """Rewrite the docstring of ``obj`` (each object once, after the package is loaded)."""
        if obj.docstring is not None and not getattr(obj, "_markdown_done", False):
            obj.docstring.value = to_markdown(obj.docstring.value, _resolver(obj))
            obj._markdown_done = True
