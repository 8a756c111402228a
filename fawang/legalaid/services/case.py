"""The case's course: milestones, documents, closing, hearing attendance, recipient visits."""

from __future__ import annotations

from datetime import date
from pathlib import PurePath

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from fawang.audit.services import record_event
from fawang.core.errors import Conflict, InvalidInput, PermissionDenied
from fawang.core.models import User
from fawang.core.rows import lock
from fawang.core.transitions import check_transition
from fawang.core.validation import clean_text
from fawang.legalaid.models import (
    AidApplication,
    AidCase,
    AidDocument,
    Assignment,
    DocumentKind,
    HearingAttendance,
    Milestone,
    MilestoneKind,
    RecipientVisit,
)
from fawang.legalaid.policy import policy_for_region
from fawang.legalaid.services._common import (
    CASE_FLOW,
    MAX_NOTE,
    MAX_TEXT,
    _choice,
    _require_officer_or_supervisor,
    _require_provider,
    is_officer_of,
    is_provider_of,
    tell_order,
)

ALLOWED_UPLOAD_TYPES = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
}


def _past_or_today(day: date | None, field: str, label: str) -> date:
    if day is None:
        raise InvalidInput(f"请填写{label}。", code="required", field=field)
    if day > timezone.localdate():
        raise InvalidInput(f"{label}不能晚于今天。", code="future_date", field=field)
    return day


# --- the provider's work -------------------------------------------------------------------


def record_milestone(
    case: AidCase, *, kind: str, occurred_on: date | None, note: str = "", acting_user: User
) -> Milestone:
    _require_provider(acting_user, case)
    kind = _choice(kind, MilestoneKind.values, "kind", "办案节点")
    occurred_on = _past_or_today(occurred_on, "occurred_on", "节点日期")
    note = clean_text(note, MAX_NOTE, "note", "说明", required=False)
    with transaction.atomic():
        case = lock(case)
        check_transition(CASE_FLOW, case.status, "record_milestone")
        milestone = Milestone.objects.create(
            case=case, kind=kind, occurred_on=occurred_on, note=note, recorded_by=acting_user
        )
        case.save(update_fields=["updated_at"])
        record_event(
            "legalaid.milestone_recorded",
            actor=acting_user,
            obj=case,
            detail={"number": case.number, "kind": kind},
        )
    return milestone


def upload_document(
    uploaded: UploadedFile,
    *,
    kind: str,
    acting_user: User,
    application: AidApplication | None = None,
    case: AidCase | None = None,
) -> AidDocument:
    """A supporting file (citizen on their application; provider or officer on a case)."""
    kind = _choice(kind, DocumentKind.values, "kind", "材料类别")
    if application is not None:
        allowed = application.applicant_id == acting_user.pk or is_officer_of(
            acting_user, application.centre_id
        )
        region = application.region
    elif case is not None:
        allowed = is_provider_of(acting_user, case) or is_officer_of(acting_user, case.centre_id)
        region = case.region
    else:
        raise InvalidInput("请指明材料所属的申请或案件。", code="required", field="kind")
    if not allowed:
        raise PermissionDenied("您不能为此申请或案件上传材料。")
    name = PurePath(uploaded.name or "").name[:200]
    suffix = PurePath(name).suffix.lower()
    if suffix not in ALLOWED_UPLOAD_TYPES:
        raise InvalidInput("只能上传 PDF、JPG 或 PNG 文件。", code="file_type", field="file")
    limit = policy_for_region(region).max_upload_bytes
    if not uploaded.size or uploaded.size > limit:
        raise InvalidInput(
            f"文件不能为空，且不能超过 {limit // (1024 * 1024)} MB。",
            code="file_size",
            field="file",
        )
    if not _content_matches(uploaded, suffix):
        raise InvalidInput("文件内容与扩展名不符。", code="file_type", field="file")
    with transaction.atomic():
        document = AidDocument(
            application=application,
            case=case,
            kind=kind,
            original_name=name,
            size=uploaded.size,
            uploaded_by=acting_user,
        )
        document.file.save(f"{kind}{suffix}", uploaded, save=False)
        document.save()
        record_event(
            "legalaid.document_uploaded",
            actor=acting_user,
            obj=document,
            detail={"kind": kind, "size": uploaded.size},
        )
    return document


