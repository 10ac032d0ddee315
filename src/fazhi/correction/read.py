"""The officer's views (never write, except the recorded read of a subject's file):

- `day_status`: today's status of every subject the reader's office supervises — checked in,
  late, missing, out of area, position unverified, not yet due, awaiting report — read from
  the current-state columns the check-in action keeps on each case (the last check-in, its
  result and lateness), so it costs one indexed query of the subjects whatever the number of
  check-ins behind them; with the last positions for the map and the counts per status;
- `anomaly_queue`: the open anomaly cases, the oldest deadline first;
- `subject_history`: a subject's file — the check-ins and every other step, newest first, and
  the anomalies raised — each opening recorded as a `read` event of the case;
- `subject_photo`: one check-in photo of a subject, each view recorded likewise.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import or_, select

from fazhi.actions.context import Work
from fazhi.actions.visibility import load_visible_case, record_read, visible_clause
from fazhi.correction.hooks import deadline_of
from fazhi.correction.photos import photo_type
from fazhi.domain.durations import LOCAL_TZ, local_date, start_of_local_day
from fazhi.domain.errors import DomainError, not_found
from fazhi.domain.privacy import mask_value
from fazhi.read.presenters import case_number, present_fields
from fazhi.store.models import Case, CaseLink, DocumentBlob, Event

TYPE = "community_correction"
_DIGEST = re.compile(r"[0-9a-f]{64}")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
ANOMALY_TYPE = "correction_anomaly"
STATUS_LABELS = {
    "checked_in": "已打卡",
    "late": "迟到",
    "out_of_area": "越界",
    "unverified": "定位无法核实",
    "missing": "未打卡",
    "pending": "待打卡",
    "awaiting_report": "待报到",
}
_CHECKED_IN = frozenset({"checked_in", "late", "out_of_area", "unverified"})
RESULT_LABELS = {
    "inside": "区域内",
    "boundary": "边界附近",
    "outside": "越界",
    "poor_accuracy": "定位精度不足",
}
KIND_LABELS = {
    "missed": "漏打卡",
    "late": "迟到打卡",
    "out_of_area": "越界",
    "unverified": "定位无法核实",
}


def is_reader(w: Work) -> bool:
    return w.actor.sight.view(TYPE) is not None and not w.actor.has_role("system")


def require_reader(w: Work) -> None:
    if not is_reader(w):
        raise DomainError(
            "forbidden_role", "只有司法局社区矫正工作人员和司法所工作人员可以查看", 403
        )


def _name(w: Work, fields: dict[str, Any], key: str, type_name: str) -> str:
    view = w.actor.sight.view(type_name)
    value = str(fields.get(key) or "")
    return value if view is not None and "name" in view.shown else str(mask_value("name", value))


def subject_status(fields: dict[str, Any], state: str, now: datetime) -> str:
    """A subject's status for the local day of `now` (see the module docstring)."""
    if state == "awaiting_report":
        return "awaiting_report"
    today = local_date(now)
    last = fields.get("last_check_in_at")
    if last and local_date(datetime.fromisoformat(str(last))) == today:
        result = fields.get("check_in_result")
        if result == "outside":
            return "out_of_area"
        if result == "poor_accuracy":
            return "unverified"
        return "late" if fields.get("check_in_late") else "checked_in"
    deadline = deadline_of(fields)
    return "missing" if now.astimezone(LOCAL_TZ).time() > deadline else "pending"


def _on_leave(fields: dict[str, Any], today: date) -> bool:
    start, end = fields.get("leave_from"), fields.get("leave_until")
    return bool(start and end and str(start) <= today.isoformat() <= str(end))


def parse_day(w: Work, text: str | None) -> date:
    """The day the view is asked for (`?date=2023-10-01`; none: today); a malformed or a
    future date is refused (422), with the field named for the console's form."""
    today = local_date(w.ctx.now)
    if not text:
        return today
    if not _ISO_DAY.fullmatch(text):
        raise DomainError("invalid_date", "日期格式应为 2023-10-01", 422, "date")
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise DomainError("invalid_date", "日期格式应为 2023-10-01", 422, "date") from None
    if day > today:
        raise DomainError(
            "future_date", f"不能查看今天以后的日期（今天是{today.isoformat()}）", 422, "date"
        )
    return day


@dataclass(frozen=True)
class _Past:
    """What a past day holds for its subjects: their check-ins and who was on leave."""

    check_ins: dict[int, Event]
    on_leave: frozenset[int]


