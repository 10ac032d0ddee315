"""Check type files and list every fault of every file (`fazhi types check`).

Unlike loading, which stops at the first broken file, a check reads every file to the end:
YAML syntax errors with their line, every fault of the format with its path, templates
missing beside their file, a type defined twice, and links between types.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from fazhi.catalog.registry import (
    TypeFile,
    choice_sets,
    folder_type_files,
    parse_type_file,
    read_yaml,
    shipped_type_files,
)
from fazhi.domain.case_type import CaseType, CaseTypeError, link_faults


@dataclass(frozen=True)
class TypeFault:
    file: str
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.path}: {self.message}"


def _split(file: str, problem: str) -> TypeFault:
    path, _, message = problem.partition(": ")
    return TypeFault(file, path, message) if message else TypeFault(file, "(root)", problem)


def files_to_check(paths: list[Path] | None) -> tuple[list[TypeFile], list[TypeFault]]:
    """The files named (a folder stands for its *.yaml), or the shipped ones and those of
    FAZHI_CASE_TYPES_DIR."""
    if not paths:
        extra = os.environ.get("FAZHI_CASE_TYPES_DIR")
        return shipped_type_files() + folder_type_files(Path(extra) if extra else None), []
    files: list[TypeFile] = []
    faults: list[TypeFault] = []
    for path in paths:
        if path.is_dir():
            files.extend(folder_type_files(path))
        elif path.is_file():
            files.append(TypeFile(str(path), str(path), path.read_text(encoding="utf-8")))
        else:
            faults.append(TypeFault(str(path), "(root)", "no such file or folder"))
    return files, faults


def _context(paths: list[Path] | None) -> dict[str, CaseType]:
    """Types a checked file may link to without being checked itself: the shipped ones,
    when particular files are checked (their faults are a default check's business)."""
    return dict(_shipped_types()) if paths else {}


@lru_cache(maxsize=1)
def _shipped_types() -> tuple[tuple[str, CaseType], ...]:
    sets = choice_sets()
    found: list[tuple[str, CaseType]] = []
    for file in shipped_type_files():
        try:
            parsed = parse_type_file(file, read_yaml(file.text), sets)
        except (CaseTypeError, yaml.YAMLError):
            continue
        found.append((parsed.name, parsed))
    return tuple(found)


def _parse(
    file: TypeFile, sets: dict[str, tuple[tuple[str, str], ...]]
) -> CaseType | list[TypeFault]:
    try:
        raw = read_yaml(file.text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"line {mark.line + 1}" if mark else "(root)"
        return [TypeFault(file.name, where, f"not valid YAML: {exc.problem or exc.context}")]
    except yaml.YAMLError as exc:
        return [TypeFault(file.name, "(root)", f"not valid YAML: {exc}")]
    try:
        return parse_type_file(file, raw, sets)
    except CaseTypeError as exc:
        return [_split(file.name, p) for p in exc.problems]


def _template_faults(file: TypeFile, case_type: CaseType) -> list[TypeFault]:
    folder = Path(file.path).parent
    return [
        TypeFault(
            file.name, f"documents.{d.name}.template", f"no file {d.template} beside the type file"
        )
        for d in case_type.documents
        if d.template and not (folder / d.template).is_file()
    ]


def check_type_files(paths: list[Path] | None = None) -> list[TypeFault]:
    """Every fault of every file, then of the links between the types."""
    files, faults = files_to_check(paths)
    sets = choice_sets()
    types = _context(paths)
    checked: dict[str, TypeFile] = {}
    shipped = {f.path for f in shipped_type_files()}
    for file in files:
        result = _parse(file, sets)
        if isinstance(result, list):
            faults.extend(result)
            continue
        previous = checked.get(result.name)
        # A deployment's folder may override a shipped type; two other files may not clash.
        if previous is not None and not (previous.path in shipped and file.path not in shipped):
            faults.append(
                TypeFault(
                    file.name, "type", f"type {result.name!r} is also defined in {previous.name}"
                )
            )
        faults.extend(_template_faults(file, result))
        types[result.name] = result
        checked[result.name] = file
    for name, problems in link_faults(types).items():
        if name in checked:
            faults.extend(_split(checked[name].name, p) for p in problems)
    return faults
