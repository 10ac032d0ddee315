"""Senders: one per channel, chosen by settings. A sender either returns (sent) or raises
SendError (failed, to be retried); anything else it raises stops the dispatcher, and the
message stays unsent."""

from __future__ import annotations

import json
import os
import smtplib
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol

import httpx

from fazhi.domain.notify import mask_recipient
from fazhi.store.models import OutboxMessage


class SendError(Exception):
    """The message was not delivered; the dispatcher records this and retries later."""


class Sender(Protocol):
    def send(self, message: OutboxMessage) -> None: ...


def _env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


@dataclass(frozen=True)
class NotifySettings:
    """Read from the environment; see docs/operations.md, "Notifications"."""

    sender_sms: str = field(default_factory=lambda: _env("FAZHI_SENDER_SMS", "log"))
    sender_email: str = field(default_factory=lambda: _env("FAZHI_SENDER_EMAIL", "log"))
    log_path: str = field(
        default_factory=lambda: _env("FAZHI_NOTIFY_LOG", "var/notifications.jsonl")
    )
    smtp_host: str = field(default_factory=lambda: _env("FAZHI_SMTP_HOST", "127.0.0.1"))
    smtp_port: int = field(default_factory=lambda: int(_env("FAZHI_SMTP_PORT", "25")))
    smtp_user: str = field(default_factory=lambda: _env("FAZHI_SMTP_USER"))
    smtp_password: str = field(default_factory=lambda: _env("FAZHI_SMTP_PASSWORD"), repr=False)
    smtp_from: str = field(default_factory=lambda: _env("FAZHI_SMTP_FROM", "fazhi@localhost"))
    smtp_starttls: bool = field(
        default_factory=lambda: _env("FAZHI_SMTP_STARTTLS", "0").lower() in ("1", "true", "yes")
    )
    sms_url: str = field(default_factory=lambda: _env("FAZHI_SMS_URL"))
    sms_token: str = field(default_factory=lambda: _env("FAZHI_SMS_TOKEN"), repr=False)
    sms_sign: str = field(default_factory=lambda: _env("FAZHI_SMS_SIGN", "石峰区12345"))
    sms_timeout: float = field(default_factory=lambda: float(_env("FAZHI_SMS_TIMEOUT", "10")))


class LogFileSender:
    """Appends one JSON line per message to a file, phones and addresses masked. The default
    for demonstrations and for deployments without a gateway yet."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()

    def send(self, message: OutboxMessage) -> None:
        line = {
            "id": message.id,
            "case_id": message.case_id,
            "channel": message.channel,
            "topic": message.topic,
            "to": mask_recipient(message.channel, message.recipient),
            "subject": message.subject,
            "body": message.body,
        }
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self._lock, self.path.open("a", encoding="utf-8") as out:
                out.write(json.dumps(line, ensure_ascii=False) + "\n")
        except OSError as exc:
            raise SendError(f"写入通知日志失败：{exc}") from exc


class InternalSender:
    """Internal messages are delivered by being stored: units read them in the console."""

    def send(self, message: OutboxMessage) -> None:
        return None


class SmtpSender:
    """Mail through an SMTP relay (FAZHI_SMTP_*); the recipient is the message's address."""

    def __init__(self, settings: NotifySettings, timeout: float = 30) -> None:
        self.settings = settings
        self.timeout = timeout

    def send(self, message: OutboxMessage) -> None:
        s = self.settings
        mail = EmailMessage()
        mail["From"] = s.smtp_from
        mail["To"] = message.recipient
        mail["Subject"] = message.subject
        mail.set_content(message.body)
        try:
            with smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=self.timeout) as smtp:
                if s.smtp_starttls:
                    smtp.starttls()
                if s.smtp_user:
                    smtp.login(s.smtp_user, s.smtp_password)
                smtp.send_message(mail)
        except (smtplib.SMTPException, OSError) as exc:
            raise SendError(f"SMTP：{exc}") from exc


class HttpSmsSender:
    """An HTTP SMS gateway: POST {"phone", "text", "sign"} as JSON to FAZHI_SMS_URL with
    `Authorization: Bearer FAZHI_SMS_TOKEN`; any 2xx answer means accepted."""

    def __init__(self, settings: NotifySettings, transport: httpx.BaseTransport | None = None):
        if not settings.sms_url:
            raise ValueError("FAZHI_SENDER_SMS=http 需要设置 FAZHI_SMS_URL")
        self.settings = settings
        self.transport = transport

    def send(self, message: OutboxMessage) -> None:
        s = self.settings
        headers = {"authorization": f"Bearer {s.sms_token}"} if s.sms_token else {}
        try:
            with httpx.Client(timeout=s.sms_timeout, transport=self.transport) as http:
                response = http.post(
                    s.sms_url,
                    json={"phone": message.recipient, "text": message.body, "sign": s.sms_sign},
                    headers=headers,
                )
        except httpx.HTTPError as exc:
            raise SendError(f"短信网关不可达：{type(exc).__name__}") from exc
        if not 200 <= response.status_code < 300:
            raise SendError(f"短信网关答复 HTTP {response.status_code}：{response.text[:200]}")


def senders_from_settings(settings: NotifySettings | None = None) -> Mapping[str, Sender]:
    """The sender of each channel: sms log|http, email log|smtp, internal stored."""
    s = settings or NotifySettings()
    log = LogFileSender(s.log_path)
    sms: Sender
    if s.sender_sms == "http":
        sms = HttpSmsSender(s)
    elif s.sender_sms == "log":
        sms = log
    else:
        raise ValueError(f"未知短信发送方式 FAZHI_SENDER_SMS={s.sender_sms}（log 或 http）")
    email: Sender
    if s.sender_email == "smtp":
        email = SmtpSender(s)
    elif s.sender_email == "log":
        email = log
    else:
        raise ValueError(f"未知邮件发送方式 FAZHI_SENDER_EMAIL={s.sender_email}（log 或 smtp）")
    return {"sms": sms, "email": email, "internal": InternalSender()}
