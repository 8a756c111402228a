"""Applications from every channel, the materials list, the one notice, uploads, deadlines."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import PurePath
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from fawang.audit.services import record_event
from fawang.core.errors import Conflict, InvalidInput, PermissionDenied
from fawang.core.models import Role, User
from fawang.core.numbering import next_number
from fawang.core.personal_access import SELF_USE, read_personal_data
from fawang.core.rows import lock
from fawang.core.tasks import queue_sms_to_record
from fawang.core.taxonomy import Topic
from fawang.core.transitions import check_transition
from fawang.core.validation import clean_choice, clean_id_number, clean_phone, clean_text
from fawang.notary.catalogue import BY_CODE, DESTINATIONS, materials_for, route_for
from fawang.notary.models import (
    FeeGroup,
    MaterialItem,
    MaterialsNotice,
    NotarialMatter,
    Pause,
    PauseReason,
)
from fawang.notary.policy import notary_policy
from fawang.notary.services._common import (
    MATTER_FLOW,
    MAX_TEXT,
    active_office,
    require_applicant,
    require_notary,
)
from fawang.policy.workdays import working_days_after, working_days_between
from fawang.workorders.models import BusinessLine, Channel
from fawang.workorders.services import Intake, create_work_order

MAX_FILE_BYTES = 10 * 1024 * 1024
FILE_TYPES = {".pdf", ".jpg", ".jpeg", ".png"}
APPLICATION_CHANNELS = {
    Role.CITIZEN: Channel.WEB,
    Role.WINDOW_CLERK: Channel.WINDOW,  # incl. the notary window of a 公共法律服务中心
    Role.HOTLINE_SEAT: Channel.HOTLINE,
}


@dataclass
class ApplicationIn:
    matter_type: str
    office_id: int | None
    purpose: str
    applicant_name: str
    applicant_id_number: str
    applicant_phone: str = ""
    destination: str = ""
    with_authentication: bool = False
    fee_group: str = ""
    files: Mapping[str, UploadedFile] = field(default_factory=dict)
    idempotency_key: str = ""


def check_file(upload: UploadedFile, field_name: str) -> None:
    suffix = PurePath(upload.name or "").suffix.lower()
    if suffix not in FILE_TYPES:
        raise InvalidInput(
            _("材料文件应为 PDF、JPG 或 PNG 格式。"), code="file_type", field=field_name
        )
    if (upload.size or 0) > MAX_FILE_BYTES:
        raise InvalidInput(_("材料文件不能超过 10 MB。"), code="file_size", field=field_name)


def _clean(data: ApplicationIn, user: User) -> dict[str, Any]:
    matter_type = clean_choice(
        data.matter_type, BY_CODE, "matter_type", "公证事项", code="unknown_matter"
    )
    spec = BY_CODE[matter_type]
    office = active_office(data.office_id)
    destination = (data.destination or "").strip()
    if destination:
        if not spec.foreign_capable:
            raise InvalidInput(
                _("%(matter)s不办理涉外公证。") % {"matter": spec.display_name},
                code="not_abroad",
                field="destination",
            )
        clean_choice(destination, DESTINATIONS, "destination", "使用国家", code="unknown_country")
    if data.with_authentication and not destination:
        raise InvalidInput(_("一体联办认证须写明使用国家。"), code="required", field="destination")
    own_phone = (
        read_personal_data(user, "phone", actor=user, purpose=SELF_USE)
        if user.is_citizen and not data.applicant_phone and user.phone
        else ""
    )
    materials = materials_for(spec, abroad=bool(destination))
    known = {code for code, _ in materials}
    for item, upload in data.files.items():
        if item not in known:
            raise InvalidInput(
                _("上传的材料不在该事项的材料清单中。"),
                code="unknown_item",
                field=f"material_{item}",
            )
        check_file(upload, f"material_{item}")
    return {
        "spec": spec,
        "office": office,
        "materials": materials,
        "values": {
            "matter_type": matter_type,
            "purpose": clean_text(data.purpose, 200, "purpose", "用途"),
            "applicant_name": clean_text(data.applicant_name, 50, "applicant_name", "申请人姓名"),
            "applicant_id_number": clean_id_number(
                data.applicant_id_number, "applicant_id_number", code="id_number"
            ),
            "applicant_phone": clean_phone(data.applicant_phone or own_phone, "applicant_phone"),
            "destination": destination,
            "route": route_for(destination),
            "with_authentication": bool(data.with_authentication),
            "fee_group": clean_choice(
                data.fee_group or "",
                FeeGroup.values,
                "fee_group",
                "费用减免情形",
                code="unknown_fee_group",
            ),
        },
    }


def unified_code(office_region_code: str, moment: datetime) -> str:
    """公证业务统一登记编码: district code (6) + GZ + date (8) + serial (6). See docs/notary.md."""
    return f"{office_region_code[:6]}{next_number('GZ', moment)}"


def submit_application(data: ApplicationIn, *, acting_user: User) -> NotarialMatter:
    """Apply from the portal, the window or the hotline: a work order and the notarial matter.

    Every material not provided is told at once, in one notice (一次性告知)."""
    channel = (
        APPLICATION_CHANNELS.get(Role(acting_user.role)) if acting_user.is_authenticated else None
    )
    if channel is None:
        raise PermissionDenied(_("您的角色不能受理公证申请。"))
    clean = _clean(data, acting_user)
    values, spec, office = clean["values"], clean["spec"], clean["office"]
    with transaction.atomic():
        order = create_work_order(
            Intake(
                channel=channel,
                business_line=BusinessLine.NOTARIZATION,
                topic=Topic.GENERAL,
                description=f"申请办理{spec.name}，用途：{values['purpose']}",
                title=f"公证申请：{spec.name}",
                requester_name=values["applicant_name"],
                requester_phone=values["applicant_phone"],
                region_code=office.region.code,
                idempotency_key=data.idempotency_key,
            ),
            acting_user=acting_user,
        )
        existing = NotarialMatter.objects.filter(work_order=order).first()
        if existing is not None:
            return existing
        now = timezone.now()
        matter = NotarialMatter.objects.create(
            code=unified_code(office.region.code, now),
            work_order=order,
            applicant=acting_user if acting_user.is_citizen else None,
            office=office,
            region=office.region,
            channel=channel,
            submitted_at=now,
            needs_approval=spec.second_notary,
            **values,
        )
        missing = []
        for item, label in clean["materials"]:
            upload = data.files.get(item)
            row = MaterialItem(matter=matter, item=item, label=label)
            if upload is not None:
                row.file.save(upload.name or item, upload, save=False)
                row.provided_at = now
            else:
                missing.append(item)
            row.save()
        if missing:
            _issue_notice(matter, missing, note="", actor=None, moment=now)
        record_event(
            "notary.matter_submitted",
            actor=acting_user,
            obj=matter,
            detail={"code": matter.code, "order": order.number, "missing": missing},
        )
        queue_sms_to_record(
            matter,
            "applicant_phone",
            f"【法网】您的{spec.name}申请已提交，统一登记编码{matter.code}。"
            + (f"尚需补充{len(missing)}项材料，详见一次性告知书。" if missing else ""),
        )
    return matter


def _issue_notice(
    matter: NotarialMatter, items: list[str], *, note: str, actor: User | None, moment: datetime
) -> MaterialsNotice:
    if MaterialsNotice.objects.filter(matter=matter).exists():
        raise Conflict(_("本事项已作过一次性告知，不能再次告知补充材料。"), code="already_notified")
    labels = dict(matter.materials.values_list("item", "label"))
    notice = MaterialsNotice.objects.create(
        matter=matter,
        items=[{"item": i, "label": labels[i]} for i in items],
        note=note,
        issued_at=moment,
        issued_by=actor,
    )
    Pause.objects.create(
        matter=matter,
        reason=PauseReason.MATERIALS,
        started_at=moment,
        note=gettext_noop("一次性告知补充材料"),  # stored in Chinese, shown translated
    )
    return notice


def notify_missing(
    matter: NotarialMatter, items: list[str], note: str, *, acting_user: User
) -> MaterialsNotice:
    """The notary's review finds materials missing or insufficient: told once, all of them."""
    require_notary(acting_user, matter)
    note = clean_text(note, MAX_TEXT, "note", "说明", required=False)
    with transaction.atomic():
        matter = lock(matter)
        check_transition(MATTER_FLOW, matter.status, "notify")
        known = set(matter.materials.values_list("item", flat=True))
        chosen = list(dict.fromkeys(items))
        if not chosen:
            raise InvalidInput(_("请勾选需要补充的全部材料。"), code="required", field="items")
        if not set(chosen) <= known:
            raise InvalidInput(
                _("所选材料不在该事项的材料清单中。"), code="unknown_item", field="items"
            )
        notice = _issue_notice(matter, chosen, note=note, actor=acting_user, moment=timezone.now())
        # An item found insufficient must be provided again.
        matter.materials.filter(item__in=chosen).update(provided_at=None)
        record_event(
            "notary.notice_issued",
            actor=acting_user,
            obj=matter,
            detail={"code": matter.code, "items": chosen},
        )
        queue_sms_to_record(
            matter,
            "applicant_phone",
            f"【法网】您的公证事项{matter.code}需补充{len(chosen)}项材料，请查看一次性告知书。",
        )
    return notice


