"""Notary pages: the catalogue and the public certificate check; citizens apply, provide what the
notice asks, book the one visit and follow; notaries work their office's queue; office heads and
the bureau see figures, reviews, complaints, faults and grades. Thin: selectors and services."""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Callable
from datetime import date, datetime
from pathlib import PurePath
from typing import Any

from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fawang.core.errors import DomainError, InvalidInput, NotFound
from fawang.core.models import SUPERVISOR_ROLES, Role, User
from fawang.core.replica import reads_replica
from fawang.core.services import reveal_personal_data
from fawang.core.web import acting_user, citizen_view, page_of, staff_view, submit
from fawang.notary import selectors, services
from fawang.notary.catalogue import BY_CODE, MATTERS, ROUTE_LABELS, materials_for
from fawang.notary.forms import ApplyForm
from fawang.notary.models import (
    Complaint,
    DocumentReview,
    MatterStatus,
    NotarialMatter,
    PauseReason,
    SlotKind,
    VerificationMethod,
)
from fawang.notary.policy import notary_policy

PAGE_SIZE = 50
SUPERVISION_ROLES = (Role.NOTARY, *SUPERVISOR_ROLES)


def _spec(matter_type: str) -> Any:
    spec = BY_CODE.get(matter_type)
    if spec is None:
        raise NotFound(_("没有这个公证事项。"))
    return spec


def _city_policy() -> Any:
    office = selectors.active_offices().select_related("region").first()
    return notary_policy(office.region) if office is not None else None


# --- public and citizen pages --------------------------------------------------------------


def catalogue(request: HttpRequest) -> HttpResponse:
    policy = _city_policy()
    rows = [{"spec": m, "fee": policy.fees[m.fee_basis] if policy else None} for m in MATTERS]
    return render(
        request,
        "notary/catalogue.html",
        {
            "rows": rows,
            "days": policy.issue_working_days if policy else None,
        },
    )


def matter_info(request: HttpRequest, matter_type: str) -> HttpResponse:
    spec = _spec(matter_type)
    policy = _city_policy()
    return render(
        request,
        "notary/matter_info.html",
        {
            "spec": spec,
            "materials": materials_for(spec, abroad=False),
            "abroad_materials": materials_for(spec, abroad=True)[len(spec.materials) :],
            "fee": policy.fees[spec.fee_basis] if policy else None,
            "policy": policy,
            "routes": ROUTE_LABELS,
        },
    )


@citizen_view
def apply(request: HttpRequest, matter_type: str) -> HttpResponse:
    return _apply_page(request, matter_type, "notary/apply.html", "notary:mine")


@staff_view(Role.WINDOW_CLERK, Role.HOTLINE_SEAT)
def intake(request: HttpRequest, matter_type: str = "") -> HttpResponse:
    """The window (incl. the notary window of a 公共法律服务中心) or the hotline records an
    application for the person in front of them / on the line."""
    if not matter_type:
        return render(request, "notary/intake_catalogue.html", {"matters": MATTERS})
    return _apply_page(request, matter_type, "notary/intake.html", "notary:intake_done")


@staff_view(Role.WINDOW_CLERK, Role.HOTLINE_SEAT)
def intake_done(request: HttpRequest, code: str) -> HttpResponse:
    matter = NotarialMatter.objects.filter(code=code, work_order__created_by=acting_user(request))
    found = matter.select_related("office", "work_order").first()
    if found is None:
        raise NotFound(_("没有找到该公证事项。"))
    return render(
        request,
        "notary/intake_done.html",
        {
            "matter": found,
            "notice": getattr(found, "notice", None) if hasattr(found, "notice") else None,
        },
    )


