"""What a 12345 order's row on the work list says happened to it, beside its title: 重办
(reopened after a dissatisfied call-back), 退单 (returned by a unit), 延期 (an extension
approved, or one waiting for approval). Supervision marks (督办, 揭榜挂帅) come from the
engine, which labels any type's marks; these are the hotline's own counters."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def _times(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _counted(label: str, times: int) -> str:
    return label if times == 1 else f"{label}{times}次"


def order_flags(fields: Mapping[str, Any]) -> list[str]:
    """重办 / 重办2次, 退单, 延期 or 延期待批, from the order's counters."""
    flags = []
    if reopened := _times(fields.get("reopen_count")):
        flags.append(_counted("重办", reopened))
    if returned := _times(fields.get("return_count")):
        flags.append(_counted("退单", returned))
    if fields.get("extension_requested"):
        flags.append("延期待批")
    elif _times(fields.get("extension_count")):
        flags.append("延期")
    return flags
