"""The roles catalog (`roles.yaml`): every role as data, read strictly.

A role says how far its holder sees (`scope`), which personal data it sees whole or may
unmask, whether it sees open challenges, and its console menu. The packaged file holds the
platform's roles; a deployment adds roles, or redefines one, with a file of the same shape
named by FAZHI_ROLES_FILE. Every fault is reported with its path
(`roles.mediator.sees[1]: unknown value 'dna'`), and a file with any fault is refused.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator

from fazhi.domain.case_type import PERSONAL_KINDS, ROLE_SCOPES, RoleSpec

__all__ = [
    "NAV_IDS",
    "UNDECLARED_VISIBILITY",
    "RoleCatalog",
    "RoleCatalogError",
    "default_roles",
    "load_roles",
    "parse_roles",
]

# The console's menu entries a role may list (web/console.py maps each to its page).
NAV_IDS: tuple[str, ...] = (
    "work",
    "intake",
    "supervision",
    "stats",
    "map",
    "analytics",
    "indicators",
    "repeats",
    "cases",
    "admin",
    "report",
    "notifications",
    "missed_calls",
    "reply_templates",
    "assessment",
    "messages",
    "approvals",
    "knowledge",
    "catalogue",
    "case_file_reviews",
    "penalty_items",
    "inspections",
    "legality",
    "disputes",
    "legal_aid",
    "labour",
    "petitions",
    "consumer",
    "correction",
    "annual_report",
)
# Who sees a type whose file declares no `visibility` (types built in tests; every shipped
# type file declares one): the seven roles of the first wave, which saw every type.
UNDECLARED_VISIBILITY: tuple[str, ...] = (
    "operator",
    "dispatcher",
    "unit_handler",
    "unit_leader",
    "supervisor",
    "district_leader",
    "admin",
)
ROLE_ID = re.compile(r"^[a-z][a-z0-9_]*$")


class RoleCatalogError(Exception):
    """A roles file that cannot be used; `problems` lists every fault with its path."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        super().__init__(f"角色定义 {source} 有误：" + "；".join(problems))


def _one_of(allowed: frozenset[str], what: str) -> AfterValidator:
    def check(value: str) -> str:
        if value not in allowed:
            raise ValueError(f"unknown {what} {value!r} (one of: {', '.join(sorted(allowed))})")
        return value

    return AfterValidator(check)


Kind = Annotated[str, _one_of(PERSONAL_KINDS, "personal kind")]
NavId = Annotated[str, _one_of(frozenset(NAV_IDS), "menu entry")]


class _Role(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    label: str = Field(min_length=1)
    description: str = ""
    scope: Literal["region", "subtree", "involved"]
    sees: list[Kind] = Field(default_factory=list)
    reveals: list[Kind] = Field(default_factory=list)
    open_cases: bool = False
    nav: list[NavId] = Field(default_factory=list)
    system: bool = False

    @field_validator("sees", "reveals", "nav")
    @classmethod
    def _once(cls, value: list[str]) -> list[str]:
        twice = sorted({v for v in value if value.count(v) > 1})
        if twice:
            raise ValueError("listed twice: " + ", ".join(twice))
        return value


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    roles: dict[str, _Role]


def _path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _problems(exc: ValidationError) -> list[str]:
    """Pydantic's errors as `path: what is wrong`, in the words of the format docs."""
    problems = []
    for error in exc.errors():
        loc = tuple(error["loc"])
        where = _path(loc) or "(file)"
        kind = error["type"]
        if kind == "extra_forbidden":
            problems.append(f"{_path(loc[:-1]) or '(file)'}: unknown key {loc[-1]!r}")
        elif kind == "missing":
            problems.append(f"{where}: missing")
        elif kind == "literal_error":
            expected = ", ".join(sorted(ROLE_SCOPES))
            problems.append(f"{where}: {error['input']!r} is not one of {expected}")
        elif kind == "value_error":
            problems.append(f"{where}: {error['msg'].removeprefix('Value error, ')}")
        else:
            problems.append(f"{where}: {error['msg']} (got {error['input']!r})")
    return problems


def parse_roles(raw: Any, source: str = "roles") -> dict[str, RoleSpec]:
    """Check one roles file's content and build its specs, in file order."""
    if not isinstance(raw, dict):
        raise RoleCatalogError(source, ["(file): a mapping with the key 'roles' expected"])
    try:
        parsed = _File.model_validate(raw)
    except ValidationError as exc:
        raise RoleCatalogError(source, _problems(exc)) from None
    problems = []
    specs: dict[str, RoleSpec] = {}
    for name, role in parsed.roles.items():
        where = f"roles.{name}"
        if not ROLE_ID.match(name):
            problems.append(f"{where}: a role id is lower-case letters, digits and _")
        both = sorted(set(role.sees) & set(role.reveals))
        if both:
            problems.append(f"{where}.reveals: {', '.join(both)} already in sees")
        if role.system and role.nav:
            problems.append(f"{where}.nav: a system role never signs in to the console")
        specs[name] = RoleSpec(
            name=name,
            label=role.label,
            scope=role.scope,
            sees=frozenset(role.sees),
            reveals=frozenset(role.reveals),
            open_cases=role.open_cases,
            nav=tuple(role.nav),
            system=role.system,
            description=role.description,
        )
    if problems:
        raise RoleCatalogError(source, problems)
    return specs


class RoleCatalog(Mapping[str, RoleSpec]):
    """The loaded roles by id, in catalog order (the order menus and forms list them in)."""

    def __init__(self, specs: Mapping[str, RoleSpec]) -> None:
        self._specs = dict(specs)
        self.ids = frozenset(self._specs)

    def __getitem__(self, name: str) -> RoleSpec:
        return self._specs[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._specs)

    def __len__(self) -> int:
        return len(self._specs)

    def label(self, name: str) -> str:
        spec = self._specs.get(name)
        return spec.label if spec else name

    @property
    def labels(self) -> dict[str, str]:
        return {name: spec.label for name, spec in self._specs.items()}

    @property
    def assignable(self) -> tuple[RoleSpec, ...]:
        """Roles an admin may give a person's account (system roles are the platform's)."""
        return tuple(spec for spec in self._specs.values() if not spec.system)

    def ordered(self, names: tuple[str, ...] | list[str] | set[str] | frozenset[str]) -> list[str]:
        """`names` in catalog order (unknown ones last, as given)."""
        known = [n for n in self._specs if n in names]
        return known + [n for n in names if n not in self._specs]


def _read(path: Path | Any, source: str) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise RoleCatalogError(source, [f"YAML: {exc}"]) from None


def load_roles(extra: Path | None = None) -> RoleCatalog:
    """The packaged roles, then those of `extra` (added, or replacing one of the same id)."""
    packaged = resources.files("fazhi.catalog") / "roles.yaml"
    specs = parse_roles(_read(packaged, "roles.yaml"), "roles.yaml")
    if extra is not None:
        specs.update(parse_roles(_read(extra, str(extra)), str(extra)))
    return RoleCatalog(specs)


@lru_cache(maxsize=1)
def default_roles() -> RoleCatalog:
    extra = os.environ.get("FAZHI_ROLES_FILE")
    return load_roles(Path(extra) if extra else None)
