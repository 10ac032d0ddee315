"""The synthetic 2023 work orders of the 石峰区 demo, made through the real actions.

Every order is registered, dispatched, handled, replied to, revisited and closed by the
same actions the API calls, at historical times, so the demo's events, clocks and hash
chains are exactly what real use would leave. All people, phones and texts are SYNTHETIC.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from shapely.geometry import Point, Polygon
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from fazhi.actions.cases import ActionContext, create_case, perform_action
from fazhi.actions.messages import do_mark_history_read
from fazhi.actions.passwords import hash_password
from fazhi.actions.platform import Platform
from fazhi.actions.visibility import sight_for
from fazhi.catalog.categories import load_categories
from fazhi.domain.calendar import CalendarYearUnknown
from fazhi.domain.durations import LOCAL_TZ
from fazhi.domain.errors import DomainError
from fazhi.domain.units import Actor, UnitRef
from fazhi.hotline.demo.request_texts import synthetic_person, synthetic_request
from fazhi.store.models import Case, OutboxMessage, Unit, User

DEMO_SOURCE = "demo"
# Relative volume per category, roughly the mix reported by city hotlines.
CATEGORY_WEIGHTS = {
    "CITY_APPEARANCE": 10,
    "ILLEGAL_BUILDING": 4,
    "SANITATION": 6,
    "MUNICIPAL": 9,
    "PROPERTY_MGMT": 13,  # 物业管理等民生安全问题 500余个 resolved (the seed): 507
    "ENVIRONMENT": 5,
    "PUBLIC_ORDER": 5,
    "TRAFFIC": 6,
    "WAGES": 6,
    "SOCIAL_SECURITY": 6,
    "CONSUMER": 7,
    "FOOD_DRUG": 3,
    "EDUCATION": 4,
    "HEALTH": 3,
    "CIVIL_AFFAIRS": 3,
    "HOUSING": 3,
    "LAND_REGISTRY": 2,
    "UTILITIES": 6,
    "GOV_SERVICE": 3,
    "DISPUTE": 4,
    "LEGAL_AID": 2,
    "AGRICULTURE": 1,
    "SAFETY": 3,
    "TELECOM": 2,
}


@dataclass
class Cast:
    operator: Actor
    dispatcher: Actor
    handlers: dict[int, Actor]  # unit id → an acting handler of that unit
    supervisor: Actor | None = None  # reviews orders left dissatisfied (审核办结)


def _actor(platform: Platform, user: User, unit: UnitRef) -> Actor:
    """The acting user in its primary role only (each demo actor plays one part)."""
    actor = Actor(user.id, user.username, user.display_name, user.role, unit, user.region_code)
    return replace(actor, sight=sight_for(platform, actor.roles))


def ensure_cast(session: Session, platform: Platform) -> Cast:
    """Acting users for every unit that handles orders; extra ones are disabled logins."""
    directory = platform.directory()
    users = list(session.scalars(select(User).where(User.region_code == platform.region_code)))
    by_role = {u.role: u for u in reversed(users)}
    handlers: dict[int, Actor] = {}
    # Real handler logins act first; disabled synthetic ones (made below) fill the gaps.
    for user in sorted(users, key=lambda u: not u.active):
        if user.role == "unit_handler" and user.unit_id not in handlers:
            handlers[user.unit_id] = _actor(platform, user, directory.by_id[user.unit_id])
    disabled = hash_password(random.SystemRandom().randbytes(16).hex())
    for unit_id, row in directory.rows.items():
        if unit_id in handlers or row.kind not in {"department", "street", "company"}:
            continue
        user = User(
            region_code=platform.region_code,
            username=f"demo.{row.code.lower()}",
            display_name=f"{row.short_name or row.name}承办人（合成）",
            role="unit_handler",
            unit_id=unit_id,
            password_hash=disabled,
            active=False,
        )
        session.add(user)
        session.flush()
        handlers[unit_id] = _actor(platform, user, directory.by_id[unit_id])
    operator, dispatcher = by_role.get("operator"), by_role.get("dispatcher")
    if operator is None or dispatcher is None:
        raise DomainError("demo_users_missing", "组织文件中缺少话务员或派单员账号", 422)
    supervisor = by_role.get("supervisor")
    return Cast(
        _actor(platform, operator, directory.by_id[operator.unit_id]),
        _actor(platform, dispatcher, directory.by_id[dispatcher.unit_id]),
        handlers,
        _actor(platform, supervisor, directory.by_id[supervisor.unit_id]) if supervisor else None,
    )


def _point_in(polygon: list[list[float]], rng: random.Random) -> tuple[float, float]:
    shape = Polygon(polygon)
    minx, miny, maxx, maxy = shape.bounds
    for _ in range(50):
        x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if shape.contains(Point(x, y)):
            return round(x, 6), round(y, 6)
    c = shape.representative_point()
    return round(c.x, 6), round(c.y, 6)


def _working_moment(day: date, rng: random.Random) -> datetime:
    hour = rng.choices(range(7, 23), weights=[2, 6, 9, 10, 9, 5, 6, 8, 8, 7, 5, 4, 3, 2, 1, 1])[0]
    return datetime.combine(day, time(hour, rng.randrange(60), rng.randrange(60)), LOCAL_TZ)


class Generator:
    def __init__(
        self, session: Session, platform: Platform, rng: random.Random, slower_by: float = 0
    ) -> None:
        self.session = session
        self.platform = platform
        self.rng = rng
        # Hours added to each handling round: the year before the 133 method was slower.
        self.slower_by = slower_by
        self.cast = ensure_cast(session, platform)
        directory = platform.directory()
        self.grids = [
            (directory.by_id[uid], row)
            for uid, row in directory.rows.items()
            if row.kind == "grid" and row.polygon
        ]
        self.hints: dict[int, list[str]] = {}
        for uid, row in directory.rows.items():
            if row.kind == "community":
                self.hints[uid] = list(row.address_hints or [])
        self.categories = [c.code for c in load_categories()]
        self.weights = [CATEGORY_WEIGHTS.get(c, 1) for c in self.categories]

    def _do(
        self,
        actor: Actor,
        at: datetime,
        case: Case,
        action: str,
        inputs: dict[str, Any] | None = None,
    ) -> Case:
        ctx = ActionContext(self.platform, actor, at.astimezone(UTC))
        return perform_action(self.session, ctx, case.id, action, inputs or {})

    def _lead_for(self, category: str, grid: UnitRef) -> UnitRef:
        directory = self.platform.directory()
        unit = directory.default_unit_for(category)
        if unit is None:  # disputes go to the street where they happen
            unit = directory.street_of(grid) or grid
        return unit

    def _handler(self, unit: UnitRef) -> Actor:
        return self.cast.handlers.get(unit.id) or next(iter(self.cast.handlers.values()))

    def register(self, at: datetime, external_id: str) -> tuple[Case, UnitRef]:
        rng = self.rng
        category = rng.choices(self.categories, self.weights)[0]
        grid, grid_row = rng.choice(self.grids)
        community = self.platform.directory().by_id.get(grid_row.parent_id or 0)
        hints = self.hints.get(community.id, []) if community else []
        place = rng.choice(hints) if hints and rng.random() < 0.7 else None
        kind, content = synthetic_request(rng, category, place)
        name, phone = synthetic_person(rng)
        lon, lat = _point_in(grid_row.polygon, rng)
        urgency = rng.choices(["normal", "urgent", "complex"], [85, 5, 10])[0]
        fields = {
            "channel": rng.choices(["phone", "web", "app", "grid_worker"], [70, 10, 12, 8])[0],
            "request_kind": kind,
            "category": category,
            "urgency": urgency,
            "content": content,
            "caller_name": name,
            "caller_phone": phone,
            "address": f"{community.name if community else ''}{place or ''}",
            "longitude": lon,
            "latitude": lat,
        }
        action = "register"
        if kind == "consultation" and rng.random() < 0.45:
            fields["answer"] = "已根据相关政策当场答复来电人（合成数据）。"
            action = "resolve_at_intake"
        return self._create(at, fields, action, grid, external_id), grid

    def _create(
        self, at: datetime, fields: dict[str, Any], action: str, grid: UnitRef, external_id: str
    ) -> Case:
        """Register the order by the operator (the create action `action`)."""
        ctx = ActionContext(self.platform, self.cast.operator, at.astimezone(UTC))
        return create_case(self.session, ctx, "hotline", fields, action, DEMO_SOURCE, external_id)

    def _review(self, case: Case, step: datetime, until: datetime) -> None:
        """Still dissatisfied after the last call-back: a supervisor reviews the order and
        closes it (审核办结) the next day, as the workflow provides — an order of the past is
        not left in 已回访, in the operator's queue, for ever. A fixed delay, so the random
        sequence (and every other order of the demo) stays as it was."""
        step += timedelta(hours=26)
        if step > until or self.cast.supervisor is None:
            return  # still to review now: on the operator's (and supervisors') desk
        self._do(
            self.cast.supervisor,
            step,
            case,
            "close_after_review",
            {"reason": "已依法依规答复并说明情况，来电人仍不满意，经督办审核办结（合成数据）"},
        )

    def run_loop(self, case: Case, grid: UnitRef, at: datetime, until: datetime) -> None:
        """Walk one order through as far as `until` allows."""
        if case.terminal:
            return
        rng = self.rng
        directory = self.platform.directory()
        lead = self._lead_for(str(case.category), grid)
        step = at + timedelta(minutes=rng.randint(3, 90))
        if step > until:
            return
        if rng.random() < 0.07:  # sent first to a plausible wrong unit, which returns it
            wrong = directory.street_of(grid) or lead
            if wrong.id != lead.id:
                # A departmental item sent to a street needs the dispatcher's reason (派单目录).
                inputs = {"lead_unit": wrong.id, "street_reason": "请属地街道先行核实（合成数据）"}
                case = self._do(self.cast.dispatcher, step, case, "dispatch", inputs)
                step += timedelta(hours=rng.randint(1, 6))
                if step > until:
                    return
                case = self._do(
                    self._handler(wrong),
                    step,
                    case,
                    "return",
                    {"reason": "经核实不属于本单位职责，建议改派相关部门（合成数据）"},
                )
                step += timedelta(minutes=rng.randint(10, 120))
                case = self._do(
                    self.cast.dispatcher, step, case, "reassign", {"lead_unit": lead.id}
                )
        if case.state == "registered":
            case = self._do(self.cast.dispatcher, step, case, "dispatch", {"lead_unit": lead.id})
        handler = self._handler(lead)
        step += timedelta(hours=rng.choice([0.3, 1, 2, 3, 5, 20]))
        if step > until:
            return
        case = self._do(handler, step, case, "acknowledge")
        rounds = 2 if rng.random() < 0.1 else 1
        for round_ in range(rounds):
            step += timedelta(hours=rng.choice([4, 20, 30, 50, 70, 100, 130, 170]) + self.slower_by)
            if step > until:
                return
            if rng.random() < 0.3:
                case = self._do(
                    handler,
                    step - timedelta(hours=2),
                    case,
                    "handle",
                    {"note": "已安排人员到现场核查（合成数据）"},
                )
            case = self._do(
                handler,
                step,
                case,
                "reply",
                {
                    "reply": "经现场核实，已协调相关方处理，并向来电人说明情况（合成数据）。",
                    "result": rng.choices(["resolved", "explained", "unresolvable"], [75, 20, 5])[
                        0
                    ],
                },
            )
            step += timedelta(hours=rng.choice([2, 6, 20, 26]))
            if step > until:
                return
            dissatisfied = round_ == 0 and rounds == 2
            rating = (
                "dissatisfied"
                if dissatisfied
                else rng.choices(["satisfied", "basically_satisfied", "dissatisfied"], [78, 17, 5])[
                    0
                ]
            )
            case = self._do(self.cast.operator, step, case, "revisit", {"rating": rating})
            step += timedelta(minutes=rng.randint(5, 60))
            if rating == "dissatisfied" and dissatisfied:
                case = self._do(
                    self.cast.operator,
                    step,
                    case,
                    "reopen",
                    {"reason": "来电人反映问题仍未解决（合成数据）"},
                )
                continue
            if rating == "dissatisfied":
                self._review(case, step, until)
                return
            self._do(self.cast.operator, step, case, "close")
            return


def generate(
    session_factory: Callable[[], Session],
    platform: Platform,
    orders: int,
    seed: int = 2023,
    current: int = 120,
    progress: Callable[[int], None] | None = None,
) -> tuple[int, int]:
    """Make `orders` orders spread over 2023 and `current` open ones in the last days."""
    rng = random.Random(seed)
    start = date(2023, 1, 1)
    days = [start + timedelta(days=i) for i in range(365)]
    # Fewer calls at weekends and on holidays, as real hotlines see.
    calendar = platform.calendar()
    day_weights = [1.0 if calendar.is_workday(d) else 0.55 for d in days]
    made = 0
    history_end = datetime(2024, 2, 1, tzinfo=LOCAL_TZ)
    batch = 100
    for first in range(0, orders, batch):
        with session_factory() as session, session.begin():
            gen = Generator(session, platform, rng)
            for n in range(first, min(orders, first + batch)):
                day = rng.choices(days, day_weights)[0]
                at = _working_moment(day, rng)
                case, grid = gen.register(at, f"DEMO-2023-{n + 1:06d}")
                gen.run_loop(case, grid, at, history_end)
                made += 1
                if progress:
                    progress(1)
            _settle_history_notifications(session)
    with session_factory() as session, session.begin():
        # The history's inbox messages are read; today's orders bring new ones.
        do_mark_history_read(session, platform.region_code, platform.now())
    recent = 0
    now = platform.now()
    try:
        calendar.add_workdays(now.astimezone(LOCAL_TZ).date(), 20)
    except CalendarYearUnknown:
        return made, 0  # no calendar for the coming weeks: make no current orders
    with session_factory() as session, session.begin():
        gen = Generator(session, platform, rng)
        for n in range(current):
            at = (now - timedelta(hours=rng.uniform(0.2, 24 * 9))).astimezone(LOCAL_TZ)
            case, grid = gen.register(at, f"DEMO-NOW-{now:%Y%m%d%H%M}-{n + 1:04d}")
            # Some orders have only just come in: they wait for the dispatcher.
            stop = at if rng.random() < 0.15 else now
            gen.run_loop(case, grid, at, stop)
            recent += 1
            if progress:
                progress(1)
    return made, recent


# The year before the demo year: orders came in to the end of November, so every one is
# closed within 2022 and nothing of it counts in 2023; each handling round took SLOWER_BY
# hours longer, so the average handling time fell by about 2 working days in 2023, as the
# seed reports (热线办理时限平均减少2个工作日).
PREVIOUS_YEAR = 2022
SLOWER_BY = 80.0


def generate_previous_year(
    session_factory: Callable[[], Session],
    platform: Platform,
    orders: int,
    seed: int = 2023,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Make `orders` finished orders of 2022, with a random sequence of their own (the 2023
    history stays as it was)."""
    rng = random.Random(seed * 10 + 1)
    start = date(PREVIOUS_YEAR, 1, 1)
    days = [start + timedelta(days=i) for i in range(334)]  # to 30 November
    calendar = platform.calendar()
    day_weights = [1.0 if calendar.is_workday(d) else 0.55 for d in days]
    until = datetime(PREVIOUS_YEAR, 12, 31, 18, tzinfo=LOCAL_TZ)
    made = 0
    batch = 100
    for first in range(0, orders, batch):
        with session_factory() as session, session.begin():
            gen = Generator(session, platform, rng, slower_by=SLOWER_BY)
            for n in range(first, min(orders, first + batch)):
                at = _working_moment(rng.choices(days, day_weights)[0], rng)
                case, grid = gen.register(at, f"DEMO-{PREVIOUS_YEAR}-{n + 1:06d}")
                gen.run_loop(case, grid, at, until)
                made += 1
                if progress:
                    progress(1)
            _settle_history_notifications(session, f"DEMO-{PREVIOUS_YEAR}-%")
    return made


def _settle_history_notifications(session: Session, numbers: str = "DEMO-2023-%") -> None:
    """The history's messages belong to the past: record them as delivered then, labelled,
    so a dispatcher run today does not text thousands of synthetic numbers."""
    history = select(Case.id).where(
        Case.external_source == DEMO_SOURCE, Case.external_id.like(numbers)
    )
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.status == "pending", OutboxMessage.case_id.in_(history))
        .values(
            status="sent",
            sent_at=OutboxMessage.created_at,
            last_error="演示数据：历史消息，未实际发送",
        )
    )


def source_loaded(session: Session, region_code: str, source: str) -> bool:
    """Whether the region holds a case of that external source (a generator ran already)."""
    return (
        session.scalar(
            select(Case.id)
            .where(Case.region_code == region_code, Case.external_source == source)
            .limit(1)
        )
        is not None
    )


def demo_loaded(session: Session, region_code: str) -> bool:
    return source_loaded(session, region_code, DEMO_SOURCE)


def units_loaded(session: Session, region_code: str) -> bool:
    return (
        session.scalar(select(Unit.id).where(Unit.region_code == region_code).limit(1)) is not None
    )
