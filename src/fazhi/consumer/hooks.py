"""What the consumer complaint's file cannot say itself (a compute hook, `fazhi.domain.hooks`):
the number of the decision that lists a business in the abnormal-operation register, read
from the decision on file, so the case and its paper cannot disagree.

Pure: reads only the case's documents. Named under `hooks:` by consumer_complaint.yaml.
"""

from __future__ import annotations

from fazhi.domain.errors import DomainError
from fazhi.domain.hooks import ComputeContext, register_compute


@register_compute("abnormal_decision_number", returns="string")
def abnormal_decision_number(ctx: ComputeContext) -> str:
    """The number of the newest active 列入经营异常名录决定书 (the action requires one)."""
    papers = [d for d in ctx.documents if d.kind == "abnormal_listing_decision" and d.active]
    number = str(papers[-1].data.get("number") or "") if papers else ""
    if not number:
        raise DomainError("document_required", "请先上传列入经营异常名录决定书", 422)
    return number
