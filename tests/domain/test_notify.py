"""Notification texts: placeholders are checked when a type file loads, templates render from
case data without I/O, recipients are masked for logs and pages."""

from __future__ import annotations

import copy
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest
import yaml

from fazhi.catalog.registry import default_case_types
from fazhi.catalog.roles import default_roles
from fazhi.catalog.settings import ClockOverride, override_case_type
from fazhi.domain.case_type import CaseType, CaseTypeError, parse_case_type
from fazhi.domain.notify import (
    backoff_seconds,
    mask_recipient,
    render,
    template_placeholders,
    template_values,
)
from tests.domain.test_case_type import GOOD

ROLE_SET = default_roles().ids


def with_notify(*items: dict[str, Any], extra_fields: dict[str, Any] | None = None) -> CaseType:
    raw = copy.deepcopy(GOOD)
    raw["fields"]["phone"] = {"type": "phone", "label": "电话", "personal": "phone"}
    raw["fields"].update(extra_fields or {})
    raw["notify"] = list(items)
    return parse_case_type(raw, ROLE_SET)


def problems_of(*items: dict[str, Any]) -> list[str]:
    with pytest.raises(CaseTypeError) as err:
        with_notify(*items)
    return err.value.problems


def test_hotline_notify_section_is_parsed_and_looked_up_by_action() -> None:
    hotline = default_case_types().get("hotline")
    assert hotline is not None
    (reply,) = hotline.notifications("reply")
    assert (reply.channel, reply.to, reply.topic) == ("sms", "caller_phone", "reply")
    assert "{reply}" in reply.template and reply.template.startswith("【石峰区12345】")
    assert [s.to for s in hotline.notifications("supervise")] == ["supervisors", "lead_unit"]
    assert [s.to for s in hotline.notifications("post_challenge")] == ["supervisors", "lead_unit"]
    assert hotline.notifications("close")[0].topic == "closed"
    assert hotline.notifications("resolve_at_intake")[0].channel == "sms"
    # Registration sends nothing.
    assert hotline.notifications("register") == ()
    assert hotline.primary_clock is not None and hotline.primary_clock.name == "handle"


def test_a_bare_yaml_on_key_and_a_list_of_actions_are_accepted() -> None:
    raw = yaml.safe_load(
        "- on: [apply, assign]\n  channel: sms\n  to: phone\n  template: 已受理{number}\n"
    )
    assert True in raw[0]  # YAML 1.1 reads `on` as true
    spec = with_notify(*raw)
    assert [s.on for s in spec.notify] == ["apply", "assign"]
    assert spec.notify[0].topic == "apply"


def test_replaced_copies_keep_their_notifications() -> None:
    hotline = default_case_types().get("hotline")
    assert hotline is not None
    # A deployment's clock settings give a replaced copy of the type (catalog.settings).
    changed = override_case_type(hotline, [ClockOverride("hotline", "handle", default="6wd")])
    assert changed is not hotline
    assert changed.notifications("reply") == hotline.notifications("reply")
    assert len(changed.notifications("supervise")) == len(hotline.notifications("supervise")) == 2
    plain = replace(hotline, _fields={}, _states={}, _actions={}, _clocks={})
    assert plain.notifications("close") == hotline.notifications("close")


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        (
            {"on": "nope", "channel": "sms", "to": "phone", "template": "x"},
            "notify[0].on[0]: unknown action 'nope'",
        ),
        (
            {"on": "apply", "channel": "fax", "to": "phone", "template": "x"},
            "notify[0].channel: unknown channel 'fax'",
        ),
        (
            {"on": "apply", "channel": "sms", "to": "site", "template": "x"},
            "notify[0].to: an sms goes to a phone field",
        ),
        (
            {"on": "apply", "channel": "sms", "to": "ghost", "template": "x"},
            "notify[0].to: unknown field 'ghost'",
        ),
        (
            {"on": "apply", "channel": "internal", "to": "phone", "template": "x"},
            "notify[0].to: an internal message goes to dispatchers or lead_unit or operators or",
        ),
        (
            {"on": "apply", "channel": "sms", "to": "lead_unit", "template": "x"},
            "notify[0].to: lead_unit receives internal messages only",
        ),
        ({"on": "apply", "channel": "sms", "to": "phone"}, "notify[0]: missing key 'template'"),
        ({"channel": "sms", "to": "phone", "template": "x"}, "notify[0]: missing key 'on'"),
        (
            {"on": "apply", "channel": "sms", "to": "phone", "template": "{numbr}"},
            "notify[0].template: unknown or unusable placeholder {numbr}",
        ),
        (
            {"on": "apply", "channel": "sms", "to": "phone", "template": "{phone}"},
            "notify[0].template: unknown or unusable placeholder {phone}",
        ),
        (
            {"on": "apply", "channel": "sms", "to": "phone", "template": "{number:>9}"},
            "notify[0].template: placeholder {number} should be a plain name",
        ),
        (
            {"on": "apply", "channel": "sms", "to": "phone", "template": "{number"},
            "notify[0].template: malformed template",
        ),
        (
            {
                "on": "apply",
                "channel": "internal",
                "to": "lead_unit",
                "template": "x",
                "subject": "{oops}",
            },
            "notify[0].subject: unknown or unusable placeholder {oops}",
        ),
    ],
)
def test_faulty_notify_entries_are_refused_at_load_time(
    item: dict[str, Any], expected: str
) -> None:
    problems = problems_of(item)
    assert any(p.startswith(expected) for p in problems), problems


