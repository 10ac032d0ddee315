"""Masking of citizens' personal data (DESIGN.md §7): shown whole only to roles allowed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def mask_phone(value: str) -> str:
    digits = value.replace("-", "")
    if len(digits) < 7:
        return "*" * len(value)
    return f"{digits[:3]}****{digits[-4:]}"


def mask_name(value: str) -> str:
    if len(value) <= 1:
        return "*"
    if len(value) == 2:
        return value[0] + "*"
    return value[0] + "*" * (len(value) - 2) + value[-1]


def mask_id_number(value: str) -> str:
    if len(value) < 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


MASKERS = {"phone": mask_phone, "name": mask_name, "id_number": mask_id_number}


def mask_value(kind: str, value: Any) -> Any:
    if not isinstance(value, str) or not value:
        return value
    return MASKERS[kind](value)


def mask_fields(fields: Mapping[str, Any], personal: Mapping[str, str]) -> dict[str, Any]:
    """A copy of `fields` with every personal field masked by its kind."""
    return {k: mask_value(personal[k], v) if k in personal else v for k, v in fields.items()}
