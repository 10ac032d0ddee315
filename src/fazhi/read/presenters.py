"""Cases, events and clocks as the API shows them, with personal data masked by role.

The personal kinds shown whole are those the actor's roles see for the case's type
(domain.roles.shown_kinds, kept in the actor's sight); a reveal adds those it may unmask."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from fazhi.catalog.categories import load_categories
from fazhi.domain import numbers
from fazhi.domain.calendar import WorkCalendar
from fazhi.domain.case_type import CaseType
from fazhi.domain.documents import mask_data
from fazhi.domain.due import due_status, remaining_label, workdays_left
from fazhi.domain.durations import LOCAL_TZ
from fazhi.domain.privacy import mask_fields
from fazhi.domain.records import ClockRecord
from fazhi.domain.seal import SEAL_PLAIN
from fazhi.domain.units import Actor
from fazhi.org.directory import UnitDirectory
from fazhi.read.deadlines import clock_record, deadline_clock
from fazhi.store.models import Case, Document, Event

_CATEGORY_NAMES = {c.code: c.name for c in load_categories()}


def local_iso(moment: datetime | None) -> str | None:
    return moment.astimezone(LOCAL_TZ).isoformat() if moment else None


def case_number(case_type: CaseType | None, case: Case) -> str:
    return numbers.case_number(
        case_type.number_prefix if case_type else None, case.created_at, case.id
    )


parse_case_number = numbers.parse_case_number


def shown_personal_kinds(case_type: CaseType, actor: Actor, reveal: bool = False) -> frozenset[str]:
    """The personal kinds `actor` sees whole in cases of this type; with `reveal`, also
    those it may unmask on purpose."""
    view = actor.sight.view(case_type.name)
    if view is None:
        return frozenset()
    return view.shown | view.reveals if reveal else view.shown


def hidden_personal(case_type: CaseType, actor: Actor, reveal: bool = False) -> dict[str, str]:
    """The type's personal fields (name → kind) that `actor` sees masked, a list field
    counting when any of its records' fields is; with `reveal`, less those of the kinds it
    may unmask."""
    shown = shown_personal_kinds(case_type, actor, reveal)
    hidden = {k: kind for k, kind in case_type.personal_fields.items() if kind not in shown}
    for spec in case_type.fields:
        kinds = set(spec.personal_items.values()) - shown
        if spec.type == "list" and kinds:
            hidden[spec.name] = sorted(kinds)[0]
    return hidden


def sees_whole(case_type: CaseType, actor: Actor) -> bool:
    return not hidden_personal(case_type, actor)


def present_fields(
    case_type: CaseType, fields: dict[str, Any], actor: Actor, reveal: bool = False
) -> dict[str, Any]:
    if not hidden_personal(case_type, actor, reveal):
        return dict(fields)
    return mask_fields(fields, case_type.fields, shown_personal_kinds(case_type, actor, reveal))


def present_case_brief(
    case: Case,
    case_type: CaseType | None,
    actor: Actor,
    directory: UnitDirectory,
    calendar: WorkCalendar,
    now: datetime,
    clock: ClockRecord | None = None,
) -> dict[str, Any]:
    """`clock`: the running clock behind `due_at` (read.deadlines), when the caller read it:
    the due-soon window then follows that clock (domain.due.due_status)."""
    lead = directory.by_id.get(case.lead_unit_id) if case.lead_unit_id else None
    status = None if case.terminal else due_status(case.due_at, now, calendar, clock)
    return {
        "id": case.id,
        "number": case_number(case_type, case),
        "type": case.type,
        "type_label": case_type.label if case_type else case.type,
        "state": case.state,
        "state_label": case_type.state_label(case.state) if case_type else case.state,
        "terminal": case.terminal,
        "version": case.version,
        "title": case.title,
        "category": case.category,
        "category_label": _CATEGORY_NAMES.get(case.category or "", case.category),
        "lead_unit": lead.brief() if lead else None,
        "due_at": local_iso(case.due_at) if not case.terminal else None,
        "due_status": status,
        "marks": [m.get("kind") for m in case.marks or []],
        "created_at": local_iso(case.created_at),
        "updated_at": local_iso(case.updated_at),
        "closed_at": local_iso(case.closed_at),
    }


def present_clock(
    clock: Any, now: datetime, calendar: WorkCalendar, deadline: bool = True
) -> dict[str, Any]:
    """A clock as the API shows it. A period (`deadline: false`) is never overdue or missed:
    open, it is `on_track` until it runs out and `lapsed` after; stopped, `met`."""
    running = clock.stopped_at is None
    record = clock_record(clock)
    if not deadline:
        return {
            **_clock_facts(clock),
            "deadline": False,
            "running": running,
            "status": ("lapsed" if now > clock.due_at else "on_track") if running else "met",
            "workdays_left": workdays_left(clock.due_at, now, calendar) if running else None,
            "remaining": "已届满"
            if running and now > clock.due_at
            else remaining_label(record, now, calendar),
        }
    return {
        **_clock_facts(clock),
        "deadline": True,
        "running": running,
        "status": due_status(clock.due_at, now, calendar, record)
        if running
        else ("met" if clock.stopped_at and clock.stopped_at <= clock.due_at else "missed"),
        "workdays_left": workdays_left(clock.due_at, now, calendar) if running else None,
        # The countdown in the clock's own unit: 剩余3个工作日, 今日到期, 剩余25分钟.
        "remaining": remaining_label(record, now, calendar),
    }


def _clock_facts(clock: Any) -> dict[str, Any]:
    return {
        "name": clock.name,
        "label": clock.label,
        "basis": clock.basis,
        "limit": clock.limit,
        "started_at": local_iso(clock.started_at),
        "due_at": local_iso(clock.due_at),
        "stopped_at": local_iso(clock.stopped_at),
        "extended": clock.extended,
    }


def present_case(
    case: Case,
    case_type: CaseType,
    actor: Actor,
    directory: UnitDirectory,
    calendar: WorkCalendar,
    now: datetime,
    clocks: list[Any],
    assisting: list[int],
    reveal: bool = False,
) -> dict[str, Any]:
    out = present_case_brief(
        case, case_type, actor, directory, calendar, now, deadline_clock(clocks, case)
    )
    grid = directory.by_id.get(case.grid_id) if case.grid_id else None
    street = directory.street_of(grid) if grid else None
    fields = present_fields(case_type, case.fields, actor, reveal)
    hidden = hidden_personal(case_type, actor, reveal)
    for name in _own_names(case, actor, hidden):
        fields[name] = case.fields[name]
        del hidden[name]
    out.update(
        {
            "fields": fields,
            "personal_data_masked": any(case.fields.get(k) for k in hidden),
            "assisting_units": [
                directory.by_id[u].brief() for u in assisting if u in directory.by_id
            ],
            "grid": grid.brief() if grid else None,
            "street": street.brief() if street else None,
            "marks": case.marks or [],
            "open_to_units": case.open_to_units,
            "clocks": [
                present_clock(c, now, calendar, c.name not in case_type.periods) for c in clocks
            ],
            "external": {"source": case.external_source, "id": case.external_id}
            if case.external_id
            else None,
        }
    )
    return out


def _own_names(case: Case, actor: Actor, hidden: dict[str, str]) -> list[str]:
    """Masked name fields holding the actor's own name on a case the actor registered (a
    grid worker's report names the worker): masking them hides nothing from that user."""
    if case.created_by is None or case.created_by != actor.user_id:
        return []
    return [
        name
        for name, kind in hidden.items()
        if kind == "name" and case.fields.get(name) == actor.name and actor.name
    ]


