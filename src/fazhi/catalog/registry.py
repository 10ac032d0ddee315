"""Load the case types: the package's own type files plus a deployment's extra folder.

A deployment adds or overrides a type by dropping a YAML file in the folder named by
FAZHI_CASE_TYPES_DIR; no code, table or endpoint is needed (DESIGN.md §1).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from fazhi.catalog.categories import load_categories
from fazhi.catalog.roles import default_roles
from fazhi.domain.case_type import CaseType, CaseTypeError, parse_case_type


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


def _choice_sets() -> dict[str, tuple[tuple[str, str], ...]]:
    return {"categories": tuple((c.code, c.name) for c in load_categories())}


def _raw_files(extra_dir: Path | None) -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    package = resources.files("fazhi.catalog") / "case_types"
    for entry in sorted(package.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            found.append((entry.name, yaml.safe_load(entry.read_text(encoding="utf-8"))))
    if extra_dir and extra_dir.is_dir():
        for path in sorted(extra_dir.glob("*.yaml")):
            found.append((str(path), yaml.safe_load(path.read_text(encoding="utf-8"))))
    return found


def load_case_types(extra_dir: Path | None = None) -> CaseTypes:
    """Parse every type file; raise CaseTypeError naming the file and all its faults."""
    sets = _choice_sets()
    types: dict[str, CaseType] = {}
    for source, raw in _raw_files(extra_dir):
        if not isinstance(raw, dict):
            raise CaseTypeError(source, ["文件内容应为映射"])
        try:
            parsed = parse_case_type(raw, default_roles().ids, sets)
        except CaseTypeError as exc:
            raise CaseTypeError(f"{exc.type_name}（{source}）", exc.problems) from exc
        types[parsed.name] = parsed
    return CaseTypes(types)


@lru_cache(maxsize=1)
def default_case_types() -> CaseTypes:
    extra = os.environ.get("FAZHI_CASE_TYPES_DIR")
    return load_case_types(Path(extra) if extra else None)
