"""Render a document kind's .docx template (docxtpl) from the case and the document's data.

File and CPU work, no database: the API calls `render_document` in a worker thread — never
on the event loop, and before it hands the write to the SQLite group commit — between the
read that checked the request (`check_generate_document`) and the write that stores the
file (`do_generate_document`).

A template sees `case` (the case's fields as shown, plus number, title, type_label,
state_label, lead_unit, created_on), `doc` (the document's data as shown, plus label) and
`today`. Documents are official papers: personal data is rendered whole, which is why only
the roles that may add the kind may generate it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Any

from fazhi.domain.case_type import CaseType, DocumentKind, FieldSpec
from fazhi.domain.durations import LOCAL_TZ
from fazhi.domain.errors import DomainError
from fazhi.org.directory import UnitDirectory
from fazhi.store.models import Case

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class RenderJob:
    """What to render, and the case version it was checked at (stored only if unchanged)."""

    case_id: int
    version: int
    kind: str
    data: dict[str, Any]
    replaces_id: int | None
    template: Path
    context: dict[str, Any]
    filename: str


def _catalog_folder() -> Path:
    return Path(str(resources.files("fazhi.catalog") / "case_types"))


def template_path(case_type: CaseType, kind: DocumentKind) -> Path:
    """The kind's template: beside the type file (or in its templates/ folder), else in the
    shipped catalog's case_types/templates/."""
    if not kind.template:
        raise DomainError(
            "document_no_template", f"「{kind.label}」没有文书模板，不能生成", 422, "kind"
        )
    name = kind.template
    if "/" in name or "\\" in name or name.startswith("."):
        raise DomainError("document_template_missing", f"文书模板名称不正确：{name}", 500)
    folders = [Path(case_type.source).parent] if case_type.source else []
    folders.append(_catalog_folder())
    for folder in folders:
        for candidate in (folder / name, folder / "templates" / name):
            if candidate.is_file():
                return candidate
    raise DomainError(
        "document_template_missing", f"找不到「{kind.label}」的文书模板 {name}，请联系管理员", 500
    )


def shown(spec: FieldSpec, value: Any, directory: UnitDirectory) -> Any:
    """A value as a paper shows it: choices by label, units by name, yes/no in Chinese."""
    if value is None or value == "":
        return ""
    if spec.type in ("unit", "unit_list"):
        values = value if isinstance(value, list) else [value]
        names = []
        for item in values:
            unit = directory.resolve(item)
            names.append(unit.name if unit else str(item))
        return "、".join(names)
    if spec.type == "list" and isinstance(value, list):
        return [
            {f.name: shown(f, item.get(f.name), directory) for f in spec.items}
            for item in value
            if isinstance(item, dict)
        ]
    if spec.choices:
        return spec.choice_label(value)
    if spec.type == "bool":
        return "是" if value else "否"
    return value


def case_number(case_type: CaseType, case: Case) -> str:
    """The case's number, as `fazhi.api.presenters.case_number` forms it (actions may not
    import the api layer)."""
    return f"{case_type.number_prefix}{case.created_at.astimezone(LOCAL_TZ):%Y%m%d}{case.id:07d}"


def chinese_date(moment: datetime) -> str:
    day = moment.astimezone(LOCAL_TZ)
    return f"{day.year}年{day.month}月{day.day}日"


def render_context(
    case: Case,
    case_type: CaseType,
    kind: DocumentKind,
    data: dict[str, Any],
    number: str,
    directory: UnitDirectory,
    now: datetime,
) -> dict[str, Any]:
    fields = {
        spec.name: shown(spec, case.fields.get(spec.name), directory) for spec in case_type.fields
    }
    lead = directory.by_id.get(case.lead_unit_id) if case.lead_unit_id else None
    meta = {
        "number": number,
        "title": case.title,
        "type_label": case_type.label,
        "state_label": case_type.state_label(case.state),
        "lead_unit": lead.name if lead else "",
        "created_on": chinese_date(case.created_at),
    }
    doc = {spec.name: shown(spec, data.get(spec.name), directory) for spec in kind.fields}
    return {
        "case": {**fields, **meta},
        "doc": {**doc, "label": kind.label},
        "today": chinese_date(now),
    }


def render_document(job: RenderJob) -> tuple[str, bytes]:
    """(filename, .docx bytes). CPU and file work: call it from a worker thread."""
    from docxtpl import DocxTemplate  # loaded on first use: it pulls in lxml and python-docx

    try:
        template = DocxTemplate(str(job.template))
        template.render(job.context, autoescape=True)
        out = io.BytesIO()
        template.save(out)
    except Exception as exc:  # a template with a broken placeholder: the deployment's fault
        raise DomainError(
            "document_render_failed", f"文书模板无法生成（{type(exc).__name__}），请联系管理员", 500
        ) from exc
    return job.filename, out.getvalue()
