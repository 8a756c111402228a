"""村(居)法律顾问 use cases: appointment, adjustment and exit; the ledger against the service
list; villagers' bookings with SMS confirmation and reminder; notices; ratings and the quarter's
committee and township scores; training; 法律明白人 and the matters they raise. Each verb checks
who acts, validates, writes in one transaction, audits and queues its SMS after the commit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from fawang.advisers.models import (
    Appointment,
    AppointmentMode,
    AppointmentStatus,
    CommunityAdviser,
    ExitReason,
    LedgerEntry,
    LegalLiaison,
    LiaisonMatter,
    LiaisonRole,
    Notice,
    NoticeRead,
    NoticeSubscription,
    ServiceMode,
    ServiceRating,
    ThreePartyEvaluation,
    TrainingRecord,
    VillageHouseholds,
)
from fawang.advisers.policy import advisers_policy
from fawang.audit.services import record_event
from fawang.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from fawang.core.models import (
    Practitioner,
    PractitionerKind,
    PractitionerStatus,
    Region,
    RegionLevel,
    User,
)
from fawang.core.rows import lock
from fawang.core.scope import supervises
from fawang.core.tasks import queue_sms_to_record
from fawang.core.validation import clean_choice, clean_phone, clean_text

ADVISER_KINDS = (
    PractitionerKind.COMMUNITY_ADVISER,
    PractitionerKind.LAWYER,
    PractitionerKind.BASIC_LEGAL_WORKER,
)
BOOKING_HORIZON_DAYS = 60
REMINDER_AHEAD = timedelta(hours=24)
MAX_TEXT = 2000


# --- who may act ------------------------------------------------------------------------------


def serves(user: User, adviser: CommunityAdviser) -> bool:
    """The practitioner appointed is this account."""
    return adviser.practitioner.user_id == user.pk


def _require_supervisor(user: User, region: Region) -> None:
    if not supervises(user, region):
        raise PermissionDenied("只有主管该村（居）的司法行政机关可以进行此操作。")


def _int(value: Any, field: str, label: str, *, least: int, most: int) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise InvalidInput(f"{label}应为整数。", code="bad_number", field=field) from None
    if not least <= number <= most:
        raise InvalidInput(f"{label}应在{least}到{most}之间。", code="bad_number", field=field)
    return number


def _date(value: Any, field: str, label: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise InvalidInput(f"请填写正确的{label}。", code="bad_date", field=field) from None


def _village(village_id: Any) -> Region:
    try:
        pk = int(village_id)
    except (TypeError, ValueError):
        pk = 0
    found = Region.objects.filter(pk=pk, level=RegionLevel.VILLAGE).first()
    if found is None:
        raise InvalidInput("请选择村（居）。", code="no_village", field="village_id")
    return found


def active_adviser(village: Region) -> CommunityAdviser | None:
    return (
        CommunityAdviser.objects.filter(village=village, ended_on__isnull=True)
        .select_related("practitioner__institution", "village")
        .first()
    )


# --- appointment, adjustment, exit (准入退出) -------------------------------------------------


def _eligible(practitioner_id: Any) -> Practitioner:
    try:
        pk = int(practitioner_id)
    except (TypeError, ValueError):
        pk = 0
    person = Practitioner.objects.filter(
        pk=pk, kind__in=ADVISER_KINDS, status=PractitionerStatus.PRACTISING
    ).first()
    if person is None:
        raise InvalidInput(
            "法律顾问须为在册执业的律师或基层法律服务工作者。",
            code="not_eligible",
            field="practitioner_id",
        )
    return person


def appoint(
    village_id: Any, practitioner_id: Any, term_start: Any, *, acting_user: User
) -> CommunityAdviser:
    """聘任 one adviser to a village for the pack's term; a village has one adviser at a time
    (a change is an adjustment, which ends the current appointment with its reason)."""
    village = _village(village_id)
    _require_supervisor(acting_user, village)
    person = _eligible(practitioner_id)
    start = _date(term_start or timezone.localdate(), "term_start", "聘期开始日期")
    policy = advisers_policy(village)
    with transaction.atomic():
        if CommunityAdviser.objects.filter(village=village, ended_on__isnull=True).exists():
            raise Conflict("该村（居）已有在聘的法律顾问，请使用“调整”。", code="already_appointed")
        try:
            with transaction.atomic():
                adviser = CommunityAdviser.objects.create(
                    village=village,
                    practitioner=person,
                    term_start=start,
                    term_end=start.replace(year=start.year + policy.term_years) - timedelta(days=1),
                    appointed_by=acting_user,
                )
        except IntegrityError:
            raise Conflict(
                "该村（居）已有在聘的法律顾问，请使用“调整”。", code="already_appointed"
            ) from None
        record_event(
            "advisers.appointed",
            actor=acting_user,
            obj=adviser,
            detail={"village": village.code, "practitioner": person.pk},
        )
    return adviser


def end_appointment(
    adviser: CommunityAdviser, reason: str, note: str = "", *, acting_user: User
) -> CommunityAdviser:
    """退出 with the reason; the village is uncovered until another adviser is appointed."""
    _require_supervisor(acting_user, adviser.village)
    reason = clean_choice(reason, ExitReason.values, "exit_reason", "退出原因")
    note = clean_text(note, 500, "exit_note", "退出说明", required=reason != ExitReason.TERM_ENDED)
    with transaction.atomic():
        adviser = lock(adviser)
        if adviser.ended_on is not None:
            raise Conflict("该聘任已结束。", code="already_ended")
        adviser.ended_on = timezone.localdate()
        adviser.exit_reason = reason
        adviser.exit_note = note
        adviser.save(update_fields=["ended_on", "exit_reason", "exit_note"])
        record_event("advisers.ended", actor=acting_user, obj=adviser, detail={"reason": reason})
    return adviser


def adjust(
    adviser: CommunityAdviser, practitioner_id: Any, note: str, *, acting_user: User
) -> CommunityAdviser:
    """动态调整: the current appointment ends (reason 动态调整) and the new one starts today, in one
    transaction, so the village is never counted uncovered in between."""
    _require_supervisor(acting_user, adviser.village)
    person = _eligible(practitioner_id)
    if person.pk == adviser.practitioner_id:
        raise InvalidInput(
            "调整后的法律顾问与原顾问相同。", code="same_adviser", field="practitioner_id"
        )
    with transaction.atomic():
        end_appointment(adviser, ExitReason.ADJUSTED, note, acting_user=acting_user)
        return appoint(adviser.village_id, person.pk, timezone.localdate(), acting_user=acting_user)


# --- the ledger (台账) ------------------------------------------------------------------------


@dataclass
class ServiceIn:
    item: str
    served_on: Any
    people_served: Any
    minutes: Any
    mode: str
    note: str = ""
    appointment_id: int | None = None
    matter_id: int | None = None


def record_service(adviser: CommunityAdviser, data: ServiceIn, *, acting_user: User) -> LedgerEntry:
    """A service against the list the village's district offers (基础清单 + 特色菜单), by the
    adviser appointed; a booking or a liaison's matter it answers is closed by it."""
    if not serves(acting_user, adviser):
        raise PermissionDenied("只有该村（居）的法律顾问可以登记服务台账。")
    district = adviser.village.district
    items = advisers_policy(adviser.village).items_for(district.code if district else None)
    item = clean_choice(data.item, [i.code for i in items], "item", "服务项目", code="not_on_list")
    served_on = _date(data.served_on, "served_on", "服务日期")
    if served_on > timezone.localdate() or served_on < adviser.term_start:
        raise InvalidInput("服务日期应在聘期内且不晚于今天。", code="bad_date", field="served_on")
    people = _int(data.people_served, "people_served", "服务人数", least=1, most=10000)
    minutes = _int(data.minutes, "minutes", "服务时长（分钟）", least=1, most=1440)
    mode = clean_choice(data.mode, ServiceMode.values, "mode", "服务方式")
    note = clean_text(data.note, MAX_TEXT, "note", "服务内容", required=False)
    with transaction.atomic():
        appointment = matter = None
        if data.appointment_id:
            appointment = (
                Appointment.objects.select_for_update()
                .filter(pk=data.appointment_id, adviser=adviser)
                .first()
            )
            if appointment is None or appointment.status != AppointmentStatus.BOOKED:
                raise Conflict("该预约不存在或已处理。", code="bad_state")
            appointment.status = AppointmentStatus.DONE
            appointment.save(update_fields=["status"])
        if data.matter_id:
            matter = LiaisonMatter.objects.filter(pk=data.matter_id, adviser=adviser).first()
            if matter is None or LedgerEntry.objects.filter(matter=matter).exists():
                raise Conflict("该事项不存在或已办结。", code="bad_state")
        entry = LedgerEntry.objects.create(
            adviser=adviser,
            item=item,
            served_on=served_on,
            people_served=people,
            minutes=minutes,
            mode=mode,
            note=note,
            appointment=appointment,
            matter=matter,
            recorded_by=acting_user,
        )
        record_event(
            "advisers.service_recorded",
            actor=acting_user,
            obj=entry,
            detail={"village": adviser.village.code, "item": item, "minutes": minutes},
        )
    return entry


