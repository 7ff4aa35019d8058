"""The documentation builds with ``mkdocs build --strict``, and the tables the build generates
(priors, datasets, scenarios, command-line help, calculator output, public API) are on its
pages with what the code says today.

The build runs once per module in a subprocess, as CI and a user run it, into a temporary
folder; it imports the package and renders the API reference (several seconds), hence
``slow``. The Markdown rewriting of docstrings (``docs/griffe_rst.py``) is also tested on its
own, without a build.
"""

from __future__ import annotations

import builtins
import html
import importlib.metadata
import importlib.util
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import tokendemand as td
from tokendemand import cli
from tokendemand.structure import intensity_ratio_for_break_even
from tokendemand.units import format_tokens

ROOT = Path(__file__).resolve().parent.parent


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "docs" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _text(markup: str) -> str:
    """Visible text of an HTML fragment, whitespace collapsed."""
    markup = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", markup, flags=re.S)
    markup = re.sub(r"</?(code|a|span|em|strong|autoref)\b[^>]*>", "", markup)  # inline
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def _squash(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, (
        f"mkdocs build --strict failed:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    )
    return out


def page(site: Path, name: str) -> str:
    """The visible text of the article of page ``name`` (``""`` for the home page)."""
    path = site / name / "index.html" if name else site / "index.html"
    assert path.is_file(), f"the build wrote no page {name!r} ({path})"
    markup = path.read_text(encoding="utf-8")
    start, end = markup.find("<article"), markup.find("</article>")
    return _text(markup[start:end] if start >= 0 else markup)


def printed(argv: list[str]) -> str:
    """What ``tokendemand ARGV`` prints, captured as the docs hook captures it."""
    status: list[int] = []
    text: str = _load("hooks").captured(lambda: status.append(cli.main(argv)))
    assert status == [0], f"tokendemand {' '.join(argv)} exited with {status}"
    return text


# ------------------------------------------------------------------------- the built site


@pytest.mark.slow
def test_priors_table_lists_every_prior_with_its_source(site: Path) -> None:
    text = page(site, "concepts")
    for row in td.Priors().table():
        for column in ("parameter", "prior", "source"):
            assert _squash(row[column]) in text, (
                f"priors table lacks {column} of {row['parameter']}"
            )


@pytest.mark.slow
def test_datasets_table_lists_every_bundled_dataset(site: Path) -> None:
    text = page(site, "data")
    for name in td.datasets.list_datasets()["name"]:
        info = td.datasets.describe(name)
        assert f"{name} {info.n_observations}" in text, f"dataset {name} missing or miscounted"
        assert _squash(info.description) in text


@pytest.mark.slow
def test_builtin_scenarios_and_example_file_are_shown(site: Path) -> None:
    text = page(site, "scenarios")
    for scenario in td.scenarios.builtin():
        assert f"{scenario.name} {_squash(scenario.description)}" in text, scenario.name
    for scenario in td.scenarios.load_toml(td.scenarios.example_path()):
        assert f'name = "{scenario.name}"' in text, scenario.name


@pytest.mark.slow
@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["run", "--help"],
        ["calc", "--help"],
        ["calc"],
        ["datasets", "--help"],
        ["scenarios", "--help"],
        ["validate", "--help"],
        ["backtest", "--help"],
    ],
)
def test_command_line_pages_show_what_the_commands_print(site: Path, argv: list[str]) -> None:
    assert _squash(printed(argv)) in page(site, "cli"), f"tokendemand {' '.join(argv)}"


@pytest.mark.slow
def test_computed_values_are_on_the_pages(site: Path) -> None:
    concepts = page(site, "concepts")
    assert f"rho for break-even at 8%: {intensity_ratio_for_break_even(0.08)}" in concepts
    extras = importlib.metadata.metadata("tokendemand").get_all("Provides-Extra") or []
    assert ", ".join(extras) in page(site, "install")
    home = page(site, "")
    frame = td.Structure().evaluate(td.example_parameters(), ["2026-03-31"])
    assert format_tokens(float(frame["total"].iloc[0])) in home


@pytest.mark.slow
def test_api_reference_links_every_public_name(site: Path) -> None:
    markup = (site / "api" / "index.html").read_text(encoding="utf-8")
    text = page(site, "api")
    for name in td.__all__:
        assert name in text, f"public name {name} is not on the API index"
    links = re.findall(r'<a class="autorefs autorefs-internal"[^>]*href="([^"]+)"', markup)
    documented = [n for n in td.__all__ if n not in ("__version__", "LEVERS")]
    assert len(links) >= len(documented), "some public names are not linked to their page"


@pytest.mark.slow
def test_every_public_module_has_its_section_in_the_api_reference(site: Path) -> None:
    hooks = _load("hooks")
    for room in hooks.rooms():
        path = site / "api" / room.split(".", 1)[1] / "index.html"
        assert path.is_file(), f"{room} has no API page: add docs/api/{path.parent.name}.md"
        markup = path.read_text(encoding="utf-8")
        for module in [room, *hooks.public_modules(room)]:
            assert f'id="{module}"' in markup, f"{module} is not on {path.relative_to(site)}"
        for name in hooks.own_names(room):
            assert f'id="{room}.{name}"' in markup, f"{room}.{name} is not documented"


