"""Tests of the package's own attributes: its version and its submodules on first use."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys

import pytest

import beijing_plan as bp

SUBMODULES = (
    "assessment",
    "charts",
    "cli",
    "columnar",
    "convert",
    "datasets",
    "display",
    "explain",
    "files",
    "frames",
    "ledgerfile",
    "rules",
    "schema",
    "strategies",
    "tables",
)


def fresh(script: str) -> list[str]:
    """The lines a script prints in a fresh interpreter."""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stderr == ""
    return done.stdout.splitlines()


def test_version_is_the_installed_distributions() -> None:
    """`beijing_plan.__version__` is the version of the installed distribution."""
    assert bp.__version__ == importlib.metadata.version("beijing-plan")
    assert isinstance(bp.__version__, str)


def test_version_without_metadata_falls_back() -> None:
    """Without the distribution's metadata (a copied source tree), the version is 0+unknown."""
    lines = fresh(
        "import importlib.metadata as md\n"
        "def missing(name):\n"
        "    raise md.PackageNotFoundError(name)\n"
        "md.version = missing\n"
        "import beijing_plan\n"
        "print(beijing_plan.__version__)\n"
    )
    assert lines == ["0+unknown"]


def test_the_lazy_submodules_are_the_public_ones() -> None:
    """The package loads on first use exactly the public submodules it does not import."""
    assert set(bp._SUBMODULES) == set(SUBMODULES)


def test_import_loads_no_lazy_submodule_nor_metadata() -> None:
    """`import beijing_plan` imports none of the lazy submodules, nor importlib.metadata."""
    names = [f"beijing_plan.{name}" for name in SUBMODULES]
    lines = fresh(
        "import sys\n"
        "import beijing_plan\n"
        f"print(sorted(set(sys.modules) & {set(names)!r}))\n"
        "print('importlib.metadata' in sys.modules)\n"
    )
    assert lines == ["[]", "False"]


def test_submodules_work_without_their_own_import() -> None:
    """`bp.datasets` and the other public submodules work after `import beijing_plan` alone."""
    lines = fresh(
        "import beijing_plan as bp\n"
        "print(len(bp.datasets.action_plan_2025().measures) > 0)\n"
        "print(bp.tables.read_tasks.__module__, bp.columnar.to_tables.__module__)\n"
        "print(bp.strategies.plans.__module__, bp.charts.__name__, bp.cli.main.__module__)\n"
        "import beijing_plan.datasets\n"
        "print(bp.datasets is beijing_plan.datasets)\n"
    )
    assert lines == [
        "True",
        "beijing_plan.tables beijing_plan.columnar",
        "beijing_plan.strategies._plans beijing_plan.charts beijing_plan.cli",
        "True",
    ]


@pytest.mark.parametrize("name", SUBMODULES)
def test_each_submodule_resolves_to_its_module(name: str) -> None:
    """Each lazy submodule resolves to the module of that name, and is listed by dir()."""
    assert getattr(bp, name) is sys.modules[f"beijing_plan.{name}"]
    assert name in dir(bp)


def test_an_unknown_attribute_still_raises() -> None:
    """A name that is neither public nor a submodule raises AttributeError naming it."""
    with pytest.raises(AttributeError, match="has no attribute 'nothing'"):
        _ = bp.nothing
    with pytest.raises(AttributeError, match="has no attribute '_engine'"):
        _ = bp.__getattr__("_engine")


def test_submodules_are_typed() -> None:
    """A submodule reached through the package keeps its types (checked by mypy --strict)."""
    plan = bp.datasets.action_plan_2025()
    assert isinstance(plan, bp.Plan)
    assert "__version__" in dir(bp)
