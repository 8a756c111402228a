"""Legal-aid pages: the citizen's (apply, upload, track, refusal letter) and the staff console's
(officer: review, decide, assign; provider: my cases, milestones, close; supervisor: attendance,
reviews, sampling, figures). Thin: every read through a scoped selector, every write a service."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from fawang.core.errors import DomainError, InvalidInput, NotFound
from fawang.core.models import SUPERVISOR_ROLES, InstitutionKind, Role, User
from fawang.core.periods import page_year
from fawang.core.selectors import institutions_for_user, regions
from fawang.core.web import (
    acting_user,
    chosen_district,
    citizen_view,
    district_choices,
    home_district,
    show_domain_error,
    staff_view,
    submit,
    township_choices,
)
from fawang.legalaid import selectors, services
from fawang.legalaid.forms import (
    ApplicationForm,
    AssignForm,
    AttendanceForm,
    CloseForm,
    ComplaintDecisionForm,
    ComplaintForm,
    DecisionForm,
    DutyShiftForm,
    ExcludeForm,
    HearingForm,
    MaterialsRequestForm,
    MaterialsSupplyForm,
    MilestoneForm,
    NoticeForm,
    ObjectionDecisionForm,
    ObjectionForm,
    PoolMemberForm,
    ProvideFirstForm,
    ReviewForm,
    SampleForm,
    TerminationForm,
    UploadForm,
    VisitForm,
)
from fawang.legalaid.models import (
    AidCase,
    ApplicationStatus,
    CaseStatus,
    ComplaintStatus,
    ObjectionStatus,
    PoolStatus,
)
from fawang.policy.deadlines import due_day

OFFICER = Role.LEGAL_AID_OFFICER
OPEN_CASE_STATUSES = (CaseStatus.AWAITING_ASSIGNMENT, CaseStatus.ASSIGNED)
SUPERVISORS = tuple(SUPERVISOR_ROLES)
CASE_READERS = (OFFICER, Role.LAWYER, *SUPERVISORS)


# --- citizen -------------------------------------------------------------------------------


@citizen_view
def apply(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    district = chosen_district(request, home_district(user))
    choices = {"districts": district_choices(), "townships": township_choices(district)}
    picking = request.POST.get("action") == "pick_district"
    status = 200
    if request.method == "POST" and not picking:
        form = ApplicationForm(request.POST, request.FILES, **choices)
        done = submit(form, lambda data: _submit_application(request, data))
        if done.ok:
            application = done.value
            # 法律援助法 第四十三条: the decision's last day, counted as 民法典 arts. 200–204 say.
            messages.success(
                request,
                _("申请已提交，法律援助机构将在%(day)s前（含当日）作出是否给予法律援助的决定。")
                % {"day": f"{due_day(application.decision_due_at):%Y-%m-%d}"},
            )
            return redirect("legalaid:application", number=application.number)
        status = 400
    else:
        initial: dict[str, Any] = {"applicant_name": user.full_name, "district": district}
        if picking:
            initial.update(request.POST.dict())
            initial.pop("township", None)
            initial["district"] = district
        form = ApplicationForm(initial=initial, **choices)
    return render(
        request,
        "legalaid/apply.html",
        {"form": form, "upload": UploadForm(prefix="proof")},
        status=status,
    )


def _submit_application(request: HttpRequest, data: dict[str, Any]) -> Any:
    application = services.submit_application(
        services.ApplicationInput(
            matter_type=data["matter_type"],
            facts=data["facts"],
            applicant_name=data["applicant_name"],
            applicant_id_number=data["applicant_id_number"],
            applicant_phone=data["applicant_phone"],
            region_code=data["township"],
            opposing_party=data["opposing_party"],
            full_follow_groups=tuple(data["full_follow_groups"]),
            exempt_ground=data["exempt_ground"],
            exempt_basis=data["exempt_basis"],
            household_size=data["household_size"],
            household_monthly_income=data["household_monthly_income"],
            household_assets=data["household_assets"],
            honesty_pledge=data["honesty_pledge"],
            idempotency_key=data["idempotency_key"],
        ),
        acting_user=acting_user(request),
    )
    proof = request.FILES.get("proof-file")
    if proof is not None:
        services.upload_document(
            proof, kind="income_proof", application=application, acting_user=acting_user(request)
        )
    return application


@citizen_view
def my_applications(request: HttpRequest) -> HttpResponse:
    applications = selectors.applications_for_user(acting_user(request)).select_related("case")
    return render(request, "legalaid/my_applications.html", {"applications": applications})


@citizen_view
def application_detail(request: HttpRequest, number: str) -> HttpResponse:
    user = acting_user(request)
    application = selectors.get_application_for_user(user, number)
    case = selectors.cases_for_user(user).filter(application=application).first()
    upload = UploadForm()
    complaint = ComplaintForm(prefix="complaint")
    objection = ObjectionForm(prefix="objection")
    supply = MaterialsSupplyForm(prefix="supply")
    # 法律援助法 第四十九条: a refusal or a termination may be objected to, once at a time.
    objectable = (
        application.status == ApplicationStatus.REFUSED
        or (case is not None and case.status == CaseStatus.TERMINATED)
    ) and not selectors.objections_for_user(user).filter(
        Q(application=application) | Q(case__application=application),
        status=ObjectionStatus.PENDING,
    ).exists()
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("action") == "supply":
                supply = MaterialsSupplyForm(request.POST, prefix="supply")
                if supply.is_valid():
                    services.supply_materials(
                        application, note=supply.cleaned_data["note"], acting_user=user
                    )
                    messages.success(request, "补充说明已提交。")
                    return redirect("legalaid:application", number=number)
            elif request.POST.get("action") == "object" and objectable:
                objection = ObjectionForm(request.POST, prefix="objection")
                if objection.is_valid():
                    terminated = case is not None and case.status == CaseStatus.TERMINATED
                    filed = services.file_objection(
                        reasons=objection.cleaned_data["reasons"],
                        application=None if terminated else application,
                        case=case if terminated else None,
                        acting_user=user,
                    )
                    messages.success(
                        request,
                        f"异议已提交，司法行政部门将在{filed.review_due_day:%Y-%m-%d}前（含当日）"
                        "作出审查决定。",
                    )
                    return redirect("legalaid:application", number=number)
            elif request.POST.get("action") == "complain" and case is not None:
                complaint = ComplaintForm(request.POST, prefix="complaint")
                if complaint.is_valid():
                    services.file_complaint(case, acting_user=user, **complaint.cleaned_data)
                    messages.success(request, _("投诉已收到，我们会核查处理。"))
                    return redirect("legalaid:application", number=number)
            else:
                upload = UploadForm(request.POST, request.FILES)
                if upload.is_valid():
                    services.upload_document(
                        upload.cleaned_data["file"],
                        kind=upload.cleaned_data["kind"],
                        application=application,
                        acting_user=user,
                    )
                    messages.success(request, _("材料已上传。"))
                    return redirect("legalaid:application", number=number)
        except DomainError as error:
            targets = {"complain": complaint, "object": objection, "supply": supply}
            show_domain_error(targets.get(request.POST.get("action", ""), upload), error)
        status = 400
    return render(
        request,
        "legalaid/application_detail.html",
        {
            "application": application,
            "case": case,
            "documents": application.documents.all(),
            "upload": upload,
            "complaint_form": complaint,
            "refused": application.status == ApplicationStatus.REFUSED,
            "objection_form": objection if objectable else None,
            # 法律援助法 第四十三条第二款: the applicant answers the one request for materials.
            "supply_form": supply
            if application.status == ApplicationStatus.SUBMITTED
            and application.materials_requested_at is not None
            and application.materials_supplied_at is None
            else None,
            "objections": selectors.objections_for_user(user).filter(
                Q(application=application) | Q(case__application=application)
            ),
        },
        status=status,
    )


@login_required
def refusal_letter(request: HttpRequest, number: str) -> HttpResponse:
    """不予法律援助决定书: the reasons and how to object (Legal Aid Law art. 49)."""
    user = acting_user(request)
    if user.is_staff_member and not user.is_verified():  # type: ignore[attr-defined]
        return redirect("console:login")
    application = selectors.get_application_for_user(user, number)
    if application.status != ApplicationStatus.REFUSED:
        return redirect(
            "legalaid:application" if user.is_citizen else "legalaid:review", number=number
        )
    return render(request, "legalaid/refusal_letter.html", {"application": application})


# --- officer -------------------------------------------------------------------------------


def _township_choices(user: User) -> list[tuple[str, str]]:
    anchor = user.institution.region if user.institution else user.region
    if anchor is None:
        return []
    rows = regions().filter(path__startswith=anchor.path, level="township").order_by("code")
    return [(region.code, region.name) for region in rows]


@staff_view(OFFICER, *SUPERVISORS)
def queue(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    notice_form = NoticeForm(prefix="notice", townships=_township_choices(user))
    status = 200
    if request.method == "POST" and user.role == OFFICER:
        notice_form = NoticeForm(request.POST, prefix="notice", townships=_township_choices(user))
        done = submit(
            notice_form,
            lambda data: services.receive_notice(
                services.NoticeInput(
                    source=data["source"],
                    organ_name=data["organ_name"],
                    document_number=data["document_number"],
                    recipient_name=data["recipient_name"],
                    charge=data["charge"],
                    serious_criminal=data["serious_criminal"],
                    region_code=data["township"],
                ),
                acting_user=user,
            ),
        )
        if done.ok:
            case = done.value
            # 法律援助法 第三十六条: assign, and tell the organ, within the pack's period.
            messages.success(
                request,
                _("通知已登记，请在%(day)s前（含当日）指派律师并通知办案机关。")
                % {"day": f"{due_day(case.assignment_due_at):%Y-%m-%d}"},
            )
            return redirect("legalaid:case", number=case.number)
        status = 400
    pending = selectors.applications_for_user(user).filter(status=ApplicationStatus.SUBMITTED)
    awaiting = selectors.cases_for_user(user).filter(status=CaseStatus.AWAITING_ASSIGNMENT)
    return render(
        request,
        "legalaid/queue.html",
        {
            "pending": pending.order_by("decision_due_at")[:100],
            "awaiting": awaiting.order_by("assignment_due_at")[:100],
            "notice_form": notice_form if user.role == OFFICER else None,
            "now": timezone.now(),
        },
        status=status,
    )


@staff_view(OFFICER, *SUPERVISORS)
def review(request: HttpRequest, number: str) -> HttpResponse:
    user = acting_user(request)
    application = selectors.get_application_for_user(user, number)
    form = DecisionForm()
    materials = MaterialsRequestForm(prefix="materials")
    first = ProvideFirstForm(prefix="first")
    action = request.POST.get("action", "decide") if request.method == "POST" else ""
    status = 200
    if action == "request_materials":
        materials = MaterialsRequestForm(request.POST, prefix="materials")
        done = submit(
            materials,
            lambda data: services.request_materials(
                application, materials=data["materials"], acting_user=user
            ),
        )
        if done.ok:
            messages.success(
                request, "已一次性告知申请人需要补充的材料（法律援助法第四十三条第二款）。"
            )
            return redirect("legalaid:review", number=number)
        status = 400
    elif action == "withdrawn":
        withdrawn = forms.Form(request.POST)
        done = submit(
            withdrawn, lambda data: services.deem_withdrawn(application, acting_user=user)
        )
        if done.ok:
            messages.success(request, "申请人未按要求补充材料，申请视为撤回。")
            return redirect("legalaid:review", number=number)
        messages.error(request, "；".join(str(e) for e in withdrawn.non_field_errors()))
        status = 400
    elif action == "provide_first":
        first = ProvideFirstForm(request.POST, prefix="first")
        done = submit(
            first,
            lambda data: services.provide_aid_first(
                application, ground=data["ground"], reasons=data["reasons"], acting_user=user
            ),
        )
        if done.ok:
            messages.success(request, "已先行提供法律援助，请指派承办人员；审查继续进行。")
            return redirect("legalaid:case", number=done.value.number)
        status = 400
    elif action == "decide":
        form = DecisionForm(request.POST)
        done = submit(
            form,
            lambda data: services.decide_application(
                application,
                approve=data["decision"] == "approve",
                reasons=data["reasons"],
                basis=data["basis"],
                acting_user=user,
            ),
        )
        if done.ok:
            if form.cleaned_data["decision"] == "approve":
                messages.success(request, _("已决定给予法律援助，请指派承办人员。"))
                return redirect("legalaid:case", number=application.case.number)
            messages.success(request, _("已决定不予法律援助，决定书已生成。"))
            return redirect("legalaid:refusal_letter", number=number)
        status = 400
    can_decide = (
        services.is_officer_of(user, application.centre_id)
        and application.status == ApplicationStatus.SUBMITTED
    )
    return render(
        request,
        "legalaid/review.html",
        {
            "application": application,
            "assessment": services.assess_eligibility(application),
            "documents": application.documents.all(),
            "form": form,
            "can_decide": can_decide,
            "materials_form": materials
            if can_decide and application.materials_requested_at is None
            else None,
            "can_withdraw": can_decide
            and application.materials_requested_at is not None
            and application.materials_supplied_at is None
            and application.provisional_at is None,
            "first_form": first if can_decide and application.provisional_at is None else None,
        },
        status=status,
    )


# --- cases ---------------------------------------------------------------------------------


@staff_view(*CASE_READERS)
def case_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    cases = selectors.cases_for_user(user)
    status_filter = request.GET.get("status", "")
    if status_filter in CaseStatus.values:
        cases = cases.filter(status=status_filter)
    return render(
        request,
        "legalaid/case_list.html",
        {
            "cases": cases[:200],
            "statuses": CaseStatus.choices,
            "status_filter": status_filter,
            "mine": user.role == Role.LAWYER,
        },
    )


def _provider_choices(case: AidCase) -> list[tuple[Any, str]]:
    return [
        (
            member.pk,
            f"{member.practitioner.name} · {member.practitioner.institution.name} · "
            f"{member.get_qualification_level_display()} · 在办{member.open_load}件",  # type: ignore[attr-defined]
        )
        for member in services.eligible_providers(case)
    ]


def _case_forms(user: User, case: AidCase, data: Any = None, files: Any = None) -> dict[str, Any]:
    action = data.get("action") if data is not None else None

    def bound(name: str) -> tuple[Any, Any]:
        return (data, files) if action == name else (None, None)

    experts = [
        (e.pk, f"{e.name}（{e.get_affiliation_display()}）")
        for e in selectors.experts_for_user(user)
    ]
    return {
        "assign": AssignForm(*bound("assign"), prefix="assign", providers=_provider_choices(case))
        if services.is_officer_of(user, case.centre_id) and case.status in OPEN_CASE_STATUSES
        else None,
        "terminate": TerminationForm(*bound("terminate"), prefix="terminate")
        if services.is_officer_of(user, case.centre_id) and case.status in OPEN_CASE_STATUSES
        else None,
        "milestone": MilestoneForm(*bound("milestone"), prefix="milestone"),
        "upload": UploadForm(*bound("upload"), prefix="upload"),
        "close": CloseForm(*bound("close"), prefix="close"),
        "hearing": HearingForm(*bound("hearing"), prefix="hearing"),
        "attend": AttendanceForm(*bound("attend"), prefix="attend"),
        "visit": VisitForm(*bound("visit"), prefix="visit"),
        "decide_complaint": ComplaintDecisionForm(*bound("decide_complaint"), prefix="dc"),
        "review": ReviewForm(*bound("review"), prefix="review", experts=experts),
    }


def _run_action(user: User, case: AidCase, action: str, data: dict[str, Any]) -> str:
    """Call the service an action names; returns the success message."""
    if action == "assign":
        provider = (
            selectors.get_pool_member_for_user(user, int(data["provider"]))
            if data["provider"]
            else None
        )
        if case.status == CaseStatus.AWAITING_ASSIGNMENT:
            services.assign_case(case, acting_user=user, provider=provider, reason=data["reason"])
            return _("已指派，受援人将收到短信通知。")
        services.reassign_case(case, acting_user=user, provider=provider, reason=data["reason"])
        return _("已更换承办人员。")
    if action == "terminate":
        services.terminate_case(
            case, ground=data["ground"], reasons=data["reasons"], acting_user=user
        )
        return _("已作出终止法律援助决定，受援人和承办人员将收到通知。")
    if action == "milestone":
        services.record_milestone(case, acting_user=user, **data)
        return _("办案节点已记录。")
    if action == "upload":
        services.upload_document(data["file"], kind=data["kind"], case=case, acting_user=user)
        return _("材料已上传。")
    if action == "close":
        services.close_case(case, summary=data["summary"], acting_user=user)
        return _("案件已结案。")
    if action == "hearing":
        services.plan_hearing(case, acting_user=user, **data)
        return _("旁听计划已登记。")
    if action == "attend":
        hearing = selectors.get_hearing_for_user(user, data["hearing"])
        services.record_hearing_attendance(
            hearing,
            attended_on=data["attended_on"],
            observations=data["observations"],
            acting_user=user,
        )
        return _("旁听情况已记录。")
    if action == "visit":
        services.record_visit(case, acting_user=user, **data)
        return _("回访已记录。")
    if action == "decide_complaint":
        complaint = selectors.get_complaint_for_user(user, data["complaint"])
        services.decide_complaint(
            complaint, upheld=data["upheld"], outcome=data["outcome"], acting_user=user
        )
        return _("投诉处理结果已记录。")
    if action == "review":
        expert = (
            selectors.get_expert_for_user(user, int(data["expert"])) if data["expert"] else None
        )
        review = services.review_case(
            case,
            method=data["method"],
            score=data["score"],
            comments=data["comments"],
            court_opinion=data["court_opinion"],
            procuratorate_opinion=data["procuratorate_opinion"],
            expert=expert,
            acting_user=user,
        )
        return _("质量评估已记录：%(grade)s。") % {"grade": review.get_grade_display()}
    raise DomainError(_("未知的操作。"))


@staff_view(*CASE_READERS)
def case_detail(request: HttpRequest, number: str) -> HttpResponse:
    user = acting_user(request)
    case = selectors.get_case_for_user(user, number)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        forms_by_action = _case_forms(user, case, request.POST, request.FILES)
        form: forms.Form | None = forms_by_action.get(action)
        if form is not None:
            done = submit(form, lambda data: _run_action(user, case, action, data))
            if done.ok:
                messages.success(request, done.value)
                return redirect("legalaid:case", number=number)
        status = 400
    else:
        forms_by_action = _case_forms(user, case)
    return render(
        request,
        "legalaid/case_detail.html",
        {
            "case": case,
            "forms": forms_by_action,
            "assignments": case.assignments.select_related("provider__practitioner", "assigned_by"),
            "milestones": case.milestones.all(),
            "documents": case.documents.all(),
            "hearings": case.hearings.all(),
            "visits": case.visits.all(),
            "complaints": case.complaints.select_related("provider__practitioner"),
            "reviews": case.reviews.select_related("expert"),
            "is_provider": services.is_provider_of(user, case),
            "is_officer": services.is_officer_of(user, case.centre_id),
            "is_supervisor": services.supervises(user, case.region),
            "open_complaint": ComplaintStatus.OPEN,
        },
        status=status,
    )


# --- pool, supervision, figures ------------------------------------------------------------


@staff_view(OFFICER, *SUPERVISORS)
def pool(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    members = selectors.pool_for_user(user)
    active = [
        (m.pk, f"{m.practitioner.name}（{m.centre.name}）")
        for m in members
        if m.status == PoolStatus.ACTIVE
    ]
    exclude_form = ExcludeForm(prefix="exclude")
    duty_form = DutyShiftForm(prefix="duty", members=active)
    add_form = PoolMemberForm(prefix="add")
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "exclude":
                exclude_form = ExcludeForm(request.POST, prefix="exclude")
                if exclude_form.is_valid():
                    member = selectors.get_pool_member_for_user(
                        user, exclude_form.cleaned_data["member"]
                    )
                    services.exclude_provider(
                        member, reason=exclude_form.cleaned_data["reason"], acting_user=user
                    )
                    messages.success(request, _("已清退。"))
                    return redirect("legalaid:pool")
            elif action == "add" and user.role == OFFICER and user.institution is not None:
                add_form = PoolMemberForm(request.POST, prefix="add")
                if add_form.is_valid():
                    try:
                        candidate = selectors.provider_candidate_by_licence(
                            add_form.cleaned_data["licence_number"]
                        )
                    except NotFound as missing:
                        raise InvalidInput(str(missing), field="licence_number") from None
                    services.add_pool_member(
                        user.institution,
                        candidate,
                        acting_user=user,
                        is_public_sector_lawyer=add_form.cleaned_data["is_public_sector_lawyer"],
                    )
                    messages.success(request, _("已加入人员库。"))
                    return redirect("legalaid:pool")
            elif action == "duty":
                duty_form = DutyShiftForm(request.POST, prefix="duty", members=active)
                if duty_form.is_valid():
                    data = duty_form.cleaned_data
                    member = selectors.get_pool_member_for_user(user, int(data["member"]))
                    services.add_duty_shift(
                        member,
                        place_kind=data["place_kind"],
                        place_name=data["place_name"],
                        on_date=data["on_date"],
                        acting_user=user,
                    )
                    messages.success(request, _("值班已排定。"))
                    return redirect("legalaid:pool")
        except DomainError as error:
            target = {"exclude": exclude_form, "add": add_form}.get(action or "", duty_form)
            show_domain_error(target, error)
        status = 400
    shifts = selectors.duty_shifts_for_user(user).filter(on_date__gte=timezone.localdate())[:100]
    return render(
        request,
        "legalaid/pool.html",
        {
            "members": members,
            "exclude_form": exclude_form,
            "duty_form": duty_form,
            "add_form": add_form,
            "shifts": shifts,
            "can_manage": user.role == OFFICER or user.role in SUPERVISOR_ROLES,
            "is_officer": user.role == OFFICER,
        },
        status=status,
    )


@staff_view(OFFICER, *SUPERVISORS)
def supervision(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    centres = [
        (c.pk, c.name) for c in institutions_for_user(user, kind=InstitutionKind.LEGAL_AID_CENTRE)
    ]
    form = SampleForm(
        prefix="sample", centres=centres, initial={"period": str(timezone.localdate().year)}
    )
    status = 200
    if request.method == "POST" and request.POST.get("action") == "decide_objection":
        decision_form = ObjectionDecisionForm(request.POST, prefix="objection")
        done = submit(
            decision_form,
            lambda data: services.decide_objection(
                selectors.get_objection_for_user(user, data["objection"]),
                correct=data["outcome"] == "correct",
                decision=data["decision"],
                acting_user=user,
            ),
        )
        if done.ok:
            messages.success(request, "异议审查决定已作出，申请人将收到短信通知。")
            return redirect("legalaid:supervision")
        messages.error(
            request,
            "异议审查未能保存："
            + "；".join(str(e) for errors in decision_form.errors.values() for e in errors),
        )
        status = 400
    elif request.method == "POST":
        form = SampleForm(request.POST, prefix="sample", centres=centres)
        done = submit(
            form,
            lambda data: services.draw_quality_sample(
                institutions_for_user(user).get(pk=int(data["centre"])),
                period=data["period"],
                acting_user=user,
            ),
        )
        if done.ok:
            sample = done.value
            messages.success(
                request,
                _("已抽取 %(n)s 件（期间结案 %(total)s 件）。")
                % {"n": sample.cases.count(), "total": sample.closed_count},
            )
            return redirect("legalaid:supervision")
        status = 400
    return render(
        request,
        "legalaid/supervision.html",
        {
            "form": form,
            "samples": selectors.samples_for_user(user).order_by("-drawn_at")[:20],
            "hearings": selectors.hearings_for_user(user).order_by("-planned_for")[:50],
            "complaints": selectors.complaints_for_user(user)[:50],
            "full_follow": selectors.cases_for_user(user)
            .filter(full_follow=True)
            .exclude(status=CaseStatus.CLOSED)[:50],
            "objections": selectors.objections_for_user(user)[:50],
            "can_review_objections": user.role in SUPERVISOR_ROLES,
            "pending_objection": ObjectionStatus.PENDING,
        },
        status=status,
    )


@staff_view(*SUPERVISORS)
def figures(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    year = page_year(request.GET.get("year"))
    tables = [
        selectors.figures_for_region(region, year)
        for region in selectors.figure_regions_for_user(user)
    ]
    return render(request, "legalaid/figures.html", {"tables": tables, "year": year})
