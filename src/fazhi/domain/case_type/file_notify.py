"""`notify:`: messages sent through the outbox when an action succeeds."""

from __future__ import annotations

import string
from typing import Annotated, Any

from pydantic import Field

from fazhi.domain.case_type.file_common import (
    FileModel,
    Names,
    Problems,
    Scope,
    an,
    join,
    one_of,
    validate,
)
from fazhi.domain.case_type.spec import ActionSpec, NotifySpec
from fazhi.domain.notify import NOTIFY_CHANNELS, NOTIFY_GROUP_RECIPIENTS, TEMPLATE_KEYS

_FORMATTER = string.Formatter()


class NotifyModel(FileModel):
    on: Annotated[Names, Field(min_length=1)]
    channel: Annotated[str, one_of("channel", NOTIFY_CHANNELS)]
    to: str
    template: Annotated[str, Field(min_length=1)]
    topic: str = ""
    subject: str = ""

    def to_specs(self, path: str, scope: Scope, problems: Problems) -> list[NotifySpec]:
        for i, action in enumerate(self.on):
            scope.check_action(action, join(join(path, "on"), i), problems)
        self._check_recipient(join(path, "to"), scope, problems)
        # Personal data a citizen gave us is not copied into message texts.
        allowed = TEMPLATE_KEYS | {
            f.name for f in scope.fields.values() if f.personal not in ("phone", "id_number")
        }
        # And the inputs every action named in `on` takes (a return's reason, the days asked).
        allowed |= _shared_inputs([scope.actions.get(a) for a in self.on])
        for key in ("template", "subject"):
            for problem in _placeholder_faults(getattr(self, key), allowed):
                problems.add(join(path, key), problem)
        return [
            NotifySpec(on, self.channel, self.to, self.template, self.topic or on, self.subject)
            for on in self.on
        ]

    def _check_recipient(self, path: str, scope: Scope, problems: Problems) -> None:
        to = self.to
        if self.channel == "internal":
            if to not in NOTIFY_GROUP_RECIPIENTS:
                problems.add(
                    path,
                    f"an internal message goes to {' or '.join(sorted(NOTIFY_GROUP_RECIPIENTS))}",
                )
            return
        if to in NOTIFY_GROUP_RECIPIENTS:
            problems.add(path, f"{to} receives internal messages only (channel: internal)")
            return
        target = scope.check_field(to, path, problems)
        if self.channel == "sms" and target is not None and target.type != "phone":
            problems.add(path, f"an sms goes to a phone field; {to!r} is {an(target.type)}")


def _shared_inputs(actions: list[ActionSpec | None]) -> frozenset[str]:
    names: set[str] | None = None
    for action in actions:
        mine = {
            i.name
            for i in (action.inputs if action else ())
            if i.personal not in ("phone", "id_number") and i.type not in ("phone", "id_number")
        }
        names = mine if names is None else names & mine
    return frozenset(names or ())


def _placeholder_faults(template: str, allowed: frozenset[str]) -> list[str]:
    try:
        parts = list(_FORMATTER.parse(template))
    except ValueError as exc:
        return [f"malformed template ({exc})"]
    faults = []
    for _, name, spec, conversion in parts:
        if name is None:
            continue
        if not name.isidentifier() or spec or conversion:
            faults.append(f"placeholder {{{name}}} should be a plain name")
        elif name not in allowed:
            faults.append(f"unknown or unusable placeholder {{{name}}}")
    return faults


def parse_notify(raw: Any, scope: Scope, problems: Problems) -> list[NotifySpec]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        problems.add("notify", "expected a list")
        return []
    out: list[NotifySpec] = []
    for i, item in enumerate(raw):
        where = join("notify", i)
        model = validate(NotifyModel, item, where, problems)
        if model is not None:
            out.extend(model.to_specs(where, scope, problems))
    return out
