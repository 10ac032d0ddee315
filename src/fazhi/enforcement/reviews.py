"""Case-file review tasks (评查任务): the machine reviews every penalty case the day it closes
(and any closed case again in batch), files from other systems are imported for review, the
reviewer (评查员) records a verdict and score beside the machine's, and the report shows per
unit the scores, where machine and reviewer differ, and the most frequent defects."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from fazhi.actions.action_checks import register_after
from fazhi.domain.errors import DomainError
from fazhi.enforcement.read import case_file_of
from fazhi.enforcement.review.engine import review
from fazhi.enforcement.review.manifest import ManifestError, parse_manifest
from fazhi.enforcement.review.standard_file import default_standard
from fazhi.enforcement.store import CaseFileReview

if TYPE_CHECKING:
    from fazhi.actions.context import ActionContext
    from fazhi.store.models import Case

REVIEWER_ROLES = ("case_file_reviewer",)
READER_ROLES = ("case_file_reviewer", "supervisor", "district_leader", "admin")
# Machine and reviewer "differ" when their scores are this far apart or one vetoes alone.
DIFFER_BY = 5.0


def _machine(ctx: ActionContext, manifest: dict[str, Any], name: str) -> dict[str, Any]:
    result = review(parse_manifest(manifest), default_standard(), ctx.platform.calendar(), name)
    return result.as_json()


def do_review_case(session: Session, ctx: ActionContext, case_id: int) -> CaseFileReview:
    """The machine review of a platform case, as a task (its earlier machine result
    replaced, a reviewer's verdict kept).

    Preconditions: the actor may see the case (`case_file_of` refuses otherwise)."""
    manifest = case_file_of(session, ctx, case_id)
    machine = _machine(ctx, manifest, manifest["case_number"])
    task = session.scalar(select(CaseFileReview).where(CaseFileReview.case_id == case_id))
    if task is None:
        task = CaseFileReview(
            region_code=ctx.actor.region_code,
            case_id=case_id,
            source="platform",
            status="pending",
            created_at=ctx.now,
        )
        session.add(task)
    task.case_number = manifest["case_number"]
    task.agency = str(manifest["agency"].get("name") or "")
    task.machine, task.machine_score = machine, float(machine["score"])
    task.machine_vetoed = bool(machine["vetoed"])
    session.flush()
    return task


@register_after("penalty_case", "close")
def review_on_closing(session: Session, ctx: ActionContext, case: Case) -> None:
    do_review_case(session, ctx, case.id)


def do_import_file(
    session: Session, ctx: ActionContext, manifest: Any, name: str
) -> CaseFileReview:
    """A file from another system as a task, reviewed at once; a malformed manifest is
    refused naming its key."""
    # `system`: `fazhi case-file import` at the terminal.
    if not ctx.actor.has_role(*REVIEWER_ROLES, "admin", "system"):
        raise DomainError("forbidden_role", "只有案卷评查员可以导入案卷", 403)
    try:
        case_file = parse_manifest(manifest)
    except ManifestError as exc:
        raise DomainError("invalid_manifest", f"manifest.json {exc}", 422, exc.key) from None
    machine = _machine(ctx, manifest, name or case_file.case_number)
    task = CaseFileReview(
        region_code=ctx.actor.region_code,
        source="import",
        case_number=case_file.case_number[:100],
        agency=case_file.agency_name[:200],
        manifest=manifest,
        machine=machine,
        machine_score=float(machine["score"]),
        machine_vetoed=bool(machine["vetoed"]),
        status="pending",
        created_at=ctx.now,
    )
    session.add(task)
    session.flush()
    return task


@dataclass(frozen=True)
class Verdict:
    score: float
    vetoed: bool
    note: str


def check_verdict(ctx: ActionContext, raw: dict[str, Any]) -> Verdict:
    if not ctx.actor.has_role(*REVIEWER_ROLES):
        raise DomainError("forbidden_role", "只有案卷评查员可以评定案卷", 403)
    score, vetoed, note = raw.get("score"), raw.get("vetoed", False), str(raw.get("note") or "")
    if isinstance(score, bool) or not isinstance(score, int | float) or not 0 <= score <= 100:
        raise DomainError("invalid_value", "评分应为0至100之间的数字", 422, "score")
    if not isinstance(vetoed, bool):
        raise DomainError("invalid_value", "一票否决应为 true 或 false", 422, "vetoed")
    if len(note) > 2000:
        raise DomainError("too_long", "评查意见不能超过2000字", 422, "note")
    return Verdict(0.0 if vetoed else float(score), vetoed, note.strip())


def load_task(session: Session, ctx: ActionContext, task_id: int) -> CaseFileReview:
    task = session.get(CaseFileReview, task_id)
    if task is None or task.region_code != ctx.actor.region_code:
        raise DomainError("not_found", "没有该评查任务", 404)
    if not ctx.actor.has_role(*READER_ROLES):
        raise DomainError("forbidden_role", "当前角色无权查看评查任务", 403)
    return task


def do_record_verdict(
    session: Session, ctx: ActionContext, task: CaseFileReview, verdict: Verdict
) -> CaseFileReview:
    """The reviewer's verdict on the task (a second verdict replaces the first).

    Preconditions: `verdict` came from `check_verdict`, `task` from `load_task`."""
    task.reviewer_id, task.reviewer_score = ctx.actor.user_id, verdict.score
    task.reviewer_vetoed, task.reviewer_note = verdict.vetoed, verdict.note
    task.status, task.reviewed_at = "done", ctx.now
    session.flush()
    return task


def differs(task: CaseFileReview) -> bool:
    if task.status != "done" or task.reviewer_score is None:
        return False
    return (
        abs(task.machine_score - task.reviewer_score) >= DIFFER_BY
        or bool(task.reviewer_vetoed) != task.machine_vetoed
    )


def present(task: CaseFileReview) -> dict[str, Any]:
    return {
        "id": task.id,
        "source": task.source,
        "case_id": task.case_id,
        "case_number": task.case_number,
        "agency": task.agency,
        "status": task.status,
        "machine": task.machine,
        "reviewer": None
        if task.status != "done"
        else {
            "score": task.reviewer_score,
            "vetoed": task.reviewer_vetoed,
            "note": task.reviewer_note,
        },
        "differs": differs(task),
    }


def tasks(session: Session, ctx: ActionContext, status: str = "") -> list[CaseFileReview]:
    if not ctx.actor.has_role(*READER_ROLES):
        raise DomainError("forbidden_role", "当前角色无权查看评查任务", 403)
    query = select(CaseFileReview).where(CaseFileReview.region_code == ctx.actor.region_code)
    if status:
        query = query.where(CaseFileReview.status == status)
    return list(session.scalars(query.order_by(CaseFileReview.id)))


def report(session: Session, ctx: ActionContext) -> list[dict[str, Any]]:
    """Per unit: files, mean machine and reviewer scores, files where they differ, vetoes,
    and the three most frequent defect classes of the machine's findings."""
    by_unit: dict[str, list[CaseFileReview]] = {}
    for task in tasks(session, ctx):
        by_unit.setdefault(task.agency or "（未载明）", []).append(task)
    rows = []
    for unit, group in sorted(by_unit.items()):
        reviewed = [t for t in group if t.reviewer_score is not None]
        defects = Counter(f["defect"] for t in group for f in t.machine.get("findings", []))
        rows.append(
            {
                "agency": unit,
                "files": len(group),
                "machine_mean": round(sum(t.machine_score for t in group) / len(group), 1),
                "reviewed": len(reviewed),
                "reviewer_mean": round(
                    sum(t.reviewer_score or 0 for t in reviewed) / len(reviewed), 1
                )
                if reviewed
                else None,
                "differ": sum(1 for t in group if differs(t)),
                "vetoed": sum(1 for t in group if t.machine_vetoed),
                "top_defects": [{"defect": d, "count": n} for d, n in defects.most_common(3)],
            }
        )
    return rows
