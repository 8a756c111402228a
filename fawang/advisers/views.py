"""Pages. Console: the adviser's villages, ledger, bookings and notices; the bureau's and
justice office's coverage, appointments, evaluation, training and 法律明白人. Portal: a villager
finds their adviser, books, rates and reads notices."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fawang.advisers import reports, selectors, services
from fawang.advisers.models import (
    AppointmentMode,
    AppointmentStatus,
    ExitReason,
    LiaisonRole,
    Notice,
    NoticeSubscription,
    ServiceMode,
)
from fawang.advisers.policy import advisers_policy
from fawang.core.errors import DomainError
from fawang.core.models import (
    SUPERVISOR_ROLES,
    Practitioner,
    PractitionerStatus,
    Region,
    RegionLevel,
    Role,
    User,
)
from fawang.core.replica import reads_replica
from fawang.core.selectors import one_in_scope
from fawang.core.web import acting_user, citizen_view, page_of, staff_view

ADVISER_ROLES = (Role.COMMUNITY_ADVISER, Role.LAWYER)
STAFF = (*ADVISER_ROLES, *SUPERVISOR_ROLES)


def _run(request: HttpRequest, action: Callable[[], Any]) -> str:
    """Run a service call for a POST; the message of a refusal (in the user's language), or ''."""
    try:
        action()
    except DomainError as exc:
        return exc.message
    return ""


def _quarter(request: HttpRequest) -> tuple[int, int]:
    year, quarter = reports.current_quarter(timezone.localdate())
    raw = request.GET.get("quarter", "")
    if (
        len(raw) == 6
        and raw[:4].isdigit()
        and 2000 <= int(raw[:4]) <= 2100
        and raw[4] == "Q"
        and raw[5] in "1234"
    ):
        year, quarter = int(raw[:4]), int(raw[5])
    return year, quarter


def _village(code: str) -> Region | None:
    """The village (or community) with this 12-digit code, None when there is none."""
    return Region.objects.filter(code=code.strip()[:12], level=RegionLevel.VILLAGE).first()


def _is_supervisor(user: User) -> bool:
    return user.role in SUPERVISOR_ROLES


# --- console ----------------------------------------------------------------------------------


@staff_view(*STAFF)
def home(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if _is_supervisor(user):
        return redirect("advisers:coverage")
    today = timezone.localdate()
    mine = list(selectors.advisers_for_user(user).filter(ended_on__isnull=True))
    rows = [(a, reports.completion(a, today, advisers_policy(a.village))) for a in mine]
    bookings = selectors.appointments_for_staff(user).filter(status=AppointmentStatus.BOOKED)
    matters = selectors.matters_for_user(user).filter(entry__isnull=True)
    return render(
        request,
        "advisers/home.html",
        {"rows": rows, "bookings": bookings.order_by("slot")[:50], "matters": matters[:50]},
    )


def _region_for(user: User, code: str) -> Region:
    root = user.region
    if root is None:
        return one_in_scope(Region.objects.none(), pk=0)
    if code:
        return one_in_scope(Region.objects.filter(path__startswith=root.path), code=code)
    return root


@staff_view(*SUPERVISOR_ROLES)
@reads_replica
def coverage(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    region = _region_for(user, request.GET.get("region", "")[:12])
    today = timezone.localdate()
    total, rows = reports.coverage(region, today)
    uncovered = reports.uncovered_villages(region, today)
    return render(
        request,
        "advisers/coverage.html",
        {
            "region": region,
            "total": total,
            "rows": rows,
            "page": page_of(request, uncovered, 50),
            "drill": region.level in (RegionLevel.CITY, RegionLevel.DISTRICT),
        },
    )


def _eligible_practitioners(user: User) -> list[Practitioner]:
    region = user.region
    district = region.district if region is not None else None
    base = district or region
    if base is None:
        return []
    return list(
        Practitioner.objects.filter(
            kind__in=services.ADVISER_KINDS,
            status=PractitionerStatus.PRACTISING,
            institution__region__path__startswith=base.path,
        )
        .select_related("institution")
        .order_by("kind", "name")[:300]
    )


@staff_view(*SUPERVISOR_ROLES)
def appointments(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    error = ""
    if request.method == "POST":
        p = request.POST
        action = p.get("action", "")
        if action == "appoint":
            village = _village(p.get("village_code", ""))
            error = _run(
                request,
                lambda: services.appoint(
                    village.pk if village else 0,
                    p.get("practitioner_id"),
                    p.get("term_start") or None,
                    acting_user=user,
                ),
            )
        else:
            adviser = selectors.get_adviser_for_user(user, int(p.get("adviser", "0") or 0))
            if action == "adjust":
                error = _run(
                    request,
                    lambda: services.adjust(
                        adviser, p.get("practitioner_id"), p.get("note", ""), acting_user=user
                    ),
                )
            else:
                error = _run(
                    request,
                    lambda: services.end_appointment(
                        adviser, p.get("exit_reason", ""), p.get("note", ""), acting_user=user
                    ),
                )
        if not error:
            return redirect("advisers:appointments")
    q = request.GET.get("q", "").strip()[:30]
    qs = selectors.advisers_for_user(user)
    if q:
        qs = qs.filter(village__name__contains=q) | qs.filter(practitioner__name__contains=q)
    return render(
        request,
        "advisers/appointments.html",
        {
            "page": page_of(request, qs.order_by("ended_on", "village__code"), 30),
            "q": q,
            "error": error,
            "values": request.POST if error else {},
            "practitioners": _eligible_practitioners(user),
            "reasons": ExitReason.choices,
            "selected": _selected(user, request.GET.get("adviser", "")),
        },
        status=400 if error else 200,
    )


def _selected(user: User, raw: str) -> Any:
    """The open appointment picked for adjustment or exit (404 outside the user's scope)."""
    if not raw.isdigit():
        return None
    return selectors.get_adviser_for_user(user, int(raw)) if raw else None


@staff_view(*STAFF)
def ledger(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    error = ""
    mine = list(selectors.advisers_for_user(user).filter(ended_on__isnull=True))
    if request.method == "POST":
        p = request.POST
        adviser = selectors.get_adviser_for_user(user, int(p.get("adviser", "0") or 0))
        error = _run(
            request,
            lambda: services.record_service(
                adviser,
                services.ServiceIn(
                    item=p.get("item", ""),
                    served_on=p.get("served_on", ""),
                    people_served=p.get("people_served", ""),
                    minutes=p.get("minutes", ""),
                    mode=p.get("mode", ""),
                    note=p.get("note", ""),
                    appointment_id=int(p["appointment"])
                    if p.get("appointment", "").isdigit()
                    else None,
                    matter_id=int(p["matter"]) if p.get("matter", "").isdigit() else None,
                ),
                acting_user=user,
            ),
        )
        if not error:
            return redirect("advisers:ledger")
    values = request.POST if error else request.GET
    items: dict[str, str] = {}
    for a in mine:
        district = a.village.district
        for item in advisers_policy(a.village).items_for(district.code if district else None):
            items.setdefault(item.code, item.label + (_("（特色）") if item.special else ""))
    page = page_of(request, selectors.ledger_for_user(user), 30)
    labels = _all_labels(page)
    for entry in page:
        entry.item_label = labels.get(entry.item, _("其他服务"))
    return render(
        request,
        "advisers/ledger.html",
        {
            "mine": mine,
            "items": items,
            "modes": ServiceMode.choices,
            "page": page,
            "error": error,
            "values": values,
            "today": timezone.localdate(),
            "is_adviser": not _is_supervisor(user),
        },
        status=400 if error else 200,
    )


def _all_labels(entries: Any) -> dict[str, str]:
    """Item labels for a bureau's view of entries from several districts."""
    labels: dict[str, str] = {}
    for entry in entries:
        if entry.item not in labels:
            district = entry.adviser.village.district
            for item in advisers_policy(entry.adviser.village).items_for(
                district.code if district else None
            ):
                labels.setdefault(item.code, item.label)
    return labels


@staff_view(*STAFF)
def evaluation(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    year, quarter = _quarter(request)
    error = ""
    if request.method == "POST":
        p = request.POST
        adviser = selectors.get_adviser_for_user(user, int(p.get("adviser", "0") or 0))
        error = _run(
            request,
            lambda: services.score_quarter(
                adviser,
                year,
                quarter,
                committee_score=p.get("committee_score", ""),
                committee_rater=p.get("committee_rater", ""),
                ledger_score=p.get("ledger_score", ""),
                ledger_note=p.get("ledger_note", ""),
                acting_user=user,
            ),
        )
        if not error:
            return redirect(f"{request.path}?quarter={year}Q{quarter}")
    months = reports.quarter_months(year, quarter)
    end = reports.month_bounds(months[-1])[1]
    qs = (
        selectors.advisers_for_user(user).filter(term_start__lt=end).exclude(ended_on__lt=months[0])
    )
    page = page_of(request, qs.order_by("village__code"), 20)
    rows = [reports.evaluate(a, year, quarter) for a in page]
    return render(
        request,
        "advisers/evaluation.html",
        {
            "rows": rows,
            "page": page,
            "year": year,
            "quarter": quarter,
            "quarters": _quarter_choices(),
            "error": error,
            "is_supervisor": _is_supervisor(user),
        },
        status=400 if error else 200,
    )


def _quarter_choices() -> list[tuple[str, str]]:
    year, quarter = reports.current_quarter(timezone.localdate())
    out = []
    for _step in range(6):
        label = _("%(year)s年第%(quarter)s季度") % {"year": year, "quarter": quarter}
        out.append((f"{year}Q{quarter}", label))
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    return out


@staff_view(*ADVISER_ROLES)
def notices(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    error = ""
    mine = list(selectors.advisers_for_user(user).filter(ended_on__isnull=True))
    if request.method == "POST":
        p = request.POST
        error = _run(
            request,
            lambda: services.push_notice(
                [int(v) for v in p.getlist("village_ids") if v.isdigit()],
                p.get("title", ""),
                p.get("body", ""),
                p.get("by_sms") == "1",
                acting_user=user,
            ),
        )
        if not error:
            return redirect("advisers:notices")
    return render(
        request,
        "advisers/notices.html",
        {
            "mine": mine,
            "notices": selectors.notices_for_user(user)[:50],
            "error": error,
            "values": request.POST if error else {},
        },
        status=400 if error else 200,
    )


@staff_view(*STAFF)
def liaisons(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    error = ""
    if request.method == "POST":
        p = request.POST
        action = p.get("action", "")
        if action == "add":
            village = _village(p.get("village_code", ""))
            error = _run(
                request,
                lambda: services.add_liaison(
                    village.pk if village else 0,
                    p.get("name", ""),
                    p.get("phone", ""),
                    p.get("role", ""),
                    p.get("trained_on") or None,
                    acting_user=user,
                ),
            )
        else:
            liaison = selectors.get_liaison_for_user(user, int(p.get("liaison", "0") or 0))
            if action == "matter":
                error = _run(
                    request,
                    lambda: services.raise_matter(liaison, p.get("text", ""), acting_user=user),
                )
            else:
                error = _run(request, lambda: services.liaison_leaves(liaison, acting_user=user))
        if not error:
            return redirect("advisers:liaisons")
    qs = selectors.liaisons_for_user(user).filter(left_on__isnull=True)
    villages = Region.objects.filter(pk__in=qs.values("village_id"))
    try:
        policy = advisers_policy(user.region or villages.first())
    except DomainError:  # an account in no city with a pack: no targets to compare
        policy = None
    ratios = reports.liaison_ratios(villages, policy) if policy else []
    return render(
        request,
        "advisers/liaisons.html",
        {
            "page": page_of(request, qs, 30),
            "ratios": [r for r in ratios if r.short][:100],
            "policy": policy,
            "roles": LiaisonRole.choices,
            "matters": selectors.matters_for_user(user)[:50],
            "error": error,
            "values": request.POST if error else {},
        },
        status=400 if error else 200,
    )


@staff_view(*STAFF)
def training(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    error = ""
    if request.method == "POST" and _is_supervisor(user):
        p = request.POST
        error = _run(
            request,
            lambda: services.record_training(
                p.get("practitioner_id"),
                p.get("held_on", ""),
                p.get("topic", ""),
                p.get("hours", ""),
                p.get("organiser", ""),
                acting_user=user,
            ),
        )
        if not error:
            return redirect("advisers:training")
    people = (
        Practitioner.objects.filter(
            pk__in=selectors.advisers_for_user(user)
            .filter(ended_on__isnull=True)
            .values("practitioner_id")
        ).order_by("name")[:300]
        if _is_supervisor(user)
        else []
    )
    return render(
        request,
        "advisers/training.html",
        {
            "page": page_of(request, selectors.training_for_user(user), 30),
            "people": people,
            "error": error,
            "values": request.POST if error else {},
            "is_supervisor": _is_supervisor(user),
        },
        status=400 if error else 200,
    )


# --- portal -----------------------------------------------------------------------------------


def _chosen_village(request: HttpRequest) -> Region | None:
    code = request.GET.get("village", "") or request.POST.get("village", "")
    if code:
        return _village(code)
    user: Any = request.user
    if user.is_authenticated and user.region_id and user.region.level == RegionLevel.VILLAGE:
        return user.region
    return None


def find(request: HttpRequest) -> HttpResponse:
    """找我的法律顾问: by village name (or the account's own village), then book."""
    q = request.GET.get("q", "").strip()[:30]
    village = _chosen_village(request)
    matches = []
    if q and village is None:
        matches = list(
            Region.objects.filter(level=RegionLevel.VILLAGE, name__contains=q)
            .select_related("parent__parent")
            .order_by("code")[:30]
        )
    adviser = services.active_adviser(village) if village else None
    items = []
    if village is not None:
        district = village.district
        try:
            items = list(advisers_policy(village).items_for(district.code if district else None))
        except DomainError:
            items = []
    user: Any = request.user
    error = ""
    if request.method == "POST":
        if not (user.is_authenticated and user.is_citizen):
            return redirect(f"{reverse('portal:login')}?next={request.path}")
        p = request.POST
        error = _run(
            request,
            lambda: services.book(
                user, village.pk if village else 0, p.get("slot", ""), p.get("topic", ""),
                p.get("mode", ""),
            ),
        )  # fmt: skip
        if not error:
            return redirect("advisers:mine")
    return render(
        request,
        "advisers/find.html",
        {
            "q": q,
            "village": village,
            "matches": matches,
            "adviser": adviser,
            "items": items,
            "notices": selectors.notices_for_village(village)[:10] if village else [],
            "modes": AppointmentMode.choices,
            "error": error,
            "values": request.POST if error else {},
            "can_book": user.is_authenticated and user.is_citizen,
            "subscribed": village is not None
            and user.is_authenticated
            and NoticeSubscription.objects.filter(citizen_id=user.pk, village=village).exists(),
        },
        status=400 if error else 200,
    )


@citizen_view
def mine(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    error = ""
    if request.method == "POST":
        p = request.POST
        action = p.get("action", "")
        if action == "opt_in":
            error = _run(
                request, lambda: services.opt_in(user, p.get("village_id"), p.get("on") == "1")
            )
        else:
            appointment = selectors.get_appointment_of_citizen(
                user, int(p.get("appointment", "0") or 0)
            )
            if action == "rate":
                error = _run(
                    request,
                    lambda: services.rate(
                        appointment, p.get("score", ""), p.get("comment", ""), citizen=user
                    ),
                )
            else:
                error = _run(request, lambda: services.cancel_booking(appointment, citizen=user))
        if not error:
            return redirect("advisers:mine")
    return render(
        request,
        "advisers/mine.html",
        {"appointments": selectors.appointments_of_citizen(user)[:50], "error": error},
        status=400 if error else 200,
    )


def notice(request: HttpRequest, pk: int) -> HttpResponse:
    """A notice (public); a villager's opening of it counts as read."""
    found = one_in_scope(Notice.objects.select_related("practitioner"), pk=pk)
    user: Any = request.user
    if user.is_authenticated and user.is_citizen:
        services.mark_read(found, citizen=user)
    return render(request, "advisers/notice.html", {"notice": found})
