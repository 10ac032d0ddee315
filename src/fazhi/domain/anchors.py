"""Anchors of the chain heads: each case's chain proves its own events, not that the case, or
its last events, still exist. A daily anchor signs every head (case id, last seq, last hash);
verification then finds a whole case deleted, a chain cut short, a chain rewritten from some
event on, and an anchor altered.

Signed with HMAC of the server secret rather than Ed25519: the one verifier is the platform,
which holds the key beside the data either way, so a key pair would add key management and
no protection against whoever holds the box. An anchor's digest is printed when it is made,
so it can also be kept away from the box (a deployment's log or a signed letter).

Pure: the key and the moments are passed in.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

Head = tuple[int, int, str]  # case id, seq of its last event, that event's hash


def heads_digest(heads: Iterable[Head]) -> str:
    """SHA-256 over every head in case-id order, one `id:seq:hash` line each."""
    digest = hashlib.sha256()
    for case_id, seq, hash_ in sorted(heads):
        digest.update(f"{case_id}:{seq}:{hash_}\n".encode())
    return digest.hexdigest()


def anchor_signature(
    key: bytes, region: str, made_at: datetime, cases: int, events: int, digest: str
) -> str:
    message = f"fazhi-anchor/1|{region}|{made_at.isoformat()}|{cases}|{events}|{digest}"
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class AnchoredNow:
    """An anchored head beside what the database holds now."""

    case_id: int
    seq: int
    hash: str
    case_exists: bool
    last_seq: int | None  # of the case's events now (None: it has none)
    hash_now: str | None  # of its event at the anchored seq (None: there is none)


@dataclass(frozen=True)
class AnchorProblem:
    case_id: int | None
    message: str


def head_problem(row: AnchoredNow) -> AnchorProblem | None:
    """What happened to one anchored case since the anchor, if anything did."""
    if not row.case_exists and row.last_seq is None:
        return AnchorProblem(row.case_id, f"锚定时存在（{row.seq} 条事件），现已被删除")
    if row.hash_now is None:
        return AnchorProblem(
            row.case_id, f"记录链被截短：锚定时有 {row.seq} 条事件，现只有 {row.last_seq or 0} 条"
        )
    if row.hash_now != row.hash:
        return AnchorProblem(row.case_id, f"第 {row.seq} 条事件的哈希与锚定时不符（记录链被改写）")
    if not row.case_exists:
        return AnchorProblem(row.case_id, "案件记录已被删除（事件仍在）")
    return None


def anchor_problems(
    key: bytes,
    region: str,
    made_at: datetime,
    cases: int,
    events: int,
    digest: str,
    signature: str,
    rows: Iterable[AnchoredNow],
) -> list[AnchorProblem]:
    """Problems with an anchor itself (altered) and with each case it anchored."""
    rows = list(rows)
    problems: list[AnchorProblem] = []
    expected = anchor_signature(key, region, made_at, cases, events, digest)
    if not hmac.compare_digest(expected, signature):
        problems.append(AnchorProblem(None, "锚点签名不符（锚点被改动）"))
    elif heads_digest((r.case_id, r.seq, r.hash) for r in rows) != digest or len(rows) != cases:
        problems.append(AnchorProblem(None, "锚点记录的链头与其摘要不符（锚点被改动）"))
    problems.extend(p for r in rows if (p := head_problem(r)) is not None)
    return problems
