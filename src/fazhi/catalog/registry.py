"""Load the case types: the package's own type files plus a deployment's extra folder.

A deployment adds or overrides a type by dropping a YAML file in the folder named by
FAZHI_CASE_TYPES_DIR; no code, table or endpoint is needed (DESIGN.md §1). A file's `hooks:`
modules are imported before it is parsed, so the hooks they register are known to the
parser; links between types are checked once every file is loaded.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from fazhi.catalog.categories import load_categories
from fazhi.catalog.roles import default_roles
from fazhi.domain.case_type import CaseType, CaseTypeError, link_faults, parse_case_type
from fazhi.domain.hooks import compute_hook_types, rule_hook_names


class CaseTypes:
    """The loaded types by name."""

    def __init__(self, types: dict[str, CaseType]) -> None:
        self._types = types

    def get(self, name: str) -> CaseType | None:
        return self._types.get(name)

    def __iter__(self) -> Iterator[CaseType]:
        return iter(self._types.values())

    def names(self) -> list[str]:
        return list(self._types)


@dataclass(frozen=True)
class TypeFile:
    """One type file: `name` as faults show it, `path` where it lies (templates are beside it)."""

    name: str
    path: str
    text: str


class _Loader(yaml.SafeLoader):
    """Safe YAML that refuses a key given twice in one mapping (the second would silently win)."""


def _mapping(loader: _Loader, node: yaml.MappingNode, deep: bool = False) -> Any:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        if isinstance(key_node, yaml.ScalarNode):
            key = loader.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    "while reading a mapping",
                    node.start_mark,
                    f"duplicate key {key!r}",
                    key_node.start_mark,
                )
            seen.add(key)
    return loader.construct_mapping(node, deep)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def read_yaml(text: str) -> Any:
    """A type file's content; yaml.YAMLError (with its line) when it is not valid YAML."""
    return yaml.load(text, Loader=_Loader)


def shipped_type_files() -> list[TypeFile]:
    package = resources.files("fazhi.catalog") / "case_types"
    return [
        TypeFile(entry.name, str(entry), entry.read_text(encoding="utf-8"))
        for entry in sorted(package.iterdir(), key=lambda e: e.name)
        if entry.name.endswith(".yaml")
    ]


def folder_type_files(folder: Path | None) -> list[TypeFile]:
    if not folder or not folder.is_dir():
        return []
    return [
        TypeFile(str(path), str(path), path.read_text(encoding="utf-8"))
        for path in sorted(folder.glob("*.yaml"))
    ]


def choice_sets() -> dict[str, tuple[tuple[str, str], ...]]:
    return {"categories": tuple((c.code, c.name) for c in load_categories())}


def import_hooks(raw: Any) -> list[str]:
    """Import the modules a file's `hooks:` names, so they register; faults with paths."""
    hooks = raw.get("hooks") if isinstance(raw, dict) else None
    if not isinstance(hooks, list):
        return []  # the parser reports a malformed `hooks:`
    problems = []
    for i, module in enumerate(hooks):
        if not isinstance(module, str):
            continue
        try:
            importlib.import_module(module)
        except Exception as exc:  # any failure of the hook module is a fault of this file
            problems.append(f"hooks[{i}]: cannot import {module!r} ({type(exc).__name__}: {exc})")
    return problems


def parse_type_file(
    file: TypeFile, raw: Any, sets: dict[str, tuple[tuple[str, str], ...]]
) -> CaseType:
    """Parse one file's content; CaseTypeError names the file and lists every fault."""
    if not isinstance(raw, dict):
        raise CaseTypeError(file.name, ["(root): the file should be a mapping"])
    problems = import_hooks(raw)
    try:
        parsed = parse_case_type(
            raw,
            default_roles().ids,
            sets,
            compute_hooks=compute_hook_types(),
            rule_hooks=rule_hook_names(),
            source=file.path,
        )
    except CaseTypeError as exc:
        raise CaseTypeError(f"{exc.type_name}（{file.name}）", problems + exc.problems) from exc
    if problems:
        raise CaseTypeError(f"{parsed.name}（{file.name}）", problems)
    return parsed


def load_case_types(extra_dir: Path | None = None) -> CaseTypes:
    """Parse every type file; raise CaseTypeError naming the file and all its faults."""
    sets = choice_sets()
    types: dict[str, CaseType] = {}
    for file in shipped_type_files() + folder_type_files(extra_dir):
        try:
            raw = read_yaml(file.text)
        except yaml.YAMLError as exc:
            raise CaseTypeError(file.name, [f"(root): not valid YAML ({exc})"]) from exc
        parsed = parse_type_file(file, raw, sets)
        types[parsed.name] = parsed
    faults = link_faults(types)
    if faults:
        name, problems = next(iter(faults.items()))
        raise CaseTypeError(f"{name}（{types[name].source}）", problems)
    return CaseTypes(types)


@lru_cache(maxsize=1)
def default_case_types() -> CaseTypes:
    extra = os.environ.get("FAZHI_CASE_TYPES_DIR")
    return load_case_types(Path(extra) if extra else None)
