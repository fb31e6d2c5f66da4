"""Tests of the package's architecture: the import contracts, no import cycle, one list of names.

docs/architecture.md describes the layers; these tests keep that picture true.
"""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import beijing_plan
from beijing_plan import _frame_backends
from beijing_plan.ledger import Status

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "beijing_plan"
#: The modules of the assessment engine.
ENGINE = frozenset(
    {
        "beijing_plan.assessment",
        "beijing_plan._engine",
        "beijing_plan._engine.completion",
        "beijing_plan._engine.engine",
        "beijing_plan._engine.nodes",
        "beijing_plan._engine.rollup",
        "beijing_plan._engine.schedule",
    }
)


def module_names() -> dict[str, Path]:
    """Every module of the package by dotted name, packages by their ``__init__``."""
    names = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def is_type_checking(node: ast.If) -> bool:
    """Whether an ``if`` tests ``TYPE_CHECKING`` (or ``typing.TYPE_CHECKING``)."""
    test = node.test
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    return isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"


def run_time_imports(name: str, path: Path, modules: set[str]) -> set[str]:
    """The package's modules that ``name`` imports at run time, in functions too."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and is_type_checking(child):
                for statement in child.orelse:
                    visit_one(statement)
            else:
                visit_one(child)

    def visit_one(node: ast.AST) -> None:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join([*base, node.module] if node.module else base)
            else:
                source = node.module or ""
            submodules = {f"{source}.{alias.name}" for alias in node.names} & modules
            found.update(submodules)
            if len(submodules) < len(node.names):
                found.add(source)
        visit(node)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return (found & modules) - {name}


def import_graph() -> dict[str, set[str]]:
    """Each module of the package with the modules of the package it imports at run time."""
    names = module_names()
    return {name: run_time_imports(name, path, set(names)) for name, path in names.items()}


def cycles(graph: dict[str, set[str]]) -> list[set[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[set[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph[node]):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(component)

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return found


def test_import_contracts_are_kept() -> None:
    """Every import-linter contract in pyproject.toml is kept (layers, forbidden, independence)."""
    check = (
        "import sys\n"
        "from importlinter.cli import lint_imports\n"
        "sys.exit(lint_imports(config_filename='pyproject.toml', no_cache=True, no_logo=True))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", check],
        check=False,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_cycle_finder_sees_an_import_inside_a_function() -> None:
    """The graph counts an import inside a function and skips one under TYPE_CHECKING."""
    graph = import_graph()
    assert "beijing_plan.display" in graph["beijing_plan.model"]
    assert "beijing_plan.model" not in graph["beijing_plan.display"]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [{"a", "b", "c"}]


def test_no_import_cycle_among_the_modules() -> None:
    """No module imports itself back through others, counting imports inside functions."""
    assert cycles(import_graph()) == []


def test_plan_display_does_not_import_the_engine() -> None:
    """repr, str and the notebook HTML of a plan and a ledger load no module of the engine."""
    script = (
        "import sys\n"
        "from beijing_plan import Ledger, Measure, Plan, Policy, Quantity, StatusChange\n"
        "from beijing_plan import Target, Task\n"
        "plan = Plan('p', 'Plan', start='2025-01-01', end='2025-12-31', measures=[Measure(\n"
        "    'm', 1, 'M', tasks=[Task('t', 'T')],\n"
        "    targets=[Target('g', 'G', 'at_least', Quantity(60, 'count'))])],\n"
        "    policies=[Policy('q', 'Q', measures=['m'])])\n"
        "ledger = Ledger([StatusChange('t', '2025-02-01', 'done')])\n"
        "shown = [repr(plan), str(plan), plan._repr_html_(), repr(ledger), str(ledger),\n"
        "         ledger._repr_html_()]\n"
        "assert all(shown)\n"
        f"print(sorted(set(sys.modules) & {set(ENGINE)!r}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "[]"


def init_imports() -> tuple[set[str], dict[str, str], set[str]]:
    """The names ``beijing_plan/__init__.py`` imports eagerly, those it imports for typing,
    and the submodules it imports for typing."""
    tree = ast.parse((PACKAGE / "__init__.py").read_text(encoding="utf-8"))
    eager: set[str] = set()
    typing_only: dict[str, str] = {}
    submodules: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            eager.update(alias.asname or alias.name for alias in node.names)
        elif isinstance(node, ast.If) and is_type_checking(node):
            for inner in node.body:
                assert isinstance(inner, ast.ImportFrom)
                for alias in inner.names:
                    if inner.module is None:
                        submodules.add(alias.asname or alias.name)
                    else:
                        typing_only[alias.asname or alias.name] = f".{inner.module}"
    return eager, typing_only, submodules


def test_package_names_agree() -> None:
    """``__all__`` is the eager imports plus ``_LAZY``, which the TYPE_CHECKING imports mirror;
    the submodules imported for typing are those that load on first use."""
    eager, typing_only, submodules = init_imports()
    lazy: dict[str, str] = beijing_plan._LAZY
    assert typing_only == lazy
    assert submodules == beijing_plan._SUBMODULES
    assert not submodules & set(beijing_plan.__all__)
    assert not eager & set(lazy)
    assert sorted(eager | set(lazy)) == sorted(beijing_plan.__all__)
    assert len(set(beijing_plan.__all__)) == len(beijing_plan.__all__)


def test_every_public_name_resolves() -> None:
    """Every name in ``__all__`` resolves, a lazy one to the object of its module."""
    for name in beijing_plan.__all__:
        value = getattr(beijing_plan, name)
        module = beijing_plan._LAZY.get(name)
        if module is not None:
            assert value is getattr(importlib.import_module(module, "beijing_plan"), name)
    assert set(beijing_plan.__all__) <= set(dir(beijing_plan))


def test_frames_know_every_record_status() -> None:
    """The status categories of a ledger frame are the values of Status, in order."""
    assert [status.value for status in Status] == _frame_backends._RECORD_STATUSES
