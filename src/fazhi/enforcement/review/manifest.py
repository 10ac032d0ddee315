"""The exchange format for enforcement case files, `fazhi-case-file/1`
(../shared/domain/case-file-review.md): a manifest read into plain records for the review
rules. Pure: the caller reads the file; this checks its shape.

What the format requires is refused with a `ManifestError` naming the key (`parties[0].kind`);
what it leaves open (a document without a date, a party without an ID number) is kept as
missing, for the rules to report as a defect of the file. Unknown keys are ignored.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

FORMAT = "fazhi-case-file/1"
PROCEDURES = frozenset({"general", "summary"})
PARTY_KINDS = frozenset({"person", "organisation"})
TRIGGERS = (
    "major",
    "hearing_applies",
    "hearing_requested",
    "complex",
    "public_interest",
    "goods_preserved",
)
DOCUMENT_KINDS = (
    "cover",
    "index",
    "case_source",
    "filing_approval",
    "onsite_record",
    "inquiry_record",
    "identity_proof",
    "evidence",
    "preservation_decision",
    "investigation_report",
    "legal_review",
    "collective_discussion",
    "notice_of_rights",
    "hearing_notice",
    "statement_record",
    "hearing_record",
    "decision_approval",
    "decision",
    "summary_decision",
    "service_proof",
    "payment_receipt",
    "enforcement_record",
    "publication_record",
    "closing_report",
    "reference_sheet",
)
PROOF_KINDS = frozenset(
    {"id_card_copy", "business_licence", "legal_representative_certificate", "power_of_attorney"}
)
ART59_ITEMS = (
    "party",
    "facts_and_evidence",
    "basis",
    "penalty",
    "payment",
    "remedies",
    "authority_and_date",
)


class ManifestError(Exception):
    """A manifest that is not `fazhi-case-file/1`: `key` is where (`documents[3].date`)."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(f"{key}: {message}" if key else message)
        self.key = key
        self.message = message


@dataclass(frozen=True)
class Party:
    kind: str  # person | organisation
    name: str
    id_number: str = ""  # a person's
    credit_code: str = ""  # an organisation's
    legal_representative: str = ""
    agent: bool = False

    @property
    def identifier(self) -> str:
        return self.id_number if self.kind == "person" else self.credit_code


@dataclass(frozen=True)
class Officer:
    name: str
    certificate_number: str


@dataclass(frozen=True)
class Document:
    """One document of the file, at `position` in filing order (0-based)."""

    position: int
    kind: str
    date: date | None = None
    number: str = ""
    party_name: str = ""
    party_id: str = ""
    amount: Decimal | None = None
    officers: tuple[str, ...] | None = None  # None: the document does not say
    signed: bool | None = None
    file: str = ""
    pages: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)  # the kind-specific keys


@dataclass(frozen=True)
class Benchmark:
    """The discretion benchmark the decision fell under (`penalty.benchmark`, a Fazhi
    extension: the item, the circumstance and its range of fines)."""

    item: str
    circumstance: str
    low: Decimal
    high: Decimal
    reason: str = ""


@dataclass(frozen=True)
class CaseFile:
    case_number: str
    procedure: str
    agency_name: str
    agency_code: str
    cause: str
    triggers: Mapping[str, bool]
    parties: tuple[Party, ...]
    officers: tuple[Officer, ...]
    penalty_kind: str
    penalty_amount: Decimal | None
    documents: tuple[Document, ...]
    benchmark: Benchmark | None = None

    def of_kind(self, kind: str) -> list[Document]:
        return [d for d in self.documents if d.kind == kind]

    def first(self, kind: str) -> Document | None:
        found = self.of_kind(kind)
        return found[0] if found else None

    def trigger(self, name: str) -> bool:
        return bool(self.triggers.get(name))


def _text(raw: Mapping[str, Any], name: str, key: str, required: bool = False) -> str:
    value = raw.get(name)
    if value is None:
        if required:
            raise ManifestError(key, "缺少该项")
        return ""
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise ManifestError(key, "应为文字")
    return str(value).strip()


def _bool(raw: Mapping[str, Any], name: str, key: str) -> bool | None:
    value = raw.get(name)
    if value is None:
        return None
    if not isinstance(value, bool):
        raise ManifestError(key, "应为 true 或 false")
    return value


def _date(raw: Mapping[str, Any], name: str, key: str) -> date | None:
    value = raw.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ManifestError(key, "日期应为 YYYY-MM-DD 格式的文字")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ManifestError(key, f"日期 {value!r} 不是有效的 YYYY-MM-DD 日期") from None


def _money(raw: Mapping[str, Any], name: str, key: str) -> Decimal | None:
    value = raw.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ManifestError(key, "金额应为以元为单位的数字")
    if isinstance(value, float) and not math.isfinite(value):
        raise ManifestError(key, "金额应为有限的数字")
    amount = Decimal(str(value))
    if amount < 0:
        raise ManifestError(key, "金额不能为负数")
    return amount


