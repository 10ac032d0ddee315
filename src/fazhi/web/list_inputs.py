"""List fields in the console: a posted form's records (inputs named `parties[0][name]`
become a list of dicts) and the table the case page shows them in.

The console renders each record of a `list` field as a group of inputs named
`<field>[<index>][<item>]`; the browser script adds and removes groups, so indexes may have
gaps and come in any order. Records are ordered by index and renumbered from 0, so problems
reported by path (`parties[1].id_number`) name the records as the form shows them again.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from fazhi.domain.case_type import FieldSpec

_NAME = re.compile(r"^([a-z_][a-z0-9_]*)\[(\d{1,4})\]\[([a-z_][a-z0-9_]*)\]$")


def records_from_form(
    specs: Iterable[FieldSpec], pairs: Iterable[tuple[str, Any]]
) -> dict[str, list[dict[str, Any]]]:
    """The records of each `list` field among `specs`, from the form's (name, value) pairs.

    Only declared list fields and item names are read; blank values are left out (so
    `required` and defaults apply) and a record left wholly blank is dropped. A field with
    no record left is absent from the result.
    """
    lists = {s.name: s for s in specs if s.type == "list"}
    found: dict[str, dict[int, dict[str, Any]]] = {}
    for key, value in pairs:
        match = _NAME.match(key)
        if match is None or not isinstance(value, str):
            continue
        name, index, item_name = match.group(1), int(match.group(2)), match.group(3)
        spec = lists.get(name)
        item = spec.item(item_name) if spec else None
        if item is None:
            continue
        record = found.setdefault(name, {}).setdefault(index, {})
        if item.type == "unit_list":
            if value:
                record.setdefault(item_name, []).append(value)
        elif value.strip():
            record[item_name] = value if item.type == "text" else value.strip()
    out: dict[str, list[dict[str, Any]]] = {}
    for name, by_index in found.items():
        records = [record for _, record in sorted(by_index.items()) if record]
        if records:
            out[name] = records
    return out


def record_path(field: str, index: int, item: str) -> str:
    """The path a problem inside a record is reported by: `parties[1].id_number`."""
    return f"{field}[{index}].{item}"


def record_table(
    spec: FieldSpec, records: Any, show: Callable[[FieldSpec, Any], str]
) -> dict[str, Any]:
    """A list field as the case page's table: a column per item, a row per record, each
    value as `show(item spec, value)` renders it (records come masked from the presenters)."""
    rows = []
    for record in records if isinstance(records, list) else []:
        values = record if isinstance(record, dict) else {}
        rows.append([show(item, values.get(item.name)) for item in spec.items])
    return {
        "name": spec.name,
        "label": spec.label,
        "columns": [i.label for i in spec.items],
        "rows": rows,
    }
