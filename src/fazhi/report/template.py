"""The report template as data (`annual.yaml`, format in docs/data-formats.md): the title,
the sections and their subsections in the seed's order, each with sentence templates whose
placeholders name indicators (`{mediation.cases}`), an optional chart, and the phrasing of
each kind of finding for the problems section. Parsed strictly: an unknown key, a sentence
without an indicator or a placeholder the renderer cannot format is refused at load."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from fazhi.report.numbers import Spec, parse_spec

TEMPLATE = Path(__file__).parent / "annual.yaml"
# `{name}` or `{name:spec}`; an indicator id has a dot (`mediation.cases`), a context name
# (year, next_year, district) has none.
PLACEHOLDER = re.compile(r"\{([A-Za-z_][\w.]*)(?::([^{}]*))?\}")
CONTEXT_NAMES = frozenset({"year", "next_year", "district"})
KEY = re.compile(r"^[a-z][a-z0-9_]*$")


class TemplateError(ValueError):
    pass


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ChartFile(_Strict):
    indicator: str
    title: str


class NodeFile(_Strict):
    key: str
    heading: str
    sentences: list[str] = Field(default_factory=list)
    chart: ChartFile | None = None
    findings: bool = False
    figures_first: bool = False
    sections: list[NodeFile] = Field(default_factory=list)

    @field_validator("key")
    @classmethod
    def _key(cls, value: str) -> str:
        if not KEY.match(value):
            raise ValueError(f"key {value!r} must be lower-case letters, digits and _")
        return value


class FindingFile(_Strict):
    lead: str
    text: str
    item: str
    limit: int = Field(default=5, ge=1, le=20)
    separator: str = Field(default="、", max_length=2)


class OverdueFile(_Strict):
    type: str
    rate: str
    threshold: float = Field(gt=0, le=1)
    min_volume: int = Field(default=10, ge=1)


class TemplateFile(_Strict):
    title: str
    preface: bool = True
    sections: list[NodeFile]
    findings: dict[str, FindingFile] = Field(default_factory=dict)
    overdue: list[OverdueFile] = Field(default_factory=list)


@dataclass(frozen=True)
class Placeholder:
    name: str
    spec: Spec
    start: int
    end: int

    @property
    def is_indicator(self) -> bool:
        return "." in self.name


def placeholders(text: str) -> list[Placeholder]:
    out = []
    for m in PLACEHOLDER.finditer(text):
        try:
            spec = parse_spec(m.group(2) or "")
        except ValueError as exc:
            raise TemplateError(f"{m.group(0)}: {exc}") from None
        out.append(Placeholder(m.group(1), spec, m.start(), m.end()))
    return out


@dataclass(frozen=True)
class Chart:
    indicator: str
    title: str


@dataclass(frozen=True)
class Node:
    """A section at depth 1 (一、), 2 (（一）) or 3 (1.); `path` is the narrative's key."""

    path: str
    heading: str
    depth: int
    sentences: tuple[str, ...]
    chart: Chart | None
    findings: bool
    figures_first: bool
    children: tuple[Node, ...]

    def walk(self) -> list[Node]:
        return [self, *(n for c in self.children for n in c.walk())]


@dataclass(frozen=True)
class FindingPhrase:
    lead: str
    text: str
    item: str
    limit: int
    separator: str = "、"


@dataclass(frozen=True)
class OverdueRule:
    """Which on-time rate of which type the problems section reads per unit: a unit whose
    rate is below `threshold` over at least `min_volume` cases is named, overdue = 1 − rate."""

    type: str
    rate: str
    threshold: float
    min_volume: int


@dataclass(frozen=True)
class Template:
    title: str
    preface: bool
    sections: tuple[Node, ...]
    findings: dict[str, FindingPhrase]
    overdue: tuple[OverdueRule, ...] = ()

    def nodes(self) -> list[Node]:
        return [n for s in self.sections for n in s.walk()]

    def narrative_keys(self) -> list[tuple[str, str]]:
        """(key, label) of every narrative block, in the report's order."""
        keys = [("preface", "开篇")] if self.preface else []
        return keys + [(n.path, n.heading) for n in self.nodes()]

    def indicator_ids(self) -> list[str]:
        seen: dict[str, None] = {}
        for node in self.nodes():
            for sentence in node.sentences:
                for p in placeholders(sentence):
                    if p.is_indicator:
                        seen[p.name] = None
            if node.chart:
                seen[node.chart.indicator] = None
        return list(seen)


def _check_context(text: str, where: str) -> None:
    for p in placeholders(text):
        if p.is_indicator or p.name not in CONTEXT_NAMES:
            raise TemplateError(f"{where}: {{{p.name}}} is not one of {sorted(CONTEXT_NAMES)}")


def _node(raw: NodeFile, parent: str, depth: int) -> Node:
    path = f"{parent}.{raw.key}" if parent else raw.key
    if depth > 3:
        raise TemplateError(f"{path}: sections nest at most three deep (一、 （一） 1.)")
    _check_context(raw.heading, f"{path}.heading")
    for i, sentence in enumerate(raw.sentences):
        found = placeholders(sentence)
        if not any(p.is_indicator for p in found):
            raise TemplateError(
                f"{path}.sentences[{i}]: a sentence states at least one indicator "
                "(fixed text belongs in the section's narrative)"
            )
        for p in found:
            if not p.is_indicator and p.name not in CONTEXT_NAMES:
                raise TemplateError(f"{path}.sentences[{i}]: unknown placeholder {{{p.name}}}")
    children = tuple(_node(c, path, depth + 1) for c in raw.sections)
    keys = [c.key for c in raw.sections]
    if len(set(keys)) != len(keys):
        raise TemplateError(f"{path}: duplicate section keys")
    chart = Chart(raw.chart.indicator, raw.chart.title) if raw.chart else None
    return Node(
        path,
        raw.heading,
        depth,
        tuple(raw.sentences),
        chart,
        raw.findings,
        raw.figures_first,
        children,
    )


FINDING_NAMES = {"lead": {"year"}, "text": {"year", "items", "count"}, "item": {"subject", "value"}}


def parse_template(data: Any) -> Template:
    try:
        raw = TemplateFile.model_validate(data)
    except ValidationError as exc:
        raise TemplateError(str(exc)) from None
    _check_context(raw.title, "title")
    sections = tuple(_node(s, "", 1) for s in raw.sections)
    keys = [s.path for s in sections]
    if len(set(keys)) != len(keys) or "preface" in keys:
        raise TemplateError("top-level section keys must be unique and not 'preface'")
    phrases = {}
    for kind, f in raw.findings.items():
        for part in ("lead", "text", "item"):
            for p in placeholders(getattr(f, part)):
                # Anything else in `text`/`item` comes from the finding's detail at render.
                if p.is_indicator:
                    raise TemplateError(f"findings.{kind}.{part}: no indicators here")
        phrases[kind] = FindingPhrase(f.lead, f.text, f.item, f.limit, f.separator)
    overdue = tuple(OverdueRule(o.type, o.rate, o.threshold, o.min_volume) for o in raw.overdue)
    return Template(raw.title, raw.preface, sections, phrases, overdue)


def load_template(path: Path) -> Template:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise TemplateError(f"{path}: {exc}") from None
    return parse_template(data)


@cache
def annual_template() -> Template:
    return load_template(TEMPLATE)