def _benchmark(raw: Any) -> Benchmark | None:
    if raw is None:
        return None
    bench = _mapping(raw, "penalty.benchmark")
    low = _money(bench, "min", "penalty.benchmark.min")
    high = _money(bench, "max", "penalty.benchmark.max")
    if low is None or high is None:
        raise ManifestError("penalty.benchmark", "裁量基准应有 min 和 max（元）")
    if high < low:
        raise ManifestError("penalty.benchmark.max", "裁量基准上限小于下限")
    return Benchmark(
        item=_text(bench, "item", "penalty.benchmark.item"),
        circumstance=_text(bench, "circumstance", "penalty.benchmark.circumstance"),
        low=low,
        high=high,
        reason=_text(bench, "reason", "penalty.benchmark.reason"),
    )


def _mapping(value: Any, key: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ManifestError(key, "应为对象（{...}）")
    return value


def _list(raw: Mapping[str, Any], name: str, key: str) -> list[Any]:
    value = raw.get(name, [])
    if value is None:
        return []
    if not isinstance(value, list):
        raise ManifestError(key, "应为列表（[...]）")
    return value


def _party(raw: Any, key: str) -> Party:
    item = _mapping(raw, key)
    kind = _text(item, "kind", f"{key}.kind", required=True)
    if kind not in PARTY_KINDS:
        raise ManifestError(f"{key}.kind", f"当事人类型应为 person 或 organisation，收到 {kind!r}")
    return Party(
        kind=kind,
        name=_text(item, "name", f"{key}.name", required=True),
        id_number=_text(item, "id_number", f"{key}.id_number").upper(),
        credit_code=_text(item, "credit_code", f"{key}.credit_code").upper(),
        legal_representative=_text(item, "legal_representative", f"{key}.legal_representative"),
        agent=bool(_bool(item, "agent", f"{key}.agent")),
    )


def _officers(raw: Any, key: str) -> tuple[str, ...] | None:
    if raw is None:
        return None
    if not isinstance(raw, list) or not all(
        isinstance(o, str | int) and not isinstance(o, bool) for o in raw
    ):
        raise ManifestError(key, "应为执法证号的列表")
    return tuple(str(o).strip() for o in raw)


_COMMON = frozenset(
    {
        "kind",
        "date",
        "number",
        "party_name",
        "party_id",
        "amount",
        "officers",
        "signed",
        "file",
        "pages",
    }
)


def _document(raw: Any, position: int) -> Document:
    key = f"documents[{position}]"
    item = _mapping(raw, key)
    kind = _text(item, "kind", f"{key}.kind", required=True)
    if kind not in DOCUMENT_KINDS:
        raise ManifestError(f"{key}.kind", f"不认识的文书种类 {kind!r}")
    pages = item.get("pages")
    return Document(
        position=position,
        kind=kind,
        date=_date(item, "date", f"{key}.date"),
        number=_text(item, "number", f"{key}.number"),
        party_name=_text(item, "party_name", f"{key}.party_name"),
        party_id=_text(item, "party_id", f"{key}.party_id").upper(),
        amount=_money(item, "amount", f"{key}.amount"),
        officers=_officers(item.get("officers"), f"{key}.officers"),
        signed=_bool(item, "signed", f"{key}.signed"),
        file=_text(item, "file", f"{key}.file"),
        pages="" if pages is None else str(pages),
        extra={k: v for k, v in item.items() if k not in _COMMON},
    )


def parse_manifest(raw: Any) -> CaseFile:
    """The case file a manifest describes, or ManifestError naming the first key at fault."""
    top = _mapping(raw, "")
    if top.get("format") != FORMAT:
        raise ManifestError("format", f"应为 {FORMAT!r}，收到 {top.get('format')!r}")
    procedure = _text(top, "procedure", "procedure", required=True)
    if procedure not in PROCEDURES:
        raise ManifestError("procedure", f"程序应为 general 或 summary，收到 {procedure!r}")
    agency = _mapping(top.get("agency") or {}, "agency")
    triggers_raw = _mapping(top.get("triggers") or {}, "triggers")
    triggers = {name: bool(_bool(triggers_raw, name, f"triggers.{name}")) for name in TRIGGERS}
    penalty = _mapping(top.get("penalty") or {}, "penalty")
    officers = []
    for i, raw_officer in enumerate(_list(top, "officers", "officers")):
        item = _mapping(raw_officer, f"officers[{i}]")
        officers.append(
            Officer(
                name=_text(item, "name", f"officers[{i}].name"),
                certificate_number=_text(
                    item, "certificate_number", f"officers[{i}].certificate_number"
                ),
            )
        )
    return CaseFile(
        case_number=_text(top, "case_number", "case_number", required=True),
        procedure=procedure,
        agency_name=_text(agency, "name", "agency.name"),
        agency_code=_text(agency, "code", "agency.code").upper(),
        cause=_text(top, "cause", "cause"),
        triggers=triggers,
        parties=tuple(
            _party(p, f"parties[{i}]") for i, p in enumerate(_list(top, "parties", "parties"))
        ),
        officers=tuple(officers),
        penalty_kind=_text(penalty, "kind", "penalty.kind"),
        penalty_amount=_money(penalty, "amount", "penalty.amount"),
        benchmark=_benchmark(penalty.get("benchmark")),
        documents=tuple(
            _document(d, i) for i, d in enumerate(_list(top, "documents", "documents"))
        ),
    )
