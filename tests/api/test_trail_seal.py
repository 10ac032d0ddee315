"""The trail shows no more than the masked payload: an event's hash seals personal values through
a keyed digest (HMAC of the server secret), so a role that sees a phone masked cannot recover it
by guessing the hidden digits and comparing the event's hash (issue 9, finding 3)."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update

from fazhi.actions.platform import Platform
from fazhi.domain.seal import SEAL_PLAIN
from fazhi.domain.trail import GENESIS, event_hash, first_break
from fazhi.store.audit import chained
from fazhi.store.db import transaction
from fazhi.store.models import Event
from tests.api.flows import Desk

PHONE = "17000005678"
MASKED = "170****5678"


def _content(event: dict[str, Any], case_id: int, payload: dict[str, Any]) -> dict[str, Any]:
    """The event's content as an outsider can rebuild it from what the endpoint shows."""
    at = datetime.fromisoformat(event["at"]).astimezone(UTC)
    return {
        "case_id": case_id,
        "seq": event["seq"],
        "action": event["action"],
        "at": at.isoformat(),
        "actor": event["actor"],
        "from_state": event["from_state"],
        "to_state": event["to_state"],
        "payload": payload,
    }


def _sha(prev: str, content: dict[str, Any]) -> str:
    body = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(prev.encode() + body.encode()).hexdigest()


def _guess(event: dict[str, Any], case_id: int) -> str | None:
    """Try every value of the four hidden digits against the shown hash (10,000 guesses)."""
    template = json.dumps(event["payload"], ensure_ascii=False)
    for middle in range(10_000):
        candidate = f"170{middle:04d}5678"
        payload = json.loads(template.replace(MASKED, candidate))
        if _sha(event["prev_hash"], _content(event, case_id, payload)) == event["hash"]:
            return candidate
    return None


def test_a_masked_phone_cannot_be_recovered_from_the_event_hash(desk: Desk) -> None:
    case_id = desk.dispatched(caller_name="", caller_phone=PHONE)
    register = desk.events(case_id, "cgj_handler")[0]
    assert register["payload"]["inputs"]["caller_phone"] == MASKED
    assert PHONE not in json.dumps(register, ensure_ascii=False)
    assert register["hash"] and len(register["hash"]) == 64
    assert _guess(register, case_id) is None


def test_the_trail_still_links_and_shows_whole_data_to_the_operator(desk: Desk) -> None:
    case_id = desk.dispatched(caller_name="", caller_phone=PHONE)
    events = desk.events(case_id, "cgj_handler")
    assert events[0]["prev_hash"] == "0" * 64
    assert events[1]["prev_hash"] == events[0]["hash"]
    whole = desk.events(case_id, "operator1")[0]
    assert whole["payload"]["inputs"]["caller_phone"] == PHONE
    assert whole["hash"] == events[0]["hash"]


def test_events_sealed_the_plain_way_show_no_hash_to_a_masked_viewer(
    desk: Desk, platform: Platform
) -> None:
    """Events written before the keyed seal hash the unmasked payload: their hash, and the
    next event's link to it, are left out for a role that sees the phone masked."""
    case_id = desk.dispatched(caller_name="", caller_phone=PHONE)
    with transaction(platform.sessions) as session:
        # Rewrite the register event as a plain one and relink the dispatch to it, so the
        # chain still verifies (the database is shared with the whole session).
        register, dispatch = session.scalars(
            select(Event).where(Event.case_id == case_id).order_by(Event.seq)
        ).all()
        plain = chained(register, platform.secret).content
        plain = {k: v for k, v in plain.items() if k not in ("seal", "sealed")}
        plain["payload"] = register.payload
        first = event_hash(GENESIS, plain)
        second = event_hash(first, chained(dispatch, platform.secret).content)
        session.execute(
            update(Event)
            .where(Event.id == register.id)
            .values(seal=SEAL_PLAIN, sealed=None, hash=first)
        )
        session.execute(
            update(Event).where(Event.id == dispatch.id).values(prev_hash=first, hash=second)
        )
    with platform.sessions() as session:
        rows = session.scalars(select(Event).where(Event.case_id == case_id).order_by(Event.seq))
        assert first_break([chained(e, platform.secret) for e in rows], platform.secret) is None
    masked = desk.events(case_id, "cgj_handler")
    assert (masked[0]["hash"], masked[0]["prev_hash"], masked[1]["prev_hash"]) == (None,) * 3
    assert masked[1]["hash"]
    whole = desk.events(case_id, "operator1")
    assert whole[0]["hash"] and whole[1]["prev_hash"] == whole[0]["hash"]
