"""MkDocs hooks: every table, number and command output on the pages is computed at build time.

Pages hold markers that :func:`on_page_markdown` replaces with what the code says today:

- ``<!-- priors-table -->``: ``Priors().table()``, every prior and its source;
- ``<!-- datasets-table -->``: the bundled datasets (``datasets.describe``);
- ``<!-- scenarios-table -->``: what each built-in scenario assumes and changes;
- ``<!-- structure-table -->``: the default family of each lever, its parameters and priors;
- ``<!-- example-toml -->``: the example scenario file shipped with the package;
- ``<!-- cli: ARGS -->``: ``tokendemand ARGS`` run in-process, and what it printed;
- ``<!-- notebooks -->``: the notebooks in ``notebooks/`` with their titles;
- ``<!-- readme-commands -->``: the first shell block of ``README.md``;
- ``<!-- public-api -->``: ``tokendemand.__all__``, each name linked to its API page;
- ``<!-- api: tokendemand.ROOM -->``: the API reference of a top-level module or subpackage,
  itself and each public module below it (found in the package, so a new module has its
  section without editing a page);
- ``<!-- package-layout -->``: every top-level module and subpackage, the lowest layer last,
  with its public modules and the others it imports (read from the code);
- ``<!-- docstring: DOTTED.NAME -->``: that object's docstring up to its first numpydoc
  section, as Markdown; ``docstring-body`` leaves out the one-line summary;
- ``<!-- eval: EXPRESSION -->``: ``str()`` of a Python expression (names: ``td``, ``np``,
  ``pd``, ``metadata`` for :mod:`importlib.metadata`).

A fenced block opened with ```` ```python exec ```` is run (one namespace per page, so later
blocks see earlier names) and shown with what it printed. A marker the hook does not know, or
code that fails, stops the build: nothing on a page is typed in or silently left stale.
"""

from __future__ import annotations

import ast
import contextlib
import importlib
import importlib.metadata
import importlib.util
import inspect
import io
import os
import pkgutil
import re
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from mkdocs.exceptions import PluginError

import tokendemand as td

ROOT = Path(__file__).resolve().parent.parent

_spec = importlib.util.spec_from_file_location(
    "griffe_rst", Path(__file__).with_name("griffe_rst.py")
)
assert _spec is not None and _spec.loader is not None
griffe_rst = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(griffe_rst)

PACKAGE = "tokendemand"
PACKAGE_DIR = ROOT / PACKAGE


def _public(name: str) -> bool:
    return not any(part.startswith("_") for part in name.split(".")[1:])


def rooms() -> list[str]:
    """The package's public top-level modules and subpackages (one API page each), by name."""
    found = [
        f"{PACKAGE}.{info.name}"
        for info in pkgutil.iter_modules([str(PACKAGE_DIR)])
        if not info.name.startswith("_")
    ]
    return sorted(found)


def public_modules(room: str) -> list[str]:
    """The public modules of ``room`` below it: those whose names its ``__init__`` re-exports
    first, in the order it imports them, then the others by name."""
    module = importlib.import_module(room)
    if not hasattr(module, "__path__"):
        return []
    found = sorted(
        info.name
        for info in pkgutil.walk_packages(module.__path__, prefix=f"{room}.")
        if _public(info.name) and not info.name.endswith(".__main__")
    )
    imported = _imports(Path(module.__file__ or ""), top_level_only=True)
    first = [name for name in dict.fromkeys(imported) if name in found]
    return first + [name for name in found if name not in first]


def own_names(room: str) -> list[str]:
    """The names of ``room.__all__`` that no public module below it defines (documented with the
    room itself; the others are documented with their module)."""
    module = importlib.import_module(room)
    elsewhere = {
        name
        for sub in public_modules(room)
        for name in getattr(importlib.import_module(sub), "__all__", ())
    }
    return [
        name
        for name in getattr(module, "__all__", ())
        if name not in elsewhere and not inspect.ismodule(getattr(module, name))
    ]


