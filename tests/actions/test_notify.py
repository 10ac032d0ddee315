"""Notifications: outbox rows (sms) and inbox messages (internal) written in the action's own
transaction, reminders written once per clock, and delivery at least once with retries,
backoff and dead letters.

The database is shared by the whole session, so every test makes its own orders and
messages and looks only at those (senders accept anything else without recording it).
"""

from __future__ import annotations

import itertools
import json
import smtplib
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from fazhi.actions.auth import actor_for
from fazhi.actions.cases import ActionContext, create_case, perform_action
from fazhi.actions.notify import dedupe_key, retry_now, scan_reminders
from fazhi.actions.platform import Platform
from fazhi.domain.durations import LOCAL_TZ
from fazhi.domain.errors import DomainError
from fazhi.notifications.dispatch import MAX_ATTEMPTS, deliver_due
from fazhi.notifications.senders import (
    HttpSmsSender,
    LogFileSender,
    NotifySettings,
    SendError,
    SmtpSender,
    senders_from_settings,
)
from fazhi.store.db import transaction
from fazhi.store.messages import Message
from fazhi.store.models import Case, Clock, Event, OutboxMessage, User
from tests.support import FakeClock

T = TypeVar("T")
LEAD = "SF-CGJ"
_serial = itertools.count(1)


def phone() -> str:
    """A synthetic mobile number unique within the run (170 numbers are virtual-operator)."""
    return f"170{next(_serial) % 10**8:08d}"


def as_user(platform: Platform, username: str, work: Callable[[Session, ActionContext], T]) -> T:
    with platform.writing(), transaction(platform.sessions) as session:
        user = session.scalar(select(User).where(User.username == username))
        assert user is not None
        ctx = ActionContext(platform, actor_for(platform, user), platform.now())
        return work(session, ctx)


def register(platform: Platform, **fields: Any) -> int:
    body = {
        "request_kind": "complaint",
        "category": "CITY_APPEARANCE",
        "content": f"通知测试：路灯不亮（测试合成数据）{next(_serial)}",
        "caller_name": "测试乙",
        **fields,
    }
    return as_user(platform, "operator1", lambda s, c: create_case(s, c, "hotline", body).id)


def act(platform: Platform, username: str, case_id: int, action: str, **inputs: Any) -> None:
    as_user(platform, username, lambda s, c: perform_action(s, c, case_id, action, inputs))


def to_handling(platform: Platform, **fields: Any) -> int:
    case_id = register(platform, **fields)
    act(platform, "dispatcher1", case_id, "dispatch", lead_unit=LEAD)
    act(platform, "cgj_handler", case_id, "acknowledge")
    return case_id


def reply(platform: Platform, case_id: int) -> None:
    act(platform, "cgj_handler", case_id, "reply", reply="路灯已修复（测试）", result="resolved")


def outbox(platform: Platform, case_id: int) -> list[OutboxMessage]:
    with platform.sessions() as session:
        rows = session.scalars(
            select(OutboxMessage).where(OutboxMessage.case_id == case_id).order_by(OutboxMessage.id)
        ).all()
        session.expunge_all()
        return list(rows)


def inbox(platform: Platform, case_id: int) -> list[Message]:
    with platform.sessions() as session:
        rows = session.scalars(
            select(Message).where(Message.case_id == case_id).order_by(Message.id)
        ).all()
        session.expunge_all()
        return list(rows)


def event_seq(platform: Platform, case_id: int, action: str) -> int:
    with platform.sessions() as session:
        seq = session.scalar(
            select(func.max(Event.seq)).where(Event.case_id == case_id, Event.action == action)
        )
        assert seq is not None
        return int(seq)


# --- written with the action ---------------------------------------------------------------


def test_registration_and_ordinary_steps_enqueue_nothing(platform: Platform) -> None:
    case_id = to_handling(platform, caller_phone=phone())
    assert outbox(platform, case_id) == []


