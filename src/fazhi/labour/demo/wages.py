"""The synthetic 2023 wage-arrears work of the seed report (根治欠薪): 232 complaints and
reports worth 13,183,460 yuan (涉及金额达1318万余元), 412 clues of the national platform
handled (核处国家欠薪平台线索412条), 118 warnings of the labour platform resolved (解除预警
118条); 2 special inspections of construction projects with 35 rectification notices and 28
employers checked at random (双随机) with 12 notices. Most cases take the short path (a
complaint filed and closed with its result, a clue or warning checked and closed); two
dozen complaints are walked fully with a rectification notice and its follow-up; 8 complaints
are still under investigation at the year's end.

SYNTHETIC: every party, number and amount is made up. Every step goes through the one door
at a 2023 instant, by the demo's labour inspector."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from fazhi.actions.demo_desk import Desk, at_2023
from fazhi.labour.demo.parties import employer, phone, project, worker_name

INSPECTOR = "rsj_inspector"
COMPLAINTS, COMPLAINT_AMOUNT = 232, 13_183_460
CLUES, WARNINGS = 412, 118
OPEN_COMPLAINTS, WALKED = 8, 24
SPECIAL_NOTICES = (18, 17)  # 35 in all
RANDOM_EMPLOYERS, RANDOM_NOTICES = 28, 12


def complaint_amounts() -> list[int]:
    """232 synthetic amounts (yuan) that add up to the seed's figure."""
    base = [8_000 + (k * 7_919) % 90_000 for k in range(COMPLAINTS)]
    share, rest = divmod(COMPLAINT_AMOUNT - sum(base), COMPLAINTS)
    return [b + share + (1 if k < rest else 0) for k, b in enumerate(base)]


def _when(n: int, total: int) -> datetime:
    # Spread over 3 January – 15 November, so the short paths close within the year.
    return at_2023(1, 3, 9) + timedelta(days=(n * 316) // total, hours=n % 7)


def _register(desk: Desk, when: datetime, n: int, source: str, amount: int, **extra: Any) -> int:
    name, code = employer(n)
    building = n % 3 != 2  # most arrears are in construction (工程建设领域)
    fields: dict[str, Any] = {
        "source": source,
        "employer_name": name,
        "employer_credit_code": code,
        "workers": 1 + (n * 13) % 40 if building else 1 + n % 5,
        "amount_claimed": str(amount),
        "summary": "反映用人单位拖欠工资（合成演示数据）。",
        **extra,
    }
    if building:
        fields["project_name"] = project(n)
    return desk.create(INSPECTOR, when, "wage_arrears", **fields)


def _close(
    desk: Desk, when: datetime, case_id: int, result: str, amount: int, workers: int
) -> None:
    paid = {"amount_recovered": str(amount), "workers_paid": workers} if result == "paid" else {}
    desk.act(INSPECTOR, when, case_id, "close", result=result, **paid)


def _walk(desk: Desk, when: datetime, case_id: int, n: int) -> None:
    """The full path: findings, a rectification notice, its follow-up."""
    desk.act(
        INSPECTOR,
        when,
        case_id,
        "record_finding",
        held_on=when.date().isoformat(),
        finding="调取考勤表和工资发放记录，核实拖欠事实（合成）。",
    )
    issued = when + timedelta(days=3)
    due = desk.platform.calendar().roll_forward(issued.date() + timedelta(days=15))
    desk.file(
        INSPECTOR,
        issued,
        case_id,
        "rectification_notice",
        number=f"石人社监令〔2023〕{n:03d}号",
        issued_on=issued.date().isoformat(),
        due_on=due.isoformat(),
        requirement="限期足额支付所欠劳动者工资（合成）。",
    )
    desk.act(INSPECTOR, issued, case_id, "issue_rectification", rectify_period="d15")
    desk.act(
        INSPECTOR,
        issued + timedelta(days=12),
        case_id,
        "follow_up",
        rectified="done",
        note="用人单位已按期支付（合成）。",
    )


def seed_complaints(desk: Desk) -> None:
    amounts = complaint_amounts()
    for k, amount in enumerate(amounts):
        n = k + 1
        when = _when(n, COMPLAINTS)
        source = "report" if n % 3 == 0 else "complaint"
        case_id = _register(
            desk,
            when,
            n,
            source,
            amount,
            complainant_name=worker_name(n),
            complainant_phone=phone(n),
        )
        desk.act(INSPECTOR, when + timedelta(days=1), case_id, "file")
        if n > COMPLAINTS - OPEN_COMPLAINTS:
            continue
        if n % 9 == 0 and n // 9 <= WALKED:
            _walk(desk, when + timedelta(days=2), case_id, n // 9)
        result = "to_arbitration" if n % 10 == 7 else "paid"
        _close(desk, when + timedelta(days=25), case_id, result, amount * 9 // 10, 1 + n % 5)


def seed_clues(desk: Desk) -> None:
    for k in range(CLUES + WARNINGS):
        n = COMPLAINTS + k + 1
        clue = k < CLUES
        when = _when(k + 1, CLUES + WARNINGS)
        amount = 5_000 + (n * 3_571) % 80_000
        case_id = _register(
            desk,
            when,
            n,
            "national_clue" if clue else "platform_warning",
            amount,
            clue_number=f"{'QX' if clue else 'YJ'}2023{k + 1:06d}",
        )
        # A clue or warning is checked and settled without a formal filing (立案).
        result = ("paid", "paid", "paid", "no_arrears", "to_arbitration")[n % 5]
        _close(desk, when + timedelta(days=14), case_id, result, amount, 1 + n % 9)


def _inspection(
    desk: Desk,
    when: datetime,
    kind: str,
    subject: str,
    targets: int,
    notices: int,
    n: int,
    **extra: Any,
) -> None:
    case_id = desk.create(
        INSPECTOR,
        when,
        "labour_inspection",
        kind=kind,
        subject=subject,
        inspected_on=when.date().isoformat(),
        targets=targets,
        inspectors="区劳动保障监察大队检查组（合成）",
        **extra,
    )
    for i in range(notices):
        desk.act(
            INSPECTOR,
            when,
            case_id,
            "issue_notice",
            number=f"石人社监改〔2023〕{n + i:03d}号",
            target=project(n + i) if kind == "project_special" else subject,
            problem="未按规定实行农民工工资专用账户管理或未公示维权信息（合成）。",
            due_on=(when + timedelta(days=15)).date().isoformat(),
        )
    desk.act(
        INSPECTOR,
        when + timedelta(days=1),
        case_id,
        "close",
        summary="检查完毕，问题已责令限期整改（合成）。",
    )


def seed_inspections(desk: Desk) -> None:
    number = 1
    for i, notices in enumerate(SPECIAL_NOTICES):
        when = at_2023(5 + i * 6, 10)
        subject = f"2023年{'上' if i == 0 else '下'}半年在建工程项目欠薪专项检查"
        _inspection(desk, when, "project_special", subject, 20 + i * 4, notices, number)
        number += notices
    for k in range(RANDOM_EMPLOYERS):
        name, code = employer(900 + k)
        when = at_2023(3 + k % 9, 5 + k % 20)
        notices = 1 if k % 7 < 3 else 0  # 12 of the 28
        _inspection(
            desk, when, "random_employer", name, 1, notices, number, employer_credit_code=code
        )
        number += notices