def _imports(path: Path, top_level_only: bool = False) -> list[str]:
    """The ``tokendemand`` modules ``path`` imports, in order. Imports under ``if
    TYPE_CHECKING:`` are left out (annotations only); ``top_level_only`` also leaves out the
    imports inside functions (made when called)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[str] = []

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                visit_list(child.orelse)
                continue
            if top_level_only and isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            if isinstance(child, ast.Import):
                found.extend(a.name for a in child.names if a.name.split(".")[0] == PACKAGE)
            elif isinstance(child, ast.ImportFrom) and child.module and child.level == 0:
                if child.module.split(".")[0] == PACKAGE:
                    # "from tokendemand.x import y" imports module tokendemand.x.y if there is one
                    found.extend(
                        f"{child.module}.{a.name}"
                        if _is_module(f"{child.module}.{a.name}")
                        else child.module
                        for a in child.names
                    )
            visit(child)

    def visit_list(nodes: list[ast.stmt]) -> None:
        visit(ast.Module(body=nodes, type_ignores=[]))

    visit(tree)
    return found


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def room_imports(room: str) -> list[str]:
    """The other rooms whose modules ``room``'s code imports (at import time or inside a
    function; not for annotations only), by name."""
    module = importlib.import_module(room)
    paths = (
        sorted(Path(module.__file__ or "").parent.rglob("*.py"))
        if hasattr(module, "__path__")
        else [Path(module.__file__ or "")]
    )
    used = {
        ".".join(target.split(".")[:2])
        for path in paths
        for target in _imports(path)
        if target.count(".") >= 1
    }
    return sorted(used & set(rooms()) - {room})


# ------------------------------------------------------------------------------ formatting


def markdown_table(frame: pd.DataFrame) -> str:
    """A Markdown table of ``frame`` (index dropped); cells as text, pipes escaped."""

    def cell(value: Any) -> str:
        text = "" if value is None else str(value)
        return text.replace("|", "\\|").replace("\n", " ")

    head = "| " + " | ".join(cell(c) for c in frame.columns) + " |"
    rule = "|" + "|".join("---" for _ in frame.columns) + "|"
    rows = ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([head, rule, *rows])


def code_block(text: str, language: str = "text") -> str:
    """A fenced block; the fence is longer than any backtick run inside."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n{text.rstrip()}\n{fence}"


def captured(function: Callable[[], Any]) -> str:
    """What ``function`` prints on stdout, with argparse's width fixed at 80 columns (the
    width of a code block on the page)."""
    buffer = io.StringIO()
    previous = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = "80"
    try:
        with contextlib.redirect_stdout(buffer):
            function()
    finally:
        if previous is None:
            os.environ.pop("COLUMNS", None)
        else:
            os.environ["COLUMNS"] = previous
    return buffer.getvalue()


# --------------------------------------------------------------------------------- markers


def priors_table() -> str:
    frame = pd.DataFrame(td.Priors().table())
    frame["parameter"] = [f"`{name}`" for name in frame["parameter"]]
    return markdown_table(frame)


def datasets_table() -> str:
    rows = []
    for name in td.datasets.list_datasets()["name"]:
        info = td.datasets.describe(name)
        rows.append(
            {
                "name": f"`{info.name}`",
                "figures": info.n_observations,
                "markets": ", ".join(info.markets),
                "series": ", ".join(f"`{s}`" for s in info.series),
                "content": info.description,
            }
        )
    return markdown_table(pd.DataFrame(rows))


def scenarios_table() -> str:
    """One row per built-in scenario: what it assumes, its source and what it changes."""

    rows = []
    for scenario in td.scenarios.builtin():
        items = dict(scenario.assumptions())
        changes = [
            f"{item}: {value}"
            for item, value in scenario.assumptions()
            if item not in ("assumes", "source", "changes start", "recalibrate")
            and value != "as fitted"
        ]
        rows.append(
            {
                "scenario": f"`{scenario.name}`",
                "assumes": items["assumes"],
                "changes": "; ".join(changes) or "nothing",
                "source": items.get("source", ""),
            }
        )
    return markdown_table(pd.DataFrame(rows))


def structure_table() -> str:
    structure = td.Structure()
    priors = td.Priors()
    free = {p.name for p in _free_parameters(structure, priors)}
    rows = []
    for lever in td.structure.LEVERS:
        family = structure.family(lever)
        names = []
        for parameter in family.parameters:
            field = f"{lever}_{parameter}"
            names.append(f"`{parameter}` (prior `{field}`)" if field in free else f"`{parameter}`")
        rows.append(
            {
                "lever": f"`{lever}`",
                "default family": f"`{family.name}`",
                "parameters": ", ".join(names) or "none",
            }
        )
    return markdown_table(pd.DataFrame(rows))


def _free_parameters(structure: td.Structure, priors: td.Priors) -> Any:
    from tokendemand.fitting.parametrization import free_parameters

    return free_parameters(structure, priors)