def test_reply_enqueues_an_sms_to_the_caller_with_the_event(
    platform: Platform, clock: FakeClock
) -> None:
    number = phone()
    case_id = to_handling(platform, caller_phone=number)
    clock.advance(hours=2)
    reply(platform, case_id)
    (message,) = outbox(platform, case_id)
    assert message.channel == "sms" and message.topic == "reply"
    assert message.recipient == number
    assert message.status == "pending" and message.attempts == 0
    assert message.next_attempt_at == clock() and message.created_at == clock()
    assert message.event_seq == event_seq(platform, case_id, "reply")
    assert message.region_code == platform.region_code
    assert message.body.startswith("【石峰区12345】您反映的RX20230601")
    assert "路灯已修复（测试）" in message.body and "已解决" in message.body
    assert number not in message.body


def test_close_sends_a_closing_sms(platform: Platform) -> None:
    case_id = to_handling(platform, caller_phone=phone())
    reply(platform, case_id)
    act(platform, "operator1", case_id, "revisit", rating="satisfied")
    act(platform, "operator1", case_id, "close")
    topics = [m.topic for m in outbox(platform, case_id)]
    assert topics == ["reply", "closed"]
    assert outbox(platform, case_id)[1].event_seq == event_seq(platform, case_id, "close")


def test_resolve_at_intake_sends_the_answer(platform: Platform) -> None:
    number = phone()
    body = {
        "request_kind": "consultation",
        "category": "CITY_APPEARANCE",
        "content": "咨询占道经营许可办理地点（测试合成数据）",
        "caller_phone": number,
        "answer": "请到区政务服务中心3号窗口办理（测试）",
    }
    case_id = as_user(
        platform,
        "operator1",
        lambda s, c: create_case(s, c, "hotline", body, "resolve_at_intake").id,
    )
    (message,) = outbox(platform, case_id)
    assert (message.topic, message.recipient, message.event_seq) == ("closed", number, 1)
    assert "请到区政务服务中心3号窗口办理" in message.body


def test_no_phone_no_sms(platform: Platform) -> None:
    case_id = to_handling(platform)
    reply(platform, case_id)
    assert outbox(platform, case_id) == []


def test_a_refused_action_enqueues_nothing(platform: Platform) -> None:
    case_id = to_handling(platform, caller_phone=phone())
    with pytest.raises(DomainError):
        # Not the lead unit: refused before anything is written.
        act(platform, "zjj_handler", case_id, "reply", reply="越权答复", result="resolved")
    with pytest.raises(DomainError):
        act(platform, "cgj_handler", case_id, "reply", reply="", result="resolved")
    assert outbox(platform, case_id) == []


def test_the_outbox_row_rolls_back_with_the_action(platform: Platform) -> None:
    case_id = to_handling(platform, caller_phone=phone())

    def reply_then_fail(session: Session, ctx: ActionContext) -> None:
        perform_action(
            session, ctx, case_id, "reply", {"reply": "已修复（测试）", "result": "resolved"}
        )
        assert session.scalar(select(func.count()).where(OutboxMessage.case_id == case_id)) == 1
        raise RuntimeError("a later step of the same request failed")

    with pytest.raises(RuntimeError):
        as_user(platform, "cgj_handler", reply_then_fail)
    assert outbox(platform, case_id) == []
    with platform.sessions() as session:
        assert session.scalar(select(Case.state).where(Case.id == case_id)) == "handling"


def test_supervision_tells_supervisors_and_the_lead_unit(platform: Platform) -> None:
    case_id = to_handling(platform, caller_phone=phone())
    before = len(inbox(platform, case_id))
    act(platform, "supervisor1", case_id, "supervise", kind="key_supervision", reason="测试督办")
    messages = inbox(platform, case_id)[before:]
    assert [(m.recipient, m.topic) for m in messages] == [
        ("role:supervisor", "escalated"),
        (f"unit:{LEAD}", "escalated"),
    ]
    directory = platform.directory()
    assert messages[1].recipient_unit_id == directory.by_code[LEAD].id
    assert messages[1].event_seq == event_seq(platform, case_id, "supervise")
    assert "督办" in messages[1].body and messages[1].subject.startswith("督办 RX")
    # Internal messages are delivered by being stored: nothing waits in the outbox.
    assert outbox(platform, case_id) == []
    # Before dispatch there is no lead unit: only the supervisors' message.
    fresh = register(platform, caller_phone=phone())
    act(platform, "supervisor1", fresh, "post_challenge", reason="测试挂榜")
    assert [m.recipient for m in inbox(platform, fresh)] == ["role:supervisor"]