def upload_material(
    matter: NotarialMatter, item: str, upload: UploadedFile, *, acting_user: User
) -> MaterialItem:
    """The applicant provides an item; when the notice's last item arrives, the clock resumes."""
    require_applicant(acting_user, matter)
    check_file(upload, "file")
    with transaction.atomic():
        matter = lock(matter)
        check_transition(MATTER_FLOW, matter.status, "upload")
        row = matter.materials.filter(item=item).first()
        if row is None:
            raise InvalidInput(
                _("该材料不在本事项的材料清单中。"), code="unknown_item", field="item"
            )
        now = timezone.now()
        row.file.save(upload.name or item, upload, save=False)
        row.provided_at = now
        row.save()
        notice = MaterialsNotice.objects.filter(matter=matter, completed_at__isnull=True).first()
        if notice is not None:
            wanted = {entry["item"] for entry in notice.items}
            provided = set(
                matter.materials.filter(item__in=wanted, provided_at__isnull=False).values_list(
                    "item", flat=True
                )
            )
            if wanted <= provided:
                notice.completed_at = now
                notice.save(update_fields=["completed_at"])
                end_pauses(matter, PauseReason.MATERIALS, now)
        record_event(
            "notary.material_uploaded",
            actor=acting_user,
            obj=matter,
            detail={"code": matter.code, "item": item},
        )
    return row


# --- deadlines -----------------------------------------------------------------------------


def paused_working_days(matter: NotarialMatter, until: datetime | None = None) -> int:
    """Working days of the pauses after acceptance (公证法 art. 30: not counted)."""
    if matter.accepted_at is None:
        return 0
    total = 0
    for pause in matter.pauses.all():
        start = max(pause.started_at, matter.accepted_at)
        end = pause.ended_at or until
        if end is None or end <= start:
            continue
        total += working_days_between(start, end)
    return total


def refresh_due(matter: NotarialMatter) -> None:
    """The issue limit: n working days after acceptance, moved by the closed pauses."""
    if matter.accepted_at is None:
        return
    days = notary_policy(matter.region).issue_working_days + paused_working_days(matter)
    matter.due_at = working_days_after(matter.accepted_at, days)
    matter.save(update_fields=["due_at", "updated_at"])


def end_pauses(matter: NotarialMatter, reason: str, moment: datetime) -> None:
    matter.pauses.filter(reason=reason, ended_at__isnull=True).update(ended_at=moment)
    refresh_due(matter)
