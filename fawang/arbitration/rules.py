"""False-arbitration rules (虚假仲裁识别, BJ-list 一(三)). Each rule reads a case (and, for the
pattern rule, its neighbours) and returns the reason it fires, or None. Which rules run and their
parameters are pack data (``arbitration.flags``); docs/arbitration.md describes each."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

from django.utils.translation import gettext_noop

from fawang.arbitration.models import ArbitrationCase, Outcome
from fawang.arbitration.policy import FlagRules

# The rules' names (pages show them with gettext); a flag's reason is stored as it was raised.
LABELS = {
    "same_claimant_many": gettext_noop("同一申请人以相同请求针对多个被申请人"),
    "quick_settlement": gettext_noop("被申请人不答辩、立案后数日内即调解结案"),
    "shared_contact": gettext_noop("双方当事人共用联系电话或代理人"),
    "just_under_threshold": gettext_noop("争议金额略低于金额门槛"),
    "third_party_objection": gettext_noop("裁决被用于对抗案外人的执行"),
}


def same_claimant_many(case: ArbitrationCase, rules: FlagRules) -> str | None:
    window = timedelta(days=rules.window_days)
    respondents = set(
        ArbitrationCase.objects.filter(
            claimant=case.claimant,
            claims=case.claims,
            filed_on__gte=case.filed_on - window,
            filed_on__lte=case.filed_on + window,
        ).values_list("respondent", flat=True)
    )
    if len(respondents) >= rules.min_respondents:
        return (
            f"申请人“{case.claimant}”在{rules.window_days}日内以相同请求对"
            f"{len(respondents)}个被申请人申请仲裁"
        )
    return None


def quick_settlement(case: ArbitrationCase, rules: FlagRules) -> str | None:
    if case.outcome != Outcome.SETTLEMENT or case.contested or case.closed_on is None:
        return None
    days = (case.closed_on - case.filed_on).days
    if days <= rules.quick_days:
        return f"被申请人未答辩，立案后{days}日即调解结案"
    return None


def shared_contact(case: ArbitrationCase, rules: FlagRules) -> str | None:
    if case.claimant_phone_hash and case.claimant_phone_hash == case.respondent_phone_hash:
        return "申请人与被申请人登记的联系电话相同"
    agent = case.claimant_agent.strip()
    if agent and agent == case.respondent_agent.strip():
        return f"双方委托同一代理人“{agent}”"
    return None


def just_under_threshold(case: ArbitrationCase, rules: FlagRules) -> str | None:
    for threshold in rules.thresholds:
        floor = threshold * (Decimal(100) - rules.margin_percent) / 100
        if floor <= case.amount < threshold:
            return f"争议金额{case.amount}元，略低于{threshold}元门槛"
    return None


def third_party_objection(case: ArbitrationCase, rules: FlagRules) -> str | None:
    if case.third_party_objection:
        return "案外人提出异议：裁决被用于对抗其对被申请人财产的执行"
    return None


CHECKS: dict[str, Callable[[ArbitrationCase, FlagRules], str | None]] = {
    "same_claimant_many": same_claimant_many,
    "quick_settlement": quick_settlement,
    "shared_contact": shared_contact,
    "just_under_threshold": just_under_threshold,
    "third_party_objection": third_party_objection,
}
