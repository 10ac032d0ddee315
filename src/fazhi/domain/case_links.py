"""Links between cases (`case_link` fields): what a link field refers to, which types may be
opened from a case, and what a linked case copies from its source (`prefill`)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any

from fazhi.domain.case_type.spec import CaseType, FieldSpec
from fazhi.domain.durations import LOCAL_TZ

# A case number: the type's prefix, the local creation date, then the id (7 digits or more).
_NUMBER = re.compile(r"^[A-Z]+(\d{8})(\d{7,})$")


def format_case_number(prefix: str, created_at: datetime, case_id: int) -> str:
    return f"{prefix}{created_at.astimezone(LOCAL_TZ):%Y%m%d}{case_id:07d}"


def case_id_from_reference(value: Any) -> int | None:
    """The case id a link input names: an id (number or digits) or a case number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value > 0 else None
    if not isinstance(value, str):
        return None
    text = value.strip().upper()
    if text.isdigit():
        return int(text) if int(text) > 0 else None
    found = _NUMBER.match(text)
    return int(found.group(2)) if found else None


def link_fields(case_type: CaseType) -> tuple[FieldSpec, ...]:
    return tuple(f for f in case_type.fields if f.type == "case_link")


def link_targets(case_type: CaseType, fields: Mapping[str, Any]) -> dict[str, int]:
    """The case each link field of `fields` points to (fields left empty are absent)."""
    out: dict[str, int] = {}
    for spec in link_fields(case_type):
        target = fields.get(spec.name)
        if isinstance(target, int) and not isinstance(target, bool):
            out[spec.name] = target
    return out


def openers(types: Iterable[CaseType], source_type: str) -> list[tuple[CaseType, FieldSpec]]:
    """(type, link field) for every type with a link field that may point to `source_type`:
    the linked cases a case of `source_type` can open."""
    return [(t, f) for t in types for f in link_fields(t) if source_type in f.link_types]


def _kinds(spec: FieldSpec) -> set[str]:
    kinds = {spec.personal} if spec.personal else set()
    return kinds | set(spec.personal_items.values())


def prefill_values(
    target_type: CaseType,
    link_field: FieldSpec,
    source_type: CaseType,
    source_fields: Mapping[str, Any],
    may_see: Callable[[str], bool],
) -> dict[str, Any]:
    """Fields of a new `target_type` case copied from its source case by `link_field.prefill`.

    `source_fields` are the source's stored (unmasked) values; a field holding personal data
    is copied only when `may_see` allows every kind it holds, and is left out otherwise, so
    a masked value is never copied into a new case.
    """
    out: dict[str, Any] = {}
    for target, source in link_field.prefill:
        source_spec = source_type.field(source)
        if source_spec is None or target_type.field(target) is None:
            continue
        value = source_fields.get(source)
        if value in (None, "", []):
            continue
        if all(may_see(kind) for kind in _kinds(source_spec)):
            out[target] = value
    return out
