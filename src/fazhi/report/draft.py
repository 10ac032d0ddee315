"""The draft: the template filled from indicator values, findings and the narrative blocks,
as a list of blocks every writer walks (pure: no I/O, no clock).

Each figure stays a `Figure` run carrying its indicator id, name, period and ledger route,
so every writer can make it traceable (a link, a comment, a footnote, the appendix table).
A sentence any of whose indicators has no value is left out, and so is one whose figures are
all 0 (the module had no records that year: nothing to report); a section left with nothing
is left out and the numbering closes up; what was left out is listed (`missing`, `empty`)
for the page that previews the draft."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from fazhi.report.numbers import Spec, chinese_numeral, format_figure
from fazhi.report.template import FindingPhrase, Node, Template, placeholders
from fazhi.report.values import Finding, IndicatorValue, Number


@dataclass(frozen=True)
class Figure:
    """A figure as printed, and where it comes from. `ref` numbers it in the appendix."""

    key: str  # the indicator id, or kind:subject for a finding
    text: str
    name: str
    period: str
    ledger: str
    ref: int


Run = str | Figure


@dataclass(frozen=True)
class Paragraph:
    runs: tuple[Run, ...]
    lead: str = ""  # a run-in third-level heading ("1.凝聚了法治共识。")

    @property
    def text(self) -> str:
        return self.lead + "".join(r if isinstance(r, str) else r.text for r in self.runs)


@dataclass(frozen=True)
class Heading:
    level: int  # 1: 一、 (黑体), 2: （一） (楷体)
    number: str
    text: str
    key: str

    @property
    def full(self) -> str:
        return self.number + self.text


@dataclass(frozen=True)
class Chart:
    title: str
    unit: str
    points: tuple[tuple[str, Number], ...]
    figure: Figure


Block = Heading | Paragraph | Chart


@dataclass
class Draft:
    title: str
    year: int
    district: str
    blocks: list[Block] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)  # the appendix, by ref
    missing: list[str] = field(default_factory=list)  # indicators asked for without a value
    empty: list[str] = field(default_factory=list)  # sections left out (nothing to say)

    def text(self) -> str:
        """Every line as printed (tests, search, the Markdown writer's check)."""
        lines = [self.title]
        for b in self.blocks:
            if isinstance(b, Heading):
                lines.append(b.full)
            elif isinstance(b, Paragraph):
                lines.append(b.text)
            else:
                lines.append(b.title)
        return "\n".join(lines)


class _Refs:
    def __init__(self, draft: Draft) -> None:
        self.draft = draft
        self.by_key: dict[str, int] = {}

    def figure(self, key: str, text: str, name: str, period: str, ledger: str) -> Figure:
        ref = self.by_key.get(key)
        if ref is None:
            ref = self.by_key[key] = len(self.by_key) + 1
            self.draft.figures.append(Figure(key, text, name, period, ledger, ref))
        return Figure(key, text, name, period, ledger, ref)


def _fill_context(text: str, context: Mapping[str, str]) -> str:
    for p in reversed(placeholders(text)):
        if not p.is_indicator:
            text = text[: p.start] + context[p.name] + text[p.end :]
    return text


def _sentence(
    text: str, values: Mapping[str, IndicatorValue], context: Mapping[str, str], refs: _Refs
) -> tuple[list[Run] | None, list[str]]:
    """The sentence's runs, or None with the indicators that have no value (none when its
    figures are all 0: there is nothing to say, but nothing is missing either)."""
    found = placeholders(text)
    missing = [p.name for p in found if p.is_indicator and p.name not in values]
    if missing:
        return None, missing
    if all(values[p.name].value == 0 for p in found if p.is_indicator):
        return None, []
    runs: list[Run] = []
    at = 0
    for p in found:
        if p.start > at:
            runs.append(text[at : p.start])
        if p.is_indicator:
            v = values[p.name]
            spec = p.spec if p.spec.decimals is not None else replace(p.spec, decimals=v.decimals)
            shown = format_figure(v.value, v.unit, spec)
            runs.append(refs.figure(v.id, shown, v.name, v.period.label, v.ledger))
        else:
            runs.append(context[p.name])
        at = p.end
    if at < len(text):
        runs.append(text[at:])
    return runs, []


def narrative_paragraphs(text: str) -> list[str]:
    """A narrative block's paragraphs: one a line, blank lines and indentation dropped."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


_NUMBERED = re.compile(r"^[一二三四五六七八九十]+是")


def _format_detail(value: object) -> str:
    """A finding's detail: (number, unit) is written as a figure ("90%"), a bare number as
    it is, anything else as text."""
    if isinstance(value, tuple) and len(value) == 2:
        return format_figure(value[0], str(value[1]))
    if isinstance(value, float):
        return format_figure(value, "")
    return str(value)


def finding_paragraphs(
    findings: Sequence[Finding],
    phrases: Mapping[str, FindingPhrase],
    year: int,
    first: int,
    refs: _Refs,
) -> list[Paragraph]:
    """One paragraph a kind, in the template's order ("一是{lead}。{text}"); a kind the
    template has no phrasing for is left out (a template names what it reports)."""
    out: list[Paragraph] = []
    for kind, phrase in phrases.items():
        group = [f for f in findings if f.kind == kind]
        if not group:
            continue
        shown = group[: phrase.limit]
        items: list[Run] = []
        for i, f in enumerate(shown):
            if i:
                items.append(phrase.separator)
            names = {k: _format_detail(v) for k, v in f.detail.items()}
            names["subject"] = f.subject
            names["value"] = "" if f.value is None else format_figure(f.value, f.unit)
            text = _fill_named(phrase.item, names)
            items.append(
                refs.figure(f"{kind}:{f.subject}", text, f.subject, f"{year}年", f.ledger)
                if f.ledger
                else text
            )
        detail = {k: _format_detail(v) for k, v in group[0].detail.items()}
        detail |= {"year": str(year), "count": str(len(group))}
        number = chinese_numeral(first + len(out))
        runs: list[Run] = [f"{number}是{_fill_named(phrase.lead, detail)}。"]
        runs += _split_items(_fill_named_keep(phrase.text, detail), items)
        out.append(Paragraph(tuple(runs)))
    return out


def _fill_named(text: str, names: Mapping[str, str]) -> str:
    for p in reversed(placeholders(text)):
        text = text[: p.start] + names.get(p.name, "") + text[p.end :]
    return text


def _fill_named_keep(text: str, names: Mapping[str, str]) -> str:
    """Fill every name but {items}, which the runs take."""
    for p in reversed(placeholders(text)):
        if p.name != "items":
            text = text[: p.start] + names.get(p.name, "") + text[p.end :]
    return text


def _split_items(text: str, items: list[Run]) -> list[Run]:
    before, marker, after = text.partition("{items}")
    runs: list[Run] = [before] if before else []
    if marker:
        runs += items
    if after:
        runs.append(after)
    return runs


def draft_report(
    template: Template,
    year: int,
    district: str,
    values: Mapping[str, IndicatorValue],
    narratives: Mapping[str, str],
    findings: Sequence[Finding] = (),
) -> Draft:
    context = {"year": str(year), "next_year": str(year + 1), "district": district}
    draft = Draft(_fill_context(template.title, context), year, district)
    refs = _Refs(draft)
    missing: dict[str, None] = {}
    if template.preface:
        draft.blocks += [
            Paragraph((p,)) for p in narrative_paragraphs(narratives.get("preface", ""))
        ]

    def content(node: Node) -> list[Block]:
        blocks: list[Block] = []
        narrative = [Paragraph((p,)) for p in narrative_paragraphs(narratives.get(node.path, ""))]
        sentences: list[Run] = []
        for sentence in node.sentences:
            runs, absent = _sentence(sentence, values, context, refs)
            missing.update(dict.fromkeys(absent))
            if runs is not None:
                sentences += runs
        figures = [Paragraph(tuple(sentences))] if sentences else []
        blocks += figures + narrative if node.figures_first else narrative + figures
        if node.findings:
            numbered = sum(1 for p in narrative if _NUMBERED.match(p.text))
            blocks += finding_paragraphs(findings, template.findings, year, numbered + 1, refs)
        if node.chart:
            v = values.get(node.chart.indicator)
            if v is None:
                missing[node.chart.indicator] = None
            elif v.series:
                text = format_figure(v.value, v.unit, Spec(decimals=v.decimals))
                figure = refs.figure(v.id, text, v.name, v.period.label, v.ledger)
                blocks.append(Chart(node.chart.title, v.unit, v.series, figure))
        return blocks

    def walk(node: Node, number: int) -> list[Block]:
        own = content(node)
        kids: list[Block] = []
        n = 0
        for child in node.children:
            got = walk(child, n + 1)
            if got:
                n += 1
                kids += got
        if not own and not kids:
            draft.empty.append(node.path)
            return []
        heading = _fill_context(node.heading, context)
        if node.depth == 3:
            lead = f"{number}.{heading}。"
            first = next((i for i, b in enumerate(own) if isinstance(b, Paragraph)), None)
            if first is None:
                own.insert(0, Paragraph((), lead))
            else:
                p = own[first]
                assert isinstance(p, Paragraph)
                own[first] = Paragraph(p.runs, lead)
            return own + kids
        mark = (
            f"{chinese_numeral(number)}、" if node.depth == 1 else f"（{chinese_numeral(number)}）"
        )
        return [Heading(node.depth, mark, heading, node.path), *own, *kids]

    n = 0
    for section in template.sections:
        got = walk(section, n + 1)
        if got:
            n += 1
            draft.blocks += got
    draft.missing = list(missing)
    return draft
