"""Every YAML read goes through here: the C safe loader, duplicate keys refused, lines kept."""

from __future__ import annotations

from typing import Any

import yaml

from portaldoctor.errors import InputError, SourceLocation

try:
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader

Path = tuple[str | int, ...]
Locations = dict[Path, SourceLocation]


def load(text: str, filename: str, *, locations: Locations | None = None) -> Any:
    """Parse one YAML (or JSON) document; record the line of every mapping key in ``locations``.

    Raises InputError with file and line on a syntax error, a duplicate key, or an empty file.
    """
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise InputError("file is empty", location=SourceLocation(filename, 1))
        return _build(loader, node, (), filename, locations)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        problem = exc.problem or str(exc)
        raise InputError(f"not valid YAML/JSON: {problem}", location=SourceLocation(filename, line)) from None
    except yaml.YAMLError as exc:
        raise InputError(f"not valid YAML/JSON: {exc}", location=SourceLocation(filename)) from None
    finally:
        loader.dispose()


def _build(loader: Any, node: yaml.Node, path: Path, filename: str, locations: Locations | None) -> Any:
    if locations is not None and path not in locations:
        locations[path] = SourceLocation(filename, node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, yaml.MappingNode):
        loader.flatten_mapping(node)
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str | int | bool | float) and key is not None:
                raise InputError(
                    "mapping keys must be plain scalars",
                    location=SourceLocation(filename, key_node.start_mark.line + 1),
                )
            if key in result:
                raise InputError(
                    f"duplicate key '{key}'",
                    location=SourceLocation(filename, key_node.start_mark.line + 1),
                    field=".".join(str(p) for p in (*path, key)),
                )
            child = (*path, key if isinstance(key, str | int) else str(key))
            if locations is not None:
                locations[child] = SourceLocation(
                    filename, key_node.start_mark.line + 1, key_node.start_mark.column + 1
                )
            result[key] = _build(loader, value_node, child, filename, locations)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(loader, item, (*path, i), filename, locations) for i, item in enumerate(node.value)]
    return loader.construct_object(node, deep=True)


def load_plain(text: str, filename: str) -> Any:
    """Parse YAML without keeping locations (playbooks, configuration)."""
    return load(text, filename)