# --- reminders -----------------------------------------------------------------------------


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LOCAL_TZ)


def handle_clock(platform: Platform, case_id: int) -> int:
    with platform.sessions() as session:
        clock_id = session.scalar(
            select(Clock.id).where(
                Clock.case_id == case_id, Clock.name == "handle", Clock.stopped_at.is_(None)
            )
        )
        assert clock_id is not None
        return int(clock_id)


def test_reminders_are_enqueued_once_per_clock_and_kind(
    platform: Platform, clock: FakeClock
) -> None:
    clock.set(at("2023-06-01T09:00"))  # Thursday; 5 working days → due Thursday 8 June
    case_id = to_handling(platform, caller_phone=phone())
    clock_id = handle_clock(platform, case_id)

    def reminders() -> list[Message]:
        return [m for m in inbox(platform, case_id) if m.topic in ("due_soon", "overdue")]

    clock.set(at("2023-06-05T10:00"))  # on track
    scan_reminders(platform)
    assert reminders() == []

    clock.set(at("2023-06-07T10:00"))  # the last working day but one: due soon
    first = scan_reminders(platform)
    assert first.enqueued >= 1
    (soon,) = reminders()
    assert (soon.topic, soon.recipient) == ("due_soon", f"unit:{LEAD}")
    assert soon.dedupe_key == dedupe_key("due_soon", clock_id) == f"due_soon:clock:{clock_id}"
    assert "办理时限" in soon.body and "2023-06-08 23:59" in soon.body
    scan_reminders(platform)
    assert len(reminders()) == 1

    clock.set(at("2023-06-09T10:00"))
    scan_reminders(platform)
    scan_reminders(platform)
    assert [m.topic for m in reminders()] == ["due_soon", "overdue"]

    # Replied: the clock stops, and nothing more comes.
    reply(platform, case_id)
    clock.set(at("2023-06-12T10:00"))
    scan_reminders(platform)
    assert [m.topic for m in reminders()] == ["due_soon", "overdue"]
    assert [m.topic for m in outbox(platform, case_id)] == ["reply"]


# --- delivery ------------------------------------------------------------------------------


class Recorder:
    """Records the deliveries of `mine`; accepts everything else silently.

    `fail` — ids for which it raises SendError (the gateway is down), `crash` — an id at which
    it raises something else (the process dies mid-batch)."""

    def __init__(self, mine: Iterable[int], fail: Iterable[int] = (), crash: int | None = None):
        self.mine = set(mine)
        self.fail = set(fail)
        self.crash = crash
        self.got: list[int] = []
        self.tried: list[int] = []

    def send(self, message: OutboxMessage) -> None:
        if message.id not in self.mine:
            return
        self.tried.append(message.id)
        if message.id == self.crash:
            raise KeyboardInterrupt("killed mid-batch")
        if message.id in self.fail:
            raise SendError("网关不可用（测试）")
        self.got.append(message.id)


def senders(recorder: Recorder) -> dict[str, Any]:
    return {"sms": recorder, "email": recorder, "internal": recorder}


def make_messages(platform: Platform, n: int) -> list[int]:
    now = platform.now()
    ids = []
    with platform.writing(), transaction(platform.sessions) as session:
        for _ in range(n):
            ids.append(
                session.execute(
                    insert(OutboxMessage).returning(OutboxMessage.id),
                    {
                        "region_code": platform.region_code,
                        "created_at": now,
                        "channel": "sms",
                        "topic": "test",
                        "recipient": phone(),
                        "subject": "测试",
                        "body": "测试消息（合成数据）",
                        "status": "pending",
                        "attempts": 0,
                        "next_attempt_at": now,
                    },
                ).scalar_one()
            )
    return ids


def state(platform: Platform, ids: list[int]) -> dict[int, tuple[str, int]]:
    with platform.sessions() as session:
        rows = session.execute(
            select(OutboxMessage.id, OutboxMessage.status, OutboxMessage.attempts).where(
                OutboxMessage.id.in_(ids)
            )
        ).all()
    return {row.id: (row.status, row.attempts) for row in rows}