# --- bookings (预约), SMS confirmation and reminder --------------------------------------------


def book(citizen: User, village_id: Any, slot: Any, topic: str, mode: str) -> Appointment:
    """A villager books the village's adviser (BJ-list 一(十) 预约服务): a future slot within the
    horizon, a topic, on site or by video or phone; confirmed by SMS to the account's number."""
    if not citizen.is_citizen:
        raise PermissionDenied("只有群众账户可以预约法律顾问。")
    village = _village(village_id)
    adviser = active_adviser(village)
    if adviser is None:
        raise Conflict("该村（居）暂未配备法律顾问。", code="no_adviser")
    if isinstance(slot, str):
        try:
            slot = datetime.fromisoformat(slot.strip())
        except ValueError:
            raise InvalidInput("请选择预约时段。", code="bad_slot", field="slot") from None
    if not isinstance(slot, datetime):
        raise InvalidInput("请选择预约时段。", code="bad_slot", field="slot")
    if timezone.is_naive(slot):
        slot = timezone.make_aware(slot)
    now = timezone.now()
    if not now < slot <= now + timedelta(days=BOOKING_HORIZON_DAYS):
        raise InvalidInput(
            f"预约时段应在今后{BOOKING_HORIZON_DAYS}天之内。", code="bad_slot", field="slot"
        )
    topic = clean_text(topic, 500, "topic", "咨询事项")
    mode = clean_choice(mode, AppointmentMode.values, "mode", "服务方式")
    with transaction.atomic():
        appointment = Appointment.objects.create(
            citizen=citizen, adviser=adviser, slot=slot, topic=topic, mode=mode
        )
        record_event(
            "advisers.appointment_booked",
            actor=citizen,
            obj=appointment,
            detail={"village": village.code, "mode": mode},
        )
        local = timezone.localtime(slot)
        queue_sms_to_record(
            citizen,
            "phone",
            f"【法网】您已预约{village.name}法律顾问{adviser.practitioner.name}，"
            f"时间{local:%m月%d日 %H:%M}（{AppointmentMode(mode).label}）。",
        )
    return appointment


