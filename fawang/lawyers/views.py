"""Pages. Lawyer: my hours, my credit record, my reports; firm admin: the firm's lawyers and
inspections; bureau: the hours board and figures, activities to confirm, credit and inspections,
practice-rights reports, the foreign-related pool. Public: the credit pages."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from fawang.core.errors import DomainError, NotFound
from fawang.core.models import SUPERVISOR_ROLES, Role, User
from fawang.core.periods import page_year
from fawang.core.replica import reads_replica
from fawang.core.web import acting_user, staff_view
from fawang.lawyers import figures, selectors, services
from fawang.lawyers.models import (
    ActivityKind,
    CreditKind,
    FirmType,
    ForeignTalent,
    GroupKind,
    LawyerKind,
    Obstruction,
    OrganKind,
    ReportStatus,
    ReviewResult,
)
from fawang.lawyers.policy import lawyers_policy

Action = Callable[[User, dict[str, Any], Any], object]


def _values(request: HttpRequest) -> dict[str, Any]:
    return {k: request.POST.get(k, "") for k in request.POST}


def _handle(
    request: HttpRequest, actions: Mapping[str, Action], back: str
) -> tuple[HttpResponse | None, str, dict[str, Any]]:
    """Run the posted action; on success redirect back, on refusal keep what was typed."""
    if request.method != "POST":
        return None, "", {}
    values = _values(request)
    action = actions.get(values.get("action", ""))
    if action is None:
        return None, _("未知的操作。"), values
    try:
        action(acting_user(request), values, request.POST)
    except NotFound:
        raise  # outside the user's scope: a 404, so existence does not leak
    except DomainError as exc:
        return None, exc.message, values
    return redirect(back), "", {}


def _int(value: Any) -> int:
    return int(value) if str(value).isdigit() else 0


# --- the lawyer -------------------------------------------------------------------------------


def _log(user: User, v: dict[str, Any], post: Any) -> object:
    return services.log_hours(v.get("activity_id"), v.get("hours"), v.get("note", ""),
                              acting_user=user)  # fmt: skip


def _appeal(user: User, v: dict[str, Any], post: Any) -> object:
    record = selectors.get_my_credit(user, _int(v.get("record")))
    return services.appeal_credit(record, v.get("reason", ""), acting_user=user)


def _report(user: User, v: dict[str, Any], post: Any) -> object:
    return services.report_obstruction(
        obstruction=v.get("obstruction", ""),
        organ_kind=v.get("organ_kind", ""),
        organ_name=v.get("organ_name", ""),
        region_code=v.get("region_code", ""),
        account=v.get("account", ""),
        acting_user=user,
    )


@staff_view(Role.LAWYER)
def mine(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    done, error, values = _handle(
        request, {"log": _log, "appeal": _appeal, "report": _report}, "lawyers:mine"
    )
    if done:
        return done
    year = timezone.localdate().year
    person = services.own_practitioner(user)
    policy = lawyers_policy(person.institution.region)
    return render(
        request,
        "lawyers/mine.html",
        {
            "person": person,
            "year": year,
            "target": policy.hours_target,
            "total": services.confirmed_hours(person.pk, year),
            "hours": selectors.my_hours(user)[:100],
            "activities": selectors.activities_open_to_log(user)[:100],
            "credit": selectors.my_credit(user),
            "reviews": selectors.reviews_for_user(user).filter(practitioner=person),
            "reports": selectors.reports_for_user(user)[:50],
            "obstructions": Obstruction.choices,
            "organ_kinds": OrganKind.choices,
            "districts": figures.districts_of(person.institution.region),
            "is_admin": services.is_firm_admin(user),
            "values": values,
            "error": error,
        },
        status=400 if error else 200,
    )


@staff_view(Role.LAWYER)
def firm(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if not services.is_firm_admin(user):
        raise Http404
    year = timezone.localdate().year
    person = services.own_practitioner(user)
    target = lawyers_policy(person.institution.region).hours_target
    return render(
        request,
        "lawyers/firm.html",
        {
            "firm": person.institution,
            "year": year,
            "target": target,
            "board": selectors.hours_board(user, year, target),
            "people": selectors.people_for_user(user),
            "reviews": selectors.reviews_for_user(user),
            "credit": selectors.my_credit(user),
        },
    )


# --- the bureau -------------------------------------------------------------------------------


@staff_view(*SUPERVISOR_ROLES)
@reads_replica
def board(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    year = page_year(request.GET.get("year"))
    policy = lawyers_policy(user.region)
    checked, passed, rate = selectors.spot_check_rate(user, year)
    return render(
        request,
        "lawyers/board.html",
        {
            "year": year,
            "target": policy.hours_target,
            "board": selectors.hours_board(user, year, policy.hours_target),
            "figures": figures.plan_figures(user, policy),
            "yearly": figures.yearly_figures(user, year, policy),
            "spot": {"checked": checked, "passed": passed, "rate": rate},
            "spot_target": policy.plan_targets.get("spot_check_pass_rate"),
        },
    )


def _activity(user: User, v: dict[str, Any], post: Any) -> object:
    return services.create_activity(
        kind=v.get("kind", ""),
        title=v.get("title", ""),
        held_on=v.get("held_on", ""),
        region_code=v.get("region_code", ""),
        place=v.get("place", ""),
        served=v.get("served") or 0,
        enterprises=v.get("enterprises", "").replace("，", ",").split(","),
        group_id=v.get("group_id") or None,
        acting_user=user,
    )


def _confirm(user: User, v: dict[str, Any], post: Any) -> object:
    row = selectors.get_hours_to_confirm(user, _int(v.get("hours_row")))
    services.confirm_hours(row, v.get("decision") == "confirm", acting_user=user)
    return row


def _group(user: User, v: dict[str, Any], post: Any) -> object:
    return services.create_group(
        name=v.get("name", ""),
        kind=v.get("kind", ""),
        region_code=v.get("region_code", ""),
        member_ids=[m for m in post.getlist("member_ids") if m.isdigit()],
        acting_user=user,
    )


def _placement(user: User, v: dict[str, Any], post: Any) -> object:
    selectors.get_person_for_user(user, _int(v.get("practitioner_id")))
    return services.record_placement(
        practitioner_id=v.get("practitioner_id"),
        host_firm_id=v.get("host_firm_id"),
        starts_on=v.get("starts_on"),
        ends_on=v.get("ends_on"),
        acting_user=user,
    )


@staff_view(*SUPERVISOR_ROLES)
def activities(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    actions = {"activity": _activity, "confirm": _confirm, "group": _group,
               "placement": _placement}  # fmt: skip
    done, error, values = _handle(request, actions, "lawyers:activities")
    if done:
        return done
    return render(
        request,
        "lawyers/activities.html",
        {
            "to_confirm": selectors.hours_to_confirm(user),
            "activities": selectors.activities_for_user(user)[:50],
            "groups": selectors.groups_for_user(user),
            "placements": selectors.placements_for_user(user)[:50],
            "kinds": ActivityKind.choices,
            "group_kinds": GroupKind.choices,
            "districts": selectors.districts_under(user),
            "people": selectors.people_for_user(user).order_by("name")[:300],
            "firms": selectors.firms_for_user(user).order_by("name")[:300],
            "values": values,
            "error": error,
        },
        status=400 if error else 200,
    )


def _credit(user: User, v: dict[str, Any], post: Any) -> object:
    subject = v.get("subject", "")
    return services.record_credit(
        kind=v.get("kind", ""),
        title=v.get("title", ""),
        basis=v.get("basis", ""),
        decided_on=v.get("decided_on", ""),
        practitioner_id=_scoped_person(user, subject),
        institution_id=_scoped_firm(user, subject),
        acting_user=user,
    )


def _scoped_person(user: User, subject: str) -> int | None:
    if subject.startswith("p"):
        return selectors.get_person_for_user(user, _int(subject[1:])).pk
    return None


def _scoped_firm(user: User, subject: str) -> int | None:
    if subject.startswith("f"):
        found = selectors.firms_for_user(user).filter(pk=_int(subject[1:])).first()
        if found is None:
            raise Http404
        return found.pk
    return None


def _decide(user: User, v: dict[str, Any], post: Any) -> object:
    appeal = selectors.get_appeal_for_user(user, _int(v.get("appeal")))
    services.decide_appeal(
        appeal, v.get("decision") == "uphold", v.get("answer", ""), acting_user=user
    )
    return appeal


def _review(user: User, v: dict[str, Any], post: Any) -> object:
    subject = v.get("subject", "")
    return services.record_review(
        year=v.get("year"),
        result=v.get("result", ""),
        practitioner_id=_scoped_person(user, subject),
        institution_id=_scoped_firm(user, subject),
        spot_checked=v.get("spot_checked") == "on",
        party_building_standard=v.get("party_building_standard") == "on",
        note=v.get("note", ""),
        acting_user=user,
    )


@staff_view(*SUPERVISOR_ROLES)
def credit(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    actions = {"credit": _credit, "decide": _decide, "review": _review}
    done, error, values = _handle(request, actions, "lawyers:credit")
    if done:
        return done
    return render(
        request,
        "lawyers/credit.html",
        {
            "records": selectors.credit_for_user(user)[:100],
            "appeals": selectors.appeals_for_user(user)[:50],
            "reviews": selectors.reviews_for_user(user)[:100],
            "people": selectors.people_for_user(user).order_by("name")[:300],
            "firms": selectors.firms_for_user(user).order_by("name")[:300],
            "kinds": CreditKind.choices,
            "results": ReviewResult.choices,
            "year": timezone.localdate().year,
            "values": values,
            "error": error,
        },
        status=400 if error else 200,
    )


def _answer(user: User, v: dict[str, Any], post: Any) -> object:
    report = selectors.get_report_for_user(user, _int(v.get("report")))
    services.answer_report(report, v.get("answer", ""), acting_user=user)
    return report


@staff_view(*SUPERVISOR_ROLES)
def reports(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    done, error, values = _handle(request, {"answer": _answer}, "lawyers:reports")
    if done:
        return done
    qs = selectors.reports_for_user(user)
    return render(
        request,
        "lawyers/reports.html",
        {
            "reports": qs[:100],
            "open_count": qs.exclude(status=ReportStatus.ANSWERED).count(),
            "late_count": qs.filter(status=ReportStatus.ESCALATED).count(),
            "now": timezone.now(),
            "values": values,
            "error": error,
        },
        status=400 if error else 200,
    )


@staff_view(*SUPERVISOR_ROLES)
def pool(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    language = request.GET.get("language", "").strip()[:20]
    jurisdiction = request.GET.get("jurisdiction", "").strip()[:30]
    return render(
        request,
        "lawyers/pool.html",
        {
            "people": selectors.foreign_pool(user, language, jurisdiction),
            "language": language,
            "jurisdiction": jurisdiction,
        },
    )


def _firm_profile(user: User, v: dict[str, Any], post: Any) -> object:
    firm_id = _scoped_firm(user, f"f{_int(v.get('institution_id'))}")
    return services.save_firm_profile(
        firm_id,
        firm_type=v.get("firm_type", ""),
        party_members=v.get("party_members"),
        party_instructor=v.get("party_instructor", ""),
        foreign_branches=v.get("foreign_branches"),
        international_leading=v.get("international_leading") == "on",
        acting_user=user,
    )


def _lawyer_profile(user: User, v: dict[str, Any], post: Any) -> object:
    person = selectors.get_person_for_user(user, _int(v.get("practitioner_id")))
    return services.save_lawyer_profile(
        person.pk,
        lawyer_kind=v.get("lawyer_kind", ""),
        foreign_related=v.get("foreign_related") == "on",
        jurisdictions=v.get("jurisdictions", "").replace("，", ",").split(","),
        foreign_talent=v.get("foreign_talent", ""),
        is_firm_admin=v.get("is_firm_admin") == "on",
        acting_user=user,
    )


@staff_view(*SUPERVISOR_ROLES)
def roster(request: HttpRequest) -> HttpResponse:
    """律师事务所和律师档案: firm type, size, district, party organisation; lawyer kind, practice
    years, specialties, languages, foreign-related capability."""
    user = acting_user(request)
    actions = {"firm": _firm_profile, "lawyer": _lawyer_profile}
    done, error, values = _handle(request, actions, "lawyers:roster")
    if done:
        return done
    firms = selectors.firms_for_user(user).annotate(size=Count("practitioners")).order_by("name")
    return render(
        request,
        "lawyers/roster.html",
        {
            "firms": firms[:300],
            "people": selectors.people_for_user(user).order_by("institution__name", "name")[:500],
            "firm_types": FirmType.choices,
            "lawyer_kinds": LawyerKind.choices,
            "talents": ForeignTalent.choices,
            "values": values,
            "error": error,
        },
        status=400 if error else 200,
    )


# --- public -----------------------------------------------------------------------------------


def credit_search(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:50]
    return render(
        request, "lawyers/credit_search.html", {"q": q, "found": selectors.public_search(q)}
    )


def credit_page(request: HttpRequest, subject: str, pk: int) -> HttpResponse:
    if subject not in {"person", "firm"}:
        raise Http404
    return render(
        request, "lawyers/credit_page.html", {"page": selectors.public_credit_page(subject, pk)}
    )