def message(platform: Platform, message_id: int) -> OutboxMessage:
    with platform.sessions() as session:
        row = session.get(OutboxMessage, message_id)
        assert row is not None
        session.expunge(row)
        return row


def test_sender_down_then_up_delivers_everything_exactly_once(
    platform: Platform, clock: FakeClock
) -> None:
    ids = make_messages(platform, 5)
    down = Recorder(ids, fail=ids)
    deliver_due(platform, senders(down))
    assert down.got == [] and sorted(down.tried) == ids
    assert set(state(platform, ids).values()) == {("failed", 1)}
    assert "网关不可用" in (message(platform, ids[0]).last_error or "")

    up = Recorder(ids)
    deliver_due(platform, senders(up))  # not due yet: backoff
    assert up.got == []
    clock.advance(minutes=1)
    deliver_due(platform, senders(up))
    deliver_due(platform, senders(up))
    assert up.got == ids
    assert set(state(platform, ids).values()) == {("sent", 2)}
    assert message(platform, ids[0]).sent_at == clock()


def test_a_failure_on_the_third_message_delays_only_that_one(
    platform: Platform, clock: FakeClock
) -> None:
    ids = make_messages(platform, 5)
    flaky = Recorder(ids, fail=[ids[2]])
    deliver_due(platform, senders(flaky))
    assert flaky.got == [ids[0], ids[1], ids[3], ids[4]]
    assert state(platform, ids)[ids[2]] == ("failed", 1)
    clock.advance(minutes=1)
    working = Recorder(ids)
    deliver_due(platform, senders(working))
    assert working.got == [ids[2]]
    assert flaky.got + working.got == [*ids[:2], *ids[3:], ids[2]]


def test_a_crash_mid_batch_loses_nothing(platform: Platform) -> None:
    ids = make_messages(platform, 5)
    dying = Recorder(ids, crash=ids[2])
    with pytest.raises(KeyboardInterrupt):
        deliver_due(platform, senders(dying))
    assert dying.got == ids[:2]
    after = state(platform, ids)
    assert [after[i] for i in ids] == [("sent", 1)] * 2 + [("pending", 0)] * 3
    restarted = Recorder(ids)
    deliver_due(platform, senders(restarted))
    assert restarted.got == ids[2:]
    assert set(state(platform, ids).values()) == {("sent", 1)}