@pytest.mark.slow
def test_layout_page_lists_every_room_above_the_rooms_it_imports(site: Path) -> None:
    hooks = _load("hooks")
    text = page(site, "architecture")

    def position(room: str) -> int:
        short = room.split(".", 1)[1]
        for name in (f"tokendemand/{short}/", f"tokendemand/{short}.py"):
            if name in text:
                return text.index(name)
        raise AssertionError(f"{room} is not on the layout page")

    assert "tokendemand.structure" in hooks.room_imports("tokendemand.projection")
    for room in hooks.rooms():  # imports point down: no circles
        for used in hooks.room_imports(room):
            assert position(room) < position(used), f"{room} imports {used}, listed above it"


@pytest.mark.slow
def test_no_marker_or_restructuredtext_is_left(site: Path) -> None:
    hooks = _load("hooks")
    markers = re.compile(r"<!--\s*(" + "|".join(map(re.escape, hooks.MARKERS)) + r")\b")
    for path in site.rglob("*.html"):
        markup = path.read_text(encoding="utf-8")
        where = path.relative_to(site)
        assert not markers.search(markup), f"unreplaced marker in {where}"
        text = _text(markup)
        for leftover in (":func:`", ":class:`", ":meth:`", "```python exec", "======"):
            assert leftover not in text, f"{leftover!r} left in {where}"


@pytest.mark.slow
def test_navigation_has_the_backtest_page_and_the_notebooks(site: Path) -> None:
    assert "Backtest" in page(site, "backtest")
    text = page(site, "notebooks")
    for notebook in sorted((ROOT / "notebooks").glob("*.ipynb")):
        assert f"notebooks/{notebook.name}" in text


# ------------------------------------------------------------ docstrings rewritten as Markdown


def test_every_cross_reference_in_a_docstring_names_an_object_of_the_package() -> None:
    """A role (``:func:`...```) must name an object that exists: one of the package, a builtin,
    or one of an importable module. An unknown name renders as plain code, not as a link, so the
    build alone would not notice a stale one."""
    griffe = pytest.importorskip("griffe")
    rst = _load("griffe_rst")
    package = griffe.load("tokendemand", search_paths=[str(ROOT)], docstring_parser="numpy")

    def objects(obj: Any) -> list[Any]:
        found = [obj]
        for member in obj.members.values():
            if not member.is_alias:
                found.extend(objects(member))
        return found

    def exists(identifier: str) -> bool:
        if identifier.split(".")[0] != "tokendemand":  # another library's, or a builtin
            head = identifier.split(".")[0]
            return hasattr(builtins, identifier) or (
                head.isidentifier() and importlib.util.find_spec(head) is not None
            )
        try:
            package[identifier.split(".", 1)[1]] if "." in identifier else package
        except (KeyError, griffe.AliasResolutionError, griffe.CyclicAliasError):
            return False
        return True

    broken = []
    for obj in objects(package):
        if obj.docstring is None:
            continue
        docstring = obj.docstring
        markdown = rst.to_markdown(docstring.value, rst._resolver(obj))
        for match in re.finditer(r'<autoref identifier="([^"]+)"[^>]*><code>([^<]*)', markdown):
            identifier, title = html.unescape(match.group(1)), html.unescape(match.group(2))
            if not exists(identifier):
                # the line of the role in the file: where its title first appears in the docstring
                found = docstring.value.find(title)
                line = docstring.lineno + docstring.value[: max(found, 0)].count("\n")
                path = Path(obj.filepath).relative_to(ROOT)
                broken.append(f"{path}:{line} ({obj.path}): {identifier}")
    assert not broken, "cross-references to names that do not exist:\n" + "\n".join(broken)


def test_simple_tables_become_markdown_tables() -> None:
    rst = _load("griffe_rst")
    text = "\n".join(
        [
            "Kinds:",
            "",
            "=====  ===========",
            "kind   meaning",
            "=====  ===========",
            "point  one day",
            "mean   a period",
            "       (per day)",
            "=====  ===========",
        ]
    )
    assert rst.to_markdown(text).splitlines()[2:6] == [
        "| kind | meaning |",
        "|---|---|",
        "| point | one day |",
        "| mean | a period (per day) |",
    ]


def test_roles_become_optional_cross_references() -> None:
    rst = _load("griffe_rst")
    out = rst.to_markdown("See :func:`~tokendemand.structure.evaluate` and :class:`Thing`.")
    assert (
        '<autoref identifier="tokendemand.structure.evaluate" optional><code>evaluate</code>' in out
    )
    assert '<autoref identifier="Thing" optional><code>Thing</code></autoref>' in out


def test_literal_blocks_doctests_and_definition_lists() -> None:
    rst = _load("griffe_rst")
    text = "\n".join(
        [
            "The equation::",
            "",
            "    D = B + A",
            "        + more",
            "",
            "run",
            "    Fit and report.",
            "",
            ">>> 1 + 1",
            "2",
        ]
    )
    assert rst.to_markdown(text).splitlines() == [
        "The equation:",
        "",
        "    D = B + A",
        "        + more",
        "",
        "run",
        ":   Fit and report.",
        "",
        "```pycon",
        ">>> 1 + 1",
        "2",
        "```",
    ]