def cancel_booking(appointment: Appointment, *, citizen: User) -> Appointment:
    if appointment.citizen_id != citizen.pk:
        raise NotFound("未找到该预约。")
    with transaction.atomic():
        appointment = lock(appointment)
        if appointment.status != AppointmentStatus.BOOKED:
            raise Conflict("该预约已处理，不能取消。", code="bad_state")
        appointment.status = AppointmentStatus.CANCELLED
        appointment.save(update_fields=["status"])
        record_event("advisers.appointment_cancelled", actor=citizen, obj=appointment)
    return appointment


def send_reminders(now: datetime | None = None) -> int:
    """Text each villager whose booking starts within a day, once (``reminded_at``)."""
    now = now or timezone.now()
    due = Appointment.objects.filter(
        status=AppointmentStatus.BOOKED,
        reminded_at__isnull=True,
        slot__gt=now,
        slot__lte=now + REMINDER_AHEAD,
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(due):
        with transaction.atomic():
            appointment = (
                Appointment.objects.select_for_update(of=("self",))
                .select_related("adviser__practitioner", "adviser__village", "citizen")
                .get(pk=pk)
            )
            if appointment.reminded_at is not None:
                continue
            appointment.reminded_at = now
            appointment.save(update_fields=["reminded_at"])
            local = timezone.localtime(appointment.slot)
            queue_sms_to_record(
                appointment.citizen,
                "phone",
                f"【法网】提醒：您预约的{appointment.adviser.village.name}法律顾问服务"
                f"将于{local:%m月%d日 %H:%M}开始。",
            )
            record_event("advisers.appointment_reminded", actor="fawang scheduler", obj=appointment)
            sent += 1
    return sent


def rate(appointment: Appointment, score: Any, comment: str, *, citizen: User) -> ServiceRating:
    """群众评价 of a service the villager received (the residents' part of the evaluation)."""
    if appointment.citizen_id != citizen.pk:
        raise NotFound("未找到该预约。")
    value = _int(score, "score", "评分", least=1, most=5)
    comment = clean_text(comment, 500, "comment", "评价意见", required=False)
    with transaction.atomic():
        appointment = lock(appointment)
        if appointment.status != AppointmentStatus.DONE:
            raise Conflict("法律顾问登记服务后才能评价。", code="bad_state")
        if ServiceRating.objects.filter(appointment=appointment).exists():
            raise Conflict("您已评价过这次服务。", code="already_rated")
        rating = ServiceRating.objects.create(appointment=appointment, score=value, comment=comment)
        record_event(
            "advisers.service_rated", actor=citizen, obj=appointment, detail={"score": value}
        )
    return rating


# --- the quarter's committee and township scores --------------------------------------------


def score_quarter(
    adviser: CommunityAdviser,
    year: Any,
    quarter: Any,
    *,
    committee_score: Any = None,
    committee_rater: str = "",
    ledger_score: Any = None,
    ledger_note: str = "",
    acting_user: User,
) -> ThreePartyEvaluation:
    """The 村(居)委会's score (entered by the township office from the committee's form, with the
    rater's name) and the township office's score of the ledger, each 0–100."""
    _require_supervisor(acting_user, adviser.village)
    y = _int(year, "year", "年度", least=2020, most=2100)
    q = _int(quarter, "quarter", "季度", least=1, most=4)
    committee = ledger = None
    if committee_score not in (None, ""):
        committee = _int(committee_score, "committee_score", "村（居）委会评分", least=0, most=100)
        committee_rater = clean_text(committee_rater, 100, "committee_rater", "村（居）委会评价人")
    if ledger_score not in (None, ""):
        ledger = _int(ledger_score, "ledger_score", "台账评分", least=0, most=100)
    if committee is None and ledger is None:
        raise InvalidInput("请至少填写一项评分。", code="required", field="committee_score")
    note = clean_text(ledger_note, 500, "ledger_note", "台账评审意见", required=False)
    with transaction.atomic():
        row, _ = ThreePartyEvaluation.objects.select_for_update().get_or_create(
            adviser=adviser, year=y, quarter=q, defaults={"updated_by": acting_user}
        )
        if committee is not None:
            row.committee_score, row.committee_rater = committee, committee_rater
        if ledger is not None:
            row.ledger_score, row.ledger_note = ledger, note
        row.updated_by, row.updated_at = acting_user, timezone.now()
        row.save()
        record_event(
            "advisers.evaluation_scored",
            actor=acting_user,
            obj=row,
            detail={"quarter": f"{y}Q{q}", "committee": committee, "ledger": ledger},
        )
    return row


# --- notices (推送) ----------------------------------------------------------------------------


def push_notice(
    village_ids: list[int], title: str, body: str, by_sms: bool, *, acting_user: User
) -> Notice:
    """An adviser's notice to villages they serve: on the portal for the residents, and by SMS
    to those who opted in."""
    mine = {
        a.village_id: a
        for a in CommunityAdviser.objects.filter(
            practitioner__user=acting_user, ended_on__isnull=True
        ).select_related("practitioner")
    }
    if not mine:
        raise PermissionDenied("只有在聘的法律顾问可以推送通知。")
    chosen = sorted({int(v) for v in village_ids if str(v).isdigit()})
    if not chosen or any(v not in mine for v in chosen):
        raise InvalidInput("请选择您服务的村（居）。", code="no_village", field="village_ids")
    title = clean_text(title, 100, "title", "标题")
    body = clean_text(body, MAX_TEXT, "body", "内容")
    person = next(iter(mine.values())).practitioner
    with transaction.atomic():
        notice = Notice.objects.create(
            practitioner=person, title=title, body=body, by_sms=bool(by_sms), sent_by=acting_user
        )
        notice.villages.set(chosen)
        texts = 0
        if by_sms:
            for sub in NoticeSubscription.objects.filter(village_id__in=chosen).select_related(
                "citizen"
            ):
                queue_sms_to_record(sub.citizen, "phone", f"【法网】法律顾问通知：{title}")
                texts += 1
        record_event(
            "advisers.notice_pushed",
            actor=acting_user,
            obj=notice,
            detail={"villages": len(chosen), "sms": texts},
        )
    return notice


def mark_read(notice: Notice, *, citizen: User) -> None:
    NoticeRead.objects.get_or_create(notice=notice, user=citizen)


def opt_in(citizen: User, village_id: Any, wanted: bool) -> None:
    village = _village(village_id)
    with transaction.atomic():
        if wanted:
            NoticeSubscription.objects.get_or_create(citizen=citizen, village=village)
        else:
            NoticeSubscription.objects.filter(citizen=citizen, village=village).delete()
        record_event(
            "advisers.notice_opt_in", actor=citizen, detail={"village": village.code, "on": wanted}
        )


# --- training ---------------------------------------------------------------------------------


def record_training(
    practitioner_id: Any, held_on: Any, topic: str, hours: Any, organiser: str, *, acting_user: User
) -> TrainingRecord:
    """定期培训 (BJ-measures 16): recorded by a bureau for an adviser serving in its region."""
    person = _eligible(practitioner_id)
    villages = CommunityAdviser.objects.filter(practitioner=person).select_related("village")
    if not any(supervises(acting_user, a.village) for a in villages):
        raise PermissionDenied("只能为本辖区聘任的法律顾问登记培训。")
    day = _date(held_on, "held_on", "培训日期")
    topic = clean_text(topic, 200, "topic", "培训内容")
    organiser = clean_text(organiser, 100, "organiser", "组织单位")
    try:
        amount = Decimal(str(hours)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        raise InvalidInput("学时应为数字。", code="bad_number", field="hours") from None
    if not Decimal("0.5") <= amount <= Decimal("200"):
        raise InvalidInput("学时应在0.5到200之间。", code="bad_number", field="hours")
    with transaction.atomic():
        record = TrainingRecord.objects.create(
            practitioner=person,
            held_on=day,
            topic=topic,
            hours=amount,
            organiser=organiser,
            recorded_by=acting_user,
        )
        record_event("advisers.training_recorded", actor=acting_user, obj=record)
    return record


# --- 法律明白人 -------------------------------------------------------------------------------


def _may_keep_liaisons(user: User, village: Region) -> bool:
    adviser = active_adviser(village)
    return supervises(user, village) or (adviser is not None and serves(user, adviser))


def add_liaison(
    village_id: Any, name: str, phone: str, role: str, trained_on: Any = None, *, acting_user: User
) -> LegalLiaison:
    village = _village(village_id)
    if not _may_keep_liaisons(acting_user, village):
        raise PermissionDenied("只有主管该村（居）的司法所或其法律顾问可以登记法律明白人。")
    name = clean_text(name, 50, "name", "姓名")
    phone = clean_phone(phone, "phone")
    role = clean_choice(role, LiaisonRole.values, "role", "身份")
    trained = _date(trained_on, "trained_on", "培训日期") if trained_on else None
    with transaction.atomic():
        liaison = LegalLiaison.objects.create(
            village=village, name=name, phone=phone, role=role, trained_on=trained,
            recorded_by=acting_user,
        )  # fmt: skip
        record_event(
            "advisers.liaison_added",
            actor=acting_user,
            obj=liaison,
            detail={"village": village.code},
        )
    return liaison


def liaison_leaves(liaison: LegalLiaison, *, acting_user: User) -> LegalLiaison:
    if not _may_keep_liaisons(acting_user, liaison.village):
        raise PermissionDenied("只有主管该村（居）的司法所或其法律顾问可以进行此操作。")
    with transaction.atomic():
        liaison = lock(liaison)
        if liaison.left_on is not None:
            raise Conflict("该法律明白人已退出。", code="already_ended")
        liaison.left_on = timezone.localdate()
        liaison.save(update_fields=["left_on"])
        record_event("advisers.liaison_left", actor=acting_user, obj=liaison)
    return liaison


def raise_matter(liaison: LegalLiaison, text: str, *, acting_user: User) -> LiaisonMatter:
    """A 法律明白人 raises a matter to the village's adviser (BJ-list 一(十) 协作机制); recorded by
    the township office or the adviser, it shows in the liaison's record and the adviser's
    queue until a ledger entry answers it."""
    if not _may_keep_liaisons(acting_user, liaison.village):
        raise PermissionDenied("只有主管该村（居）的司法所或其法律顾问可以登记事项。")
    text = clean_text(text, MAX_TEXT, "text", "事项")
    with transaction.atomic():
        liaison = lock(liaison)  # the caller's copy may predate the liaison's leaving
        if liaison.left_on is not None:
            raise Conflict("该法律明白人已退出。", code="already_ended")
        adviser = active_adviser(liaison.village)
        if adviser is None:
            raise Conflict("该村（居）暂未配备法律顾问。", code="no_adviser")
        matter = LiaisonMatter.objects.create(
            liaison=liaison, adviser=adviser, text=text, raised_by=acting_user
        )
        record_event("advisers.matter_raised", actor=acting_user, obj=matter)
    return matter


def record_households(
    village_id: Any, households: Any, year: Any, source: str, *, acting_user: User
) -> VillageHouseholds:
    """户数 of a village from a named source, for the 每20户1名 check (SJZ 四(一)1)."""
    village = _village(village_id)
    _require_supervisor(acting_user, village)
    count = _int(households, "households", "户数", least=1, most=1_000_000)
    y = _int(year, "year", "年份", least=2000, most=2100)
    source = clean_text(source, 200, "source", "数据来源")
    with transaction.atomic():
        row, _ = VillageHouseholds.objects.update_or_create(
            village=village, defaults={"households": count, "year": y, "source": source}
        )
        record_event("advisers.households_recorded", actor=acting_user, obj=row)
    return row
