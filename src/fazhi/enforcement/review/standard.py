"""The scoring standard (评查评分标准) and the score it gives a file's findings.

A standard names, per rule, its severity (`veto`: any one fails the file, score 0) or the
section (`form`, `content`) and points it deducts — once per file, however many hits the
rule has, and never more than the section holds. Pure: the caller reads the YAML."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from fazhi.enforcement.review.rules import RULES

SECTIONS = ("form", "content")


class StandardError(Exception):
    """A standard that cannot be used: `key` names where."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(f"{key}: {message}")
        self.key = key


@dataclass(frozen=True)
class Scoring:
    severity: str  # veto | deduction
    section: str | None
    points: Decimal


@dataclass(frozen=True)
class Standard:
    name: str
    section_points: Mapping[str, Decimal]
    rules: Mapping[str, Scoring]


def _points(value: Any, key: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise StandardError(key, "分值应为数字")
    points = Decimal(str(value))
    if points < 0:
        raise StandardError(key, "分值不能为负数")
    return points


def parse_standard(raw: Any) -> Standard:
    if not isinstance(raw, Mapping):
        raise StandardError("", "评分标准应为对象")
    sections = {
        "form": _points(raw.get("form_points", 20), "form_points"),
        "content": _points(raw.get("content_points", 80), "content_points"),
    }
    if sum(sections.values()) != 100:
        raise StandardError("form_points", "卷面分与内容分之和应为100")
    rules_raw = raw.get("rules")
    if not isinstance(rules_raw, Mapping):
        raise StandardError("rules", "应列出各规则的扣分")
    rules: dict[str, Scoring] = {}
    for rule_id, spec in rules_raw.items():
        key = f"rules.{rule_id}"
        if rule_id not in RULES:
            raise StandardError(key, "没有这条评查规则")
        if not isinstance(spec, Mapping):
            raise StandardError(key, "应为 {severity: veto} 或 {section, points}")
        severity = str(spec.get("severity") or "deduction")
        if severity == "veto":
            rules[rule_id] = Scoring("veto", None, Decimal(0))
            continue
        if severity != "deduction":
            raise StandardError(f"{key}.severity", "应为 veto 或 deduction")
        section = spec.get("section")
        if section not in SECTIONS:
            raise StandardError(f"{key}.section", "应为 form 或 content")
        rules[rule_id] = Scoring("deduction", section, _points(spec.get("points"), f"{key}.points"))
    return Standard(str(raw.get("name") or ""), sections, rules)
