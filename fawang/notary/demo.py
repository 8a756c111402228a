"""DEMO ONLY: the office calendars of the Beijing notary offices (weekday, weekend, circuit and
periodic sessions), the demo notary as head of his office with a second notary for approvals,
and matters in every state made through the services (idempotent: a second run creates
nothing new)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from fawang.audit.services import record_event
from fawang.core.demo.accounts import demo_totp_key
from fawang.core.demo.data import DEMO_PASSWORD, TOTP_DEVICE_NAME
from fawang.core.errors import InvalidInput
from fawang.core.jobs import withheld
from fawang.core.models import (
    Institution,
    Practitioner,
    PractitionerKind,
    PractitionerStatus,
    Role,
    User,
)
from fawang.core.personal_data import id_check_character
from fawang.core.tasks import SMS_TASKS
from fawang.notary import services
from fawang.notary.catalogue import BY_CODE, materials_for
from fawang.notary.models import NotarialMatter, OfficeHead, Slot, SlotKind
from fawang.notary.selectors import active_offices
from fawang.policy.workdays import is_workday

KEY_PREFIX = "demo-notary-"
SECOND_NOTARY = "demo-notary-second"
REMOTE_DISTRICTS = ("门头沟", "房山", "怀柔", "平谷", "密云", "延庆")
PDF = b"%PDF-1.4\n% fawang demo document\n"


def _id_number(seq: int) -> str:
    first17 = f"11010119860412{seq:03d}"
    return first17 + id_check_character(first17)


def build_demo_notary() -> dict[str, int]:
    if settings.MODE != "demo":
        raise InvalidInput("演示数据只能在演示模式（FAWANG_MODE=demo）下生成。")
    notary = User.objects.filter(username="demo-notary").select_related("institution").first()
    citizen = User.objects.filter(username="demo-citizen").first()
    if notary is None or notary.institution is None or citizen is None:
        return {"slots": 0, "matters": 0}
    with transaction.atomic(), withheld(*SMS_TASKS):
        OfficeHead.objects.get_or_create(office=notary.institution, defaults={"user": notary})
        second = _second_notary(notary.institution)
        slots = _calendars()
        matters = 0
        if not NotarialMatter.objects.filter(
            work_order__idempotency_key__startswith=KEY_PREFIX
        ).exists():
            matters = _matters(notary, second, citizen)
        if slots or matters:
            record_event(
                "demo.notary", actor="fawang demo", detail={"slots": slots, "matters": matters}
            )
    return {"slots": slots, "matters": matters}


def _second_notary(office: Institution) -> User | None:
    """A second notary of the demo office, for the approvals the rules ask."""
    user = User.objects.filter(username=SECOND_NOTARY).first()
    if user is not None:
        return user
    person = (
        Practitioner.objects.filter(
            institution=office,
            kind=PractitionerKind.NOTARY,
            status=PractitionerStatus.PRACTISING,
            user__isnull=True,
        )
        .order_by("pk")
        .first()
    )
    if person is None:
        return None
    user = User.objects.create(
        username=SECOND_NOTARY,
        password=make_password(DEMO_PASSWORD),
        role=Role.NOTARY,
        full_name=person.name,
        region=office.region,
        institution=office,
    )
    person.user = user
    person.save(update_fields=["user"])
    TOTPDevice.objects.create(
        user=user, name=TOTP_DEVICE_NAME, key=demo_totp_key(user.username), confirmed=True
    )
    return user


def _at(day: datetime, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day.date(), time(hour)))


def _calendars() -> int:
    """Two weeks ahead: weekday sessions, 周末不打烊 on Saturdays, circuit and periodic sessions
    in the remote districts (BJ-measures 19–20)."""
    now = timezone.localtime()
    created = 0
    for office in active_offices().select_related("region"):
        if Slot.objects.filter(office=office, starts_at__gt=now).exists():
            continue
        remote = any(name in office.region.name for name in REMOTE_DISTRICTS)
        rows = []
        for offset in range(1, 15):
            day = now + timedelta(days=offset)
            if is_workday(day.date()):
                for hour in (9, 14):
                    rows.append(
                        Slot(
                            office=office,
                            kind=SlotKind.REGULAR,
                            starts_at=_at(day, hour),
                            ends_at=_at(day, hour + 3),
                            place=f"{office.name}办证大厅",
                            capacity=6,
                        )
                    )
            elif day.weekday() == 5:
                rows.append(
                    Slot(
                        office=office,
                        kind=SlotKind.WEEKEND,
                        starts_at=_at(day, 9),
                        ends_at=_at(day, 12),
                        place=f"{office.name}（周末不打烊）",
                        capacity=8,
                    )
                )
        if remote:
            rows.append(
                Slot(
                    office=office,
                    kind=SlotKind.CIRCUIT,
                    starts_at=_at(now + timedelta(days=4), 9),
                    ends_at=_at(now + timedelta(days=4), 16),
                    place=f"{office.region.name}山区乡镇便民服务中心（巡回办证）",
                    capacity=12,
                )
            )
            rows.append(
                Slot(
                    office=office,
                    kind=SlotKind.PERIODIC,
                    starts_at=_at(now + timedelta(days=10), 9),
                    ends_at=_at(now + timedelta(days=10), 12),
                    place=f"{office.region.name}公共法律服务中心（每月定期办证）",
                    capacity=10,
                )
            )
        Slot.objects.bulk_create(rows)
        created += len(rows)
    return created


def _files(matter_type: str, *, abroad: bool = False, skip: tuple[str, ...] = ()) -> dict:
    return {
        item: SimpleUploadedFile(f"{item}.pdf", PDF, content_type="application/pdf")
        for item, _ in materials_for(BY_CODE[matter_type], abroad=abroad)
        if item not in skip
    }


def _apply(
    citizen: User, office: Institution, n: int, matter_type: str, purpose: str, **extra: object
) -> NotarialMatter:
    values: dict = {
        "matter_type": matter_type,
        "office_id": office.pk,
        "purpose": purpose,
        "applicant_name": citizen.full_name or "张秀兰",
        "applicant_id_number": _id_number(n),
        "applicant_phone": "13800138000",
        "files": _files(matter_type),
        "idempotency_key": f"{KEY_PREFIX}{n}",
    }
    values.update(extra)
    return services.submit_application(services.ApplicationIn(**values), acting_user=citizen)


def _matters(notary: User, second: User | None, citizen: User) -> int:
    office = notary.institution
    assert office is not None
    # 1. Complete and waiting for acceptance.
    _apply(citizen, office, 1, "birth", "子女办理入学")
    # 2. Two items missing: the one notice.
    _apply(
        citizen,
        office,
        2,
        "succession",
        "继承父亲名下房产",
        files=_files("succession", skip=("death_cert", "heirs_list")),
    )
    # 3. Accepted, verified, clock paused for an outside verification.
    entrust = _apply(citizen, office, 3, "entrustment", "委托亲属办理房产过户")
    services.accept(entrust, acting_user=notary)
    services.record_verification(
        entrust, "受托人身份", "data_exchange", True, "经公安人口信息核查一致", acting_user=notary
    )
    services.pause(entrust, "verification", "赴房屋登记机构核实权属", acting_user=notary)
    # 4. For use in the USA (apostille), issued online and delivered electronically.
    education = _apply(
        citizen,
        office,
        4,
        "education",
        "赴美留学",
        destination="美国",
        with_authentication=True,
        files=_files("education", abroad=True),
    )
    _through_issue(education, notary)
    services.deliver(education, "electronic", acting_user=notary)
    # 5. A will: one visit, second-notary approval, issued, delivered, archived.
    if second is not None:
        will = _apply(citizen, office, 5, "will", "订立遗嘱")
        services.accept(will, acting_user=notary)
        services.record_visit(will, "本人到场签署遗嘱、核验身份", acting_user=notary)
        services.conclude_review(will, acting_user=notary)
        services.approve(will, acting_user=second)
        services.record_payment(will, acting_user=notary)
        services.issue_certificate(will, acting_user=notary)
        services.deliver(will, "pick_up", acting_user=notary)
        services.archive(will, acting_user=notary)
    # 6. Issued, then revoked.
    marital = _apply(citizen, office, 6, "marital_status", "办理签证", fee_group="special")
    _through_issue(marital, notary)
    certificate = NotarialMatter.objects.get(pk=marital.pk).certificate
    services.revoke_certificate(
        certificate, "当事人婚姻状况已变更，公证书内容与事实不符", acting_user=notary
    )
    # A complaint about the office.
    services.file_complaint(
        office.pk, "周末预约时段太少，希望增加。", matter_code=marital.code, acting_user=citizen
    )
    return 6 if second is not None else 5


def _through_issue(matter: NotarialMatter, notary: User) -> None:
    services.accept(matter, acting_user=notary)
    services.conclude_review(matter, acting_user=notary)
    if not services.fee_settled(NotarialMatter.objects.get(pk=matter.pk)):
        services.record_payment(matter, acting_user=notary)
    services.issue_certificate(matter, acting_user=notary)
