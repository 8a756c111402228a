"""DEMO ONLY: cases of the Beijing Arbitration Commission registered through the services by the
city bureau — ordinary ones, a claimant filing identical claims against three respondents, a
quick uncontested settlement, an award later set aside, a backlog case (idempotent)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from fawang.arbitration import services
from fawang.arbitration.models import ArbitrationCase
from fawang.audit.services import record_event
from fawang.core.errors import InvalidInput
from fawang.core.models import Institution, InstitutionKind, User


def build_demo_arbitration() -> dict[str, int]:
    if settings.MODE != "demo":
        raise InvalidInput("演示数据只能在演示模式（FAWANG_MODE=demo）下生成。")
    bureau = User.objects.filter(username="demo-supervisor-city").first()
    commission = Institution.objects.filter(kind=InstitutionKind.ARBITRATION_COMMISSION).first()
    if bureau is None or commission is None:
        return {"cases": 0}
    if ArbitrationCase.objects.filter(commission=commission).exists():
        return {"cases": 0}
    today = timezone.localdate()
    made = 0

    def case(n: int, days_ago: int, **extra: object) -> ArbitrationCase:
        nonlocal made
        made += 1
        values: dict[str, object] = {
            "commission_id": commission.pk,
            "case_number": f"（{today.year}）京仲案字第{n:04d}号",
            "claimant": f"北京演示商贸有限公司{n}",
            "respondent": f"演示被申请人{n}",
            "claims": "支付货款及违约金",
            "amount": "80000",
            "filed_on": today - timedelta(days=days_ago),
            "contested": True,
            "arbitrators": ["演示仲裁员甲"],
        }
        values.update(extra)
        return services.register_case(services.CaseIn(**values), acting_user=bureau)  # type: ignore[arg-type]

    with transaction.atomic():
        for n in range(1, 4):
            ordinary = case(n, 60 + n)
            services.record_outcome(
                ordinary, "award", today - timedelta(days=10), acting_user=bureau
            )
        for n in range(4, 7):
            case(n, 30, claimant="北京演示小额贷款有限公司", claims="归还借款本金及利息")
        quick = case(
            7, 20, contested=False, claimant_agent="演示代理人", respondent_agent="演示代理人"
        )
        services.record_outcome(
            quick, "settlement", quick.filed_on + timedelta(days=2), acting_user=bureau
        )
        set_aside = case(8, 90)
        services.record_outcome(set_aside, "award", today - timedelta(days=30), acting_user=bureau)
        services.record_court_outcome(set_aside, "set_aside", acting_user=bureau)
        case(9, 200)
        record_event("demo.arbitration", actor="fawang demo", detail={"cases": made})
    return {"cases": made}
