"""Lawyer-line use cases. Each verb checks who acts, validates, writes in one transaction and
audits. Rules and their sources are in docs/lawyers.md."""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from fawang.audit.services import record_event
from fawang.core.errors import Conflict, InvalidInput, PermissionDenied
from fawang.core.models import (
    SUPERVISOR_ROLES,
    Institution,
    InstitutionKind,
    Practitioner,
    PractitionerKind,
    Region,
    Role,
    User,
)
from fawang.core.rows import lock
from fawang.core.validation import clean_choice, clean_text
from fawang.lawyers.models import (
    ActivityKind,
    AnnualReview,
    AppealStatus,
    CreditAppeal,
    CreditKind,
    CreditRecord,
    CreditStatus,
    FirmPairing,
    FirmProfile,
    FirmType,
    ForeignTalent,
    GroupKind,
    HoursStatus,
    LawyerKind,
    LawyerProfile,
    Obstruction,
    OrganKind,
    Placement,
    ReportStatus,
    ReviewResult,
    RightsReport,
    ServiceActivity,
    ServiceGroup,
    ServiceHours,
)
from fawang.lawyers.policy import lawyers_policy
from fawang.policy.deadlines import deadline

FIRM_KINDS = (InstitutionKind.LAW_FIRM, InstitutionKind.BASIC_LEGAL_SERVICE)
PERSON_KINDS = (PractitionerKind.LAWYER, PractitionerKind.BASIC_LEGAL_WORKER)
MAX_HOURS_PER_ACTIVITY = Decimal(24)

# --- who may act ------------------------------------------------------------------------------


def supervises(user: User, region: Region | None) -> bool:
    return (
        user.role in SUPERVISOR_ROLES
        and user.region is not None
        and region is not None
        and user.region.contains(region)
    )


def _require_supervisor(user: User, region: Region) -> None:
    if not supervises(user, region):
        raise PermissionDenied("只有主管该地区的司法行政机关可以进行此操作。")


def own_practitioner(user: User) -> Practitioner:
    """The lawyer (or basic legal service worker) the account belongs to."""
    person = (
        Practitioner.objects.filter(user=user, kind__in=PERSON_KINDS)
        .select_related("institution__region")
        .first()
    )
    if user.role != Role.LAWYER or person is None:
        raise PermissionDenied("只有执业律师（基层法律服务工作者）本人可以进行此操作。")
    return person


def is_firm_admin(user: User) -> bool:
    if user.role != Role.LAWYER:
        return False
    return LawyerProfile.objects.filter(practitioner__user=user, is_firm_admin=True).exists()


def _firm(institution_id: Any, field: str = "institution_id") -> Institution:
    found = (
        Institution.objects.filter(pk=_id(institution_id, field, "机构"), kind__in=FIRM_KINDS)
        .select_related("region")
        .first()
    )
    if found is None:
        raise InvalidInput("所选律师事务所（基层法律服务所）不存在。", code="unknown", field=field)
    return found


def _person(practitioner_id: Any, field: str = "practitioner_id") -> Practitioner:
    found = (
        Practitioner.objects.filter(pk=_id(practitioner_id, field, "人员"), kind__in=PERSON_KINDS)
        .select_related("institution__region")
        .first()
    )
    if found is None:
        raise InvalidInput("所选律师（基层法律服务工作者）不存在。", code="unknown", field=field)
    return found