def _apply_page(
    request: HttpRequest, matter_type: str, template: str, done_url: str
) -> HttpResponse:
    spec = _spec(matter_type)
    user = acting_user(request)
    form = ApplyForm(
        spec,
        request.POST or None,
        request.FILES or None,
        initial={"applicant_name": user.full_name if user.is_citizen else ""},
    )
    status = 200
    if request.method == "POST":
        status = 400
        done = submit(
            form,
            lambda data: services.submit_application(
                services.ApplicationIn(
                    matter_type=spec.code,
                    office_id=int(data["office"]),
                    purpose=data["purpose"],
                    applicant_name=data["applicant_name"],
                    applicant_id_number=data["applicant_id_number"],
                    applicant_phone=data["applicant_phone"],
                    destination=data.get("destination") or "",
                    with_authentication=bool(data.get("with_authentication")),
                    fee_group=data.get("fee_group") or "",
                    files=form.files_by_item(),
                    idempotency_key=data["idempotency_key"],
                ),
                acting_user=user,
            ),
            {"office_id": "office"},
        )
        if done.ok:
            messages.success(
                request,
                _("公证申请已提交，统一登记编码 %(code)s。") % {"code": done.value.code},
            )
            return redirect(done_url, code=done.value.code)
    return render(request, template, {"form": form, "spec": spec}, status=status)


@citizen_view
def my_matters(request: HttpRequest) -> HttpResponse:
    matters = selectors.matters_for_user(acting_user(request))
    return render(request, "notary/my_matters.html", {"matters": matters[:200]})


def _matter_context(matter: NotarialMatter) -> dict[str, Any]:
    notice = getattr(matter, "notice", None) if hasattr(matter, "notice") else None
    provided = {m.item for m in matter.materials.all() if m.provided}
    missing = [e for e in (notice.items if notice else []) if e["item"] not in provided]
    return {
        "matter": matter,
        "materials": matter.materials.all(),
        "notice": notice,
        "missing": missing,
        "pauses": matter.pauses.all(),
        "open_pauses": matter.open_pauses(),
        "paused_days": services.paused_working_days(matter, timezone.now()),
        "verifications": matter.verifications.select_related("checked_by"),
        "appointments": matter.appointments.select_related("slot"),
        "visits": matter.visits.all(),
        "videos": matter.video_sessions.all(),
        "certificate": getattr(matter, "certificate", None)
        if hasattr(matter, "certificate")
        else None,
        "fee_settled": services.fee_settled(matter),
    }


CitizenAction = Callable[[HttpRequest, NotarialMatter, User], str]


def _upload(request: HttpRequest, matter: NotarialMatter, user: User) -> str:
    uploads: list[tuple[str, UploadedFile]] = []
    for key in request.FILES:
        upload = request.FILES.get(key)
        if key.startswith("file_") and isinstance(upload, UploadedFile):
            uploads.append((key.removeprefix("file_"), upload))
    if not uploads:
        raise InvalidInput(_("请选择要上传的材料文件。"), code="required", field="file")
    for item, upload in uploads:
        services.upload_material(matter, item, upload, acting_user=user)
    return ngettext("已提交 %(n)d 项材料。", "已提交 %(n)d 项材料。", len(uploads)) % {
        "n": len(uploads)
    }


def _book(request: HttpRequest, matter: NotarialMatter, user: User) -> str:
    slot = request.POST.get("slot_id", "")
    if not slot.isdigit():
        raise InvalidInput(_("请选择到场时段。"), code="required", field="slot_id")
    services.book_visit(matter, int(slot), acting_user=user)
    return _("已预约到场时间。")


def _cancel(request: HttpRequest, matter: NotarialMatter, user: User) -> str:
    services.cancel_booking(matter, acting_user=user)
    return _("已取消预约。")


def _complain(request: HttpRequest, matter: NotarialMatter, user: User) -> str:
    services.file_complaint(
        matter.office_id, request.POST.get("content", ""), matter_code=matter.code, acting_user=user
    )
    return _("投诉已提交，司法行政机关将依法处理。")


CITIZEN_ACTIONS: dict[str, CitizenAction] = {
    "upload": _upload,
    "book": _book,
    "cancel": _cancel,
    "complain": _complain,
}


