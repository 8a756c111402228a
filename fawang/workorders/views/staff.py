"""Staff pages of work orders: queues, intake, the order page and its actions, dispatch rules,
the work-order dashboard and notifications."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fawang.core import selectors, services
from fawang.core.errors import DomainError, NotFound
from fawang.core.models import (
    INTAKE_ROLES,
    RULE_EDITOR_ROLES,
    SERVING_ROLES,
    STAFF_READER_ROLES,
    SUPERVISOR_ROLES,
    Institution,
    Role,
    User,
)
from fawang.core.replica import reads_replica
from fawang.core.taxonomy import Topic
from fawang.core.web import (
    acting_user,
    district_choices,
    home_district,
    page_of,
    staff_view,
    submit,
    supervised_regions,
    township_choices,
)
from fawang.workorders import selectors as order_selectors
from fawang.workorders import services as order_services
from fawang.workorders.forms import (
    SPECIAL_GROUPS,
    AssignForm,
    ClassifyForm,
    CloseForm,
    DashboardForm,
    DispatchRuleForm,
    FollowUpForm,
    QueueFilterForm,
    ReplyForm,
    ReturnForm,
    RouteForm,
    StaffIntakeForm,
    SuperviseForm,
    TransferForm,
    close_reasons,
    institution_choices,
)
from fawang.workorders.models import OPEN_STATUSES, Channel, Status, WorkOrder
from fawang.workorders.views.citizen import INTAKE_FIELD_ALIASES

PAGE_SIZE = 50
ORDER_ROLES = STAFF_READER_ROLES
QUEUE_LABELS = {
    "mine": "我的工单",
    "institution": "本机构队列",
    "overdue": "超时工单",
    "supervised": "督办工单",
    "all": "全部（管辖范围内）",
}


def _queues(user: User) -> list[tuple[str, str]]:
    names = order_selectors.QUEUES if user.institution_id else ("all", "overdue", "supervised")
    return [(name, _(QUEUE_LABELS[name])) for name in names]


@staff_view(*ORDER_ROLES)
def order_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    queues = _queues(user)
    form = QueueFilterForm(request.GET or None, queues=queues)
    form.is_valid()
    data: dict[str, Any] = getattr(form, "cleaned_data", {})
    queue = data.get("queue") or ("institution" if user.institution_id else "all")
    orders = order_selectors.queue_for_user(
        user,
        queue,
        status=data.get("status") or None,
        topic=data.get("topic") or None,
        channel=data.get("channel") or None,
        business_line=data.get("business_line") or None,
        search=(data.get("q") or "").strip() or None,
    )
    return render(
        request,
        "workorders/order_list.html",
        {
            "page": page_of(request, orders, PAGE_SIZE),
            "form": form,
            "queue": queue,
            "queues": queues,
            "can_claim": user.role in SERVING_ROLES,
        },
    )


@require_POST
@staff_view(*SERVING_ROLES)
def claim_next(request: HttpRequest) -> HttpResponse:
    try:
        order = order_services.claim_next(acting_user=acting_user(request))
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("workorders:orders")
    if order is None:
        messages.info(request, _("队列中暂无待领取工单"))
        return redirect(f"{reverse('workorders:orders')}?queue=institution")
    messages.success(request, _("已领取工单 %(number)s。") % {"number": order.number})
    return redirect("workorders:order", number=order.number)


def _channels(user: User) -> list[tuple[str, str]]:
    allowed = order_services.CHANNELS_BY_ROLE.get(Role(user.role), set())
    return [(value, _(str(label))) for value, label in Channel.choices if value in allowed]


@staff_view(*INTAKE_ROLES)
def order_new(request: HttpRequest) -> HttpResponse:
    """The window clerk's or hotline seat's intake form."""
    user = acting_user(request)
    district = request.POST.get("district") or request.GET.get("district") or home_district(user)
    options: dict[str, Any] = {
        "districts": district_choices(),
        "townships": township_choices(district),
        "channels": _channels(user),
    }
    picking_district = request.POST.get("action") == "pick_district"
    status = 200
    if request.method == "POST" and not picking_district:
        form = StaffIntakeForm(request.POST, **options)
        status = 400
        done = submit(
            form,
            lambda data: order_services.create_work_order(
                order_services.Intake(
                    channel=data["channel"],
                    business_line=data["business_line"],
                    topic=data["topic"],
                    title=data["title"],
                    description=data["description"],
                    requester_name=data["requester_name"],
                    requester_phone=data["phone"],
                    region_code=form.region_code,
                    referral_source=data["referral_source"],
                    external_ref=data["external_ref"],
                    special_groups=tuple(data["special_groups"]),
                    home_visit=data["home_visit"],
                    language=data["language"],
                    idempotency_key=data["idempotency_key"],
                ),
                acting_user=user,
            ),
            INTAKE_FIELD_ALIASES,
        )
        if done.ok:
            order = done.value
            messages.success(request, _("已受理，工单编号 %(number)s。") % {"number": order.number})
            return redirect("workorders:order", number=order.number)
    else:
        initial: dict[str, Any] = {}
        if picking_district:
            # The district changed: show its townships and keep what was typed, without errors.
            skip = {"csrfmiddlewaretoken", "action", "township"}
            initial = {k: v for k, v in request.POST.items() if k not in skip}
            initial["special_groups"] = request.POST.getlist("special_groups")
        initial["district"] = district
        form = StaffIntakeForm(initial=initial, **options)
    return render(request, "workorders/order_new.html", {"form": form}, status=status)


# The order page: which actions make sense for this user and this order. The services decide
# for real; this only keeps forms off the page that could not succeed.


def available_actions(user: User, order: WorkOrder) -> list[str]:
    role, state = user.role, order.status
    serving = role in order_services.SERVING_ROLES
    own_queue = serving and order.institution_id is not None
    own_queue = own_queue and order.institution_id == user.institution_id
    bureau = role in RULE_EDITOR_ROLES
    in_queue = state in {Status.QUEUED, Status.CLAIMED}
    actions = []
    if state == Status.NEW and role in order_services.DISPATCHER_ROLES:
        actions.append("route")
    if state == Status.QUEUED and own_queue:
        actions.append("claim")
    # An order that follows a legal-aid or mediation case is answered and closed by its case.
    handler = order.assignee_id == user.pk and not order.case_ref
    if state == Status.CLAIMED and handler:
        actions.append("reply")
    if state in {Status.CLAIMED, Status.REPLIED} and handler and close_reasons(state):
        actions.append("close")
    if in_queue and (own_queue or bureau):
        actions += ["assign", "transfer"]
    if in_queue and own_queue:
        actions.append("return")
    if state in OPEN_STATUSES and role in SUPERVISOR_ROLES:
        actions.append("supervise")
    if state in OPEN_STATUSES and (serving or role in order_services.DISPATCHER_ROLES):
        actions.append("classify")
    if state in {Status.REPLIED, Status.CLOSED} and role in INTAKE_ROLES:
        actions.append("follow_up")
    return actions


def _action_form(name: str, order: WorkOrder, data: Any) -> Any:
    if name in {"transfer", "route"}:
        targets = institution_choices(
            i
            for i in order_selectors.reachable_institutions(order.region)
            if i.pk != order.institution_id
        )
        form_class = TransferForm if name == "transfer" else RouteForm
        return form_class(data, institutions=targets, prefix=name)
    if name == "assign":
        return AssignForm(
            data,
            colleagues=[
                (p.pk, f"{p}（{p.get_role_display()}）") for p in order_selectors.colleagues(order)
            ],
            prefix=name,
        )
    if name == "classify":
        initial = {"topic": order.topic, "business_line": order.business_line}
        return ClassifyForm(data, initial=initial, prefix=name)
    if name == "supervise":
        return SuperviseForm(data, initial={"deadline": order.reply_due_at}, prefix=name)
    if name == "close":
        return CloseForm(data, reasons=close_reasons(order.status), prefix=name)
    simple = {"reply": ReplyForm, "return": ReturnForm, "follow_up": FollowUpForm}
    if name in simple:
        return simple[name](data, prefix=name)
    return forms.Form(data, prefix=name)  # claim: nothing to fill in


ActionRunner = Callable[[WorkOrder, User, dict[str, Any]], str]


def _claim(order: WorkOrder, user: User, data: dict[str, Any]) -> str:
    order_services.claim_order(order, acting_user=user)
    return _("已领取。")


def _assign(order: WorkOrder, user: User, data: dict[str, Any]) -> str:
    assignee = None
    if data["assignee"] is not None:
        assignee = User.objects.filter(pk=data["assignee"]).first()
    order = order_services.assign_order(order, acting_user=user, assignee=assignee)
    return _("已指派给 %(name)s。") % {"name": order.assignee}


def _reply(order: WorkOrder, user: User, data: dict[str, Any]) -> str:
    order_services.reply_to_order(order, reply=data["reply"], acting_user=user)
    return _("已答复。")


def _close(order: WorkOrder, user: User, data: dict[str, Any]) -> str:
    order_services.close_by_seat(
        order,
        reason=data["reason"],
        note=data["note"],
        duplicate_of=data["duplicate_of"],
        acting_user=user,
    )
    return _("工单已办结。")


def _transfer(order: WorkOrder, user: User, data: dict[str, Any]) -> str:
    target = order_services.institution_by_id(data["institution"])
    order_services.transfer_order(order, target, reason=data["reason"], acting_user=user)
    return _("已转办至 %(name)s。") % {"name": target.name}


def _route(order: WorkOrder, user: User, data: dict[str, Any]) -> str:
    target = order_services.institution_by_id(data["institution"])
    order_services.route_order(order, target, acting_user=user)
    return _("已分派至 %(name)s。") % {"name": target.name}


def _return(order: WorkOrder, user: User, data: dict[str, Any]) -> str:
    order_services.return_order(order, reason=data["reason"], acting_user=user)
    return _("已退回，等待重新分派。")


def _supervise(order: WorkOrder, user: User, data: dict[str, Any]) -> str:
    order_services.supervise_order(
        order, note=data["note"], new_deadline=data["deadline"], acting_user=user
    )
    return _("已督办。")


def _classify(order: WorkOrder, user: User, data: dict[str, Any]) -> str:
    order_services.confirm_topic(
        order, topic=data["topic"], business_line=data["business_line"], acting_user=user
    )
    return _("分类已确认。")


def _follow_up(order: WorkOrder, user: User, data: dict[str, Any]) -> str:
    order_services.record_follow_up(
        order,
        reached=data["reached"],
        satisfaction=data["satisfaction"],
        note=data["note"],
        acting_user=user,
    )
    return _("回访已记录。")


# In page order: (section heading, button).
ACTION_LABELS = {
    "claim": ("领取", "领取此工单"),
    "reply": ("答复", "提交答复"),
    "close": ("办结工单", "办结"),
    "assign": ("指派", "指派"),
    "transfer": ("转办", "转办"),
    "return": ("退回", "退回重新分派"),
    "route": ("分派", "分派"),
    "classify": ("确认分类", "确认分类"),
    "supervise": ("督办此工单", "发出督办"),
    "follow_up": ("回访", "记录回访"),
}
SPECIAL_GROUP_LABELS = dict(SPECIAL_GROUPS)

ACTIONS: dict[str, ActionRunner] = {
    "claim": _claim,
    "assign": _assign,
    "reply": _reply,
    "close": _close,
    "transfer": _transfer,
    "route": _route,
    "return": _return,
    "supervise": _supervise,
    "classify": _classify,
    "follow_up": _follow_up,
}


@staff_view(*ORDER_ROLES)
def order_detail(request: HttpRequest, number: str) -> HttpResponse:
    user = acting_user(request)
    order = order_selectors.get_order_for_user(user, number)
    posted = request.POST.get("action") if request.method == "POST" else None
    action_error = None
    status = 200
    bound = {}
    if posted is not None:
        status = 400
        if posted not in ACTIONS:
            action_error = _("未知的操作。")
        else:
            form = bound[posted] = _action_form(posted, order, request.POST)
            done = submit(form, lambda data: ACTIONS[posted](order, user, data))
            if done.ok:
                messages.success(request, done.value)
                # A practitioner who transfers or returns an order no longer sees it.
                still_visible = order_selectors.orders_for_user(user).filter(pk=order.pk)
                if still_visible.exists():
                    return redirect("workorders:order", number=order.number)
                return redirect("workorders:orders")
            order.refresh_from_db()
    actions = available_actions(user, order)
    panels = [
        {
            "name": name,
            "title": _(ACTION_LABELS[name][0]),
            "button": _(ACTION_LABELS[name][1]),
            "form": bound.get(name) or _action_form(name, order, None),
        }
        for name in ACTION_LABELS
        if name in actions
    ]
    if posted in bound and posted not in actions:
        # The order moved on (someone else acted first): show why beside the page heading.
        errors = bound[posted].errors
        action_error = " ".join(str(e) for field in errors.values() for e in field)
    return render(
        request,
        "workorders/order_detail.html",
        {
            "order": order,
            "events": order.events.select_related("actor", "institution"),
            "follow_ups": order.follow_ups.select_related("made_by"),
            "suggested_topics": _suggestions(order),
            "panels": panels,
            "special_groups": [SPECIAL_GROUP_LABELS.get(g, g) for g in order.special_groups],
            "complaints": order.complaints.order_by("created_at"),
            "action_error": action_error,
            "reply_assist": "reply" in actions,
        },
        status=status,
    )


def _suggestions(order: WorkOrder) -> list[tuple[str, int]]:
    labels = dict(Topic.choices)
    ranked = sorted((order.suggested_topics or {}).items(), key=lambda kv: -kv[1])
    return [
        (_(str(labels[topic])), round(score * 100)) for topic, score in ranked if topic in labels
    ]


# --- dispatch rules -------------------------------------------------------------------------


def _rule_regions(user: User) -> list[tuple[str, str]]:
    if user.region is None:
        return []
    children = selectors.regions(parent_code=user.region.code).order_by("code")
    return [(user.region.code, user.region.name)] + [(r.code, f"— {r.name}") for r in children]


@staff_view(*RULE_EDITOR_ROLES)
def dispatch_rules(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    rule_id = request.POST.get("rule_id") or request.GET.get("rule")
    editing = None
    if rule_id:
        if not str(rule_id).isdigit():
            raise NotFound(selectors.NOT_FOUND_MESSAGE)
        editing = order_selectors.get_dispatch_rule_for_user(user, int(rule_id))
    if editing is not None:
        initial: dict[str, Any] = {
            "region": editing.region.code,
            "institution": editing.institution_id,
            "business_line": editing.business_line,
            "topic": editing.topic,
            "priority": editing.priority,
            "active": editing.active,
            "rule_id": editing.pk,
        }
    else:
        initial = {"region": user.region.code if user.region else "", "active": True}
    institutions = (
        order_selectors.reachable_institutions(
            user.region, whole_city=user.role == Role.SUPERVISOR_CITY
        )
        if user.region
        else Institution.objects.none()
    )
    form = DispatchRuleForm(
        request.POST or None,
        initial=initial,
        regions=_rule_regions(user),
        institutions=institution_choices(institutions),
    )
    status = 200
    if request.method == "POST":
        status = 400
        saved = submit(
            form,
            lambda data: order_services.save_dispatch_rule(
                acting_user=user,
                rule=editing,
                region=services.region_by_code(data["region"], field="region"),
                institution=order_services.institution_by_id(data["institution"]),
                business_line=data["business_line"],
                topic=data["topic"],
                priority=data["priority"],
                active=data["active"],
            ),
        )
        if saved.ok:
            messages.success(request, _("分派规则已保存。"))
            return redirect("workorders:dispatch_rules")
    rules = order_selectors.dispatch_rules_for_user(user).order_by("region__code", "priority")
    return render(
        request,
        "workorders/dispatch_rules.html",
        {"page": page_of(request, rules, PAGE_SIZE), "form": form, "editing": editing},
        status=status,
    )


# --- dashboard ------------------------------------------------------------------------------


def _midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


@staff_view(*SUPERVISOR_ROLES)
@reads_replica
def dashboard(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if user.region is None:
        raise NotFound(selectors.NOT_FOUND_MESSAGE)
    today = timezone.localdate()
    defaults: dict[str, Any] = {
        "start": today.replace(day=1),
        "end": today,
        "region": user.region.code,
    }
    form = DashboardForm(request.GET or None, initial=defaults, regions=supervised_regions(user))
    if form.is_bound and not form.is_valid():
        return render(request, "workorders/dashboard.html", {"form": form}, status=400)
    values = form.cleaned_data if form.is_bound else defaults
    region = selectors.get_region(values["region"])
    board = order_selectors.dashboard_for_user(
        user, region, _midnight(values["start"]), _midnight(values["end"] + timedelta(days=1))
    )
    figures = [
        ("total", _("工单总数"), str(board.total), ""),
        (
            "claim",
            _("按时领取率"),
            _percent(board.claim_on_time_rate),
            _("%(a)s / %(b)s 单。口径：全部渠道，期间内受理且领取时限已到或已领取的工单")
            % {"a": board.claimed_on_time, "b": board.claim_due},
        ),
        (
            "web_claim",
            _("网络平台按时领办率"),
            _percent(board.web_claim_rate),
            _(
                "%(a)s / %(b)s 单。口径同指标 BJ-01：期间内网站、小程序受理的全部工单，"
                "未领取或超时领取的均不计入"
            )
            % {"a": board.web_claimed_in_time, "b": board.web_created},
        ),
        (
            "reply",
            _("按时答复率"),
            _percent(board.reply_on_time_rate),
            _("%(a)s / %(b)s 单") % {"a": board.replied_on_time, "b": board.reply_due},
        ),
        (
            "satisfaction",
            _("满意率"),
            _percent(board.satisfaction_rate),
            _("%(a)s / %(b)s 单评价为4星及以上") % {"a": board.satisfied, "b": board.rated},
        ),
        (
            "rating",
            _("平均评分"),
            "—" if board.average_rating is None else f"{board.average_rating:.2f}",
            _("满分5分"),
        ),
    ]
    charts = [
        ("channel", _("按渠道"), [(_(label), n) for label, n in board.by_channel]),
        ("topic", _("按咨询分类"), [(_(label), n) for label, n in board.by_topic]),
        ("township", _("按街道（乡镇）"), board.by_township),
    ]
    chart_data = {
        key: {"labels": [str(label) for label, _n in rows], "values": [n for _l, n in rows]}
        for key, _title, rows in charts
    }
    return render(
        request,
        "workorders/dashboard.html",
        {
            "form": form,
            "board": board,
            "figures": figures,
            "charts": charts,
            "chart_data": chart_data,
            "period_end": values["end"],
        },
    )


# --- notifications --------------------------------------------------------------------------


@staff_view(*ORDER_ROLES)
def notifications(request: HttpRequest) -> HttpResponse:
    """In-platform messages to this staff member (read-only)."""
    items = acting_user(request).notifications.select_related("order")
    return render(
        request, "workorders/notifications.html", {"page": page_of(request, items, PAGE_SIZE)}
    )
