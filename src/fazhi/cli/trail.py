"""`fazhi trail anchor` and `fazhi trail verify`: the daily anchor of every chain head, and the
check of every chain and of the cases the latest anchor saw (also run by `fazhi audit verify`)."""

from __future__ import annotations

from rich.markup import escape

from fazhi.actions.platform import Platform
from fazhi.cli.app import trail_app
from fazhi.domain.durations import LOCAL_TZ
from fazhi.terminal import err, fail, out, ready_platform


def verify_trail(p: Platform) -> None:
    """Print the verdict on every chain and on the latest anchor; exit 1 on any problem."""
    from fazhi.store.anchors import verify_latest_anchor
    from fazhi.store.audit import verify_all

    with p.sessions() as session:
        result = verify_all(session, p.secret)
        anchored = verify_latest_anchor(session, p.secret, p.region_code)
    for case_id, broken in result.breaks:
        err.print(
            f"[red]案件 {case_id}：事件 {broken.event_id}（第 {broken.seq} 条）"
            f"{broken.reason}[/red]"
        )
    for problem in anchored.problems:
        where = f"案件 {problem.case_id}：" if problem.case_id is not None else ""
        err.print(f"[red]{where}{escape(problem.message)}[/red]")
    anchor = anchored.anchor
    if anchor is not None:
        made = anchor.made_at.astimezone(LOCAL_TZ)
        out.print(f"对照锚点 #{anchor.id}（{made:%Y-%m-%d %H:%M}，{anchor.cases} 个案件）")
    if result.ok and anchored.ok:
        out.print(f"校验通过：{result.cases} 个案件，{result.events} 条事件，哈希链完整。")
        return
    if result.breaks:
        err.print(f"校验失败：{len(result.breaks)} 个案件的记录链断裂")
    if anchored.problems:
        err.print(f"校验失败：与锚点不符 {len(anchored.problems)} 处")
    fail("记录链校验未通过", 1)


@trail_app.command("verify")
def trail_verify() -> None:
    """校验每个案件的事件哈希链，并对照最近的锚点查找被删除或截短的案件。"""
    verify_trail(ready_platform())


@trail_app.command("anchor")
def trail_anchor() -> None:
    """为全部案件的链头写一个签名锚点（调度每天自动写一次）。"""
    from fazhi.store.anchors import write_anchor
    from fazhi.store.db import transaction

    p = ready_platform()
    with transaction(p.sessions) as session:
        anchor = write_anchor(session, p.secret, p.region_code, p.now())
        cases, digest = anchor.cases, anchor.digest
    out.print(f"已写入锚点：{cases} 个案件，链头摘要 {digest}")
