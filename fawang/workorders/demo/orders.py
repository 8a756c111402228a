"""The demo work orders' builder: ~300 orders planned from one ``random.Random(seed)``, taken
through the real services by the demo accounts, then moved into the past (see the package
docstring)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TypeVar

from django.db.models import Case, F, Value, When
from django.utils import timezone

from fawang.core.demo import (
    BEIJING_CODE,
    CHAOYANG_CODE,
    DEMO_CITIZEN_PHONE,
    FEMALE_GIVEN,
    HAIDIAN_CODE,
    MALE_GIVEN,
    MOBILE_PREFIXES,
    NEUTRAL_GIVEN,
    SURNAMES,
)
from fawang.core.models import Institution, InstitutionKind, Region, RegionLevel, Role, User
from fawang.policy.deadlines import deadline, escalation_moment
from fawang.policy.packs import pack_for_region
from fawang.policy.workdays import is_workday, local_zone, working_days_after
from fawang.workorders import services
from fawang.workorders.demo.data import (
    BUSINESS_LINE_WEIGHTS,
    CHAOYANG_CENTRE,
    CHAOYANG_CHANNELS,
    COMPLAINT_SHARE_OF_LOW_RATINGS,
    COMPLAINT_TEXT,
    DEMO_KEY_PREFIX,
    DEMO_REF_PREFIX,
    DISTRICT_WEIGHTS,
    FOLLOW_UP_NOTES,
    FOLLOW_UP_SHARE,
    FRESH_QUEUE_COUNT,
    HISTORY_DAYS,
    LATE_CLAIM_SHARE,
    LATE_REPLY_SHARE,
    LINE_REPLIES,
    MAX_SUPERVISED,
    ORDER_COUNT,
    OTHER_CHANNELS,
    RATED_SHARE,
    RATING_COMMENTS,
    RATINGS,
    REFERRAL_SOURCES,
    REQUESTS,
    STALLED_SHARE,
    SUPERVISION_NOTE,
    TOPIC_REPLIES,
    Request,
)
from fawang.workorders.models import (
    BusinessLine,
    Channel,
    EventKind,
    FollowUp,
    Status,
    WorkOrder,
    WorkOrderEvent,
)

T = TypeVar("T")


@dataclass
class _Cast:
    """The demo accounts the orders are created and handled by."""

    citizen: User
    seat: User
    seat_haidian: User
    clerk: User
    supervisor_district: User
    supervisor_city: User


@dataclass
class _Plan:
    channel: str
    request: Request
    region: Region
    actor: User
    created: datetime


@dataclass
class _Times:
    created: datetime
    transferred: datetime | None = None
    claimed: datetime | None = None
    replied: datetime | None = None
    rated: datetime | None = None
    deadlines: tuple[datetime, datetime] | None = None  # claim, reply


class _OrderBuilder:
    COUNTERS = (
        "work_orders",
        "transferred",
        "claimed",
        "replied",
        "rated",
        "follow_ups",
        "complaints",
        "supervised",
        "claim_overdue",
    )

    def __init__(self, rng: random.Random, cast: _Cast, now: datetime):
        self.rng, self.cast, self.now = rng, cast, now
        self.zone = local_zone()
        self.counts = dict.fromkeys(self.COUNTERS, 0)
        self.order_ids: list[int] = []
        self.districts = {
            r.code: r for r in Region.objects.filter(code__in=[c for c, _ in DISTRICT_WEIGHTS])
        }
        self.townships: dict[int, list[Region]] = {}
        for township in Region.objects.filter(
            parent__in=self.districts.values(), level=RegionLevel.TOWNSHIP
        ).order_by("code"):
            self.townships.setdefault(township.parent_id or 0, []).append(township)
        # Every demo order lies in Beijing: one policy pack.
        self.levels = pack_for_region(Region.objects.get(code=BEIJING_CODE)).service_levels
        self.staff = self._staff_by_institution()
        self.chaoyang_centre = Institution.objects.get(
            kind=InstitutionKind.SERVICE_CENTRE, name=CHAOYANG_CENTRE
        )
        # Chaoyang's centre passes some mediation and appraisal work on to the demo mediator's
        # committee and the demo appraiser's institution, where those accounts claim it.
        self.mediation_target = self._institution_of("demo-mediator")
        self.appraisal_target = self._institution_of("demo-appraiser")

    @staticmethod
    def _staff_by_institution() -> dict[int, list[User]]:
        staff: dict[int, list[User]] = {}
        for user in User.objects.filter(
            username__startswith="demo-", role__in=services.SERVING_ROLES, institution__isnull=False
        ).order_by("username"):
            staff.setdefault(user.institution_id or 0, []).append(user)
        return staff

    @staticmethod
    def _institution_of(username: str) -> Institution | None:
        user = User.objects.filter(username=username).select_related("institution__region").first()
        return user.institution if user is not None else None

    # the whole build ----------------------------------------------------------------------

    def build(self) -> dict[str, int]:
        # Planned first, created in the order they came in: numbers rise with time.
        plans = sorted((self._plan() for _ in range(ORDER_COUNT)), key=lambda p: p.created)
        handled = [self._one_order(n, plan) for n, plan in enumerate(plans, start=1)]
        self._complaints(handled)
        services.sweep_deadlines(self.now)
        self._date_sweep_results()
        self._supervise()
        self._fresh_queue()
        self.counts["claim_overdue"] = WorkOrder.objects.filter(
            pk__in=self.order_ids, claim_overdue=True
        ).count()
        return self.counts

    def _plan(self) -> _Plan:
        district = self.districts[self._weighted(DISTRICT_WEIGHTS)]
        is_chaoyang = district.code == CHAOYANG_CODE
        channel = self._weighted(CHAOYANG_CHANNELS if is_chaoyang else OTHER_CHANNELS)
        request = self._request(channel)
        return _Plan(
            channel=channel,
            request=request,
            region=self._region(district, request),
            actor=self._creator(channel, district),
            created=self._created_at(channel),
        )

    def _one_order(self, n: int, plan: _Plan) -> tuple[WorkOrder, _Times]:
        intake = self._intake(n, plan.channel, plan.request, plan.region, plan.actor)
        order = services.create_work_order(intake, acting_user=plan.actor)
        self.counts["work_orders"] += 1
        self.order_ids.append(order.pk)
        times = _Times(created=plan.created)
        order = self._handle(order, times)
        self._backdate(order, times)
        return order, times

    # planning -----------------------------------------------------------------------------

    def _weighted(self, choices: Sequence[tuple[T, int]]) -> T:
        return self.rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]

    def _request(self, channel: str) -> Request:
        if channel == Channel.REFERRAL:
            line = self.rng.choice((BusinessLine.LEGAL_AID, BusinessLine.MEDIATION))
        else:
            line = self._weighted(BUSINESS_LINE_WEIGHTS)
        return self.rng.choice([r for r in REQUESTS if r.business_line == line])

    def _region(self, district: Region, request: Request) -> Region:
        target = self.mediation_target
        if (
            request.business_line == BusinessLine.MEDIATION
            and target is not None
            and district.contains(target.region)
            and self.rng.random() < 0.6
        ):
            return target.region
        townships = self.townships.get(district.pk, [])
        if not townships or self.rng.random() < 0.12:
            return district
        return self.rng.choice(townships)

    def _creator(self, channel: str, district: Region) -> User:
        if channel in {Channel.WEB, Channel.MINI_PROGRAM}:
            return self.cast.citizen
        if channel == Channel.WINDOW:
            return self.cast.clerk
        return self.cast.seat_haidian if district.code == HAIDIAN_CODE else self.cast.seat

    def _intake(
        self, n: int, channel: str, request: Request, region: Region, actor: User
    ) -> services.Intake:
        citizen = actor.is_citizen
        return services.Intake(
            channel=channel,
            business_line=request.business_line,
            topic=request.topic,
            title=request.title,
            description=request.description,
            requester_name=actor.full_name if citizen else self._name(channel),
            requester_phone=DEMO_CITIZEN_PHONE if citizen else self._mobile(),
            region_code=region.code,
            external_ref=self._external_ref(n, channel),
            referral_source=self._referral_source(request) if channel == Channel.REFERRAL else "",
            recording_ref=f"REC-DEMO-{n:06d}.wav" if channel == Channel.HOTLINE else "",
            idempotency_key=f"{DEMO_KEY_PREFIX}{n}",
        )

    def _referral_source(self, request: Request) -> str:
        return self._weighted(REFERRAL_SOURCES[request.business_line])

    def _name(self, channel: str) -> str:
        female = self.rng.random() < 0.5
        surname = self.rng.choice(SURNAMES)
        if channel in {Channel.HOTLINE, Channel.CITIZEN_HOTLINE_12345} and self.rng.random() < 0.3:
            return surname + ("女士" if female else "先生")
        pool = FEMALE_GIVEN if female else MALE_GIVEN
        given = self.rng.choice(pool)
        if self.rng.random() < 0.65:
            given = self.rng.choice(pool + NEUTRAL_GIVEN) + given
        return surname + given

    def _mobile(self) -> str:
        return self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"

    def _external_ref(self, n: int, channel: str) -> str:
        if channel == Channel.HOTLINE:
            return f"{DEMO_REF_PREFIX}CALL-{n:06d}"
        if channel == Channel.CITIZEN_HOTLINE_12345:
            return f"{DEMO_REF_PREFIX}12345-{n:06d}"
        if channel == Channel.REFERRAL:
            return f"{DEMO_REF_PREFIX}ZJ-{n:04d}"
        return ""

    def _created_at(self, channel: str) -> datetime:
        hours: dict[str, tuple[int, int]] = {
            Channel.WINDOW: (9, 17),
            Channel.CITIZEN_HOTLINE_12345: (9, 20),
        }
        start, end = hours.get(channel, (8, 21))
        if channel in {Channel.WEB, Channel.MINI_PROGRAM}:
            start, end = 7, 23
        while True:
            day = timezone.localdate(self.now) - timedelta(days=self.rng.randint(1, HISTORY_DAYS))
            workday = is_workday(day)
            if workday or (channel != Channel.WINDOW and self.rng.random() < 0.35):
                return self._at(day, start, end)

    def _at(self, day: date, start_hour: int, end_hour: int) -> datetime:
        minute = self.rng.randrange(start_hour * 60, end_hour * 60)
        moment = time(minute // 60, minute % 60, self.rng.randrange(60))
        return datetime.combine(day, moment, tzinfo=self.zone)

    def _office(self, moment: datetime) -> datetime:
        """Staff act between 8:30 and 20:00; a later moment moves to the next morning."""
        local = moment.astimezone(self.zone)
        if local.hour >= 20:
            local = datetime.combine(local.date() + timedelta(days=1), time(8), tzinfo=self.zone)
        if local.hour < 8 or (local.hour == 8 and local.minute < 30):
            morning = datetime.combine(local.date(), time(8, 30), tzinfo=self.zone)
            local = morning + timedelta(minutes=self.rng.randrange(90))
        return local

    def _deadlines(self, order: WorkOrder, times: _Times) -> tuple[datetime, datetime]:
        if times.deadlines is None:
            times.deadlines = (
                deadline(times.created, self.levels.claim),
                deadline(times.created, self.levels.reply[order.business_line]),
            )
        return times.deadlines

    # handling -----------------------------------------------------------------------------

    def _handle(self, order: WorkOrder, times: _Times) -> WorkOrder:
        claim_due, reply_due = self._deadlines(order, times)
        order = self._maybe_transfer(order, times)
        handler = self._handler(order)
        if handler is None:
            return order
        forced = order.institution_id == self.chaoyang_centre.pk
        claimed = self._claim_time(times, claim_due, forced=forced)
        if claimed is None:
            return order
        order = services.claim_order(order, acting_user=handler)
        times.claimed = claimed
        self.counts["claimed"] += 1
        replied = self._reply_time(order, claimed, reply_due)
        if replied is None:
            return order
        reply = TOPIC_REPLIES[order.topic]
        if order.business_line != BusinessLine.CONSULTATION:
            reply = LINE_REPLIES[order.business_line]
        order = services.reply_to_order(order, reply=reply, acting_user=handler)
        times.replied = replied
        self.counts["replied"] += 1
        return self._after_reply(order, times)

    def _maybe_transfer(self, order: WorkOrder, times: _Times) -> WorkOrder:
        if order.institution_id != self.chaoyang_centre.pk:
            return order
        target = None
        if order.business_line == BusinessLine.MEDIATION and self.mediation_target is not None:
            if self.mediation_target.region_id == order.region_id:
                target = self.mediation_target
        elif order.business_line == BusinessLine.APPRAISAL and self.rng.random() < 0.6:
            target = self.appraisal_target
        if target is None:
            return order
        order = services.transfer_order(
            order, target, reason="属本机构业务范围，转请承办。", acting_user=self.cast.seat
        )
        times.transferred = times.created + timedelta(minutes=self.rng.randint(15, 120))
        self.counts["transferred"] += 1
        return order

    def _handler(self, order: WorkOrder) -> User | None:
        staff = self.staff.get(order.institution_id or 0, [])
        if not staff:
            return None
        preferred = self.cast.clerk if order.channel == Channel.WINDOW else self.cast.seat
        if preferred in staff:
            return preferred
        return self.rng.choice(staff)

    def _claim_time(self, times: _Times, claim_due: datetime, *, forced: bool) -> datetime | None:
        """When the order was claimed, or None if that moment has not come yet.

        ``forced``: the order sits in 朝阳区公共法律服务中心's queue, which must end up empty
        (see the package docstring), so it is claimed before now whatever was planned."""
        start = times.transferred or times.created
        roll = self.rng.random()
        if roll < LATE_CLAIM_SHARE:
            claimed = self._office(claim_due + timedelta(hours=self.rng.uniform(1, 20)))
        else:
            delay = self.rng.uniform(5, 180) if roll < 0.7 else self.rng.uniform(180, 1800)
            claimed = self._office(start + timedelta(minutes=delay))
            if claimed > claim_due:
                claimed = max(start + timedelta(minutes=5), claim_due - timedelta(hours=2))
        if claimed < self.now:
            return claimed
        if forced:
            return start + (self.now - start) * self.rng.uniform(0.2, 0.8)
        return None

    def _reply_time(
        self, order: WorkOrder, claimed: datetime, reply_due: datetime
    ) -> datetime | None:
        roll = self.rng.random()
        if roll < STALLED_SHARE:
            return None
        if roll < STALLED_SHARE + LATE_REPLY_SHARE:
            replied = reply_due + timedelta(hours=self.rng.uniform(2, 60))
        elif order.business_line == BusinessLine.CONSULTATION:
            replied = claimed + timedelta(hours=self.rng.uniform(0.3, 30))
        else:
            days = (reply_due - claimed).total_seconds() / 86400
            replied = claimed + timedelta(days=self.rng.uniform(0.2, max(0.3, days * 0.9)))
        replied = self._office(replied)
        return replied if replied < self.now else None

    def _after_reply(self, order: WorkOrder, times: _Times) -> WorkOrder:
        assert times.replied is not None
        if self.rng.random() < RATED_SHARE:
            rated = times.replied + timedelta(hours=self.rng.uniform(1, 48))
            if rated < self.now:
                order = self._rate(order)
                times.rated = rated
        if self.rng.random() < FOLLOW_UP_SHARE:
            self._follow_up(order, times)
        return order

    def _rate(self, order: WorkOrder) -> WorkOrder:
        rating = self._weighted(RATINGS)
        comment = self.rng.choice(RATING_COMMENTS[rating])
        if order.citizen_id == self.cast.citizen.pk:
            order = services.rate_order(
                order, rating=rating, comment=comment, acting_user=self.cast.citizen
            )
        else:
            order = services.rate_order(
                order, rating=rating, comment=comment, token=order.rating_token
            )
        self.counts["rated"] += 1
        return order

    def _follow_up(self, order: WorkOrder, times: _Times) -> None:
        seats = [
            u for u in self.staff.get(order.institution_id or 0, []) if u.role == Role.HOTLINE_SEAT
        ]
        assert times.replied is not None
        made_at = self._office(times.replied + timedelta(days=self.rng.uniform(1, 4)))
        if not seats or made_at >= self.now:
            return
        note = self.rng.choice(FOLLOW_UP_NOTES)
        reached = "未接通" not in note
        follow_up = services.record_follow_up(
            order,
            reached=reached,
            satisfaction=self._weighted(RATINGS) if reached else None,
            note=note,
            acting_user=seats[0],
        )
        FollowUp.objects.filter(pk=follow_up.pk).update(made_at=made_at)
        self._date_events(order.pk, [EventKind.FOLLOWED_UP], made_at)
        self.counts["follow_ups"] += 1

    # timestamps ---------------------------------------------------------------------------

    def _backdate(self, order: WorkOrder, times: _Times) -> None:
        claim_due, reply_due = self._deadlines(order, times)
        WorkOrder.objects.filter(pk=order.pk).update(
            created_at=times.created,
            claim_due_at=claim_due,
            reply_due_at=reply_due,
            claimed_at=times.claimed,
            replied_at=times.replied,
            rated_at=times.rated,
            closed_at=times.rated,
        )
        moments = {
            EventKind.CREATED: times.created,
            EventKind.ROUTED: times.created,
            EventKind.TRANSFERRED: times.transferred,
            EventKind.CLAIMED: times.claimed,
            EventKind.REPLIED: times.replied,
            EventKind.RATED: times.rated,
            EventKind.CLOSED: times.rated,
        }
        whens = [When(kind=kind, then=Value(at)) for kind, at in moments.items() if at is not None]
        WorkOrderEvent.objects.filter(order_id=order.pk, kind__in=list(moments)).update(
            occurred_at=Case(*whens, default=F("occurred_at"))
        )

    @staticmethod
    def _date_events(order_id: int, kinds: list[str], moment: datetime | None) -> None:
        if moment is not None:
            WorkOrderEvent.objects.filter(order_id=order_id, kind__in=kinds).update(
                occurred_at=moment
            )

    # after the flow -----------------------------------------------------------------------

    def _complaints(self, handled: list[tuple[WorkOrder, _Times]]) -> None:
        """Some requesters who rated the reply 1 or 2 call the hotline again to complain."""
        for order, times in handled:
            if order.rating is None or order.rating > 2 or times.rated is None:
                continue
            filed_at = self._office(times.rated + timedelta(hours=self.rng.uniform(2, 30)))
            if self.rng.random() >= COMPLAINT_SHARE_OF_LOW_RATINGS or filed_at >= self.now:
                continue
            seat = self.cast.seat_haidian if self._in_haidian(order) else self.cast.seat
            complaint = services.file_complaint(
                order,
                text=COMPLAINT_TEXT.format(comment=order.rating_comment or ""),
                acting_user=seat,
            )
            self.order_ids.append(complaint.pk)
            self._backdate(complaint, _Times(created=filed_at))
            self._date_events(order.pk, [EventKind.COMPLAINED], filed_at)
            self.counts["complaints"] += 1

    @staticmethod
    def _in_haidian(order: WorkOrder) -> bool:
        return f"/{HAIDIAN_CODE}/" in order.region.path

    def _date_sweep_results(self) -> None:
        """The sweep ran now; date what it did to when the deadlines it enforces ran out."""
        orders = WorkOrder.objects.filter(pk__in=self.order_ids)
        for order in orders.filter(status=Status.CLOSED, rated_at__isnull=True):
            if order.replied_at is None:
                continue
            closed_at = deadline(order.replied_at, self.levels.auto_close_after_reply)
            WorkOrder.objects.filter(pk=order.pk).update(closed_at=closed_at)
            self._date_events(order.pk, [EventKind.CLOSED], closed_at)
        for order in orders.filter(claim_overdue=True):
            self._date_events(order.pk, [EventKind.CLAIM_OVERDUE], order.claim_due_at)
            self._date_escalation(order, order.claim_due_at)
        for order in orders.filter(reply_overdue=True, claim_overdue=False):
            self._date_events(order.pk, [EventKind.REPLY_OVERDUE], order.reply_due_at)
            self._date_escalation(order, order.reply_due_at)

    def _date_escalation(self, order: WorkOrder, due: datetime) -> None:
        escalated = escalation_moment(due, self.levels.escalate_to_city_after)
        self._date_events(order.pk, [EventKind.ESCALATED], min(escalated, self.now))

    def _supervise(self) -> None:
        """The Chaoyang bureau presses a few late Chaoyang orders; the city bureau one elsewhere."""
        deadline = working_days_after(self.now, 3)
        mine = WorkOrder.objects.filter(pk__in=self.order_ids, reply_overdue=True)
        chaoyang = mine.filter(region__path__contains=f"/{CHAOYANG_CODE}/", status=Status.CLAIMED)
        picks = [(order, self.cast.supervisor_district) for order in chaoyang[: MAX_SUPERVISED - 1]]
        elsewhere = (
            WorkOrder.objects.filter(pk__in=self.order_ids, claim_overdue=True)
            .exclude(region__path__contains=f"/{CHAOYANG_CODE}/")
            .order_by("created_at")
            .first()
        )
        if elsewhere is not None:
            picks.append((elsewhere, self.cast.supervisor_city))
        for order, supervisor in picks:
            services.supervise_order(
                order, note=SUPERVISION_NOTE, new_deadline=deadline, acting_user=supervisor
            )
            self.counts["supervised"] += 1

    def _fresh_queue(self) -> None:
        """A few calls from this morning wait in 海淀区公共法律服务中心's queue (not Chaoyang's:
        see the package docstring)."""
        haidian = self.districts[HAIDIAN_CODE]
        start_of_day = datetime.combine(timezone.localdate(self.now), time.min, tzinfo=self.zone)
        consultations = [r for r in REQUESTS if r.business_line == BusinessLine.CONSULTATION]
        minutes = sorted(self.rng.sample(range(5, 180), FRESH_QUEUE_COUNT), reverse=True)
        for k, ago in enumerate(minutes, start=ORDER_COUNT + 1):
            request = self.rng.choice(consultations)
            region = self.rng.choice(self.townships.get(haidian.pk, [haidian]))
            actor = self.cast.seat_haidian
            order = services.create_work_order(
                self._intake(k, Channel.HOTLINE, request, region, actor), acting_user=actor
            )
            self.order_ids.append(order.pk)
            self.counts["work_orders"] += 1
            # Just after midnight "this morning" is squeezed into the minutes since midnight.
            earliest = start_of_day + timedelta(seconds=k - ORDER_COUNT)
            created = max(self.now - timedelta(minutes=ago), earliest)
            self._backdate(order, _Times(created=min(created, self.now)))
