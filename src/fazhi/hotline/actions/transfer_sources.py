"""The sources transfers come from (全国12315平台, 全国根治欠薪线索反映平台): each a profile of
its columns, with their Chinese headers, and how one of its records becomes the fields of a
hotline order."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from fazhi.domain.errors import DomainError

# Goods or services of these kinds make a 12315 record a food and drug matter.
FOOD_DRUG_WORDS = ("食品", "药品", "保健品")


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # the Chinese header of the source's export
    meaning: str
    required: bool = False
    aliases: tuple[str, ...] = ()  # other headers the source's exports use


@dataclass(frozen=True)
class SourceProfile:
    code: str
    label: str
    columns: tuple[Column, ...]
    compose: Callable[[dict[str, str]], dict[str, Any]]
    # Which column a problem with a hotline field comes from, to report it by column.
    field_columns: dict[str, str]
    example: dict[str, str]

    @property
    def keys(self) -> list[str]:
        return [c.key for c in self.columns]

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    def aliases(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for c in self.columns:
            for name in (c.key, c.header, *c.aliases):
                out[name] = c.key
        return out

    def required(self) -> dict[str, str]:
        return {c.key: c.header for c in self.columns if c.required}


def _lines(text: str, labelled: Iterable[tuple[str, str]]) -> str:
    parts = [text.strip()]
    parts += [f"{label}：{value}" for label, value in labelled if value]
    return "\n".join(parts)


def _number(value: str, label: str, key: str, integer: bool) -> str:
    try:
        number = Decimal(value.replace(",", "").replace("，", ""))
    except InvalidOperation:
        number = Decimal(-1)
    if not number.is_finite() or number < 0 or (integer and number != number.to_integral()):
        kind = "非负整数" if integer else "非负数字"
        raise DomainError("invalid_value", f"{label}应为{kind}", 422, key)
    if number == number.to_integral():
        return str(number.quantize(Decimal(1)))
    return format(number.normalize(), "f")


def _compose_12315(r: dict[str, str]) -> dict[str, Any]:
    kind = r.get("request_kind") or "投诉"
    kinds = {"投诉": "complaint", "complaint": "complaint", "举报": "report", "report": "report"}
    if kind not in kinds:
        raise DomainError("invalid_value", "诉求类型只能是 投诉 或 举报", 422, "request_kind")
    goods = r.get("goods_category", "")
    food_drug = any(word in goods for word in FOOD_DRUG_WORDS)
    content = _lines(
        r.get("description", ""),
        [("被投诉方", r.get("respondent", "")), ("商品或服务类别", goods)],
    )
    return {
        "channel": "transfer",
        "request_kind": kinds[kind],
        "category": "FOOD_DRUG" if food_drug else "CONSUMER",
        "content": content,
        "caller_name": r.get("complainant_name"),
        "caller_phone": r.get("phone"),
        "address": r.get("respondent_address"),
    }


def _compose_wage_clue(r: dict[str, str]) -> dict[str, Any]:
    workers = r.get("workers", "")
    amount = r.get("amount", "")
    if workers:
        workers = _number(workers, "涉及人数", "workers", integer=True) + "人"
    if amount:
        amount = _number(amount, "欠薪金额", "amount", integer=False) + "元"
    content = _lines(
        r.get("description", ""),
        [
            ("欠薪单位", r.get("employer", "")),
            ("项目名称", r.get("project_name", "")),
            ("工程地址", r.get("project_address", "")),
            ("涉及人数", workers),
            ("欠薪金额", amount),
        ],
    )
    return {
        "channel": "transfer",
        "request_kind": "report",
        "category": "WAGES",
        "content": content,
        "caller_name": r.get("reporter_name"),
        "caller_phone": r.get("phone"),
        "address": r.get("project_address") or r.get("project_name"),
    }


SOURCES: dict[str, SourceProfile] = {
    "12315": SourceProfile(
        code="12315",
        label="全国12315平台",
        columns=(
            Column("external_id", "投诉编号", "12315平台的投诉或举报编号", True, ("举报编号",)),
            Column("received_at", "登记时间", "12315平台登记的时间，作为受理时间"),
            Column("complainant_name", "投诉人", "投诉人或举报人姓名 → 来电人", False, ("举报人",)),
            Column("phone", "联系电话", "投诉人联系电话 → 联系电话"),
            Column(
                "respondent",
                "被投诉方",
                "被投诉（举报）的经营者 → 诉求内容中的一行",
                False,
                ("被举报方",),
            ),
            Column(
                "respondent_address",
                "被投诉方地址",
                "经营者地址 → 事发地址",
                False,
                ("被举报方地址",),
            ),
            Column("description", "投诉内容", "投诉或举报的内容 → 诉求内容", True, ("举报内容",)),
            Column("request_kind", "诉求类型", "投诉 或 举报（空为投诉） → 诉求类型"),
            Column(
                "goods_category",
                "商品或服务类别",
                "含 食品、药品、保健品 的为食品药品安全，其余为消费维权",
            ),
        ),
        compose=_compose_12315,
        field_columns={
            "content": "description",
            "caller_name": "complainant_name",
            "caller_phone": "phone",
            "address": "respondent_address",
            "request_kind": "request_kind",
        },
        example={
            "external_id": "1143040000202306010001",
            "received_at": "2023-05-31 15:20",
            "complainant_name": "测试甲",
            "phone": "17000000001",
            "respondent": "石峰区某某超市（合成示例）",
            "respondent_address": "石峰区田心街道某路1号",
            "description": "在该超市购买的牛奶已过保质期，要求退款并赔偿（合成示例）",
            "request_kind": "投诉",
            "goods_category": "食品",
        },
    ),
    "wage_clue": SourceProfile(
        code="wage_clue",
        label="全国根治欠薪线索反映平台",
        columns=(
            Column("external_id", "线索编号", "欠薪线索平台的线索编号", True),
            Column("received_at", "反映时间", "线索反映的时间，作为受理时间"),
            Column("reporter_name", "反映人", "反映人姓名 → 来电人"),
            Column("phone", "联系电话", "反映人联系电话 → 联系电话"),
            Column("employer", "欠薪单位", "被反映欠薪的单位 → 诉求内容中的一行", True),
            Column("project_name", "项目名称", "工程项目名称 → 诉求内容中的一行"),
            Column("project_address", "工程地址", "工程所在地址 → 事发地址（空时用项目名称）"),
            Column("workers", "涉及人数", "被欠薪人数（非负整数） → 诉求内容中的一行"),
            Column("amount", "欠薪金额", "欠薪金额，元（非负数字） → 诉求内容中的一行"),
            Column("description", "线索描述", "线索的具体情况 → 诉求内容", True),
        ),
        compose=_compose_wage_clue,
        field_columns={
            "content": "description",
            "caller_name": "reporter_name",
            "caller_phone": "phone",
            "address": "project_address",
        },
        example={
            "external_id": "QX20230531000123",
            "received_at": "2023-05-31 10:05",
            "reporter_name": "测试乙",
            "phone": "17000000002",
            "employer": "某某建筑劳务有限公司（合成示例）",
            "project_name": "石峰区某安置小区二期",
            "project_address": "石峰区响石岭街道某路",
            "workers": "12",
            "amount": "186000",
            "description": "工地12名工人2023年3月至5月工资未发放，多次讨要无果（合成示例）",
        },
    ),
}


def profile_or_error(source: str, status: int = 422) -> SourceProfile:
    profile = SOURCES.get(source)
    if profile is None:
        raise DomainError(
            "unknown_source",
            f"没有转办来源 {source}（可用：{'、'.join(SOURCES)}）",
            status,
            "source",
        )
    return profile