@citizen_view
def my_matter(request: HttpRequest, code: str) -> HttpResponse:
    user = acting_user(request)
    matter = selectors.get_matter_for_user(user, code)
    status = 200
    if request.method == "POST":
        action = CITIZEN_ACTIONS.get(request.POST.get("action", ""))
        if action is not None:
            try:
                messages.success(request, action(request, matter, user))
                return redirect("notary:mine", code=matter.code)
            except DomainError as error:
                messages.error(request, error.message)
                status = error.status
        matter = selectors.get_matter_for_user(user, code)
    context = _matter_context(matter)
    context["slots"] = selectors.open_slots(matter.office)
    context["complaints"] = matter.complaints.all()
    return render(request, "notary/my_matter.html", context, status=status)


@reads_replica
def verify(request: HttpRequest) -> HttpResponse:
    """Anyone: a verification code → the certificate's type, office, date and status."""
    code = request.GET.get("code", "").strip()
    result, error, status = None, "", 200
    if code:
        try:
            result = selectors.verify_certificate(services.normalise_code(code))
        except DomainError as exc:
            error, status = exc.message, exc.status
    return render(
        request,
        "notary/verify.html",
        {"code": code, "result": result, "error": error},
        status=status,
    )


def _material_file(matter: NotarialMatter, item: str) -> HttpResponse:
    """A material's file (at most 10 MB, so read whole), shown inline."""
    row = matter.materials.filter(item=item).exclude(file="").first()
    if row is None:
        raise NotFound(_("没有找到该材料文件。"))
    name = row.file.name.rsplit("/", 1)[-1]
    with row.file.open("rb") as handle:
        content = handle.read()
    response = HttpResponse(
        content, content_type=mimetypes.guess_type(name)[0] or "application/octet-stream"
    )
    response["Content-Disposition"] = f'inline; filename="{row.item}{PurePath(name).suffix}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@citizen_view
def my_material(request: HttpRequest, code: str, item: str) -> HttpResponse:
    return _material_file(selectors.get_matter_for_user(acting_user(request), code), item)


@staff_view(Role.NOTARY, *SUPERVISOR_ROLES)
def material(request: HttpRequest, code: str, item: str) -> HttpResponse:
    return _material_file(selectors.get_matter_for_user(acting_user(request), code), item)


# --- notary pages --------------------------------------------------------------------------