def test_every_fault_is_listed() -> None:
    problems = problems_of(
        {"on": "nope", "channel": "sms", "to": "phone", "template": "{x}"},
        {"on": "apply", "channel": "fax", "to": "phone", "template": "ok"},
    )
    assert problems == [
        "notify[0].on[0]: unknown action 'nope'",
        "notify[0].template: unknown or unusable placeholder {x}",
        "notify[1].channel: unknown channel 'fax' (expected one of email, internal, sms)",
    ]


def test_placeholders() -> None:
    assert template_placeholders("【区】{number}：{reply}，{{字面}}") == ["number", "reply"]
    with pytest.raises(ValueError):
        template_placeholders("{a.b}")
    with pytest.raises(ValueError):
        template_placeholders("{0}")


def test_rendering_from_case_data() -> None:
    hotline = default_case_types().get("hotline")
    assert hotline is not None
    created = datetime(2023, 6, 1, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai
    values = template_values(
        hotline,
        case_id=123,
        created_at=created,
        title="路灯不亮",
        state="replied",
        fields={"reply": "已修复。" * 100, "result": "resolved", "caller_phone": "13812345678"},
        due_at=datetime(2023, 6, 8, 15, 59, 59, tzinfo=UTC),
        action="reply",
    )
    assert values["number"] == "RX202306010000123"
    assert values["state"] == "待回访"
    assert values["result"] == "已解决"
    assert values["due_at"] == "2023-06-08 23:59"
    assert values["action"] == "答复"
    assert "caller_phone" not in values  # personal data stays out of texts
    assert len(values["reply"]) == 201 and values["reply"].endswith("…")
    (spec,) = hotline.notifications("reply")
    text = render(spec.template, values)
    assert text.startswith("【石峰区12345】您反映的RX202306010000123已办理答复：已修复。")
    assert "13812345678" not in text
    # An unknown name (possible only for hand-built specs) reads as empty.
    assert render("a{missing}b{{c}}", {}) == "ab{c}"


def test_masking_and_backoff() -> None:
    assert mask_recipient("sms", "13812345678") == "138****5678"
    assert mask_recipient("email", "zhang@example.cn") == "z***@example.cn"
    assert mask_recipient("internal", "unit:SF-CGJ") == "unit:SF-CGJ"
    minutes = [backoff_seconds(n) // 60 for n in range(1, 9)]
    assert minutes == [1, 2, 4, 8, 16, 32, 60, 60]


def test_templates_may_use_the_inputs_every_action_of_the_entry_takes() -> None:
    hotline = default_case_types().get("hotline")
    assert hotline is not None
    (asked,) = hotline.notifications("request_extension")
    assert (asked.channel, asked.to) == ("internal", "dispatchers")
    values = template_values(
        hotline,
        case_id=7,
        created_at=datetime(2023, 6, 1, 1, 0, tzinfo=UTC),
        title="路面塌陷",
        state="handling",
        fields={},
        action="request_extension",
        inputs={"days": 3, "reason": "需协调燃气公司"},
        unit="区城管局",
    )
    assert render(asked.template, values).startswith("区城管局申请工单RX202306010000007")
    assert "延期3个工作日，理由：需协调燃气公司" in render(asked.template, values)
    # An input that is a field of the type keeps the field's value (as the action left it).
    kept = template_values(
        hotline,
        case_id=7,
        created_at=datetime(2023, 6, 1, 1, 0, tzinfo=UTC),
        title="t",
        state="handling",
        fields={"urgency": "urgent"},
        action="dispatch",
        inputs={"urgency": "normal"},
    )
    assert kept["urgency"] == "紧急"


def test_an_input_only_some_actions_of_the_entry_take_is_refused() -> None:
    raw = copy.deepcopy(GOOD)
    raw["notify"] = [
        {"on": ["apply", "decide"], "channel": "internal", "to": "lead_unit", "template": "{x}"}
    ]
    with pytest.raises(CaseTypeError) as err:
        parse_case_type(raw, ROLE_SET)
    assert any("unknown or unusable placeholder {x}" in p for p in err.value.problems)
