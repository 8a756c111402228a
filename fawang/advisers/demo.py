"""DEMO ONLY: advisers appointed on the real regions. Every district's practising community
advisers and lawyers are spread over most of its villages (about one in eight is left uncovered so
the uncovered list shows), bulk-written with one audit event; the demo adviser's own villages in
the demo justice office's township go through the services: ledger, 法律明白人, a booking, the
office's scores. Idempotent: a second run creates nothing new."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import cycle

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from fawang.advisers import services
from fawang.advisers.models import CommunityAdviser, LegalLiaison
from fawang.advisers.policy import advisers_policy
from fawang.audit.services import record_event
from fawang.core.errors import InvalidInput
from fawang.core.jobs import withheld
from fawang.core.models import (
    Practitioner,
    PractitionerStatus,
    Region,
    RegionLevel,
    User,
)
from fawang.core.tasks import SMS_TASKS

TERM_START = date(2025, 1, 1)
UNCOVERED_EVERY = 8
LIAISON_ROLES = ("cadre", "grid", "mediator")


def _spread(district: Region, supervisor: User | None) -> int:
    people = list(
        Practitioner.objects.filter(
            kind__in=services.ADVISER_KINDS,
            status=PractitionerStatus.PRACTISING,
            institution__region__path__startswith=district.path,
        ).order_by("kind", "pk")[:60]
    )
    if not people:
        return 0
    taken = set(
        CommunityAdviser.objects.filter(
            village__path__startswith=district.path, ended_on__isnull=True
        ).values_list("village_id", flat=True)
    )
    years = advisers_policy(district).term_years
    rows = []
    ring = cycle(people)
    villages = Region.objects.filter(level=RegionLevel.VILLAGE, path__startswith=district.path)
    for n, village_id in enumerate(villages.order_by("code").values_list("pk", flat=True)):
        if n % UNCOVERED_EVERY == UNCOVERED_EVERY - 1 or village_id in taken:
            continue
        rows.append(
            CommunityAdviser(
                village_id=village_id,
                practitioner=next(ring),
                term_start=TERM_START,
                term_end=TERM_START.replace(year=TERM_START.year + years) - timedelta(days=1),
                appointed_by=supervisor,
            )
        )
    CommunityAdviser.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def _own_villages(adviser_user: User, office: User, citizen: User | None) -> int:
    """The demo adviser in three villages of the demo office's township, through the services."""
    township = office.region
    person = Practitioner.objects.filter(user=adviser_user).first()
    if township is None or person is None:
        return 0
    villages = list(Region.objects.filter(parent=township, level=RegionLevel.VILLAGE)[:3])
    made = 0
    today = timezone.localdate()
    for n, village in enumerate(villages):
        current = services.active_adviser(village)
        if current is not None and current.practitioner_id == person.pk:
            continue
        if current is not None:
            adviser = services.adjust(
                current, person.pk, "演示：调整为本所顾问", acting_user=office
            )
        else:
            adviser = services.appoint(village.pk, person.pk, TERM_START, acting_user=office)
        made += 1
        for day, item, minutes in (
            (1, "on_site", 240),
            (3, "consultation", 60),
            (8, "on_site", 240),
        ):
            served = today.replace(day=1) + timedelta(days=day - 1)
            if served <= today:
                services.record_service(
                    adviser,
                    services.ServiceIn(item, served, 6, minutes, "on_site", "演示：驻村值班与咨询"),
                    acting_user=adviser_user,
                )
        for i, role in enumerate(LIAISON_ROLES[: 3 - n]):
            services.add_liaison(
                village.pk, f"演示明白人{n + 1}{i + 1}", f"1390000{n}{i:03d}", role,
                acting_user=office,
            )  # fmt: skip
        year, quarter = (today.year, (today.month - 1) // 3 + 1)
        services.score_quarter(
            adviser, year, quarter, committee_score=88 - 20 * n, committee_rater="村委会主任",
            ledger_score=90 - 25 * n, acting_user=office,
        )  # fmt: skip
        if n == 0 and citizen is not None:
            slot = (timezone.localtime() + timedelta(days=2)).replace(
                hour=10, minute=0, second=0, microsecond=0
            )
            services.book(citizen, village.pk, slot, "演示：宅基地纠纷咨询", "on_site")
    return made


def build_demo_advisers() -> dict[str, int]:
    if settings.MODE != "demo":
        raise InvalidInput("演示数据只能在演示模式（FAWANG_MODE=demo）下生成。")
    with transaction.atomic(), withheld(*SMS_TASKS):
        office = User.objects.filter(username="demo-supervisor-township").first()
        adviser_user = User.objects.filter(username="demo-community-adviser").first()
        citizen = User.objects.filter(username="demo-citizen").first()
        own = 0
        if office is not None and adviser_user is not None and not LegalLiaison.objects.exists():
            own = _own_villages(adviser_user, office, citizen)
        city_office = User.objects.filter(username="demo-supervisor-city").first()
        spread = sum(
            _spread(district, city_office)
            for district in Region.objects.filter(level=RegionLevel.DISTRICT)
        )
        if spread or own:
            record_event(
                "demo.advisers",
                actor="fawang demo",
                detail={"appointments": spread, "own_villages": own},
            )
    return {"appointments": spread, "own_villages": own}
