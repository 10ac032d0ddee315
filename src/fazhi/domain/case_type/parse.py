"""A case type is data: fields, states, actions, clocks and documents read from one file.

This module turns the parsed file (a plain dict) into checked, frozen specs. Every reference
inside the file (a state, an action, a field, a clock) is resolved here, so a broken type file
fails at load time with every problem listed, not at the first request that hits it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fazhi.domain.case_type.spec import (
    FIELD_TYPES,
    GUARD_OPS,
    PARTIES,
    PERSONAL_KINDS,
    ActionSpec,
    CaseType,
    CaseTypeError,
    ClockSpec,
    DocumentKind,
    Effects,
    ExtendRule,
    FieldSpec,
    Guard,
    Limit,
    NotifySpec,
    StateSpec,
    ValueExpr,
)
from fazhi.domain.durations import Duration
from fazhi.domain.notify import (
    NOTIFY_CHANNELS,
    NOTIFY_GROUP_RECIPIENTS,
    TEMPLATE_KEYS,
    template_placeholders,
)

# ---------------------------------------------------------------------------------------------
# Parsing


def _as_tuple(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


def _parse_field(
    name: str,
    raw: Any,
    where: str,
    problems: list[str],
    choice_sets: Mapping[str, tuple[tuple[str, str], ...]],
) -> FieldSpec | None:
    if not isinstance(raw, dict):
        problems.append(f"{where}.{name}: 应为映射")
        return None
    ftype = str(raw.get("type", "string"))
    if ftype not in FIELD_TYPES:
        problems.append(f"{where}.{name}: 未知字段类型 {ftype}")
        return None
    choices: tuple[tuple[str, str], ...] = ()
    raw_choices = raw.get("choices")
    if isinstance(raw_choices, str):
        if raw_choices not in choice_sets:
            problems.append(f"{where}.{name}: 未知选项集 {raw_choices}")
        choices = choice_sets.get(raw_choices, ())
    elif isinstance(raw_choices, dict):
        choices = tuple((str(k), str(v)) for k, v in raw_choices.items())
    if ftype == "enum" and not choices:
        problems.append(f"{where}.{name}: 枚举字段缺少 choices")
    personal = raw.get("personal")
    if personal is not None and personal not in PERSONAL_KINDS:
        problems.append(f"{where}.{name}: 未知个人信息类别 {personal}")
    required_if = tuple(
        (str(k), tuple(v) if isinstance(v, list) else (v,))
        for k, v in (raw.get("required_if") or {}).items()
    )
    return FieldSpec(
        name=name,
        type=ftype,
        label=str(raw.get("label", name)),
        required=bool(raw.get("required", False)),
        choices=choices,
        max_length=raw.get("max_length"),
        min=raw.get("min"),
        max=raw.get("max"),
        personal=personal,
        internal=bool(raw.get("internal", False)),
        required_if=required_if,
        default=raw.get("default"),
        help=str(raw.get("help", "")),
    )


def _parse_fields(
    raw: Any,
    where: str,
    problems: list[str],
    choice_sets: Mapping[str, tuple[tuple[str, str], ...]],
) -> tuple[FieldSpec, ...]:
    out: list[FieldSpec] = []
    for name, spec in (raw or {}).items():
        parsed = _parse_field(str(name), spec, where, problems, choice_sets)
        if parsed:
            out.append(parsed)
    return tuple(out)


def _parse_duration(text: Any, where: str, problems: list[str]) -> Duration | None:
    try:
        return Duration.parse(str(text))
    except ValueError as exc:
        problems.append(f"{where}: {exc}")
        return None


def _parse_guard(raw: Any, where: str, problems: list[str]) -> Guard | None:
    if not isinstance(raw, dict):
        problems.append(f"{where}: 条件应为映射")
        return None
    message = str(raw.get("message", ""))
    if not message:
        problems.append(f"{where}: 条件缺少中文 message")
    if "clock_within" in raw:
        return Guard("clock_within", str(raw["clock_within"]), message=message)
    if "mark" in raw:
        return Guard("mark", str(raw["mark"]), message=message)
    if "no_mark" in raw:
        return Guard("no_mark", str(raw["no_mark"]), message=message)
    if "field" in raw:
        ops = [op for op in GUARD_OPS if op in raw]
        if len(ops) != 1:
            problems.append(f"{where}: 字段条件需要且只能有一个比较（{sorted(GUARD_OPS)}）")
            return None
        return Guard("field", str(raw["field"]), ops[0], raw[ops[0]], message)
    problems.append(f"{where}: 无法识别的条件 {sorted(raw)}")
    return None


def _is_input(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("input.")


def _parse_effects(raw: Any) -> Effects:
    raw = raw or {}
    return Effects(
        assign_lead=raw.get("assign_lead"),
        assign_assisting=raw.get("assign_assisting"),
        increment=_as_tuple(raw.get("increment")),
        set=tuple(
            (str(k), ValueExpr("input", v[6:]) if _is_input(v) else ValueExpr("literal", v))
            for k, v in (raw.get("set") or {}).items()
        ),
        clear=_as_tuple(raw.get("clear")),
        mark=raw.get("mark"),
        unmark=raw.get("unmark"),
        open_to_units=raw.get("open_to_units"),
    )


def _parse_notify(
    raw: Any,
    fields: tuple[FieldSpec, ...],
    action_names: set[str],
    problems: list[str],
) -> tuple[NotifySpec, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        problems.append("notify: 应为列表")
        return ()
    by_name = {f.name: f for f in fields}
    # Personal data a citizen gave us is not copied into message texts.
    allowed = TEMPLATE_KEYS | {f.name for f in fields if f.personal not in ("phone", "id_number")}
    out: list[NotifySpec] = []
    for i, item in enumerate(raw):
        where = f"notify[{i}]"
        if not isinstance(item, dict):
            problems.append(f"{where}: 应为映射")
            continue
        # YAML 1.1 reads a bare `on:` key as the boolean true.
        ons = _as_tuple(item.get("on", item.get(True)))
        if not ons:
            problems.append(f"{where}: 缺少 on（触发动作）")
        for on in ons:
            if on not in action_names:
                problems.append(f"{where}: on 引用未知动作 {on}")
        channel = str(item.get("channel", ""))
        if channel not in NOTIFY_CHANNELS:
            problems.append(f"{where}: 未知渠道 {channel}（应为 {sorted(NOTIFY_CHANNELS)}）")
        to = str(item.get("to", ""))
        target = by_name.get(to)
        if channel == "internal":
            if to not in NOTIFY_GROUP_RECIPIENTS:
                problems.append(f"{where}: 内部消息的 to 应为 {sorted(NOTIFY_GROUP_RECIPIENTS)}")
        elif to in NOTIFY_GROUP_RECIPIENTS:
            problems.append(f"{where}: {to} 只能接收内部消息（channel: internal）")
        elif target is None:
            problems.append(f"{where}: to 引用未知字段 {to}")
        elif channel == "sms" and target.type != "phone":
            problems.append(f"{where}: 短信的 to 应为电话字段，{to} 不是")
        template = item.get("template")
        subject = str(item.get("subject", ""))
        if not isinstance(template, str) or not template.strip():
            problems.append(f"{where}: 缺少 template")
            continue
        for text, label in ((template, "template"), (subject, "subject")):
            try:
                names = template_placeholders(text)
            except ValueError as exc:
                problems.append(f"{where}.{label}: 模板格式有误（{exc}）")
                continue
            for name in names:
                if name not in allowed:
                    problems.append(f"{where}.{label}: 未知或不可用的占位符 {{{name}}}")
        topic = str(item.get("topic", "")) or None
        for on in ons:
            out.append(NotifySpec(on, channel, to, template, topic or on, subject))
    return tuple(out)


def _parse_documents(
    raw: Any,
    roles: frozenset[str],
    state_names: set[str],
    problems: list[str],
    choice_sets: Mapping[str, tuple[tuple[str, str], ...]],
) -> tuple[DocumentKind, ...]:
    """Document kinds: label, fields, roles, states, file, multiple, template."""
    out: list[DocumentKind] = []
    for name, draw in (raw or {}).items():
        where = f"documents.{name}"
        draw = draw or {}
        if not isinstance(draw, dict):
            problems.append(f"{where}: 应为映射")
            continue
        kind_roles = _as_tuple(draw.get("roles"))
        for role in kind_roles:
            if role not in roles:
                problems.append(f"{where}.roles: 未知角色 {role}")
        kind_states = _as_tuple(draw.get("states"))
        for state in kind_states:
            if state not in state_names:
                problems.append(f"{where}.states: 未知状态 {state}")
        file = str(draw.get("file", "optional"))
        if file not in ("required", "optional", "none"):
            problems.append(f"{where}.file: 应为 required、optional 或 none")
            file = "optional"
        template = draw.get("template")
        if template is not None and (
            not isinstance(template, str) or not template.endswith(".docx") or "/" in template
        ):
            problems.append(f"{where}.template: 应为类型文件旁的 .docx 文件名")
            template = None
        out.append(
            DocumentKind(
                name=str(name),
                label=str(draw.get("label", name)),
                fields=_parse_fields(draw.get("fields"), f"{where}.fields", problems, choice_sets),
                roles=kind_roles,
                states=kind_states,
                file=file,  # type: ignore[arg-type]
                template=template,
                multiple=bool(draw.get("multiple", True)),
            )
        )
    return tuple(out)


def parse_case_type(
    raw: Mapping[str, Any],
    roles: frozenset[str],
    choice_sets: Mapping[str, tuple[tuple[str, str], ...]] | None = None,
) -> CaseType:
    """Check a type file's content and build its spec; raise CaseTypeError listing every fault."""
    name = str(raw.get("type", "?"))
    problems: list[str] = []
    sets = choice_sets or {}

    fields = _parse_fields(raw.get("fields"), "fields", problems, sets)
    field_names = {f.name for f in fields}

    states: list[StateSpec] = []
    for sname, sraw in (raw.get("states") or {}).items():
        sraw = sraw or {}
        states.append(
            StateSpec(str(sname), str(sraw.get("label", sname)), bool(sraw.get("terminal", False)))
        )
    state_names = {s.name for s in states}
    if not states:
        problems.append("没有定义状态 states")

    documents = _parse_documents(raw.get("documents"), roles, state_names, problems, sets)
    document_names = {d.name for d in documents}

    actions: list[ActionSpec] = []
    for aname, araw in (raw.get("actions") or {}).items():
        where = f"actions.{aname}"
        araw = araw or {}
        create = bool(araw.get("create", False))
        from_states = _as_tuple(araw.get("from"))
        if from_states == ("*",):
            from_states = tuple(s.name for s in states if not s.terminal)
        to = araw.get("to")
        for state in (*from_states, *([to] if to else [])):
            if state not in state_names:
                problems.append(f"{where}: 未知状态 {state}")
        if create and (from_states or not to):
            problems.append(f"{where}: 创建动作不能有 from，且必须有 to")
        if not create and not from_states:
            problems.append(f"{where}: 缺少 from 状态")
        action_roles = _as_tuple(araw.get("roles"))
        for role in action_roles:
            if role not in roles:
                problems.append(f"{where}: 未知角色 {role}")
        if not action_roles:
            problems.append(f"{where}: 缺少 roles")
        party = str(araw.get("party", "anyone"))
        if party not in PARTIES:
            problems.append(f"{where}: 未知 party {party}")
        inputs = _parse_fields(araw.get("inputs"), f"{where}.inputs", problems, sets)
        guards = tuple(
            parsed
            for i, raw_guard in enumerate(araw.get("guards") or [])
            if (parsed := _parse_guard(raw_guard, f"{where}.guards[{i}]", problems)) is not None
        )
        for guard in guards:
            if guard.kind == "field" and guard.target not in field_names:
                problems.append(f"{where}: 条件引用未知字段 {guard.target}")
        effects = _parse_effects(araw.get("effects"))
        input_names = {i.name for i in inputs}
        for key, value in effects.set:
            if key not in field_names:
                problems.append(f"{where}: effects.set 引用未知字段 {key}")
            if value.kind == "input" and value.value not in input_names:
                problems.append(f"{where}: effects.set 引用未知输入 input.{value.value}")
        for key in (*effects.increment, *effects.clear):
            if key not in field_names:
                problems.append(f"{where}: effects 引用未知字段 {key}")
        for ref in (effects.assign_lead, effects.assign_assisting):
            if ref and ref != "actor_unit" and ref not in input_names:
                problems.append(f"{where}: 指派引用未知输入 {ref}")
        docs = _as_tuple(araw.get("documents"))
        for doc in docs:
            if doc not in document_names:
                problems.append(f"{where}: 未知文书类别 {doc}")
        if create:
            # A creating action takes the type's own fields; internal ones (counters,
            # ratings) only when the action declares them as its inputs.
            own = {i.name for i in inputs}
            inputs = tuple(f for f in fields if not f.internal and f.name not in own) + inputs
        actions.append(
            ActionSpec(
                name=str(aname),
                label=str(araw.get("label", aname)),
                from_states=from_states,
                to=str(to) if to else None,
                roles=action_roles,
                party=party,
                inputs=inputs,
                guards=guards,
                effects=effects,
                documents=docs,
                create=create,
                help=str(araw.get("help", "")),
            )
        )
    action_names = {a.name for a in actions}
    if not any(a.create for a in actions):
        problems.append("没有创建动作（create: true）")

    clocks: list[ClockSpec] = []
    for cname, craw in (raw.get("clocks") or {}).items():
        where = f"clocks.{cname}"
        craw = craw or {}
        limit_raw = craw.get("limit")
        limit: Limit | None = None
        if isinstance(limit_raw, dict):
            default = _parse_duration(limit_raw.get("default"), f"{where}.limit.default", problems)
            by_field = limit_raw.get("by")
            if by_field and by_field not in field_names:
                problems.append(f"{where}: limit.by 引用未知字段 {by_field}")
            values = []
            for key, text in (limit_raw.get("values") or {}).items():
                duration = _parse_duration(text, f"{where}.limit.values.{key}", problems)
                if duration:
                    values.append((str(key), duration))
            if default:
                limit = Limit(default, by_field, tuple(values))
        else:
            default = _parse_duration(limit_raw, f"{where}.limit", problems)
            if default:
                limit = Limit(default)
        starts = _as_tuple(craw.get("start"))
        stops = _as_tuple(craw.get("stop"))
        for ref in (*starts, *stops):
            if ref not in action_names:
                problems.append(f"{where}: 引用未知动作 {ref}")
        limit_on = []
        for aname, text in (craw.get("limit_on") or {}).items():
            if aname not in starts:
                problems.append(f"{where}: limit_on.{aname} 不是起算动作")
            duration = _parse_duration(text, f"{where}.limit_on.{aname}", problems)
            if duration:
                limit_on.append((str(aname), duration))
        extend = None
        if craw.get("extend"):
            ext = craw["extend"]
            extend = ExtendRule(
                str(ext.get("action")), str(ext.get("input")), int(ext.get("max_total", 0))
            )
            act = next((a for a in actions if a.name == extend.action), None)
            if act is None:
                problems.append(f"{where}: extend 引用未知动作 {extend.action}")
            elif act.input(extend.input) is None:
                problems.append(f"{where}: extend 引用动作 {act.name} 没有的输入 {extend.input}")
        if not craw.get("basis"):
            problems.append(f"{where}: 缺少法律或规则依据 basis")
        if limit:
            clocks.append(
                ClockSpec(
                    name=str(cname),
                    label=str(craw.get("label", cname)),
                    basis=str(craw["basis"]) if craw.get("basis") else "",
                    limit=limit,
                    start=starts,
                    stop=stops,
                    limit_on=tuple(limit_on),
                    extend=extend,
                    primary=bool(craw.get("primary", False)),
                )
            )

    title_field = raw.get("title_field")
    if title_field and title_field not in field_names:
        problems.append(f"title_field 引用未知字段 {title_field}")
    category_field = raw.get("category_field")
    if category_field and category_field not in field_names:
        problems.append(f"category_field 引用未知字段 {category_field}")
    summary = _as_tuple(raw.get("summary_fields"))
    for ref in summary:
        if ref not in field_names:
            problems.append(f"summary_fields 引用未知字段 {ref}")
    queues: list[tuple[str, tuple[str, ...]]] = []
    for role, queue_states in (raw.get("queues") or {}).items():
        if role not in roles:
            problems.append(f"queues: 未知角色 {role}")
        for state in _as_tuple(queue_states):
            if state not in state_names:
                problems.append(f"queues.{role}: 未知状态 {state}")
        queues.append((str(role), _as_tuple(queue_states)))
    notify = _parse_notify(raw.get("notify"), fields, action_names, problems)
    prefix = str(raw.get("number_prefix", ""))
    if not prefix.isalpha() or not prefix.isupper():
        problems.append("number_prefix 应为大写字母")

    if problems:
        raise CaseTypeError(name, problems)
    return CaseType(
        name=name,
        label=str(raw.get("label", name)),
        number_prefix=prefix,
        fields=fields,
        states=tuple(states),
        actions=tuple(actions),
        clocks=tuple(clocks),
        documents=documents,
        title_field=title_field,
        summary_fields=summary,
        category_field=category_field,
        description=str(raw.get("description", "")),
        queues=tuple(queues),
        notify=notify,
    )