_MAGIC = {
    ".pdf": (b"%PDF",),
    ".png": (b"\x89PNG",),
    ".jpg": (b"\xff\xd8",),
    ".jpeg": (b"\xff\xd8",),
}


def _content_matches(uploaded: UploadedFile, suffix: str) -> bool:
    uploaded.seek(0)
    head = uploaded.read(8)
    uploaded.seek(0)
    return any(head.startswith(magic) for magic in _MAGIC[suffix])


def close_case(case: AidCase, *, summary: str, acting_user: User) -> AidCase:
    """结案: only with the closing materials the pack requires."""
    _require_provider(acting_user, case)
    summary = clean_text(summary, MAX_TEXT, "summary", "结案报告")
    required = policy_for_region(case.region).closing_materials
    with transaction.atomic():
        case = lock(case)
        to_status = check_transition(CASE_FLOW, case.status, "close")
        present = set(case.documents.values_list("kind", flat=True))
        missing = [DocumentKind(kind).label for kind in required if kind not in present]
        if missing:
            raise InvalidInput(
                "结案前请上传：" + "、".join(str(label) for label in missing) + "。",
                code="missing_materials",
                field="documents",
            )
        case.status = to_status
        case.closed_at = timezone.now()
        case.closing_summary = summary
        case.save()
        Assignment.objects.filter(case=case, ended_at__isnull=True).update(ended_at=case.closed_at)
        tell_order(case.application, acting_user=acting_user)
        record_event(
            "legalaid.case_closed", actor=acting_user, obj=case, detail={"number": case.number}
        )
    return case


# --- supervision ---------------------------------------------------------------------------


def plan_hearing(
    case: AidCase, *, planned_for: date | None, court: str = "", acting_user: User
) -> HearingAttendance:
    _require_officer_or_supervisor(acting_user, case)
    if planned_for is None:
        raise InvalidInput("请填写计划旁听日期。", code="required", field="planned_for")
    court = clean_text(court, 200, "court", "法院/法庭", required=False)
    with transaction.atomic():
        hearing = HearingAttendance.objects.create(
            case=case,
            planned_for=planned_for,
            court=court,
            planned_by=acting_user,
            region=case.region,
        )
        record_event("legalaid.hearing_planned", actor=acting_user, obj=hearing)
    return hearing


def record_hearing_attendance(
    hearing: HearingAttendance, *, attended_on: date | None, observations: str, acting_user: User
) -> HearingAttendance:
    _require_officer_or_supervisor(acting_user, hearing.case)
    attended_on = _past_or_today(attended_on, "attended_on", "旁听日期")
    observations = clean_text(observations, MAX_TEXT, "observations", "旁听意见")
    with transaction.atomic():
        hearing = lock(hearing)
        if hearing.attended_on is not None:
            raise Conflict("该次旁听已记录。", code="bad_state")
        hearing.attended_on = attended_on
        hearing.attended_by = acting_user
        hearing.observations = observations
        hearing.save()
        record_event("legalaid.hearing_attended", actor=acting_user, obj=hearing)
    return hearing


def record_visit(
    case: AidCase, *, visited_on: date | None, satisfaction: int, note: str = "", acting_user: User
) -> RecipientVisit:
    _require_officer_or_supervisor(acting_user, case)
    visited_on = _past_or_today(visited_on, "visited_on", "回访日期")
    if not isinstance(satisfaction, int) or not 1 <= satisfaction <= 5:
        raise InvalidInput("满意度应为 1 至 5。", code="satisfaction", field="satisfaction")
    note = clean_text(note, MAX_NOTE, "note", "回访记录", required=False)
    with transaction.atomic():
        visit = RecipientVisit.objects.create(
            case=case,
            visited_on=visited_on,
            satisfaction=satisfaction,
            note=note,
            visited_by=acting_user,
        )
        record_event("legalaid.recipient_visited", actor=acting_user, obj=case)
    return visit