@staff_view(Role.NOTARY, *SUPERVISOR_ROLES)
def queue(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    matters = selectors.matters_for_user(user)
    wanted = request.GET.get("status", "")
    if wanted in MatterStatus.values:
        matters = matters.filter(status=wanted)
    return render(
        request,
        "notary/queue.html",
        {
            "page": page_of(request, matters.prefetch_related("pauses"), PAGE_SIZE),
            "statuses": MatterStatus.choices,
            "wanted": wanted,
            "is_head": selectors.is_office_head(user),
        },
    )


StaffAction = Callable[[HttpRequest, NotarialMatter, User], str]


def _post(request: HttpRequest, name: str) -> str:
    return request.POST.get(name, "")


def _names(value: str) -> list[str]:
    """Names typed with “、” (or a comma, as an English keyboard types them) between them."""
    return re.split(r"[、,，]", value)


STAFF_ACTIONS: dict[str, StaffAction] = {
    "accept": lambda r, m, u: (services.accept(m, acting_user=u), _("已受理。"))[1],
    "refuse": lambda r, m, u: (
        services.refuse(m, _post(r, "reason"), acting_user=u),
        _("已作出不予办理决定。"),
    )[1],
    "notify": lambda r, m, u: (
        services.notify_missing(m, r.POST.getlist("items"), _post(r, "note"), acting_user=u),
        _("已一次性告知需补充的材料。"),
    )[1],
    "verify": lambda r, m, u: (
        services.record_verification(
            m,
            _post(r, "subject"),
            _post(r, "method"),
            _post(r, "confirmed") != "no",
            _post(r, "note"),
            acting_user=u,
        ),
        _("已记录核实。"),
    )[1],
    "pause": lambda r, m, u: (
        services.pause(m, _post(r, "reason"), _post(r, "note"), acting_user=u),
        _("已暂停计时。"),
    )[1],
    "resume": lambda r, m, u: (
        services.resume(m, _post(r, "reason"), acting_user=u),
        _("已恢复计时。"),
    )[1],
    "conclude": lambda r, m, u: (services.conclude_review(m, acting_user=u), _("审查完成。"))[1],
    "approve": lambda r, m, u: (services.approve(m, acting_user=u), _("已审批。"))[1],
    "pay": lambda r, m, u: (services.record_payment(m, acting_user=u), _("已登记缴费。"))[1],
    "visit": lambda r, m, u: (
        services.record_visit(m, _post(r, "purpose"), acting_user=u),
        _("已记录到场。"),
    )[1],
    "video_start": lambda r, m, u: (
        services.start_video(m, _names(_post(r, "participants")), acting_user=u),
        _("视频会话已开始。"),
    )[1],
    "video_end": lambda r, m, u: (
        services.end_video(m.video_sessions.get(ended_at__isnull=True), acting_user=u),
        _("视频会话已结束。"),
    )[1],
    "issue": lambda r, m, u: (services.issue_certificate(m, acting_user=u), _("公证书已出具。"))[1],
    "deliver": lambda r, m, u: (
        services.deliver(m, _post(r, "method"), acting_user=u),
        _("已登记送达。"),
    )[1],
    "archive": lambda r, m, u: (services.archive(m, acting_user=u), _("已归档。"))[1],
    "revoke": lambda r, m, u: (
        services.revoke_certificate(m.certificate, _post(r, "reason"), acting_user=u),
        _("公证书已撤销。"),
    )[1],
}


@staff_view(Role.NOTARY, *SUPERVISOR_ROLES)
def matter_detail(request: HttpRequest, code: str) -> HttpResponse:
    user = acting_user(request)
    matter = selectors.get_matter_for_user(user, code)
    status, revealed = 200, None
    if request.method == "POST" and _post(request, "action") == "reveal":
        try:
            revealed = reveal_personal_data(
                acting_user=user,
                subject=matter,
                field=_post(request, "field"),
                reason=_post(request, "reason"),
            )
        except DomainError as error:
            messages.error(request, error.message)
            status = error.status
    elif request.method == "POST":
        action = STAFF_ACTIONS.get(_post(request, "action"))
        if action is not None:
            try:
                messages.success(request, action(request, matter, user))
                return redirect("notary:matter", code=matter.code)
            except DomainError as error:
                messages.error(request, error.message)
                status = error.status
        matter = selectors.get_matter_for_user(user, code)
    context = _matter_context(matter)
    context.update(
        {
            "is_notary": user.role == Role.NOTARY,
            "methods": VerificationMethod.choices,
            "pause_reasons": [c for c in PauseReason.choices if c[0] != PauseReason.MATERIALS],
            "identity_done": services.identity_done(matter),
            "deliveries": NotarialMatter._meta.get_field("delivery").choices,
            "reveal_note": _(
                "身份证号码、电话已脱敏显示；查看完整号码须写明原因，并记入个人信息访问日志。"
            ),
            "revealed": revealed,
        }
    )
    return render(request, "notary/matter_detail.html", context, status=status)


# --- supervision ---------------------------------------------------------------------------


def _date(value: str, field: str) -> date:
    parsed = parse_date(value or "")
    if parsed is None:
        raise InvalidInput(_("请填写日期（年-月-日）。"), code="required", field=field)
    return parsed


def _moment(value: str, field: str) -> datetime:
    parsed = parse_datetime(value or "")
    if parsed is None:
        raise InvalidInput(_("请填写时间。"), code="required", field=field)
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


def _int(value: str, field: str) -> int:
    if not (value or "").lstrip("-").isdigit():
        raise InvalidInput(_("请填写整数。"), code="required", field=field)
    return int(value)


def _sv_draw(r: HttpRequest, u: User) -> str:
    reviews = services.draw_review_sample(
        _date(_post(r, "start"), "start"),
        _date(_post(r, "end"), "end"),
        _post(r, "seed"),
        acting_user=u,
    )
    return ngettext("已抽取 %(n)d 件公证书案卷。", "已抽取 %(n)d 件公证书案卷。", len(reviews)) % {
        "n": len(reviews)
    }


def _sv_score(r: HttpRequest, u: User) -> str:
    review = selectors.reviews_for_user(u).filter(pk=_int(_post(r, "review_id"), "review_id"))
    target = review.first()
    if target is None:
        raise NotFound(_("没有找到该评查记录。"))
    services.score_review(
        target, _int(_post(r, "score"), "score"), _post(r, "findings"), acting_user=u
    )
    return _("评查结果已保存。")


def _sv_complaint(r: HttpRequest, u: User) -> str:
    services.file_complaint(
        _int(_post(r, "office_id"), "office_id"),
        _post(r, "content"),
        complainant_name=_post(r, "complainant_name"),
        notary_id=_int(_post(r, "notary_id"), "notary_id") if _post(r, "notary_id") else None,
        acting_user=u,
    )
    return _("投诉已登记。")


def _sv_decide(r: HttpRequest, u: User) -> str:
    complaint = (
        selectors.complaints_for_user(u)
        .filter(pk=_int(_post(r, "complaint_id"), "complaint_id"))
        .first()
    )
    if complaint is None:
        raise NotFound(_("没有找到该投诉。"))
    services.decide_complaint(
        complaint, _post(r, "upheld") == "yes", _post(r, "outcome"), acting_user=u
    )
    return _("投诉处理结果已保存。")


def _sv_fault(r: HttpRequest, u: User) -> str:
    services.record_fault(
        _int(_post(r, "notary_id"), "notary_id"),
        _post(r, "description"),
        _post(r, "liability"),
        matter_code=_post(r, "matter_code"),
        acting_user=u,
    )
    return _("过错责任记录已保存。")


def _sv_slot(r: HttpRequest, u: User) -> str:
    if u.institution is None:
        raise NotFound(_("没有找到公证处。"))
    services.add_slot(
        u.institution,
        _post(r, "kind"),
        _moment(_post(r, "starts_at"), "starts_at"),
        _moment(_post(r, "ends_at"), "ends_at"),
        _post(r, "place"),
        _int(_post(r, "capacity") or "4", "capacity"),
        acting_user=u,
    )
    return _("已添加办证日程。")


SUPERVISION_ACTIONS: dict[str, Callable[[HttpRequest, User], str]] = {
    "draw": _sv_draw,
    "score": _sv_score,
    "complaint": _sv_complaint,
    "decide": _sv_decide,
    "fault": _sv_fault,
    "slot": _sv_slot,
}


@staff_view(*SUPERVISION_ROLES)
def supervision(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    is_head = selectors.is_office_head(user)
    if user.role == Role.NOTARY and not is_head:
        raise NotFound(_("没有找到该页面。"))
    status = 200
    if request.method == "POST":
        action = SUPERVISION_ACTIONS.get(_post(request, "action"))
        if action is not None:
            try:
                messages.success(request, action(request, user))
                return redirect("notary:supervision")
            except DomainError as error:
                messages.error(request, error.message)
                status = error.status
    offices = selectors.offices_for_user(user)
    return render(
        request,
        "notary/supervision.html",
        {
            "figures": selectors.figures_for_user(user),
            "reviews": selectors.reviews_for_user(user)[:100],
            "complaints": selectors.complaints_for_user(user)[:100],
            "faults": selectors.faults_for_user(user)[:100],
            "offices": offices.order_by("name"),
            "is_bureau": user.role in SUPERVISOR_ROLES,
            "is_head": is_head,
            "slot_kinds": SlotKind.choices,
            "slots": selectors.open_slots(user.institution) if is_head and user.institution else [],
            "notaries": [
                (p.pk, f"{p.name}（{p.institution.name if p.institution else ''}）")
                for p in selectors.notaries_for_user(user)
            ],
            "today": timezone.localdate(),
        },
        status=status,
    )


__all__ = ["Complaint", "DocumentReview"]
