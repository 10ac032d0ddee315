"""Masking of citizens' personal data (DESIGN.md §7): shown whole only to roles allowed.

A field's `personal` kind says how its value is masked; a viewer's role names the kinds it
sees whole (`shown`). Masking reaches into the records of list fields through their item
specs (`parties[0].id_number`). A kind this module does not know is hidden whole: an
unknown kind fails closed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from fazhi.domain.case_type.spec import FieldSpec
from fazhi.domain.seal import ANONYMISED_LABEL, is_anonymised

HIDDEN = "[已隐藏]"
# How much of an address stays: the city and district (株洲市石峰区), never the street.
ADDRESS_KEEP = 6


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


def mask_address(value: str) -> str:
    """The first six characters then ****: 株洲市石峰区****. A short address keeps
    fewer, so that at least its last three characters are always hidden."""
    return value[: max(0, min(ADDRESS_KEEP, len(value) - 3))] + "****"


def mask_whole(value: str) -> str:
    """Health and criminal records are never shown in part."""
    return HIDDEN


MASKERS: dict[str, Callable[[str], str]] = {
    "phone": mask_phone,
    "name": mask_name,
    "id_number": mask_id_number,
    "address": mask_address,
    "health": mask_whole,
    "criminal_record": mask_whole,
}
# Kinds whose every value is hidden, whatever its type: a yes/no "has a criminal record"
# says as much as the record.
WHOLE_KINDS = frozenset({"health", "criminal_record"})


def _blank(value: Any) -> bool:
    return value is None or value == "" or value == []


def mask_value(kind: str, value: Any) -> Any:
    """One value masked by its kind; empty values stay as they are (nothing to hide)."""
    if _blank(value):
        return value
    if is_anonymised(value):
        return ANONYMISED_LABEL  # retention replaced it; its digest is for the trail only
    masker = MASKERS.get(kind)
    if masker is None or kind in WHOLE_KINDS or isinstance(value, Mapping):
        return HIDDEN  # nothing partial is safe to show of these
    if isinstance(value, list):
        return [mask_value(kind, v) for v in value]
    if not isinstance(value, str):
        return value
    return masker(value)


# --- fields of a case, with records ----------------------------------------------------------

Personal = Mapping[str, str] | Iterable[FieldSpec]


def _specs(personal: Personal) -> tuple[FieldSpec, ...]:
    """Field specs from either form: specs as they are, or a legacy {field: kind} map."""
    if isinstance(personal, Mapping):
        return tuple(FieldSpec(k, "string", k, personal=v) for k, v in personal.items())
    return tuple(personal)


def _walk(fields: Mapping[str, Any], specs: Iterable[FieldSpec]) -> Iterator[tuple[str, str, Any]]:
    """(path, kind, value) of every non-empty personal value, records included, in spec
    order; records are counted from 0."""
    for spec in specs:
        value = fields.get(spec.name)
        if _blank(value):
            continue
        if spec.personal:
            yield spec.name, spec.personal, value
        elif spec.items and isinstance(value, list):
            for index, record in enumerate(value):
                if isinstance(record, Mapping):
                    for path, kind, inner in _walk(record, spec.items):
                        yield f"{spec.name}[{index}].{path}", kind, inner


def mask_fields(
    fields: Mapping[str, Any], personal: Personal, shown: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """A copy of `fields` with every personal value masked by its kind, unless the kind is
    one the viewer sees whole (`shown`); inside list fields by the records' item specs.

    `personal` is the fields' specs (`case_type.fields`, an action's inputs). The older
    form, a {field: kind} map such as `case_type.personal_fields`, still works but cannot
    see into records: callers showing list fields must pass the specs.
    """
    out = dict(fields)
    for spec in _specs(personal):
        value = fields.get(spec.name)
        if _blank(value):
            continue
        if spec.personal:
            if spec.personal not in shown:
                out[spec.name] = mask_value(spec.personal, value)
        elif spec.items and isinstance(value, list):
            out[spec.name] = [
                mask_fields(r, spec.items, shown) if isinstance(r, Mapping) else r for r in value
            ]
    return out


def personal_kinds(fields: Mapping[str, Any], personal: Personal) -> frozenset[str]:
    """The personal kinds that `fields` hold a value of, records included: the console
    offers 显示完整信息 only when one of them is not already shown to the viewer."""
    return frozenset(kind for _, kind, _ in _walk(fields, _specs(personal)))


def personal_paths(
    fields: Mapping[str, Any], personal: Personal, shown: frozenset[str] = frozenset()
) -> list[str]:
    """Paths of the values `mask_fields` masks for a viewer who sees `shown` whole:
    `caller_phone`, `parties[0].id_number` (records from 0). An unmasking event records
    them, so the trail says what was revealed without holding it."""
    return [path for path, kind, _ in _walk(fields, _specs(personal)) if kind not in shown]
