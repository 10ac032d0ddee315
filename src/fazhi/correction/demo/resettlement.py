"""The demo's resettlement files (安置帮教): 6 people released in 2023, each received, given an
assistance group, visited monthly (one month missed and recorded by the night's tick), with
problems raised and solved. SYNTHETIC: every name, number and place is made up."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from fazhi.actions.demo_desk import Desk
from fazhi.correction.demo.night import night
from fazhi.correction.demo.people import id_number, name
from fazhi.domain.durations import LOCAL_TZ, shift_months

FILES = 6
OFFICES = ("SF-SFJ-TX", "SF-SFJ-TX", "SF-SFJ-TTW", "SF-SFJ-TX", "SF-SFJ-TTW", "SF-SFJ-TX")
OFFICERS = {"SF-SFJ-TX": "tx_sfs", "SF-SFJ-TTW": "ttw_sfs"}
PROBLEMS = (("employment", "求职困难"), ("social_security", "申请低保"), ("household", "落户手续"))


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, datetime.min.time(), LOCAL_TZ).replace(hour=hour)


def seed_resettlement(desk: Desk) -> int:
    for n in range(FILES):
        office = OFFICES[n]
        officer = OFFICERS[office]
        released = date(2023, 2 + n, 10)
        case_id = desk.create(
            officer,
            _at(released + timedelta(days=1), 10),
            "resettlement",
            person_name=name(50 + n),
            id_number=id_number(500 + n),
            phone=f"170000{14100 + n}",
            address=f"石峰区某社区{n + 1}号（合成）",
            office=office,
            crime=("盗窃罪", "寻衅滋事罪", "诈骗罪")[n % 3] + "（合成）",
            prison="湖南省某监狱（合成）",
            released_on=released.isoformat(),
            risk_level="key" if n % 3 == 0 else "ordinary",
        )
        received = released + timedelta(days=3)
        desk.act(officer, _at(received, 10), case_id, "receive", received_on=received.isoformat())
        for member, role in (
            ("社区干部（合成）", "community"),
            ("派出所民警（合成）", "police"),
            ("家属（合成）", "family"),
        ):
            desk.act(
                officer, _at(received, 11), case_id, "add_member", member=member, member_role=role
            )
        # A visit early in each month of the schedule (the windows run from the day of the
        # hand-over, month by month); the night after a window ends closes a missed one.
        for month in range(1, 11):
            window = shift_months(received, month - 1)
            if window > date(2023, 12, 20):
                break
            visit = window + timedelta(days=2)
            if not (n == 1 and month == 4):  # one month without a visit
                desk.act(
                    officer,
                    _at(visit, 15),
                    case_id,
                    "record_visit",
                    visited_on=visit.isoformat(),
                    note="走访了解就业生活情况（合成）",
                )
            night(desk, case_id, _at(shift_months(received, month), 0))
            if month == 2:
                kind, text = PROBLEMS[n % 3]
                desk.act(
                    officer,
                    _at(visit, 16),
                    case_id,
                    "raise_problem",
                    raised_on=visit.isoformat(),
                    problem_kind=kind,
                    problem=f"{text}（合成）",
                )
            if month == 4 and n % 2 == 0:
                desk.act(
                    officer,
                    _at(visit, 17),
                    case_id,
                    "solve_problem",
                    solved_on=visit.isoformat(),
                    problem_no=1,
                    solution="协调相关部门解决（合成）",
                )
    return FILES
