"""The optional second factor: an admin or leader enrols from the console (secret and QR
code shown once), sign-in then needs a current code on the console and the API, each
code works once, and an admin's reset (logged) lets the user sign in with the password."""

from __future__ import annotations

import html
import re
import uuid

import httpx
import pyotp
from sqlalchemy import select

from fazhi.actions.admin.users import check_create_user
from fazhi.actions.platform import Platform
from fazhi.store.db import transaction
from fazhi.store.models import AdminLog, User
from tests.actions.test_admin import ctx_for

# The same password, token path and clean-up of failed sign-ins as the login-security tests.
from tests.api.test_login_security import GOOD, TOKEN, _forget_failures  # noqa: F401
from tests.support import FakeClock, ServerThread, browser_client


def new_user(platform: Platform, clock: FakeClock, role: str) -> tuple[str, int]:
    name = f"t_otp_{uuid.uuid4().hex[:8]}"
    with platform.writing(), transaction(platform.sessions) as session:
        user = check_create_user(session, ctx_for(platform, clock), name, "测试", role, "SF", GOOD)
        return name, user.id


def signed_in(server: ServerThread, username: str, password: str, otp: str = "") -> httpx.Client:
    http = browser_client(server.url)
    response = http.post("/login", data={"username": username, "password": password, "otp": otp})
    assert response.status_code == 303, response.text
    return http


def test_enrol_then_sign_in_needs_a_fresh_code_and_an_admin_can_reset_it(
    platform: Platform, clock: FakeClock, server: ServerThread, anonymous: httpx.Client
) -> None:
    name, user_id = new_user(platform, clock, "district_leader")
    http = signed_in(server, name, GOOD)
    assert 'id="totp-start"' in http.get("/account").text
    started = http.post("/account/totp/start")
    assert started.status_code == 200
    secret_match = re.search(r'id="totp-secret">([A-Z2-7]+)<', started.text)
    qr = started.text.split('id="totp-qr">', 1)[1].split("</div>", 1)[0]
    assert secret_match and qr.lstrip().startswith("<svg") and "<script" not in qr
    secret = secret_match.group(1)
    totp = pyotp.TOTP(secret)
    wrong = http.post("/account/totp/confirm", data={"otp": "000000"})
    assert wrong.status_code == 422 and "动态验证码错误" in html.unescape(wrong.text)
    # A refused confirmation starts over: the secret is shown on one page only.
    secret = re.findall(r'id="totp-secret">([A-Z2-7]+)<', http.post("/account/totp/start").text)[0]
    totp = pyotp.TOTP(secret)
    confirmed = http.post("/account/totp/confirm", data={"otp": totp.at(clock())})
    assert confirmed.status_code == 303
    page = http.get("/account").text
    assert 'id="totp-active"' in page and secret not in page
    with platform.sessions() as session:
        stored = session.scalar(select(User.totp_secret).where(User.id == user_id))
    assert stored and secret not in stored  # sealed, not in clear

    # API: without a code, a wrong one, the code already used, then the next one.
    body = {"username": name, "password": GOOD}
    missing = anonymous.post(TOKEN, json=body)
    assert (missing.status_code, missing.json()["code"]) == (401, "otp_required")
    assert missing.json()["field"] == "otp"
    bad = anonymous.post(TOKEN, json={**body, "otp": "123456"})
    assert (bad.status_code, bad.json()["code"]) == (401, "otp_invalid")
    replay = anonymous.post(TOKEN, json={**body, "otp": totp.at(clock())})
    assert replay.json()["code"] == "otp_invalid"  # used to confirm: never twice
    clock.advance(seconds=30)
    ok = anonymous.post(TOKEN, json={**body, "otp": totp.at(clock())})
    assert ok.status_code == 200, ok.text

    # Console: the code is asked for next to its field.
    console = browser_client(server.url)
    asked = console.post("/login", data={"username": name, "password": GOOD})
    assert asked.status_code == 422
    assert 'id="otp-error"' in asked.text and "动态验证码" in html.unescape(asked.text)
    clock.advance(seconds=30)
    signed = console.post(
        "/login", data={"username": name, "password": GOOD, "otp": totp.at(clock())}
    )
    assert signed.status_code == 303

    # An admin resets it (logged); the password alone works again.
    admin = signed_in(server, "admin", "fazhi2023")
    assert 'id="totp-reset"' in admin.get(f"/admin/users/{user_id}").text
    assert admin.post(f"/admin/users/{user_id}/totp-reset").status_code == 303
    assert anonymous.post(TOKEN, json=body).status_code == 200
    with platform.sessions() as session:
        actions = session.scalars(
            select(AdminLog.action).where(AdminLog.target == f"user:{name}").order_by(AdminLog.id)
        ).all()
    assert actions[-2:] == ["totp_enrolled", "totp_reset"]
    for client in (http, console, admin):
        client.close()


def test_only_admins_and_leaders_may_enrol(
    platform: Platform, clock: FakeClock, server: ServerThread
) -> None:
    name, _ = new_user(platform, clock, "operator")
    http = signed_in(server, name, GOOD)
    assert 'id="totp-start"' not in http.get("/account").text
    assert http.post("/account/totp/start").status_code == 403
    http.close()


def test_new_passwords_follow_the_rules_field_by_field(
    platform: Platform, server: ServerThread
) -> None:
    admin = signed_in(server, "admin", "fazhi2023")
    cases = {
        "Short-1": "密码至少10位",
        "abcdefghijkl": "密码须包含字母、数字、符号中的至少两类",
        "x" * 129: "密码不能超过128位",
    }
    for password, message in cases.items():
        form = {
            "username": f"t_pw_{uuid.uuid4().hex[:6]}",
            "display_name": "甲",
            "role": "operator",
            "unit": "SF-12345",
            "password": password,
        }
        response = admin.post("/admin/users", data=form)
        assert response.status_code == 422
        assert message in html.unescape(response.text), password
    name = f"t_pw_{uuid.uuid4().hex[:6]}"
    form = {**form, "username": name, "password": f"{name}-Xyz"}
    response = admin.post("/admin/users", data=form)
    assert response.status_code == 422 and "密码不能包含用户名" in html.unescape(response.text)
    admin.close()
