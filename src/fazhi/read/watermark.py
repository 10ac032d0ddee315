"""The export watermark: a file that leaves the platform holding cases of a type whose file
declares `visibility.export_watermark` (community correction, its anomalies, resettlement)
names who took it and when, so a copy found elsewhere is traced to its export. The engine
reads the flag; it knows no type by name."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from fazhi.domain.case_type import CaseType
from fazhi.domain.durations import LOCAL_TZ
from fazhi.domain.units import Actor


def needs_watermark(case_types: Iterable[CaseType | None]) -> bool:
    """Whether a file holding cases of these types must carry the watermark."""
    return any(t is not None and t.watermarked for t in case_types)


def watermark_line(actor: Actor, now: datetime, purpose: str = "工作") -> str:
    """`仅限工作使用 导出人：陆建华（tx_sfs） 导出时间：2023-10-18 09:00`."""
    when = now.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M")
    return f"仅限{purpose}使用 导出人：{actor.name}（{actor.username}） 导出时间：{when}"


def mark_workbook(workbook: Any, sheet: Any, line: str) -> None:
    """The watermark in an Excel file beyond its first row: each printed page's footer and
    the file's description (write-only openpyxl objects)."""
    sheet.oddFooter.center.text = line
    sheet.evenFooter.center.text = line
    workbook.properties.description = line
