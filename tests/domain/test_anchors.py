"""Anchors of the chain heads (fazhi.domain.anchors): what each kind of loss looks like."""

from __future__ import annotations

from datetime import UTC, datetime

from fazhi.domain.anchors import (
    AnchoredNow,
    anchor_problems,
    anchor_signature,
    heads_digest,
)

KEY = b"k" * 32
AT = datetime(2023, 6, 1, 1, 0, tzinfo=UTC)
HEADS = [(1, 4, "a" * 64), (2, 2, "b" * 64)]


def _check(rows: list[AnchoredNow], signature: str | None = None) -> list[str]:
    digest = heads_digest(HEADS)
    signed = signature or anchor_signature(KEY, "430204", AT, 2, 6, digest)
    found = anchor_problems(KEY, "430204", AT, 2, 6, digest, signed, rows)
    return [f"{p.case_id}:{p.message}" for p in found]


def _intact() -> list[AnchoredNow]:
    return [AnchoredNow(c, s, h, True, s, h) for c, s, h in HEADS]


def test_intact_chains_match_their_anchor() -> None:
    assert _check(_intact()) == []
    # Events after the anchor change nothing: the anchored event is still there.
    grown = [AnchoredNow(1, 4, "a" * 64, True, 9, "a" * 64), _intact()[1]]
    assert _check(grown) == []


def test_a_deleted_case_a_cut_chain_and_a_rewritten_chain_are_each_reported() -> None:
    deleted = AnchoredNow(1, 4, "a" * 64, False, None, None)
    assert _check([deleted, _intact()[1]]) == ["1:锚定时存在（4 条事件），现已被删除"]
    cut = AnchoredNow(2, 2, "b" * 64, True, 1, None)
    assert _check([_intact()[0], cut]) == ["2:记录链被截短：锚定时有 2 条事件，现只有 1 条"]
    rewritten = AnchoredNow(2, 2, "b" * 64, True, 2, "c" * 64)
    assert "记录链被改写" in _check([_intact()[0], rewritten])[0]


def test_an_altered_anchor_is_reported() -> None:
    assert _check(_intact(), signature="0" * 64) == ["None:锚点签名不符（锚点被改动）"]
    # A head dropped or changed in the stored anchor no longer matches its signed digest.
    assert _check(_intact()[:1]) == ["None:锚点记录的链头与其摘要不符（锚点被改动）"]
