"""An export is a read by a user: it holds only the cases that user may see, every row of a
restricted type is recorded as a read of that case, and personal data is always masked."""

from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy import select

from fazhi.actions.cases import create_case
from fazhi.actions.platform import Platform
from fazhi.read.export import export_cases
from fazhi.store.db import transaction
from fazhi.store.models import Event
from tests.visibility_support import RESTRICTED, actor_of, context

ID_NUMBER = "11010519491231002X"


def rows(path: Path) -> list[list[str]]:
    return list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))[1:]


def reads(platform: Platform, case_id: int) -> list[Event]:
    with platform.sessions() as session:
        return list(
            session.scalars(select(Event).where(Event.case_id == case_id, Event.action == "read"))
        )


def test_an_export_of_a_restricted_type_holds_what_its_user_sees_and_records_each_row(
    vplatform: Platform, tmp_path: Path
) -> None:
    fields = {"summary": "导出测试", "subject_name": "测试导出", "subject_id_number": ID_NUMBER}
    with transaction(vplatform.sessions) as session:
        case_id = create_case(session, context(vplatform, "tx_sfs"), RESTRICTED, fields).id

    mine = tmp_path / "mine.csv"
    count = export_cases(vplatform, mine, RESTRICTED, None, None, actor_of(vplatform, "tx_sfs"))
    assert count == len(rows(mine)) >= 1
    text = mine.read_text(encoding="utf-8-sig")
    assert "测试导出" not in text and ID_NUMBER not in text  # a file is always masked
    assert "110105********002X" in text
    [read] = [e for e in reads(vplatform, case_id) if e.payload == {"read": "export"}]
    assert read.actor["username"] == "tx_sfs"

    # The administrator's export of the same type is empty, and records nothing.
    theirs = tmp_path / "theirs.csv"
    before = len(reads(vplatform, case_id))
    admin = actor_of(vplatform, "admin")
    assert export_cases(vplatform, theirs, RESTRICTED, None, None, admin) == 0
    assert rows(theirs) == [] and len(reads(vplatform, case_id)) == before
