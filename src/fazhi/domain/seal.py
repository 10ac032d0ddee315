"""The seal form of an event: what its hash covers, personal values through a keyed digest.

A plain SHA-256 over a payload that the events endpoint shows masked lets anyone who reads the
trail guess the hidden digits of a phone and compare hashes (issue 9, finding 3). So the hash
of a keyed event covers, in place of each personal value, `hmac:<hex>` — HMAC-SHA256 of the
value under the server secret — and the list of the paths it replaced. Only the platform,
which holds the key, can recompute it; a reader of the trail learns nothing masked.

Seal versions (the event row's `seal`):
  0  plain: events written before the keyed seal; verified the old way, never rewritten.
  1  keyed: as above.
  2  witnessed: a plain event whose personal values retention replaced. Its plain hash can no
     longer be recomputed, so when anonymising the platform first verifies it, then stores a
     keyed witness binding that hash to the event's (keyed) seal form.

An anonymised value is `anonymised:hmac:<hex>`: it keeps the digest, so the seal form — and
with it the hash — is the same before and after. Pure: the key is passed in.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from fazhi.domain.case_type.spec import FieldSpec

SEAL_PLAIN = 0
SEAL_KEYED = 1
SEAL_WITNESSED = 2

DIGEST_PREFIX = "hmac:"
ANONYMISED_PREFIX = "anonymised:"
ANONYMISED_LABEL = "[已匿名]"

PathPart = str | int
SealPath = tuple[PathPart, ...]


def _canon(value: Any) -> bytes:
    return json.dumps(
        value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str
    ).encode()


def is_anonymised(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(ANONYMISED_PREFIX + DIGEST_PREFIX)


def value_digest(key: bytes, value: Any) -> str:
    """`hmac:<hex>` of a personal value; an anonymised value yields the digest it kept."""
    if is_anonymised(value):
        return str(value)[len(ANONYMISED_PREFIX) :]
    return DIGEST_PREFIX + hmac.new(key, _canon(value), hashlib.sha256).hexdigest()


def anonymised(key: bytes, value: Any) -> str:
    return ANONYMISED_PREFIX + value_digest(key, value)


# --- where the personal values are ---------------------------------------------------------


def _blank(value: Any) -> bool:
    return value is None or value == "" or value == []


def field_paths(
    values: Mapping[str, Any], specs: Iterable[FieldSpec], prefix: SealPath = ()
) -> Iterator[SealPath]:
    """Paths of the non-empty personal values of `values` by their specs, into list records."""
    for spec in specs:
        value = values.get(spec.name)
        if _blank(value):
            continue
        if spec.personal:
            yield (*prefix, spec.name)
        elif spec.items and isinstance(value, list):
            for index, record in enumerate(value):
                if isinstance(record, Mapping):
                    yield from field_paths(record, spec.items, (*prefix, spec.name, index))


def payload_paths(
    payload: Mapping[str, Any],
    specs: Iterable[FieldSpec],
    document_fields: Callable[[str], tuple[FieldSpec, ...]],
) -> list[SealPath]:
    """Paths of the personal values an event's payload carries — where the presenters mask:
    its inputs and both sides of its changes (by the type's fields and the action's inputs),
    and a document's data (by its kind's fields)."""
    by_name: dict[str, FieldSpec] = {}
    for spec in specs:
        by_name.setdefault(spec.name, spec)  # the first (the type's field) wins a clash
    paths: list[SealPath] = []
    inputs = payload.get("inputs")
    if isinstance(inputs, Mapping):
        paths.extend(field_paths(inputs, by_name.values(), ("inputs",)))
    changes = payload.get("changes")
    if isinstance(changes, Mapping):
        for name, pair in changes.items():
            changed = by_name.get(name)
            if changed is None or not isinstance(pair, list):
                continue
            for side, value in enumerate(pair):
                for path in field_paths({name: value}, (changed,)):
                    paths.append(("changes", name, side, *path[1:]))
    document = payload.get("document")
    if isinstance(document, Mapping) and isinstance(document.get("data"), Mapping):
        fields = document_fields(str(document.get("kind")))
        paths.extend(field_paths(document["data"], fields, ("document", "data")))
    return list(dict.fromkeys(paths))


# --- sealing ---------------------------------------------------------------------------------


def _replace(tree: Any, path: SealPath, change: Callable[[Any], Any]) -> None:
    """Apply `change` to the value at `path` in place; a path that no longer leads anywhere
    is left alone (the hash then tells)."""
    node = tree
    for part in path[:-1]:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return
    last = path[-1]
    try:
        node[last] = change(node[last])
    except (KeyError, IndexError, TypeError):
        return


def _copied_along(tree: dict[str, Any], path: SealPath) -> Any:
    """The container at `path[:-1]` in `tree`, every container on the way there replaced by
    a shallow copy (so the caller's tree is left as it was); None when the path leads
    nowhere."""
    node: Any = tree
    for part in path[:-1]:
        try:
            child = node[part]
        except (KeyError, IndexError, TypeError):
            return None
        if isinstance(child, dict):
            child = dict(child)
        elif isinstance(child, list):
            child = list(child)
        else:
            return None
        node[part] = child
        node = child
    return node


def seal_payload(payload: Mapping[str, Any], paths: Iterable[SealPath], key: bytes) -> Any:
    """A copy of `payload` with the values at `paths` as digests. Only the containers on the
    paths are copied (a deep copy of every payload was most of the cost of sealing); the
    rest is shared with `payload`, which is never changed."""
    sealed = dict(payload)
    for path in paths:
        node = _copied_along(sealed, path)
        if node is None:
            continue
        last = path[-1]
        try:
            node[last] = value_digest(key, node[last])
        except (KeyError, IndexError, TypeError):
            continue
    return sealed


def anonymise(tree: Mapping[str, Any], paths: Iterable[SealPath], key: bytes) -> dict[str, Any]:
    """A copy with every value at `paths` replaced by its anonymised marker."""
    out = copy.deepcopy(dict(tree))
    for path in paths:
        _replace(out, path, lambda v: anonymised(key, v))
    return out


def sealed_content(
    content: Mapping[str, Any], paths: Iterable[SealPath], key: bytes
) -> dict[str, Any]:
    """What a keyed event's hash covers: the content with personal values as digests, and
    the paths replaced (so moving or dropping one is a change too)."""
    paths = [tuple(p) for p in paths]
    return {
        **content,
        "payload": seal_payload(content["payload"], paths, key),
        "seal": SEAL_KEYED,
        "sealed": [list(p) for p in paths],
    }


def witness(key: bytes, plain_hash: str, content: Mapping[str, Any]) -> str:
    """A keyed attestation, made after the plain hash was verified, that the event with that
    hash had this seal form: it lets retention anonymise events sealed the plain way."""
    return hmac.new(key, plain_hash.encode() + _canon(content), hashlib.sha256).hexdigest()
