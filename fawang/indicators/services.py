"""Every write of the indicators module: packs and plans, targets, reported values, progress,
deadline warnings and generated reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from fawang.audit.services import record_event
from fawang.core.errors import Conflict, InvalidInput, PermissionDenied
from fawang.core.models import SUPERVISOR_ROLES, Region, Role, User
from fawang.core.rows import lock
from fawang.indicators import definitions
from fawang.indicators.models import (
    REPORTED_VALUE_TRANSITIONS,
    ActionItem,
    ActionPlan,
    DeadlineWarning,
    Indicator,
    IndicatorPack,
    IndicatorReport,
    IndicatorSource,
    ItemStatus,
    PeriodKind,
    ProgressReport,
    ReportedValue,
    WarningKind,
)

# Warn this many days before an action item's deadline (platform default).
WARN_DAYS_BEFORE = 30
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
ATTACHMENT_SUFFIXES = {".pdf", ".doc", ".docx", ".xls", ".xlsx", ".jpg", ".jpeg", ".png", ".zip"}


def _require_admin(acting_user: User | None) -> None:
    """Packs and plans are loaded by the system (command line) or the system administrator."""
    if acting_user is not None and acting_user.role != Role.SYSTEM_ADMIN:
        raise PermissionDenied("只有系统管理员可以维护指标包和行动清单。")


def _require_supervisor_over(acting_user: User, region: Region) -> None:
    if acting_user.role not in SUPERVISOR_ROLES or acting_user.region is None:
        raise PermissionDenied("只有司法行政管理人员可以填报。")
    if not acting_user.region.contains(region):
        raise PermissionDenied("只能为本辖区填报。")


@transaction.atomic
def load_pack(
    data: dict[str, Any], *, acting_user: User | None, source: str = "pack"
) -> IndicatorPack:
    _require_admin(acting_user)
    spec = definitions.parse_indicator_pack(data, source)
    pack, _ = IndicatorPack.objects.update_or_create(
        code=spec.code,
        defaults={
            "name": spec.name,
            "city": spec.city,
            "start_year": spec.start_year,
            "end_year": spec.end_year,
            "loaded_at": timezone.now(),
        },
    )
    existing = {i.code: i for i in pack.indicators.all()}
    for item in spec.indicators:
        values: dict[str, Any] = {
            "position": item.position,
            "name": item.name,
            "unit": item.unit,
            "source": item.source,
            "formula": item.formula,
            "comparator": item.comparator,
            "level": item.level,
            "nature": item.nature,
            "deadline_year": item.deadline_year,
            "passage": item.passage,
        }
        current = existing.pop(item.code, None)
        if current is None or current.target_edited_at is None:
            values.update(target=item.target, milestones=item.milestones)
        Indicator.objects.update_or_create(pack=pack, code=item.code, defaults=values)
    Indicator.objects.filter(pk__in=[i.pk for i in existing.values()]).delete()
    record_event(
        "indicators.pack_loaded",
        actor=acting_user,
        obj=pack,
        detail={"source": source, "indicators": len(spec.indicators)},
    )
    return pack


def load_pack_file(path: str | Path, *, acting_user: User | None) -> IndicatorPack:
    _require_admin(acting_user)
    return load_pack(definitions.read_yaml(path), acting_user=acting_user, source=Path(path).name)


@transaction.atomic
def load_plan(
    data: dict[str, Any], *, acting_user: User | None, source: str = "plan"
) -> ActionPlan:
    _require_admin(acting_user)
    city = definitions._region(data.get("city_region_code"), source)
    known = set(Indicator.objects.filter(pack__city=city).values_list("code", flat=True))
    spec = definitions.parse_plan(data, known, source)
    plan, _ = ActionPlan.objects.update_or_create(
        code=spec.code,
        defaults={
            "name": spec.name,
            "city": spec.city,
            "source": spec.source,
            "loaded_at": timezone.now(),
        },
    )
    for item in spec.items:
        ActionItem.objects.update_or_create(
            plan=plan,
            code=item.code,
            defaults={
                "position": item.position,
                "region": item.region,
                "title": item.title,
                "lead_unit": item.lead_unit,
                "deadline": item.deadline,
                "target": item.target,
                "indicator_codes": list(item.indicator_codes),
                "passage": item.passage,
            },
        )
    record_event(
        "indicators.plan_loaded",
        actor=acting_user,
        obj=plan,
        detail={"source": source, "items": len(spec.items)},
    )
    return plan


def load_file(path: str | Path, *, acting_user: User | None) -> IndicatorPack | ActionPlan:
    """A pack file (with an ``indicators:`` section) or an action-plan file (with ``items:``)."""
    _require_admin(acting_user)
    data = definitions.read_yaml(path)
    if "items" in data:
        return load_plan(data, acting_user=acting_user, source=Path(path).name)
    return load_pack(data, acting_user=acting_user, source=Path(path).name)


@transaction.atomic
def edit_target(
    indicator: Indicator, *, acting_user: User, target: float, milestones: dict[str, float]
) -> Indicator:
    if acting_user.role != Role.SYSTEM_ADMIN:
        raise PermissionDenied("只有系统管理员可以修改目标值。")
    indicator = lock(indicator)
    before = {"target": indicator.target, "milestones": indicator.milestones}
    indicator.target = float(target)
    indicator.milestones = {str(y): float(v) for y, v in milestones.items()}
    indicator.target_edited_at = timezone.now()
    indicator.save(update_fields=["target", "milestones", "target_edited_at"])
    record_event(
        "indicators.target_edited",
        actor=acting_user,
        obj=indicator,
        detail={
            "before": before,
            "after": {"target": indicator.target, "milestones": indicator.milestones},
        },
    )
    return indicator


@transaction.atomic
def report_value(
    indicator: Indicator,
    *,
    acting_user: User,
    region: Region,
    year: int,
    value: float,
    note: str = "",
) -> ReportedValue:
    """A unit reports a figure the platform cannot observe (R11); it shows once reviewed."""
    if indicator.source != IndicatorSource.REPORTED:
        raise InvalidInput("该指标由平台自动计算，无需填报。", field="indicator")
    _require_supervisor_over(acting_user, region)
    if not indicator.pack.start_year - 1 <= year <= indicator.pack.end_year + 1:
        raise InvalidInput(
            f"年度应在 {indicator.pack.start_year}—{indicator.pack.end_year} 之间。", field="year"
        )
    if value < 0:
        raise InvalidInput("数值不能为负数。", field="value")
    report = ReportedValue.objects.create(
        indicator=indicator,
        region=region,
        year=year,
        value=value,
        note=note[:500],
        reported_by=acting_user,
    )
    record_event(
        "indicators.value_reported",
        actor=acting_user,
        obj=report,
        detail={"indicator": indicator.code, "region": region.code, "year": year, "value": value},
    )
    return report


def _may_review(user: User, report: ReportedValue) -> bool:
    """The level above reviews: a supervisor of a strictly larger region; the city's own figures
    have no level above on the platform, so the system administrator reviews those."""
    if user.pk == report.reported_by_id:
        return False
    if user.role in SUPERVISOR_ROLES and user.region is not None:
        return user.region.contains(report.region) and user.region.pk != report.region_id
    return user.role == Role.SYSTEM_ADMIN and report.region.parent_id is None


@transaction.atomic
def review_value(
    report: ReportedValue, *, acting_user: User, approve: bool, note: str = ""
) -> ReportedValue:
    report = lock(ReportedValue.objects.select_related("region"), report.pk)
    if not _may_review(acting_user, report):
        raise PermissionDenied("填报数值须由上一级审核，且不能审核本人填报的数值。")
    verb = "approve" if approve else "reject"
    allowed, target = REPORTED_VALUE_TRANSITIONS[verb]
    if report.status not in allowed:
        raise Conflict("该填报已审核。")
    report.status = target
    report.reviewed_by = acting_user
    report.reviewed_at = timezone.now()
    report.review_note = note[:500]
    report.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
    record_event(
        "indicators.value_approved" if approve else "indicators.value_rejected",
        actor=acting_user,
        obj=report,
    )
    return report


def _check_attachment(attachment: UploadedFile | None) -> None:
    if attachment is None:
        return
    if Path(attachment.name or "").suffix.lower() not in ATTACHMENT_SUFFIXES:
        raise InvalidInput(
            "附件类型不支持（可上传 PDF、Word、Excel、图片或 ZIP）。", field="attachment"
        )
    if (attachment.size or 0) > MAX_ATTACHMENT_BYTES:
        raise InvalidInput("附件不能超过 10MB。", field="attachment")


@transaction.atomic
def report_progress(
    item: ActionItem,
    *,
    acting_user: User,
    percent: int,
    text: str,
    attachment: UploadedFile | None = None,
) -> ProgressReport:
    _require_supervisor_over(acting_user, item.region)
    if not 0 <= percent <= 100:
        raise InvalidInput("完成进度应在 0—100 之间。", field="percent")
    if not text.strip():
        raise InvalidInput("请填写进展情况。", field="text")
    _check_attachment(attachment)
    item = lock(item)
    progress = ProgressReport(item=item, reported_by=acting_user, percent=percent, text=text)
    if attachment is not None:
        progress.attachment.save(attachment.name or "attachment", attachment, save=False)
    progress.save()
    item.progress_percent = percent
    item.status = ItemStatus.DONE if percent == 100 else ItemStatus.OPEN
    item.save(update_fields=["progress_percent", "status", "updated_at"])
    record_event(
        "indicators.progress_reported",
        actor=acting_user,
        obj=item,
        detail={"percent": percent, "attachment": bool(attachment)},
    )
    return progress


@dataclass
class WarningResult:
    due_soon: int = 0
    overdue: int = 0


def _notify(item: ActionItem, text: str) -> None:
    from fawang.workorders.models import Notification

    recipients = User.objects.filter(role__in=SUPERVISOR_ROLES, region=item.region, is_active=True)
    Notification.objects.bulk_create(
        [Notification(recipient=user, text=text[:300]) for user in recipients]
    )


def warn_deadlines(today: date | None = None) -> WarningResult:
    """Warn once before and once after each open item's deadline (National (二十): 督促落实)."""
    today = today or timezone.localdate()
    result = WarningResult()
    soon = today + timedelta(days=WARN_DAYS_BEFORE)
    items = ActionItem.objects.filter(
        status=ItemStatus.OPEN, deadline__isnull=False, deadline__lte=soon
    ).select_related("region")
    for item in items:
        assert item.deadline is not None
        kind = WarningKind.OVERDUE if item.deadline < today else WarningKind.DUE_SOON
        try:
            with transaction.atomic():
                DeadlineWarning.objects.create(item=item, kind=kind)
                label = "已逾期" if kind == WarningKind.OVERDUE else "即将到期"
                _notify(item, f"行动任务{label}：{item.title}（时限 {item.deadline:%Y-%m-%d}）")
                record_event(
                    "indicators.deadline_warning", actor=None, obj=item, detail={"kind": kind}
                )
        except IntegrityError:
            continue
        if kind == WarningKind.OVERDUE:
            result.overdue += 1
        else:
            result.due_soon += 1
    return result


@transaction.atomic
def store_report(
    region: Region,
    *,
    kind: str,
    year: int,
    quarter: int,
    data: dict[str, Any],
    acting_user: User | None,
) -> IndicatorReport:
    report, _ = IndicatorReport.objects.update_or_create(
        region=region,
        kind=kind,
        year=year,
        quarter=quarter if kind == PeriodKind.QUARTER else 0,
        defaults={"data": data, "generated_at": timezone.now()},
    )
    record_event(
        "indicators.report_generated",
        actor=acting_user,
        obj=report,
        detail={"kind": kind, "year": year, "quarter": quarter},
    )
    return report