def example_toml() -> str:
    text = td.scenarios.example_path().read_text(encoding="utf-8")
    return code_block(text, "toml")


def command(arguments: str) -> str:
    """``tokendemand ARGUMENTS`` run in-process: the command line and what it printed."""
    from tokendemand import cli

    argv = arguments.split()
    status: list[int] = []
    text = captured(lambda: status.append(cli.main(argv)))
    if status != [0]:
        raise PluginError(f"'tokendemand {arguments}' exited with status {status}")
    return code_block(f"$ tokendemand {arguments}\n{text}", "text")


def notebooks() -> str:
    """One row per notebook in notebooks/: file, title and first paragraph."""
    import json

    rows = []
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        text = "".join(next(c for c in cells if c["cell_type"] == "markdown")["source"])
        title, _, rest = text.partition("\n")
        paragraph = rest.strip().split("\n\n", 1)[0].replace("\n", " ")
        rows.append(
            {
                "notebook": f"`notebooks/{path.name}`",
                "title": title.lstrip("# ").strip(),
                "what it shows": paragraph,
            }
        )
    if not rows:
        raise PluginError("no notebooks in notebooks/")
    return markdown_table(pd.DataFrame(rows))


def readme_commands() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"```bash\n(.*?)```", readme, re.S)
    if match is None:
        raise PluginError("README.md has no ```bash block with the install commands")
    return code_block(match.group(1), "bash")


def public_api() -> str:
    """One row per name of ``tokendemand.__all__``: the name linked to where it is documented,
    and its one-line summary."""
    rows = []
    for name in td.__all__:
        value = getattr(td, name)
        if inspect.ismodule(value):
            home, identifier = value.__name__, value.__name__
        elif callable(value):
            home = value.__module__
            identifier = f"{home}.{value.__qualname__}"
        else:  # a constant: its value
            rows.append({"name": f"`{name}`", "what": f"`{value!r}`"})
            continue
        doc = inspect.getdoc(value) or ""
        summary = doc.split("\n\n", 1)[0].replace("\n", " ")
        summary = griffe_rst.to_markdown(summary, _resolver(home))
        rows.append({"name": f"[`{name}`][{identifier}]", "what": summary})
    return markdown_table(pd.DataFrame(rows))


def api(room: str) -> str:
    """The API reference of ``room``: its own docstring and names, then each public module
    below it with its names (mkdocstrings ``:::`` blocks)."""
    if room not in rooms():
        raise PluginError(f"{room} is not a public module of {PACKAGE}; they are: {rooms()}")
    own = own_names(room)
    blocks = [f"::: {room}\n    options:\n      members: {own if own else 'false'}"]
    blocks.extend(
        f"::: {name}\n    options:\n      heading_level: 2" for name in public_modules(room)
    )
    return "\n\n".join(blocks)


def _first_sentence(text: str) -> str:
    """The first sentence of a docstring's first paragraph, on one line."""
    paragraph = " ".join(text.split("\n\n", 1)[0].split())
    match = re.match(r"(.+?\.)(?:\s|$)", paragraph)
    return match.group(1) if match else paragraph


def package_layout() -> str:
    """One row per room of the package, the lowest layer last: what it holds (its docstring's
    summary), its public modules, the rooms it imports, and its API page."""
    graph = {room: room_imports(room) for room in rooms()}
    depth: dict[str, int] = {}

    def layer(room: str, seen: frozenset[str] = frozenset()) -> int:
        if room not in depth:
            below = [layer(r, seen | {room}) for r in graph[room] if r not in seen | {room}]
            depth[room] = 1 + max(below, default=0)
        return depth[room]

    rows = []
    for room in sorted(graph, key=lambda r: (-layer(r), r)):
        module = importlib.import_module(room)
        short = room.split(".", 1)[1]
        is_package = hasattr(module, "__path__")
        summary = _first_sentence(inspect.getdoc(module) or "")
        modules = [m.rsplit(".", 1)[1] for m in public_modules(room)]
        rows.append(
            {
                "folder or file": f"`{PACKAGE}/{short}{'/' if is_package else '.py'}`",
                "what it holds": griffe_rst.to_markdown(summary, _resolver(room)),
                "modules": ", ".join(f"`{m}`" for m in modules),
                "imports": ", ".join(f"`{r.split('.', 1)[1]}`" for r in graph[room]) or "nothing",
                "API": f"[{short}](api/{short}.md)",
            }
        )
    return markdown_table(pd.DataFrame(rows))


