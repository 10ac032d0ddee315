"""Signing in with several roles: the actor holds them all, the primary one first; an
account whose only role is a system role (the platform's own) never signs in."""

from __future__ import annotations

import pytest

from fazhi.actions.auth import authenticate, login
from fazhi.actions.platform import Platform
from fazhi.domain.errors import DomainError
from tests.visibility_support import PASSWORD, add_user


def test_a_token_carries_every_role_of_its_user(vplatform: Platform) -> None:
    add_user(
        vplatform, "auth_two_roles", ("mediator", "correction_officer", "judicial_officer"), "SF-TX"
    )
    issued = login(vplatform, "auth_two_roles", PASSWORD)
    # Primary first, the others in catalog order.
    assert issued.actor.roles == ("mediator", "judicial_officer", "correction_officer")
    vplatform.token_cache.clear()  # the lookup by token, not the remembered actor
    with vplatform.sessions() as session:
        actor = authenticate(session, vplatform, issued.token, vplatform.now())
    assert actor.roles == issued.actor.roles and actor.role == "mediator"
    assert actor.sight.view("mediation_fixture") is not None
    assert actor.sight.view("hotline") is None  # none of its roles is one the hotline's


def test_a_system_account_never_signs_in(vplatform: Platform) -> None:
    add_user(vplatform, "auth_system", ("system",), "SF")
    with pytest.raises(DomainError) as refused:
        login(vplatform, "auth_system", PASSWORD)
    assert (refused.value.status, refused.value.code) == (401, "login_failed")