def _past(w: Work, day: date) -> _Past:
    """The check-ins of `day` (one per subject: the daily window) and the subjects on an
    approved leave that day, from the trail (the `(action, at)` index: the day's events
    only, whatever the history)."""
    start, end = start_of_local_day(day), start_of_local_day(day + timedelta(days=1))
    check_ins = {
        e.case_id: e
        for e in w.session.scalars(
            select(Event).where(Event.action == "check_in", Event.at >= start, Event.at < end)
        )
    }
    # Replay approvals and ends of leave up to the day's end: a leave approved by then that
    # covers the day and had not ended before it began.
    leave: dict[int, tuple[str, str] | None] = {}
    away: set[int] = set()
    steps = w.session.execute(
        select(Event.case_id, Event.action, Event.at, Event.payload)
        .where(Event.action.in_(("approve_leave", "end_leave")), Event.at < end)
        .order_by(Event.case_id, Event.seq)
    ).all()
    iso = day.isoformat()
    for case_id, action, at, payload in steps:
        if action == "approve_leave":
            changes = (payload or {}).get("changes", {})
            span = (
                (changes.get("leave_from") or [None, None])[1],
                (changes.get("leave_until") or [None, None])[1],
            )
            leave[case_id] = (str(span[0]), str(span[1])) if span[0] and span[1] else None
            continue
        span = leave.pop(case_id, None)
        if span and at >= start and span[0] <= iso <= span[1]:  # ended during the day
            away.add(case_id)
    away |= {i for i, span in leave.items() if span and span[0] <= iso <= span[1]}
    return _Past(check_ins, frozenset(away))


def _past_status(fields: dict[str, Any], day: date, taken: Event | None) -> str:
    reported = fields.get("reported_on")
    if not reported or str(reported) > day.isoformat():
        return "awaiting_report"
    if taken is None:
        return "missing"  # the whole day has passed without a check-in
    inputs = (taken.payload or {}).get("inputs", {})
    result = inputs.get("check_in_result")
    if result == "outside":
        return "out_of_area"
    if result == "poor_accuracy":
        return "unverified"
    return "late" if inputs.get("check_in_late") else "checked_in"


def _subject_rows(w: Work, day: date, today: date) -> list[Any]:
    """The subjects the reader sees on `day`: today the open ones; a past day those
    registered by its end and not closed before it began."""
    stmt = select(Case.id, Case.created_at, Case.state, Case.lead_unit_id, Case.fields).where(
        visible_clause(w.actor), Case.type == TYPE
    )
    if day == today:
        stmt = stmt.where(Case.terminal.is_(False))
    else:
        stmt = stmt.where(
            Case.created_at < start_of_local_day(day + timedelta(days=1)),
            or_(Case.closed_at.is_(None), Case.closed_at >= start_of_local_day(day)),
        )
    return list(w.session.execute(stmt.order_by(Case.lead_unit_id, Case.id)).all())


def day_status(w: Work, with_areas: bool = False, day: date | None = None) -> dict[str, Any]:
    """Every subject the reader may see with the status of `day` (default today), and the
    counts; with `with_areas`, also their permitted areas (for the console's map).

    Today is read from the current-state fields the check-in keeps (one query of the
    subjects); a past day from that day's events (its check-ins, the leaves running) and the
    anomalies raised for it, so it is the day as it was, not as the fields are now."""
    case_type = w.platform.types.get(TYPE)
    directory = w.ctx.directory
    now, today = w.ctx.now, local_date(w.ctx.now)
    day = day or today
    rows = _subject_rows(w, day, today)
    past = _past(w, day) if day < today else None
    raised = _anomalies_of_day(w, day)
    subjects, areas = [], []
    for case_id, created_at, state, lead, fields in rows:
        fields = fields or {}
        if with_areas and fields.get("area"):
            areas.append(str(fields["area"]))
        if past is None:
            status = subject_status(fields, state, now)
            last, photo = fields.get("last_check_in_at"), fields.get("photo_digest")
            position = fields if last else None
            on_leave = _on_leave(fields, today)
        else:
            taken = past.check_ins.get(case_id)
            status = _past_status(fields, day, taken)
            inputs = (taken.payload or {}).get("inputs", {}) if taken else {}
            last = taken.at.astimezone(LOCAL_TZ).isoformat() if taken else None
            photo, position = inputs.get("photo_digest"), inputs if taken else None
            on_leave = case_id in past.on_leave
        unit = directory.by_id.get(lead) if lead else None
        subjects.append(
            {
                "id": case_id,
                "number": case_number(case_type, Case(id=case_id, created_at=created_at)),
                "name": _name(w, fields, "subject_name", TYPE),
                "office": unit.name if unit else "",
                "level": fields.get("supervision_level"),
                "status": status,
                "status_label": STATUS_LABELS[status],
                "check_in_by": fields.get("check_in_by"),
                "last_check_in_at": last,
                "last_position": (
                    {k: position.get(k) for k in ("lat", "lon", "accuracy_m")} if position else None
                ),
                # The last check-in's photo, when that check-in is the day's.
                "photo_digest": photo if status in _CHECKED_IN else None,
                "photo_url": photo_url(case_id, photo) if status in _CHECKED_IN else None,
                "on_leave": on_leave,
                "anomalies": raised.get(case_id, []),
            }
        )
    counts = Counter(s["status"] for s in subjects)
    answer: dict[str, Any] = {
        "day": day.isoformat(),
        "today": day == today,
        "subjects": subjects,
        "counts": {k: counts.get(k, 0) for k in STATUS_LABELS},
        "labels": STATUS_LABELS,
    }
    if with_areas:
        answer["areas"] = sorted(set(areas))
    return answer


