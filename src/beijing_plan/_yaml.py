"""YAML with a safe loader, YAML 1.2 booleans, dates as text and bounded alias expansion."""

from __future__ import annotations

import math
import re
from decimal import Decimal
from typing import Any

import yaml

from ._exact import exact_number
from .exceptions import PlanValidationError

__all__ = ["dump_yaml", "load_yaml"]

try:  # the C implementation when PyYAML was built with it
    _BaseLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
    _BaseDumper: type[yaml.SafeDumper] = yaml.CSafeDumper  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _BaseLoader = yaml.SafeLoader
    _BaseDumper = yaml.SafeDumper


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe loading in which only ``true`` and ``false`` are booleans."""


# YAML 1.1 also reads yes/no/on/off as booleans, which turns a key `on:` into True.
# Unquoted dates stay strings, so that the converter checks them and a bad one
# (2025-13-01) is reported at its path like any other bad date.
_DROPPED = frozenset({"tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp"})
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag not in _DROPPED]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


class _Dumper(_BaseDumper):  # type: ignore[misc, valid-type]
    """Block-style output that keeps Chinese text readable."""


def _fail(message: str) -> PlanValidationError:
    return PlanValidationError([("", message)])


def _refuse_repeated_keys(node: yaml.MappingNode) -> None:
    """Refuse a mapping that writes one plain key twice (PyYAML keeps the last)."""
    seen: set[str] = set()
    for key, _ in node.value:
        if not isinstance(key, yaml.ScalarNode) or key.tag == "tag:yaml.org,2002:merge":
            continue
        if key.value in seen:
            mark = key.start_mark
            raise _fail(
                f"the key {key.value!r} is written twice in one mapping "
                f"(line {mark.line + 1}, column {mark.column + 1})"
            )
        seen.add(key.value)


def _exact_float(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> float | Decimal:
    """A YAML float read exactly (see :func:`~beijing_plan._exact.exact_number`)."""
    number: float = loader.construct_yaml_float(node)
    if ":" in node.value or not math.isfinite(number):  # YAML 1.1 base 60, .inf, .nan
        return number
    return exact_number(node.value)


_Loader.add_constructor("tag:yaml.org,2002:float", _exact_float)


def _expanded_size(root: yaml.Node, max_nodes: int, max_depth: int) -> None:
    """Refuse a node graph that expands beyond ``max_nodes`` or nests beyond ``max_depth``."""
    sizes: dict[int, int] = {}
    # Iterative post-order walk, memoised by node identity: aliases share nodes.
    stack: list[tuple[yaml.Node, int, bool]] = [(root, 0, False)]
    while stack:
        node, depth, done = stack.pop()
        if id(node) in sizes:
            continue
        if depth > max_depth:
            raise _fail(f"the document nests deeper than {max_depth} levels")
        if isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        elif isinstance(node, yaml.MappingNode):
            _refuse_repeated_keys(node)
            children = [n for pair in node.value for n in pair]
        else:
            sizes[id(node)] = 1
            continue
        if not done:
            stack.append((node, depth, True))
            stack.extend((child, depth + 1, False) for child in children if id(child) not in sizes)
            continue
        total = 1 + sum(sizes.get(id(child), 1) for child in children)
        if total > max_nodes:
            raise _fail(f"the document's aliases expand to more than {max_nodes} nodes")
        sizes[id(node)] = total


def load_yaml(text: str, *, max_nodes: int, max_depth: int) -> Any:
    """Plain data from YAML text, refusing tags, bombs and multiple documents."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise _fail("the YAML document is empty")
        _expanded_size(node, max_nodes, max_depth)
        return loader.construct_document(node)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = error.problem or error.context or "invalid YAML"
        raise _fail(f"not valid YAML: {problem}{where}") from None
    except yaml.YAMLError as error:
        raise _fail(f"not valid YAML: {error}") from None
    except RecursionError:
        raise _fail(f"the document nests deeper than {max_depth} levels") from None
    finally:
        loader.dispose()


def dump_yaml(document: Any) -> str:
    """YAML text of plain data, block style, Chinese kept as is, key order kept."""
    text: str = yaml.dump(
        document, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False
    )
    return text
