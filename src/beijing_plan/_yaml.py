"""YAML with a safe loader, YAML 1.2 booleans, dates as text and bounded alias expansion.

A value the loader cannot construct (`!!int abc`, `!!timestamp 2025-13-45`,
an integer larger than any field holds) is refused with its path in the
document and its line and column.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from typing import Any

import yaml

from ._errors import fail
from ._exact import LONGEST_INT, exact_number
from .exceptions import PlanValidationError, join_path

__all__ = ["dump_yaml", "load_yaml"]

try:  # the C implementation when PyYAML was built with it
    _BaseLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
    _BaseDumper: type[yaml.SafeDumper] = yaml.CSafeDumper  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _BaseLoader = yaml.SafeLoader
    _BaseDumper = yaml.SafeDumper


class _NodeError(Exception):
    """A node the loader could not construct, and why."""

    def __init__(self, node: yaml.Node, reason: str) -> None:
        super().__init__(reason)
        self.node, self.reason = node, reason


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe loading in which only `true` and `false` are booleans."""

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        """Construct `node`; a failure names the node, for its path and line."""
        try:
            return super().construct_object(node, deep)
        except (_NodeError, yaml.YAMLError, RecursionError, MemoryError):
            raise
        except PlanValidationError as error:
            raise _NodeError(node, error.problems[0][1]) from None
        except Exception:  # a constructor's failure is the input's fault
            raise _NodeError(node, _not_valid(node)) from None


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


def _refuse_repeated_keys(node: yaml.MappingNode) -> None:
    """Refuse a mapping that writes one plain key twice (PyYAML keeps the last)."""
    seen: set[str] = set()
    for key, _ in node.value:
        if not isinstance(key, yaml.ScalarNode) or key.tag == "tag:yaml.org,2002:merge":
            continue
        if key.value in seen:
            mark = key.start_mark
            raise fail(
                "",
                f"the key {key.value!r} is written twice in one mapping "
                f"(line {mark.line + 1}, column {mark.column + 1})",
            )
        seen.add(key.value)


def _exact_float(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> float | Decimal:
    """A YAML float read exactly (see `exact_number`)."""
    number: float = loader.construct_yaml_float(node)
    if ":" in node.value or not math.isfinite(number):  # YAML 1.1 base 60, .inf, .nan
        return number
    return exact_number(node.value)


_Loader.add_constructor("tag:yaml.org,2002:float", _exact_float)

_HUGE = 10**LONGEST_INT


def _bounded_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int | Decimal:
    """A YAML integer; beyond `LONGEST_INT` digits a `Decimal`, as JSON's reader makes.

    Python reads no `int` of more than 4300 decimal digits, and writes none, so
    a longer decimal integer becomes a `Decimal` for the converter to refuse at
    its path. A hexadecimal, octal, binary or base-60 one that large is refused
    here: no field holds it, and making a `Decimal` of it takes quadratic time.
    """
    text = node.value.replace("_", "")
    digits = text.lstrip("+-")
    if digits.isdigit() and (digits == "0" or not digits.startswith("0")):
        return Decimal(text) if len(digits) > LONGEST_INT else int(text)
    shown = node.value if len(node.value) <= 24 else node.value[:20] + "..."
    if len(text) > LONGEST_INT:
        raise fail(
            "", f"{shown} is written with {len(text)} characters, larger than any field holds"
        )
    number: int = loader.construct_yaml_int(node)
    if abs(number) >= _HUGE:
        bits = number.bit_length()
        raise fail("", f"{shown} is a whole number of {bits} bits, larger than any field holds")
    return number


_Loader.add_constructor("tag:yaml.org,2002:int", _bounded_int)


def _not_valid(node: yaml.Node) -> str:
    """Why a node's constructor failed: `'abc' is not a valid !!int`."""
    tag = str(node.tag).removeprefix("tag:yaml.org,2002:")
    if not isinstance(node, yaml.ScalarNode):
        kind = "sequence" if isinstance(node, yaml.SequenceNode) else "mapping"
        return f"a {kind} is not a valid !!{tag}"
    shown = node.value if len(node.value) <= 40 else node.value[:37] + "..."
    return f"{shown!r} is not a valid !!{tag}"


def _path_to(root: yaml.Node, target: yaml.Node) -> str:
    """The path of `target` in the document under `root` (`measures[0].due`)."""
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, str]] = [(root, "")]
    while stack:
        node, path = stack.pop()
        if node is target:
            return path
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            stack.extend((child, f"{path}[{i}]") for i, child in enumerate(node.value))
        elif isinstance(node, yaml.MappingNode):
            for key, child in node.value:
                name = key.value if isinstance(key, yaml.ScalarNode) else "?"
                stack.append((key, join_path(path, str(name))))
                stack.append((child, join_path(path, str(name))))
    return ""  # pragma: no cover - the failing node is always in the document


def _expanded_size(root: yaml.Node, max_nodes: int, max_depth: int) -> None:
    """Refuse a node graph that expands beyond `max_nodes` or nests beyond `max_depth`."""
    sizes: dict[int, int] = {}
    # Iterative post-order walk, memoised by node identity: aliases share nodes.
    stack: list[tuple[yaml.Node, int, bool]] = [(root, 0, False)]
    while stack:
        node, depth, done = stack.pop()
        if id(node) in sizes:
            continue
        if depth > max_depth:
            raise fail("", f"the document nests deeper than {max_depth} levels")
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
            raise fail("", f"the document's aliases expand to more than {max_nodes} nodes")
        sizes[id(node)] = total


def load_yaml(text: str, *, max_nodes: int, max_depth: int) -> Any:
    """Plain data from YAML text, refusing tags, bombs and multiple documents."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise fail("", "the YAML document is empty")
        _expanded_size(node, max_nodes, max_depth)
        try:
            return loader.construct_document(node)
        except _NodeError as error:
            mark = error.node.start_mark
            where = f"(line {mark.line + 1}, column {mark.column + 1})"
            path = _path_to(node, error.node)
            raise PlanValidationError([(path, f"{error.reason} {where}")]) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problem = error.problem or error.context or "invalid YAML"
        raise fail("", f"not valid YAML: {problem}{where}") from None
    except yaml.YAMLError as error:
        raise fail("", f"not valid YAML: {error}") from None
    except RecursionError:
        raise fail("", f"the document nests deeper than {max_depth} levels") from None
    finally:
        loader.dispose()


def dump_yaml(document: Any) -> str:
    """YAML text of plain data, block style, Chinese kept as is, key order kept."""
    text: str = yaml.dump(
        document, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False
    )
    return text