def _anomaly_row(w: Work, case_type: Any, row: Any, states: dict[str, str]) -> dict[str, Any]:
    case_id, created_at, state, due, fields = row
    fields = fields or {}
    return {
        "id": case_id,
        "number": case_number(case_type, Case(id=case_id, created_at=created_at)),
        "subject_case": fields.get("subject_case"),
        "name": _name(w, fields, "subject_name", ANOMALY_TYPE),
        "kind": fields.get("anomaly_kind"),
        "kind_label": KIND_LABELS.get(str(fields.get("anomaly_kind")), ""),
        "day": fields.get("anomaly_day"),
        "detail": fields.get("detail"),
        "state": state,
        "state_label": states.get(state, state),
        "due_at": due.astimezone(LOCAL_TZ).isoformat() if due else None,
        "overdue": bool(due and due < w.ctx.now),
    }


_ANOMALY_COLUMNS = (Case.id, Case.created_at, Case.state, Case.due_at, Case.fields)


def anomaly_queue(w: Work) -> list[dict[str, Any]]:
    """The open anomalies the reader may see, the nearest deadline first."""
    case_type = w.platform.types.get(ANOMALY_TYPE)
    rows = w.session.execute(
        select(*_ANOMALY_COLUMNS)
        .where(visible_clause(w.actor), Case.type == ANOMALY_TYPE, Case.terminal.is_(False))
        .order_by(Case.due_at, Case.id)
    ).all()
    states = {s.name: s.label for s in case_type.states} if case_type else {}
    return [_anomaly_row(w, case_type, row, states) for row in rows]


def day_anomalies(w: Work, day: date) -> list[dict[str, Any]]:
    """The anomalies the reader may see raised for `day` (open or closed), oldest first."""
    case_type = w.platform.types.get(ANOMALY_TYPE)
    rows = w.session.execute(
        select(*_ANOMALY_COLUMNS)
        .where(
            visible_clause(w.actor),
            Case.type == ANOMALY_TYPE,
            Case.fields["anomaly_day"].as_string() == day.isoformat(),
        )
        .order_by(Case.id)
    ).all()
    states = {s.name: s.label for s in case_type.states} if case_type else {}
    return [_anomaly_row(w, case_type, row, states) for row in rows]


def _anomalies_of_day(w: Work, day: date) -> dict[int, list[dict[str, Any]]]:
    out: dict[int, list[dict[str, Any]]] = {}
    for a in day_anomalies(w, day):
        if a["subject_case"] is not None:
            brief = {k: a[k] for k in ("id", "number", "kind", "kind_label", "state_label")}
            out.setdefault(int(a["subject_case"]), []).append(brief)
    return out


def photo_url(case_id: int, digest: Any) -> str | None:
    """The API address of a subject's check-in photo (None: the check-in had none)."""
    return f"/api/v1/correction/subjects/{case_id}/photos/{digest}" if digest else None