def _id(value: Any, field: str, label: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise InvalidInput(f"请选择{label}。", code="required", field=field) from None


def _day(value: Any, field: str, label: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise InvalidInput(f"请按“年-月-日”填写{label}。", code="bad_date", field=field) from None


def _region(code: Any, field: str = "region_code") -> Region:
    found = Region.objects.filter(code=str(code or "").strip()).first()
    if found is None:
        raise InvalidInput("请选择所在地区。", code="required", field=field)
    return found


# --- annual inspection and assessment ---------------------------------------------------------


def confirmed_hours(practitioner_id: int, year: int) -> Decimal:
    rows = ServiceHours.objects.filter(
        practitioner_id=practitioner_id,
        status=HoursStatus.CONFIRMED,
        activity__held_on__year=year,
    ).values_list("hours", flat=True)
    return sum(rows, Decimal(0))


def record_review(
    *,
    year: Any,
    result: str,
    acting_user: User,
    institution_id: Any = None,
    practitioner_id: Any = None,
    spot_checked: bool = False,
    party_building_standard: bool = False,
    note: str = "",
) -> AnnualReview:
    """年度检查考核 (BJ-measures 18: 公共法律服务情况纳入律师执业年度考核和律师事务所年度检查考核).
    A lawyer's assessment carries the year's confirmed public-interest hours (BJ-35)."""
    year_n = _id(year, "year", "年度")
    if not 2000 <= year_n <= timezone.localdate().year:
        raise InvalidInput("年度不正确。", code="bad_year", field="year")
    result = clean_choice(result, ReviewResult.values, "result", "考核结果")
    person = _person(practitioner_id) if practitioner_id else None
    firm = person.institution if person else _firm(institution_id)
    _require_supervisor(acting_user, firm.region)
    review = AnnualReview(
        year=year_n,
        institution=None if person else firm,
        practitioner=person,
        region=firm.region,
        result=result,
        spot_checked=bool(spot_checked),
        party_building_standard=bool(party_building_standard) and person is None,
        public_interest_hours=confirmed_hours(person.pk, year_n) if person else Decimal(0),
        note=clean_text(note, 500, "note", "说明", required=False),
        decided_by=acting_user,
    )
    try:
        with transaction.atomic():
            review.save()
            record_event(
                "lawyers.review_recorded",
                actor=acting_user,
                obj=review,
                detail={"year": year_n, "result": result, "spot_checked": review.spot_checked},
            )
    except IntegrityError:
        raise Conflict("该年度的检查考核结果已经登记。", code="already_recorded") from None
    return review


# --- credit archive ---------------------------------------------------------------------------


def record_credit(
    *,
    kind: str,
    title: str,
    basis: str,
    decided_on: Any,
    acting_user: User,
    institution_id: Any = None,
    practitioner_id: Any = None,
) -> CreditRecord:
    """诚信电子档案 (北京律师行业规划 12): the record is public until its kind's disclosure period
    from the pack has run from the decision date."""
    kind = clean_choice(kind, CreditKind.values, "kind", "记录类别")
    person = _person(practitioner_id) if practitioner_id else None
    firm = person.institution if person else _firm(institution_id)
    _require_supervisor(acting_user, firm.region)
    decided = _day(decided_on, "decided_on", "决定日期")
    if decided > timezone.localdate():
        raise InvalidInput("决定日期不能晚于今天。", code="bad_date", field="decided_on")
    days = lawyers_policy(firm.region).disclosure_days[kind]
    with transaction.atomic():
        record = CreditRecord.objects.create(
            kind=kind,
            institution=None if person else firm,
            practitioner=person,
            region=firm.region,
            title=clean_text(title, 200, "title", "事项"),
            basis=clean_text(basis, 300, "basis", "依据"),
            decided_on=decided,
            disclose_until=decided + timedelta(days=days),
            recorded_by=acting_user,
        )
        record_event(
            "lawyers.credit_recorded", actor=acting_user, obj=record, detail={"kind": kind}
        )
    return record


def correct_credit(record: CreditRecord, *, title: str, basis: str, acting_user: User) -> None:
    """更正: the bureau corrects the wording of a record; the event keeps the old text."""
    _require_supervisor(acting_user, record.region)
    with transaction.atomic():
        row = lock(record)
        if row.status == CreditStatus.REVOKED:
            raise Conflict("该记录已撤销，不能更正。", code="bad_state")
        before = {"title": row.title, "basis": row.basis}
        row.title = clean_text(title, 200, "title", "事项")
        row.basis = clean_text(basis, 300, "basis", "依据")
        row.status = CreditStatus.CORRECTED
        row.save(update_fields=["title", "basis", "status"])
        record_event(
            "lawyers.credit_corrected", actor=acting_user, obj=row, detail={"before": before}
        )


def _may_appeal(user: User, record: CreditRecord) -> bool:
    if record.practitioner_id is not None:
        return record.practitioner is not None and record.practitioner.user_id == user.pk
    return is_firm_admin(user) and user.institution_id == record.institution_id


def appeal_credit(record: CreditRecord, reason: str, *, acting_user: User) -> CreditAppeal:
    if not _may_appeal(acting_user, record):
        raise PermissionDenied("只有记录所涉律师或律所管理人可以提出异议。")
    text = clean_text(reason, 2000, "reason", "异议理由")
    with transaction.atomic():
        lock(record)
        if record.appeals.filter(status=AppealStatus.PENDING).exists():
            raise Conflict("该记录已有待复核的异议。", code="already_pending")
        appeal = CreditAppeal.objects.create(record=record, filed_by=acting_user, reason=text)
        record_event("lawyers.credit_appealed", actor=acting_user, obj=appeal)
    return appeal


def decide_appeal(appeal: CreditAppeal, upheld: bool, answer: str, *, acting_user: User) -> None:
    """An upheld appeal revokes the record: it leaves the public page at once."""
    _require_supervisor(acting_user, appeal.record.region)
    text = clean_text(answer, 2000, "answer", "复核意见")
    with transaction.atomic():
        row = lock(appeal)
        if row.status != AppealStatus.PENDING:
            raise Conflict("该异议已经复核。", code="already_decided")
        row.status = AppealStatus.UPHELD if upheld else AppealStatus.REJECTED
        row.answer, row.decided_by, row.decided_at = text, acting_user, timezone.now()
        row.save(update_fields=["status", "answer", "decided_by", "decided_at"])
        if upheld:
            CreditRecord.objects.filter(pk=row.record_id).update(status=CreditStatus.REVOKED)
        record_event(
            "lawyers.appeal_decided", actor=acting_user, obj=row, detail={"upheld": upheld}
        )


# --- service groups, activities, placements ---------------------------------------------------


def create_group(
    *, name: str, kind: str, region_code: Any, member_ids: list[Any], acting_user: User
) -> ServiceGroup:
    region = _region(region_code)
    _require_supervisor(acting_user, region)
    kind = clean_choice(kind, GroupKind.values, "kind", "服务团类别")
    name = clean_text(name, 100, "name", "名称")
    members = [_person(pk, "member_ids") for pk in member_ids]
    if ServiceGroup.objects.filter(name=name).exists():
        raise Conflict("已有同名的服务团。", code="duplicate")
    with transaction.atomic():
        group = ServiceGroup.objects.create(
            name=name, kind=kind, region=region, created_by=acting_user
        )
        group.members.set(members)
        record_event(
            "lawyers.group_created", actor=acting_user, obj=group, detail={"members": len(members)}
        )
    return group


def create_activity(
    *,
    kind: str,
    title: str,
    held_on: Any,
    region_code: Any,
    place: str,
    acting_user: User,
    served: Any = 0,
    enterprises: list[str] | None = None,
    group_id: Any = None,
) -> ServiceActivity:
    """The organiser (a bureau) records the activity; lawyers log hours against it. A 法治体检
    (SJZ 四 23) names the enterprises served."""
    region = _region(region_code)
    _require_supervisor(acting_user, region)
    kind = clean_choice(kind, ActivityKind.values, "kind", "活动类型")
    day = _day(held_on, "held_on", "活动日期")
    if day > timezone.localdate():
        raise InvalidInput("活动日期不能晚于今天。", code="bad_date", field="held_on")
    firms = [clean_text(e, 100, "enterprises", "企业名称") for e in enterprises or [] if e.strip()]
    if kind == ActivityKind.HEALTH_CHECK and not firms:
        raise InvalidInput("“法治体检”请填写服务的企业。", code="required", field="enterprises")
    group = None
    if group_id:
        group = ServiceGroup.objects.filter(pk=_id(group_id, "group_id", "服务团")).first()
        if group is None:
            raise InvalidInput("所选服务团不存在。", code="unknown", field="group_id")
    elif kind == ActivityKind.SERVICE_GROUP:
        raise InvalidInput("公益服务团活动请选择服务团。", code="required", field="group_id")
    try:
        served_n = int(served or 0)
    except (TypeError, ValueError):
        raise InvalidInput("服务人次应为整数。", code="bad_number", field="served") from None
    if served_n < 0:
        raise InvalidInput("服务人次不能为负数。", code="bad_number", field="served")
    with transaction.atomic():
        activity = ServiceActivity.objects.create(
            kind=kind,
            title=clean_text(title, 200, "title", "主题"),
            held_on=day,
            region=region,
            place=clean_text(place, 200, "place", "地点"),
            served=served_n,
            enterprises=firms,
            group=group,
            organiser=acting_user,
        )
        record_event("lawyers.activity_created", actor=acting_user, obj=activity)
    return activity


def log_hours(activity_id: Any, hours: Any, note: str = "", *, acting_user: User) -> ServiceHours:
    """A lawyer logs hours against an activity; one log per lawyer and activity."""
    person = own_practitioner(acting_user)
    activity = ServiceActivity.objects.filter(pk=_id(activity_id, "activity_id", "活动")).first()
    if activity is None:
        raise InvalidInput("所选活动不存在。", code="unknown", field="activity_id")
    try:
        amount = Decimal(str(hours).strip()).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        raise InvalidInput("时长应为数字（小时）。", code="bad_number", field="hours") from None
    if not Decimal(0) < amount <= MAX_HOURS_PER_ACTIVITY:
        raise InvalidInput("时长应大于0且不超过24小时。", code="bad_number", field="hours")
    try:
        with transaction.atomic():
            row = ServiceHours.objects.create(
                practitioner=person,
                activity=activity,
                hours=amount,
                note=clean_text(note, 500, "note", "说明", required=False),
                logged_by=acting_user,
            )
            record_event(
                "lawyers.hours_logged", actor=acting_user, obj=row, detail={"hours": str(amount)}
            )
    except IntegrityError:
        raise Conflict("您已登记过该活动的时长，不能重复登记。", code="duplicate") from None
    return row


def confirm_hours(row: ServiceHours, confirmed: bool, *, acting_user: User) -> None:
    """Only the activity's organiser confirms (or refuses) the hours logged against it."""
    if row.activity.organiser_id != acting_user.pk:
        raise PermissionDenied("只有活动组织者可以确认时长。")
    with transaction.atomic():
        locked = lock(row)
        if locked.status != HoursStatus.PENDING:
            raise Conflict("该时长已经处理。", code="bad_state")
        locked.status = HoursStatus.CONFIRMED if confirmed else HoursStatus.REJECTED
        locked.confirmed_by, locked.confirmed_at = acting_user, timezone.now()
        locked.save(update_fields=["status", "confirmed_by", "confirmed_at"])
        record_event(
            "lawyers.hours_confirmed" if confirmed else "lawyers.hours_refused",
            actor=acting_user,
            obj=locked,
        )


def record_placement(
    *, practitioner_id: Any, host_firm_id: Any, starts_on: Any, ends_on: Any, acting_user: User
) -> Placement:
    """郊区青年律师到城区规模大所跟班学习 (BJ-list 一(四): 每年30名以上)."""
    person = _person(practitioner_id)
    host = _firm(host_firm_id, "host_firm_id")
    _require_supervisor(acting_user, person.institution.region)
    start = _day(starts_on, "starts_on", "开始日期")
    end = _day(ends_on, "ends_on", "结束日期")
    if end < start:
        raise InvalidInput("结束日期不能早于开始日期。", code="bad_date", field="ends_on")
    if host.pk == person.institution_id:
        raise InvalidInput("跟班学习应到其他律师事务所。", code="same_firm", field="host_firm_id")
    with transaction.atomic():
        placement = Placement.objects.create(
            practitioner=person,
            home_firm=person.institution,
            host_firm=host,
            region=person.institution.region,
            starts_on=start,
            ends_on=end,
            recorded_by=acting_user,
        )
        record_event("lawyers.placement_recorded", actor=acting_user, obj=placement)
    return placement


def pair_firms(
    *, city_firm_id: Any, suburb_firm_id: Any, since: Any, acting_user: User
) -> FirmPairing:
    city, suburb = _firm(city_firm_id, "city_firm_id"), _firm(suburb_firm_id, "suburb_firm_id")
    _require_supervisor(acting_user, suburb.region)
    if city.pk == suburb.pk:
        raise InvalidInput("结对双方不能是同一律所。", code="same_firm", field="suburb_firm_id")
    try:
        with transaction.atomic():
            pairing = FirmPairing.objects.create(
                city_firm=city,
                suburb_firm=suburb,
                since=_day(since, "since", "结对日期"),
                recorded_by=acting_user,
            )
            record_event("lawyers.firms_paired", actor=acting_user, obj=pairing)
    except IntegrityError:
        raise Conflict("这两家律所已经结对。", code="duplicate") from None
    return pairing


# --- practice-rights protection ---------------------------------------------------------------


def report_obstruction(
    *,
    obstruction: str,
    organ_kind: str,
    organ_name: str,
    region_code: Any,
    account: str,
    acting_user: User,
) -> RightsReport:
    """律师执业权利保障 (SJZ 四 12: 会见权、阅卷权、调查取证权; 北京律师行业规划 23): routed to the
    bureau of the organ's place, answered within the pack's period."""
    person = own_practitioner(acting_user)
    region = _region(region_code)
    now = timezone.now()
    with transaction.atomic():
        report = RightsReport.objects.create(
            number=f"tmp-{secrets.token_hex(8)}",
            practitioner=person,
            institution=person.institution,
            region=region,
            obstruction=clean_choice(obstruction, Obstruction.values, "obstruction", "受阻事项"),
            organ_kind=clean_choice(organ_kind, OrganKind.values, "organ_kind", "机关类别"),
            organ_name=clean_text(organ_name, 100, "organ_name", "办案机关"),
            account=clean_text(account, 2000, "account", "情况说明"),
            reported_by=acting_user,
            reported_at=now,
            answer_due_at=deadline(now, lawyers_policy(region).report_answer_period),
        )
        # The number carries the row id, so concurrent reports never collide.
        report.number = f"QB{timezone.localdate(now):%Y%m%d}{report.pk:06d}"
        report.save(update_fields=["number"])
        record_event("lawyers.report_received", actor=acting_user, obj=report)
    return report


def answer_report(report: RightsReport, answer: str, *, acting_user: User) -> None:
    _require_supervisor(acting_user, report.region)
    text = clean_text(answer, 2000, "answer", "处理答复")
    with transaction.atomic():
        row = lock(report)
        if row.status == ReportStatus.ANSWERED:
            raise Conflict("该申请已经答复。", code="already_decided")
        row.status, row.answer = ReportStatus.ANSWERED, text
        row.answered_by, row.answered_at = acting_user, timezone.now()
        row.save(update_fields=["status", "answer", "answered_by", "answered_at"])
        record_event(
            "lawyers.report_answered",
            actor=acting_user,
            obj=row,
            detail={"late": row.answered_at > row.answer_due_at},
        )


def escalate_overdue(now: datetime | None = None) -> int:
    """Open reports past their answer deadline go to the city bureau (status 逾期已提级)."""
    now = now or timezone.now()
    count = 0
    for pk in RightsReport.objects.filter(
        status=ReportStatus.OPEN, answer_due_at__lt=now
    ).values_list("pk", flat=True):
        with transaction.atomic():
            row = lock(RightsReport, pk)
            if row.status != ReportStatus.OPEN:
                continue
            row.status, row.escalated_at = ReportStatus.ESCALATED, now
            row.save(update_fields=["status", "escalated_at"])
            record_event("lawyers.report_escalated", actor="fawang scheduler", obj=row)
            count += 1
    return count


# --- firm and lawyer profiles -----------------------------------------------------------------


def _count(value: Any, field: str, label: str) -> int:
    try:
        number = int(value or 0)
    except (TypeError, ValueError):
        raise InvalidInput(f"{label}应为整数。", code="bad_number", field=field) from None
    if number < 0:
        raise InvalidInput(f"{label}不能为负数。", code="bad_number", field=field)
    return number


def save_firm_profile(
    institution_id: Any,
    *,
    firm_type: str,
    party_members: Any,
    party_instructor: str,
    foreign_branches: Any,
    international_leading: bool,
    acting_user: User,
) -> FirmProfile:
    """The bureau keeps the firm's type, party members and instructor (BJ-list 一(一)), overseas
    branches (规划 一(四)) and the 国际一流 flag (SJZ 专栏1 第10项)."""
    firm = _firm(institution_id)
    _require_supervisor(acting_user, firm.region)
    values = {
        "firm_type": clean_choice(firm_type, FirmType.values, "firm_type", "机构类型"),
        "party_members": _count(party_members, "party_members", "党员律师人数"),
        "party_instructor": clean_text(
            party_instructor, 50, "party_instructor", "党建工作指导员", required=False
        ),
        "foreign_branches": _count(foreign_branches, "foreign_branches", "境外分支机构数"),
        "international_leading": bool(international_leading),
    }
    with transaction.atomic():
        profile, _ = FirmProfile.objects.update_or_create(institution=firm, defaults=values)
        record_event(
            "lawyers.profile_saved", actor=acting_user, obj=profile, detail={"firm": firm.pk}
        )
    return profile


def save_lawyer_profile(
    practitioner_id: Any,
    *,
    lawyer_kind: str,
    foreign_related: bool,
    jurisdictions: list[str],
    foreign_talent: str,
    is_firm_admin: bool,
    acting_user: User,
) -> LawyerProfile:
    person = _person(practitioner_id)
    _require_supervisor(acting_user, person.institution.region)
    places = [clean_text(j, 30, "jurisdictions", "法域") for j in jurisdictions if j.strip()]
    values = {
        "lawyer_kind": clean_choice(lawyer_kind, LawyerKind.values, "lawyer_kind", "律师类别"),
        "foreign_related": bool(foreign_related),
        "jurisdictions": places,
        "foreign_talent": clean_choice(
            foreign_talent, ForeignTalent.values, "foreign_talent", "涉外人才层次"
        ),
        "is_firm_admin": bool(is_firm_admin),
    }
    with transaction.atomic():
        profile, _ = LawyerProfile.objects.update_or_create(practitioner=person, defaults=values)
        record_event(
            "lawyers.profile_saved", actor=acting_user, obj=profile, detail={"person": person.pk}
        )
    return profile