def test_backoff_schedule_then_dead_then_retry_now(platform: Platform, clock: FakeClock) -> None:
    (mid,) = make_messages(platform, 1)
    down = Recorder([mid], fail=[mid])
    waits = []
    for attempt in range(1, MAX_ATTEMPTS + 1):
        deliver_due(platform, senders(down))
        row = message(platform, mid)
        assert row.attempts == attempt
        if attempt == MAX_ATTEMPTS:
            assert row.status == "dead"
            break
        assert row.status == "failed"
        wait = row.next_attempt_at - clock()
        waits.append(int(wait.total_seconds() // 60))
        clock.advance(seconds=wait.total_seconds() - 1)
        deliver_due(platform, senders(down))  # a second early: not tried
        assert len(down.tried) == attempt
        clock.advance(seconds=1)
    assert waits == [1, 2, 4, 8, 16, 32, 60]
    clock.advance(days=30)
    deliver_due(platform, senders(down))
    assert len(down.tried) == MAX_ATTEMPTS  # dead letters are not retried by themselves

    with platform.writing(), transaction(platform.sessions) as session:
        assert retry_now(session, platform.region_code, mid, platform.now())
        assert not retry_now(session, "999999", mid, platform.now())
    up = Recorder([mid])
    deliver_due(platform, senders(up))
    assert up.got == [mid] and state(platform, [mid])[mid] == ("sent", MAX_ATTEMPTS + 1)


def test_a_channel_without_a_sender_fails_and_is_retried(
    platform: Platform, clock: FakeClock
) -> None:
    (mid,) = make_messages(platform, 1)
    recorder = Recorder([mid])
    deliver_due(platform, {"internal": recorder})
    row = message(platform, mid)
    assert (row.status, row.attempts) == ("failed", 1)
    assert "sms" in (row.last_error or "")
    clock.advance(minutes=1)
    deliver_due(platform, senders(recorder))
    assert recorder.got == [mid]


def test_everything_due_is_sent_batch_after_batch(platform: Platform) -> None:
    ids = make_messages(platform, 7)
    recorder = Recorder(ids)
    result = deliver_due(platform, senders(recorder), batch=3)
    assert recorder.got == ids and result.sent >= 7


# --- senders -------------------------------------------------------------------------------


def sms(recipient: str = "13812345678") -> OutboxMessage:
    return OutboxMessage(
        id=1,
        case_id=None,
        channel="sms",
        topic="reply",
        recipient=recipient,
        subject="测试",
        body="【石峰区12345】测试短信",
    )


def test_http_sms_sender_posts_json_and_treats_non_2xx_as_failure() -> None:
    seen: list[httpx.Request] = []
    answers = iter([200, 503])

    def gateway(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(next(answers), text="busy")

    settings = NotifySettings(sms_url="http://sms.test/send", sms_token="t0k", sms_sign="石峰区")
    sender = HttpSmsSender(settings, transport=httpx.MockTransport(gateway))
    sender.send(sms())
    assert json.loads(seen[0].content) == {
        "phone": "13812345678",
        "text": "【石峰区12345】测试短信",
        "sign": "石峰区",
    }
    assert seen[0].headers["authorization"] == "Bearer t0k"
    with pytest.raises(SendError, match="HTTP 503"):
        sender.send(sms())

    def unreachable(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused")

    with pytest.raises(SendError, match="不可达"):
        HttpSmsSender(settings, transport=httpx.MockTransport(unreachable)).send(sms())
    with pytest.raises(ValueError, match="FAZHI_SMS_URL"):
        HttpSmsSender(NotifySettings(sms_url=""))


def test_log_file_sender_masks_phones(tmp_path: Path) -> None:
    path = tmp_path / "out" / "notify.jsonl"
    LogFileSender(path).send(sms())
    (line,) = path.read_text(encoding="utf-8").splitlines()
    assert json.loads(line)["to"] == "138****5678"
    assert "13812345678" not in line
    blocked = tmp_path / "file"
    blocked.write_text("")
    with pytest.raises(SendError):
        LogFileSender(blocked / "x.jsonl").send(sms())


def test_smtp_sender(monkeypatch: pytest.MonkeyPatch) -> None:
    sent: list[Any] = []

    class FakeSMTP:
        def __init__(self, host: str, port: int, timeout: float) -> None:
            sent.append(("connect", host, port))

        def __enter__(self) -> FakeSMTP:
            return self

        def __exit__(self, *args: object) -> None:
            return None

        def starttls(self) -> None:
            sent.append("starttls")

        def login(self, user: str, password: str) -> None:
            sent.append(("login", user))

        def send_message(self, mail: Any) -> None:
            if mail["To"] == "down@example.cn":
                raise smtplib.SMTPRecipientsRefused({})
            sent.append(("mail", mail["To"], mail["Subject"]))

    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    settings = NotifySettings(
        smtp_host="mail.test", smtp_port=587, smtp_user="u", smtp_starttls=True
    )
    message = sms("zhang@example.cn")
    message.channel = "email"
    SmtpSender(settings).send(message)
    assert sent == [
        ("connect", "mail.test", 587),
        "starttls",
        ("login", "u"),
        ("mail", "zhang@example.cn", "测试"),
    ]
    message.recipient = "down@example.cn"
    with pytest.raises(SendError, match="SMTP"):
        SmtpSender(settings).send(message)


def test_senders_by_settings() -> None:
    chosen = senders_from_settings(NotifySettings(sender_sms="log", sender_email="log"))
    assert isinstance(chosen["sms"], LogFileSender) and isinstance(chosen["email"], LogFileSender)
    chosen = senders_from_settings(
        NotifySettings(sender_sms="http", sms_url="http://sms.test/", sender_email="smtp")
    )
    assert isinstance(chosen["sms"], HttpSmsSender) and isinstance(chosen["email"], SmtpSender)
    with pytest.raises(ValueError, match="FAZHI_SENDER_EMAIL"):
        senders_from_settings(NotifySettings(sender_email="fax"))
