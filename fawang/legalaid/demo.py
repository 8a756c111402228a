"""DEMO ONLY: the legal-aid pool of 朝阳区法律援助中心 and a few applications and cases in
various states, made through the services (idempotent: a second run creates nothing)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from fawang.audit.services import record_event
from fawang.core.errors import InvalidInput
from fawang.core.jobs import withheld
from fawang.core.models import (
    Institution,
    InstitutionKind,
    Practitioner,
    PractitionerKind,
    PractitionerStatus,
    User,
)
from fawang.core.personal_data import id_check_character
from fawang.core.tasks import SMS_TASKS
from fawang.legalaid import services
from fawang.legalaid.models import AidApplication, LetterStatus, OrganLetter, ProviderPoolMember
from fawang.legalaid.organs import deliver_letters_job

CENTRE_NAME = "朝阳区法律援助中心"
KEY_PREFIX = "demo-legalaid-"
JIANWAI = "110105001000"
POOL_SIZE = 8
PUBLIC_SECTOR_EVERY = 3  # one in three demo pool members is a public-sector lawyer
PDF = b"%PDF-1.4\n% fawang demo document\n"


def _id_number(seq: int) -> str:
    first17 = f"11010519850315{seq:03d}"
    return first17 + id_check_character(first17)


def build_demo_legal_aid() -> dict[str, int]:
    if settings.MODE != "demo":
        raise InvalidInput("演示数据只能在演示模式（FAWANG_MODE=demo）下生成。")
    centre = Institution.objects.filter(
        kind=InstitutionKind.LEGAL_AID_CENTRE, name=CENTRE_NAME
    ).first()
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=[
                "demo-legal-aid-officer",
                "demo-citizen",
                "demo-lawyer",
                "demo-supervisor-district",
            ]
        ).select_related("region", "institution__region")
    }
    if centre is None or len(users) < 4:
        return {"pool": 0, "applications": 0}
    # Nothing about invented cases may leave the platform: the SMS are never queued, and the
    # letters to notifying organs (法律援助法 第三十六条) are kept, marked as never to be sent.
    with transaction.atomic(), withheld(*SMS_TASKS, deliver_letters_job):
        pool = _ensure_pool(centre, users["demo-legal-aid-officer"], users["demo-lawyer"])
        applications = 0
        if not AidApplication.objects.filter(
            work_order__idempotency_key__startswith=KEY_PREFIX
        ).exists():
            applications = _build_cases(users)
            OrganLetter.objects.filter(status=LetterStatus.PENDING).update(
                status=LetterStatus.FAILED, last_error="演示数据：不发往办案机关"
            )
        if pool or applications:
            record_event(
                "demo.legalaid",
                actor="fawang demo",
                detail={"pool": pool, "applications": applications},
            )
    return {"pool": pool, "applications": applications}


def _ensure_pool(centre: Institution, officer: User, demo_lawyer: User) -> int:
    practitioner = Practitioner.objects.filter(user=demo_lawyer).first()
    others = Practitioner.objects.filter(
        kind__in=[PractitionerKind.LAWYER, PractitionerKind.BASIC_LEGAL_WORKER],
        status=PractitionerStatus.PRACTISING,
        institution__region__path__startswith=centre.region.path,
    ).order_by("licence_number")
    wanted = ([practitioner] if practitioner else []) + [
        p for p in others[: POOL_SIZE + 1] if p != practitioner
    ][: POOL_SIZE - 1]
    present = set(
        ProviderPoolMember.objects.filter(centre=centre).values_list("practitioner_id", flat=True)
    )
    created = 0
    for index, candidate in enumerate(wanted):
        if candidate.pk in present:
            continue
        services.add_pool_member(
            centre,
            candidate,
            acting_user=officer,
            is_public_sector_lawyer=index % PUBLIC_SECTOR_EVERY == 1,
            # Every other demo lawyer has criminal-defence practice on record (法律援助法 第二十六条).
            criminal_practice_since=candidate.practising_since if index % 2 == 0 else None,
        )
        created += 1
    return created


def _apply(citizen: User, key: str, **values: object) -> AidApplication:
    data = {
        "matter_type": "labour_remuneration",
        "facts": "在朝阳区一家餐馆打工，老板拖欠三个月工资，多次讨要未果。",
        "applicant_name": citizen.full_name or "张秀兰",
        "applicant_id_number": _id_number(101),
        "region_code": JIANWAI,
        "opposing_party": "北京某某餐饮有限公司",
        "household_size": 3,
        "household_monthly_income": "4800",
        "household_assets": "30000",
        "honesty_pledge": True,
        "idempotency_key": KEY_PREFIX + key,
    }
    data.update(values)
    return services.submit_application(services.ApplicationInput(**data), acting_user=citizen)  # type: ignore[arg-type]


def _build_cases(users: dict[str, User]) -> int:
    citizen, officer = users["demo-citizen"], users["demo-legal-aid-officer"]
    supervisor, lawyer = users["demo-supervisor-district"], users["demo-lawyer"]
    _apply(citizen, "pending")
    refused = _apply(
        citizen,
        "refused",
        matter_type="maintenance",
        facts="前夫不支付孩子抚养费。",
        household_size=2,
        household_monthly_income="12000",
        opposing_party="李某",
    )
    services.decide_application(refused, approve=False, reasons="", acting_user=officer)
    approved = _apply(
        citizen,
        "assigned",
        matter_type="personal_injury",
        facts="孩子在小区游乐设施受伤，物业拒绝赔偿。",
        full_follow_groups=("minor",),
        opposing_party="北京某某物业管理有限公司",
    )
    services.decide_application(approved, approve=True, reasons="", acting_user=officer)
    member = ProviderPoolMember.objects.filter(practitioner__user=lawyer).first()
    case = services.assign_case(approved.case, acting_user=officer, provider=member)
    services.record_milestone(
        case,
        kind="met_client",
        occurred_on=timezone.localdate(),
        note="与受援人及监护人面谈",
        acting_user=lawyer,
    )
    services.receive_notice(
        services.NoticeInput(
            source="court",
            organ_name="北京市朝阳区人民法院",
            document_number="（2026）京0105刑初9001号",
            recipient_name="赵某",
            region_code=JIANWAI,
            charge="盗窃罪",
            received_at=timezone.now() - timedelta(days=1),
        ),
        acting_user=officer,
    )
    if member is not None:
        _closed_notice(officer, supervisor, member, timezone.now() - timedelta(days=2))
    return 3


def _closed_notice(
    officer: User, supervisor: User, member: ProviderPoolMember, received: datetime
) -> None:
    case = services.receive_notice(
        services.NoticeInput(
            source="procuratorate",
            organ_name="北京市朝阳区人民检察院",
            document_number="京朝检刑援〔2026〕8001号",
            recipient_name="钱某",
            region_code=JIANWAI,
            charge="危险驾驶罪",
            received_at=received,
        ),
        acting_user=officer,
    )
    case = services.assign_case(case, acting_user=officer, provider=member)
    provider_user = member.practitioner.user
    if provider_user is None:
        return
    for kind in ("closing_report", "judgment"):
        services.upload_document(
            SimpleUploadedFile(f"{kind}.pdf", PDF, content_type="application/pdf"),
            kind=kind,
            case=case,
            acting_user=provider_user,
        )
    services.close_case(case, summary="认罪认罚，判处拘役", acting_user=provider_user)
    services.review_case(case, method="peer", score=86, acting_user=supervisor)