def present_event(event: Event, case_type: CaseType | None, actor: Actor) -> dict[str, Any]:
    payload = event.payload
    personal = hidden_personal(case_type, actor) if case_type else {}
    if personal and case_type is not None:
        shown = shown_personal_kinds(case_type, actor)
        # An action's inputs are named like the type's fields, or are its own inputs.
        specs = (*case_type.fields, *(a.inputs if (a := case_type.action(event.action)) else ()))
        payload = dict(payload)
        if "inputs" in payload:
            payload["inputs"] = mask_fields(payload["inputs"], specs, shown)
        if "changes" in payload:
            payload["changes"] = {
                k: [mask_fields({k: v}, specs, shown)[k] for v in pair]
                for k, pair in payload["changes"].items()
            }
        document = payload.get("document")
        if isinstance(document, dict) and document.get("data"):
            kind = case_type.document(str(document.get("kind")))
            masked = mask_data(kind.fields if kind else (), document["data"], shown)
            payload["document"] = {**document, "data": masked}
            if masked != document["data"] and (event.seal or SEAL_PLAIN) == SEAL_PLAIN:
                # A plain digest of the unmasked data (events before the keyed seal).
                payload["document"]["data_sha256"] = None
                if isinstance(payload.get("replaces"), dict):
                    payload["replaces"] = {**payload["replaces"], "data_sha256": None}
    action_spec = case_type.action(event.action) if case_type else None
    return {
        "id": event.id,
        "seq": event.seq,
        "action": event.action,
        "action_label": action_spec.label
        if action_spec
        else BUILTIN_LABELS.get(event.action, event.action),
        "at": local_iso(event.at),
        "actor": event.actor,
        "from_state": event.from_state,
        "to_state": event.to_state,
        "payload": payload,
        "hash": event.hash,
        "prev_hash": event.prev_hash,
    }


def present_events(
    events: Iterable[Event], case_type: CaseType | None, actor: Actor
) -> list[dict[str, Any]]:
    """A case's trail. Events sealed the plain way (before the keyed seal, seal 0) hash the
    unmasked payload, so their hash — and the next event's link to it — is left out for a
    viewer who sees some personal field masked: it would let the hidden part be guessed."""
    masked = bool(case_type and hidden_personal(case_type, actor))
    items: list[dict[str, Any]] = []
    hidden_before = False
    for event in events:
        item = present_event(event, case_type, actor)
        plain = masked and (event.seal or SEAL_PLAIN) == SEAL_PLAIN
        if plain:
            item["hash"] = None
        if plain or hidden_before:
            item["prev_hash"] = None
        hidden_before = plain
        items.append(item)
    return items


def mark_labels(case_type: CaseType) -> dict[str, str]:
    """The labels of the supervision marks the type's actions set: a mark named by an input
    takes that input's choice labels, a literal mark the label of the action setting it."""
    labels: dict[str, str] = {}
    for action in case_type.actions:
        for ref in (action.effects.mark, action.effects.unmark):
            if not ref:
                continue
            if ref.startswith("input."):
                spec = action.input(ref[len("input.") :])
                labels.update(spec.choices if spec else ())
            elif action.effects.mark == ref:
                labels.setdefault(ref, action.label)
    return labels


def present_document(d: Document) -> dict[str, Any]:
    return {
        "id": d.id,
        "kind": d.kind,
        "filename": d.filename,
        "content_type": d.content_type,
        "size": d.size,
        "sha256": d.sha256,
        "uploaded_at": local_iso(d.uploaded_at),
    }


BUILTIN_LABELS = {
    "attach_document": "上传材料",
    "document_added": "添加材料",
    "document_replaced": "更换材料",
    "document_withdrawn": "撤回材料",
    "document_generated": "生成文书",
    "reveal_personal_data": "查看个人信息",
    "read": "查阅案件",
    "merge_received": "接收并单",
    "anonymised": "个人信息匿名化（保存期满）",
}