def subject_photo(w: Work, case_id: int, digest: str) -> tuple[bytes, str]:
    """A check-in photo of the subject (its bytes and type), recorded as a read of the case.

    404 unless the reader may see the subject, the digest is that of a photo one of its own
    check-ins carried, and the file is kept: a digest is no key to another subject's file."""
    case = load_visible_case(w.session, w.actor, case_id)
    if case.type != TYPE or not _DIGEST.fullmatch(digest):
        raise not_found("打卡照片")
    taken = w.session.scalar(
        select(Event.id)
        .where(
            Event.case_id == case.id,
            Event.action == "check_in",
            Event.payload["inputs"]["photo_digest"].as_string() == digest,
        )
        .limit(1)
    )
    blob = w.session.get(DocumentBlob, digest) if taken is not None else None
    kind = photo_type(blob.data) if blob is not None else None
    if blob is None or kind is None:
        raise not_found("打卡照片")
    record_read(w.session, w.ctx, case, "photo", {"photo_digest": digest})
    return blob.data, kind


def _check_in(event: Event) -> dict[str, Any]:
    inputs = (event.payload or {}).get("inputs", {})
    return {
        "photo_digest": inputs.get("photo_digest"),
        "photo_url": photo_url(event.case_id, inputs.get("photo_digest")),
        "at": event.at.astimezone(LOCAL_TZ).isoformat(),
        "lat": inputs.get("lat"),
        "lon": inputs.get("lon"),
        "accuracy_m": inputs.get("accuracy_m"),
        "result": inputs.get("check_in_result"),
        "result_label": RESULT_LABELS.get(str(inputs.get("check_in_result")), ""),
        "late": bool(inputs.get("check_in_late")),
        "device_id": inputs.get("device_id"),
    }


def subject_history(w: Work, case_id: int, limit: int = 400) -> dict[str, Any]:
    """A subject's file (recorded as a read of the case): its fields as the reader may see
    them, its check-ins and other steps newest first (at most `limit` of each), and the
    anomalies raised."""
    # Like every page of a case: one the reader may not see does not exist (404), whatever
    # the role; the type is checked before the read is recorded.
    case = load_visible_case(w.session, w.actor, case_id)
    if case.type != TYPE:
        raise not_found("矫正对象")
    record_read(w.session, w.ctx, case, "history")
    case_type = w.platform.types.get(TYPE)
    assert case_type is not None
    labels = {a.name: a.label for a in case_type.actions}
    events = w.session.scalars(
        select(Event).where(Event.case_id == case.id).order_by(Event.seq.desc())
    ).all()
    check_ins, steps = [], []
    for e in events:
        if e.action == "check_in":
            if len(check_ins) < limit:
                check_ins.append(_check_in(e))
        elif len(steps) < limit:
            steps.append(
                {
                    "at": e.at.astimezone(LOCAL_TZ).isoformat(),
                    "action": e.action,
                    "label": labels.get(e.action, e.action),
                    "by": (e.actor or {}).get("name"),
                }
            )
    linked = w.session.scalars(
        select(CaseLink.from_case_id).where(CaseLink.to_case_id == case.id)
    ).all()
    anomalies = anomaly_list(w, list(linked))
    fields = present_fields(case_type, dict(case.fields or {}), w.actor)
    for spec in case_type.fields:  # enum codes as their labels, for the page
        if spec.choices and fields.get(spec.name) is not None:
            fields[spec.name] = dict(spec.choices).get(str(fields[spec.name]), fields[spec.name])
    return {
        "id": case.id,
        "number": case_number(case_type, case),
        "state": case.state,
        "fields": fields,
        "status": subject_status(dict(case.fields or {}), case.state, w.ctx.now),
        "check_ins": check_ins,
        "steps": steps,
        "anomalies": anomalies,
    }


def anomaly_list(w: Work, ids: list[int]) -> list[dict[str, Any]]:
    """The anomaly cases among `ids` the reader may see, newest first (open or closed)."""
    if not ids:
        return []
    case_type = w.platform.types.get(ANOMALY_TYPE)
    rows = w.session.execute(
        select(Case.id, Case.created_at, Case.state, Case.fields)
        .where(visible_clause(w.actor), Case.type == ANOMALY_TYPE, Case.id.in_(ids))
        .order_by(Case.id.desc())
    ).all()
    states = {s.name: s.label for s in case_type.states} if case_type else {}
    return [
        {
            "id": i,
            "number": case_number(case_type, Case(id=i, created_at=c)),
            "kind_label": KIND_LABELS.get(str((f or {}).get("anomaly_kind")), ""),
            "day": (f or {}).get("anomaly_day"),
            "detail": (f or {}).get("detail"),
            "state_label": states.get(s, s),
        }
        for i, c, s, f in rows
    ]
