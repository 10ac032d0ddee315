"""An evaluation scheme's standing for a period (never writes): its indicators' values, the
evidence uploaded per item (files in force for the period's year), and per item and area
the completion, evidence status and the score it would earn (domain.indicators.schemes)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from fazhi.actions.context import Work
from fazhi.analytics import indicators as ix
from fazhi.analytics import ledgers as lg
from fazhi.domain.errors import DomainError
from fazhi.domain.indicators.schemes import scheme_status
from fazhi.domain.indicators.spec import Scheme
from fazhi.store.models import IndicatorEvidence, User

E = IndicatorEvidence


def scheme_of(w: Work, scheme_id: str) -> Scheme:
    scheme = ix.catalog_of(w.platform).scheme(scheme_id)
    if scheme is None:
        raise DomainError("unknown_scheme", f"没有评价方案 {scheme_id}", 404)
    return scheme


def _standing(w: Work, scheme: Scheme, year: int) -> tuple[Any, ...]:
    """The scheme's evidence of the year in the reader's region, withdrawn files left out."""
    return (
        E.region_code == w.actor.region_code,
        E.scheme == scheme.id,
        E.year == year,
        E.withdrawn_at.is_(None),
    )


def upload_counts(w: Work, scheme: Scheme, year: int) -> dict[str, int]:
    rows = w.session.execute(
        select(E.item, func.count()).where(*_standing(w, scheme, year)).group_by(E.item)
    ).all()
    return {str(item): int(n) for item, n in rows}


def evidence_files(w: Work, scheme: Scheme, year: int) -> dict[str, list[dict[str, Any]]]:
    rows = w.session.execute(
        select(E, User.display_name)
        .join(User, (User.region_code == E.region_code) & (User.id == E.uploaded_by))
        .where(*_standing(w, scheme, year))
        .order_by(E.id)
    ).all()
    out: dict[str, list[dict[str, Any]]] = {}
    for row, name in rows:
        out.setdefault(row.item, []).append(
            {
                "id": row.id,
                "filename": row.filename,
                "size": row.size,
                "sha256": row.sha256,
                "note": row.note,
                "uploaded_by": name,
                "uploaded_at": row.uploaded_at.isoformat(),
            }
        )
    return out


def scheme_body(w: Work, scheme_id: str, scope: ix.Scope) -> dict[str, Any]:
    """The scheme with each item's indicators, completion, evidence status and files."""
    scheme = scheme_of(w, scheme_id)
    catalog = ix.catalog_of(w.platform)
    ids = {i for item in scheme.items() for i in item.indicators}
    found = ix.values(w.session, w.platform, w.ctx.directory, scope, ids, catalog)
    year = scope.period.start.year
    status = scheme_status(scheme, found, upload_counts(w, scheme, year))
    files = evidence_files(w, scheme, year)
    areas = []
    for area in status:
        items = [
            {
                "code": s.item.code,
                "name": s.item.name,
                "score": float(s.item.score),
                "earned": round(float(s.earned), 2),
                "completion": round(float(s.completion), 4),
                "evidence_kind": s.item.evidence,
                "evidence": s.evidence,
                "evidence_label": s.evidence_label,
                "requirement": s.item.requirement,
                "takes_upload": s.item.evidence in ("upload", "both"),
                "complete": s.complete,
                "indicators": [ix.value_json(v, w.ctx.directory, catalog) for v in s.values],
                "files": files.get(s.item.code, []),
            }
            for s in area.items
        ]
        areas.append(
            {
                "code": area.area.code,
                "name": area.area.name,
                "score": float(area.score),
                "earned": round(float(area.earned), 2),
                "items": items,
                "complete_items": area.complete_items,
            }
        )
    all_items = [i for a in areas for i in a["items"]]
    return {
        **scope.brief(),
        "year": year,
        "scheme": {
            "id": scheme.id,
            "name": scheme.name,
            "basis": scheme.basis,
            "note": scheme.note,
        },
        "areas": areas,
        "totals": {
            "areas": len(areas),
            "items": len(all_items),
            "score": sum(a["score"] for a in areas),
            "earned": round(sum(a["earned"] for a in areas), 2),
            "complete_items": sum(1 for i in all_items if i["complete"]),
            "awaiting_upload": sum(1 for i in all_items if i["evidence"] == "awaiting_upload"),
            "missing_data": sum(1 for i in all_items if i["evidence"] == "missing_data"),
        },
    }


def scheme_ledgers(w: Work, scheme_id: str, scope: ix.Scope) -> list[tuple[str, lg.Ledger]]:
    """Every indicator ledger of the scheme's items, labelled by item (a bundle's contents)."""
    scheme = scheme_of(w, scheme_id)
    out = []
    for item in scheme.items():
        for ident in item.indicators:
            out.append((f"{item.code} {item.name}", lg.ledger(w, scope, ident)))
    return out
