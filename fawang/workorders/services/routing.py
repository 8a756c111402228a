"""Routing: the dispatch rules (matching, editing) and the institution an order goes to."""

from __future__ import annotations

from collections import defaultdict

from django.db import transaction

from fawang.audit.services import record_event
from fawang.core.errors import InvalidInput, NotFound
from fawang.core.generations import Generational
from fawang.core.models import Institution, InstitutionKind, Region, Role, User
from fawang.core.taxonomy import Topic
from fawang.core.validation import clean_choice
from fawang.workorders.models import BusinessLine, DispatchRule
from fawang.workorders.services._common import _reachable, _require

# --- routing ------------------------------------------------------------------------------


DISPATCH_RULES = "dispatch_rules"


def _active_rules_by_region_path() -> dict[str, list[DispatchRule]]:
    rules: dict[str, list[DispatchRule]] = defaultdict(list)
    for rule in (
        DispatchRule.objects.filter(active=True)
        .select_related("region", "institution")
        .only("business_line", "topic", "priority", "region__path", "institution__name")
    ):
        rules[rule.region.path].append(rule)
    return dict(rules)


# Every order is routed on creation; the rules change a few times a year (core.generations).
_active_rules: Generational[dict[str, list[DispatchRule]]] = Generational(
    DISPATCH_RULES, _active_rules_by_region_path
)


def matching_rule(business_line: str, topic: str, region: Region) -> DispatchRule | None:
    """The most specific active rule for this order (see DispatchRule)."""
    by_path = _active_rules.get()
    candidates = [
        rule
        for path in region.ancestor_paths()
        for rule in by_path.get(path, ())
        if rule.business_line in ("", business_line) and rule.topic in ("", topic)
    ]
    return max(
        candidates,
        key=lambda r: (len(r.region.path), bool(r.topic), bool(r.business_line), -r.priority),
        default=None,
    )


def institution_by_id(institution_id: int) -> Institution:
    """The target of a route or transfer; reachability is checked by the verb itself."""
    institution = Institution.objects.select_related("region").filter(pk=institution_id).first()
    if institution is None:
        raise NotFound("未找到目标机构。", field="institution")
    return institution


# --- dispatch rules (district bureau) -----------------------------------------------------


def save_dispatch_rule(
    *,
    acting_user: User,
    region: Region,
    institution: Institution,
    business_line: str = "",
    topic: str = "",
    priority: int = 100,
    active: bool = True,
    rule: DispatchRule | None = None,
) -> DispatchRule:
    _require(
        acting_user,
        {Role.SUPERVISOR_DISTRICT, Role.SUPERVISOR_CITY},
        "只有区、市司法局可以编辑分派规则。",
    )
    if acting_user.region is None or not acting_user.region.contains(region):
        raise NotFound("该区域不在您的管辖范围内。", field="region")
    _reachable(institution, region)
    if business_line:
        clean_choice(business_line, BusinessLine.values, "business_line", "业务类别")
    if topic:
        clean_choice(topic, Topic.values, "topic", "咨询分类")
    if (
        institution.kind == InstitutionKind.JUSTICE_OFFICE
        and business_line == BusinessLine.NOTARIZATION
    ):
        raise InvalidInput("司法所不能受理公证业务。", code="bad_target", field="institution")
    with transaction.atomic():
        created = rule is None
        rule = rule or DispatchRule(created_by=acting_user)
        rule.region, rule.institution = region, institution
        rule.business_line, rule.topic = business_line, topic
        rule.priority, rule.active = priority, active
        rule.save()
        record_event(
            "dispatch_rule.create" if created else "dispatch_rule.update",
            actor=acting_user,
            obj=rule,
            detail={
                "region": region.code,
                "institution": institution.pk,
                "business_line": business_line,
                "topic": topic,
                "priority": priority,
                "active": active,
            },
        )
    return rule
