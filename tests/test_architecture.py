"""The package's import graph: no cycle, and no module importing from a layer above its own.

Every ``import`` and ``from ... import`` of the package is read from the source (those inside
functions and under ``TYPE_CHECKING`` too), so a lazy import cannot hide an arrow that points
the wrong way.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

LAYERS: list[tuple[str, ...]] = [
    # 0: the ground: errors, clock, YAML reading, files written whole, the process's heap
    (
        "portaldoctor",
        "portaldoctor.errors",
        "portaldoctor.yamlio",
        "portaldoctor.clock",
        "portaldoctor.heap",
        "portaldoctor.atomic",
        "portaldoctor.symptoms",
        "portaldoctor.shard",
    ),
    # 1: the tenant model, and the product rules checks read
    (
        "portaldoctor.snapshot",
        "portaldoctor.snapshot.model",
        "portaldoctor.snapshot.index",
        "portaldoctor.snapshot.lookup",
        "portaldoctor.playbooks.rules",
    ),
    ("portaldoctor.knowledge",),  # 2: pure product knowledge, no I/O
    ("portaldoctor.check",),  # 3: the check contract
    ("portaldoctor.registry", "portaldoctor.playbooks", "portaldoctor.probes", "portaldoctor.snapshot.sources"),  # 4
    ("portaldoctor.engine", "portaldoctor.checks"),  # 5: the engine, and the built-in checks it runs
    ("portaldoctor.clicked", "portaldoctor.report", "portaldoctor.suppressions"),  # 6
    ("portaldoctor.plugins", "portaldoctor.reporters", "portaldoctor.reply", "portaldoctor.catalogue"),  # 7
    ("portaldoctor.outputs", "portaldoctor.config"),  # 8: the one emit path, settings
    ("portaldoctor.session",),  # 9
    ("portaldoctor.commands",),  # 10
    ("portaldoctor.cli", "portaldoctor.__main__"),  # 11: typer, and nothing but option mapping
]


def modules() -> dict[str, Path]:
    """Every module of the package by dotted name; the built-in checks as ``portaldoctor.checks``."""
    found: dict[str, Path] = {}
    for path in (ROOT / "portaldoctor").rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    for path in (ROOT / "checks").glob("*.py"):
        found["portaldoctor.checks" + ("" if path.stem == "__init__" else f".{path.stem}")] = path
    return found


def imports(path: Path, name: str, known: set[str]) -> set[str]:
    """The package's modules that one module imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {alias.name for alias in node.names if alias.name.split(".")[0] == "portaldoctor"}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join([*package.split(".")[: len(package.split(".")) - node.level + 1], base]).strip(".")
            if base.split(".")[0] != "portaldoctor":
                continue
            for alias in node.names:
                full = f"{base}.{alias.name}"
                out.add(full if full in known else base)
    return {module for module in out if module in known and module != name}


def layer(name: str) -> int:
    """The layer of a module: the one whose longest prefix matches it."""
    best, found = -1, -1
    for number, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if (name == prefix or name.startswith(prefix + ".")) and len(prefix) > best:
                best, found = len(prefix), number
    return found


@pytest.fixture(scope="module")
def graph() -> dict[str, set[str]]:
    found = modules()
    known = set(found)
    return {name: imports(path, name, known) for name, path in found.items()}


def test_every_module_has_a_layer(graph: dict[str, set[str]]) -> None:
    assert [name for name in graph if layer(name) < 0] == []


def test_no_module_imports_from_a_layer_above_its_own(graph: dict[str, set[str]]) -> None:
    upward = sorted(
        f"{src} (layer {layer(src)}) imports {dst} (layer {layer(dst)})"
        for src, targets in graph.items()
        for dst in targets
        if layer(dst) > layer(src)
    )
    assert upward == []


def test_no_import_cycle(graph: dict[str, set[str]]) -> None:
    cycles = _cycles(graph)
    assert cycles == [], "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


def test_the_cycle_finder_finds_one() -> None:
    """The test above can fail."""
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_nothing_below_the_command_line_imports_typer() -> None:
    users = [
        name
        for name, path in modules().items()
        if name != "portaldoctor.cli" and ("import typer" in (text := path.read_text()) or "from typer" in text)
    ]
    assert users == []


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)