def docstring(dotted: str, summary: bool = True) -> str:
    """The docstring of ``dotted`` up to its first numpydoc section, as Markdown.

    ``summary=False`` leaves out the first paragraph (the one-line summary).
    """
    target, module = _import(dotted)
    text = inspect.getdoc(target)
    if not text:
        raise PluginError(f"{dotted} has no docstring")
    if not summary:
        text = text.split("\n\n", 1)[1] if "\n\n" in text else ""
    lines = text.splitlines()
    for i in range(len(lines) - 1):
        title = lines[i].strip().lower()
        if title in griffe_rst.NUMPY_SECTIONS and re.fullmatch(r"\s*-{3,}\s*", lines[i + 1]):
            lines = lines[:i]
            break
    return griffe_rst.to_markdown("\n".join(lines).strip(), _resolver(module))


def _import(dotted: str) -> tuple[Any, str]:
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            target: Any = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        module = target.__name__
        for attribute in parts[cut:]:
            target = getattr(target, attribute)
        return target, module
    raise PluginError(f"cannot import {dotted}")


def _resolver(module_name: str) -> Callable[[str], str]:
    """Full identifiers of role targets written in ``module_name``'s docstrings."""
    module = importlib.import_module(module_name)

    def resolve(target: str) -> str:
        if target.startswith("tokendemand"):
            return target
        if target.startswith("."):
            package = module_name if hasattr(module, "__path__") else module_name.rsplit(".", 1)[0]
            return package + target
        head, _, rest = target.partition(".")
        value = getattr(module, head, None)
        if value is None:
            return target
        owner = getattr(value, "__module__", None) if not inspect.ismodule(value) else None
        base = value.__name__ if inspect.ismodule(value) else f"{owner or module_name}.{head}"
        return f"{base}.{rest}" if rest else base

    return resolve


def evaluate(expression: str) -> str:
    namespace = {"td": td, "np": np, "pd": pd, "metadata": importlib.metadata}
    value = eval(expression, namespace)
    return str(value)


MARKERS: dict[str, Callable[..., str]] = {
    "priors-table": priors_table,
    "datasets-table": datasets_table,
    "scenarios-table": scenarios_table,
    "structure-table": structure_table,
    "example-toml": example_toml,
    "notebooks": notebooks,
    "readme-commands": readme_commands,
    "public-api": public_api,
    "api": api,
    "package-layout": package_layout,
    "cli": command,
    "docstring": docstring,
    "docstring-body": lambda dotted: docstring(dotted, summary=False),
    "eval": evaluate,
}

_MARKER = re.compile(r"<!--\s*([a-z-]+)\s*(?::\s*(.*?))?\s*-->", re.S)
_EXEC = re.compile(r"^```python exec\n(.*?)^```$", re.S | re.M)


def _replace_marker(match: re.Match[str], where: str) -> str:
    name, argument = match.group(1), match.group(2)
    if name not in MARKERS:
        raise PluginError(
            f"{where}: unknown marker <!-- {name} -->; markers are: {', '.join(MARKERS)}"
        )
    try:
        return MARKERS[name](argument) if argument is not None else MARKERS[name]()
    except PluginError:
        raise
    except Exception as error:
        raise PluginError(f"{where}: <!-- {name} {argument or ''} --> failed: {error!r}") from error


def _run_blocks(markdown: str, where: str) -> str:
    namespace: dict[str, Any] = {"__name__": f"docs:{where}"}

    def run(match: re.Match[str]) -> str:
        source = match.group(1)
        buffer = io.StringIO()
        try:
            with contextlib.redirect_stdout(buffer):
                exec(compile(source, f"<{where}>", "exec"), namespace)
        except Exception as error:
            raise PluginError(
                f"{where}: a python exec block failed: {error!r}\n{textwrap.indent(source, '    ')}"
            ) from error
        shown = code_block(source, "python")
        output = buffer.getvalue()
        return shown + ("\n\n" + code_block(output, "text") if output.strip() else "")

    return _EXEC.sub(run, markdown)


# ----------------------------------------------------------------------------------- hooks


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """Replace the markers and run the exec blocks of one page."""
    where = page.file.src_uri
    markdown = _run_blocks(markdown, where)
    return _MARKER.sub(lambda m: _replace_marker(m, where), markdown)
