"""The adviser rules: one adviser per village with term, adjustment and exit; coverage on the
real regions; the ledger against the service list and monthly completion; bookings with SMS
confirmation and one reminder; ratings; the three-party score and subsidy; notices; training;
法律明白人 ratios and matters."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from fawang.advisers import metrics, reports, services
from fawang.advisers.models import (
    AppointmentStatus,
    CommunityAdviser,
    ExitReason,
    LedgerEntry,
    NoticeRead,
)
from fawang.advisers.policy import advisers_policy, parse_advisers
from fawang.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from fawang.core.models import PractitionerKind, Region, RegionLevel
from fawang.core.sms import MemorySmsBackend
from fawang.policy.packs import PackError, pack_for_region
from tests.advisers.helpers import START, World, appointed, build_world
from tests.conftest import BEIJING
from tests.factories import make_practitioner

pytestmark = pytest.mark.django_db


@pytest.fixture
def w() -> World:
    return build_world()


def service(w: World, adviser: CommunityAdviser, **kw: Any) -> LedgerEntry:
    data = {
        "item": "consultation",
        "served_on": timezone.localdate(),
        "people_served": 2,
        "minutes": 60,
        "mode": "on_site",
    }
    data.update(kw)
    return services.record_service(adviser, services.ServiceIn(**data), acting_user=w.adviser)


# --- appointment, adjustment, exit ----------------------------------------------------------


def test_one_adviser_per_village_who_may_serve_several(w: World) -> None:
    first = appointed(w)
    assert first.term_end == date(START.year + 3, 1, 1) - timedelta(days=1)  # pack: 3 years
    appointed(w, w.villages[1])  # the same adviser in a second village
    with pytest.raises(Conflict) as twice:
        appointed(w, w.villages[0], w.lawyer_person)
    assert twice.value.code == "already_appointed"


def test_only_lawyers_and_basic_legal_workers_and_only_the_villages_office(w: World) -> None:
    notary = make_practitioner(w.firm, PractitionerKind.NOTARY)
    with pytest.raises(InvalidInput) as wrong_kind:
        appointed(w, person=notary)
    assert wrong_kind.value.code == "not_eligible"
    with pytest.raises(PermissionDenied):
        services.appoint(w.villages[0].pk, w.person.pk, START, acting_user=w.other_office)
    with pytest.raises(InvalidInput):
        services.appoint(w.township.pk, w.person.pk, START, acting_user=w.office)  # not a village
    assert not CommunityAdviser.objects.exists()


def test_adjustment_ends_the_old_appointment_with_its_reason_in_one_step(w: World) -> None:
    old = appointed(w)
    new = services.adjust(old, w.lawyer_person.pk, "群众意见较多", acting_user=w.office)
    old.refresh_from_db()
    assert old.ended_on == timezone.localdate() and old.exit_reason == ExitReason.ADJUSTED
    assert new.practitioner == w.lawyer_person and new.active
    total, _ = reports.coverage(w.township, timezone.localdate())
    assert total.covered == 1  # never uncovered in between


def test_exit_needs_a_reason_and_a_note_unless_the_term_ended(w: World) -> None:
    adviser = appointed(w)
    with pytest.raises(InvalidInput):
        services.end_appointment(adviser, "bored", acting_user=w.office)
    with pytest.raises(InvalidInput) as no_note:
        services.end_appointment(adviser, ExitReason.MISCONDUCT, "", acting_user=w.office)
    assert no_note.value.field == "exit_note"
    services.end_appointment(adviser, ExitReason.TERM_ENDED, acting_user=w.office)
    with pytest.raises(Conflict):
        services.end_appointment(adviser, ExitReason.TERM_ENDED, acting_user=w.office)
    assert w.villages[0] in reports.uncovered_villages(w.township, timezone.localdate())


# --- coverage on the real regions --------------------------------------------------------------


def test_coverage_counts_every_real_village_and_lists_the_uncovered(
    w: World, django_assert_max_num_queries: Any
) -> None:
    appointed(w)
    appointed(w, w.villages[1])
    beijing = Region.objects.get(code=BEIJING)
    today = timezone.localdate()
    with django_assert_max_num_queries(8):
        total, districts = reports.coverage(beijing, today)
    assert total.villages == 7535  # the count of Beijing's villages and communities
    assert total.covered == 2 and total.uncovered == 7533
    chaoyang = next(r for r in districts if r.region.code == "110105000000")
    assert chaoyang.covered == 2 and sum(r.villages for r in districts) == 7535
    _, townships = reports.coverage(w.township.parent, today)
    row = next(r for r in townships if r.region == w.township)
    villages_here = Region.objects.filter(parent=w.township).count()
    assert (row.villages, row.covered) == (villages_here, 2)
    assert row.percent == round(200 / villages_here, 1)
    _, villages = reports.coverage(w.township, today)
    assert [r.covered for r in villages[:3]] == [1, 1, 0]
    uncovered = reports.uncovered_villages(w.township, today)
    assert w.villages[2] in uncovered and w.villages[0] not in uncovered
    sjz = Region.objects.get(code="130100000000")
    assert reports.coverage(sjz, today)[0].villages == 5152


def test_counters_feed_sjz_13_04_31(w: World) -> None:
    appointed(w)
    for n in range(3):
        services.add_liaison(
            w.villages[0].pk, f"明白人{n}", f"1390000100{n}", "grid", acting_user=w.office
        )
    services.add_liaison(w.villages[1].pk, "明白人丁", "13900002000", "cadre", acting_user=w.office)
    today = timezone.localdate()
    assert metrics.villages_with_adviser(today) == {w.township.pk: 1.0}
    assert metrics.villages_with_liaison(today) == {w.township.pk: 2.0}
    assert metrics.liaisons(today) == {w.township.pk: 4.0}
    assert sum(metrics.villages(today).values()) == 7535  # Shijiazhuang keeps none here yet
    assert metrics.villages(START - timedelta(days=1)) == {}
    assert metrics.villages_with_adviser(START - timedelta(days=1)) == {}
    sjz = pack_for_region(Region.objects.get(code="130100000000"))
    formulas = {i["code"]: i for i in sjz.raw["indicators"]}
    for code in ("SJZ-13", "SJZ-04", "SJZ-31"):
        assert formulas[code]["source"] == "computed"
        assert "advisers." in formulas[code]["formula"]


# --- the ledger and the service list ---------------------------------------------------------


def test_ledger_takes_only_items_of_the_districts_list(w: World) -> None:
    adviser = appointed(w)
    with pytest.raises(InvalidInput) as off_list:
        service(w, adviser, item="tax_planning")
    assert off_list.value.code == "not_on_list"
    service(w, adviser, item="new_employment")  # Chaoyang's 特色菜单 (BJ-list 二(三))
    haidian = services.appoint(
        w.haidian_village.pk, w.person.pk, START, acting_user=w.haidian_bureau
    )
    with pytest.raises(InvalidInput):
        service(w, haidian, item="new_employment")
    with pytest.raises(InvalidInput) as future:
        service(w, adviser, served_on=timezone.localdate() + timedelta(days=1))
    assert future.value.field == "served_on"
    with pytest.raises(InvalidInput):
        service(w, adviser, minutes=0)
    with pytest.raises(PermissionDenied):
        services.record_service(
            adviser,
            services.ServiceIn("consultation", timezone.localdate(), 1, 30, "remote"),
            acting_user=w.lawyer,
        )
    assert LedgerEntry.objects.count() == 1


def test_monthly_completion_of_the_basic_list(w: World) -> None:
    adviser = appointed(w)
    policy = advisers_policy(w.villages[0])
    today = timezone.localdate()
    empty = reports.completion(adviser, today, policy)
    assert (empty.required, empty.met, empty.percent) == (3, 0, 0)
    service(w, adviser, item="on_site", minutes=240)
    service(w, adviser, item="consultation", minutes=60, mode="remote")
    half = reports.completion(adviser, today, policy)
    assert half.met == 2 and not half.complete  # 4 of the 8 on-site hours
    service(w, adviser, item="on_site", minutes=240)
    assert reports.completion(adviser, today, policy).complete


# --- bookings, SMS, reminders, ratings -----------------------------------------------------------


def booked(w: World, capture: Any, hours: int = 48) -> Any:
    appointed(w)
    slot = timezone.now() + timedelta(hours=hours)
    with capture(execute=True):
        return services.book(w.citizen, w.villages[0].pk, slot, "宅基地纠纷", "video")


def test_booking_is_confirmed_by_sms_and_reminded_once(
    w: World, django_capture_on_commit_callbacks: Any
) -> None:
    appointment = booked(w, django_capture_on_commit_callbacks)
    assert any("已预约" in text and "顾问甲" in text for _, text in MemorySmsBackend.outbox)
    MemorySmsBackend.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_reminders() == 0  # 48 hours ahead: not yet
        later = timezone.now() + timedelta(hours=30)
        assert services.send_reminders(later) == 1
        assert services.send_reminders(later) == 0
    assert [t for _, t in MemorySmsBackend.outbox if "提醒" in t]
    assert len(MemorySmsBackend.outbox) == 1
    appointment.refresh_from_db()
    assert appointment.reminded_at is not None


def test_booking_needs_an_adviser_and_a_future_slot(w: World) -> None:
    soon = timezone.now() + timedelta(days=1)
    with pytest.raises(Conflict) as none:
        services.book(w.citizen, w.villages[0].pk, soon, "咨询", "phone")
    assert none.value.code == "no_adviser"
    appointed(w)
    for slot in (timezone.now() - timedelta(hours=1), timezone.now() + timedelta(days=61)):
        with pytest.raises(InvalidInput) as bad:
            services.book(w.citizen, w.villages[0].pk, slot, "咨询", "phone")
        assert bad.value.field == "slot"
    with pytest.raises(PermissionDenied):
        services.book(w.office, w.villages[0].pk, soon, "咨询", "phone")


def test_rating_after_the_service_once_and_only_by_the_villager(
    w: World, django_capture_on_commit_callbacks: Any
) -> None:
    appointment = booked(w, django_capture_on_commit_callbacks)
    with pytest.raises(Conflict):
        services.rate(appointment, 5, "", citizen=w.citizen)  # not served yet
    adviser = appointment.adviser
    service(w, adviser, appointment_id=appointment.pk)
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.DONE
    with pytest.raises(NotFound):
        services.rate(appointment, 5, "", citizen=w.other_citizen)
    with pytest.raises(InvalidInput):
        services.rate(appointment, 6, "", citizen=w.citizen)
    services.rate(appointment, 4, "耐心", citizen=w.citizen)
    with pytest.raises(Conflict) as again:
        services.rate(appointment, 5, "", citizen=w.citizen)
    assert again.value.code == "already_rated"


# --- three-party evaluation and subsidy ------------------------------------------------------------


def rated_service(w: World, capture: Any, score: int) -> CommunityAdviser:
    appointment = booked(w, capture)
    service(w, appointment.adviser, appointment_id=appointment.pk)
    services.rate(appointment, score, "", citizen=w.citizen)
    return appointment.adviser


def test_three_party_score_is_the_packs_weighted_mean(
    w: World, django_capture_on_commit_callbacks: Any
) -> None:
    adviser = rated_service(w, django_capture_on_commit_callbacks, 4)  # residents: 80
    year, quarter = reports.current_quarter(timezone.localdate())
    only_residents = reports.evaluate(adviser, year, quarter)
    assert (only_residents.residents, only_residents.score) == (80.0, 80.0)
    services.score_quarter(adviser, year, quarter, ledger_score=70, acting_user=w.office)
    # committee missing: its weight is shared out: (40×80 + 30×70) / 70
    assert reports.evaluate(adviser, year, quarter).score == round((3200 + 2100) / 70, 1)
    services.score_quarter(
        adviser, year, quarter, committee_score=90, committee_rater="村主任", acting_user=w.office
    )
    full = reports.evaluate(adviser, year, quarter)
    assert full.score == 80.0  # 0.4×80 + 0.3×90 + 0.3×70
    assert not full.low
    services.score_quarter(adviser, year, quarter, ledger_score=0, acting_user=w.office)
    assert reports.evaluate(adviser, year, quarter).low  # 0.4×80 + 27 = 59 < 60
    with pytest.raises(PermissionDenied):
        services.score_quarter(adviser, year, quarter, ledger_score=80, acting_user=w.other_office)
    with pytest.raises(InvalidInput):
        services.score_quarter(adviser, year, quarter, ledger_score=101, acting_user=w.office)


def test_subsidy_is_months_complete_times_the_rate_times_the_score_band(w: World) -> None:
    adviser = appointed(w)
    year, quarter = reports.current_quarter(timezone.localdate())
    service(w, adviser, item="on_site", minutes=480)
    service(w, adviser, item="consultation")
    services.score_quarter(
        adviser, year, quarter, committee_score=90, committee_rater="主任", ledger_score=90,
        acting_user=w.office,
    )  # fmt: skip
    e = reports.evaluate(adviser, year, quarter)
    assert e.months_complete == 1 and e.score == 90.0
    assert e.subsidy == 600  # 600 元 × 1 month × factor 1.0 (≥ 85)
    services.score_quarter(adviser, year, quarter, ledger_score=60, acting_user=w.office)
    assert reports.evaluate(adviser, year, quarter).subsidy == 480  # 75: factor 0.8


def test_pack_section_is_checked() -> None:
    raw = pack_for_region(Region.objects.get(code=BEIJING)).raw
    broken = {
        **raw,
        "advisers": {
            **raw["advisers"],
            "evaluation": {
                "weights": {"residents": 50, "committee": 30, "township": 30},
                "low_score": 60,
            },
        },
    }
    with pytest.raises(PackError):
        parse_advisers(broken, "test")
    with pytest.raises(PackError):
        parse_advisers({**raw, "advisers": None}, "test")


# --- notices, training --------------------------------------------------------------------------


def test_notices_go_to_own_villages_by_sms_to_who_opted_in_and_count_reads(
    w: World, django_capture_on_commit_callbacks: Any
) -> None:
    appointed(w)
    services.opt_in(w.citizen, w.villages[0].pk, True)
    with pytest.raises(InvalidInput):
        services.push_notice([w.villages[1].pk], "通知", "内容", True, acting_user=w.adviser)
    with pytest.raises(PermissionDenied):
        services.push_notice([w.villages[0].pk], "通知", "内容", True, acting_user=w.lawyer)
    with django_capture_on_commit_callbacks(execute=True):
        notice = services.push_notice(
            [w.villages[0].pk], "防范电信诈骗", "讲座周六举行", True, acting_user=w.adviser
        )
    assert [t for _, t in MemorySmsBackend.outbox if "防范电信诈骗" in t]
    services.mark_read(notice, citizen=w.citizen)
    services.mark_read(notice, citizen=w.citizen)
    assert NoticeRead.objects.filter(notice=notice).count() == 1


def test_training_is_recorded_by_a_bureau_over_the_adviser(w: World) -> None:
    appointed(w)
    services.record_training(
        w.person.pk, "2026-03-01", "民法典婚姻家庭编", "3", "朝阳区司法局", acting_user=w.office
    )
    with pytest.raises(PermissionDenied):
        services.record_training(
            w.person.pk, "2026-03-01", "培训", "3", "海淀区司法局", acting_user=w.haidian_bureau
        )
    with pytest.raises(InvalidInput):
        services.record_training(
            w.person.pk, "2026-03-01", "培训", "0", "司法局", acting_user=w.office
        )


# --- 法律明白人 --------------------------------------------------------------------------------


def test_liaison_ratios_three_per_village_and_one_per_twenty_households(w: World) -> None:
    village = w.villages[0]
    for n in range(3):
        services.add_liaison(
            village.pk, f"明白人{n}", f"1390000300{n}", "grid", acting_user=w.office
        )
    policy = advisers_policy(village)
    villages = Region.objects.filter(pk=village.pk)
    (row,) = reports.liaison_ratios(villages, policy)
    assert (row.liaisons, row.needed, row.short) == (3, 3, False)
    services.record_households(village.pk, 100, 2024, "村委会统计", acting_user=w.office)
    (row,) = reports.liaison_ratios(villages, policy)
    assert (row.households, row.needed, row.short) == (100, 5, True)  # 100 户 / 20
    services.record_households(village.pk, 41, 2024, "村委会统计", acting_user=w.office)
    assert reports.liaison_ratios(villages, policy)[0].needed == 3  # 41 户 → 3, not below 3


def test_liaison_phone_is_protected_and_a_matter_reaches_the_ledger(w: World) -> None:
    adviser = appointed(w)
    liaison = services.add_liaison(
        w.villages[0].pk, "李明白", "13912345678", "mediator", acting_user=w.adviser
    )
    assert "13912345678" not in str(liaison.phone)
    with pytest.raises(InvalidInput):
        services.add_liaison(w.villages[0].pk, "王", "123", "grid", acting_user=w.office)
    with pytest.raises(PermissionDenied):
        services.add_liaison(
            w.villages[0].pk, "王", "13912345670", "grid", acting_user=w.other_office
        )
    matter = services.raise_matter(liaison, "邻里宅基地纠纷需要调解", acting_user=w.office)
    assert matter.adviser == adviser
    entry = service(w, adviser, item="mediation", matter_id=matter.pk)
    assert entry.matter == matter
    with pytest.raises(Conflict):
        service(w, adviser, item="mediation", matter_id=matter.pk)
    services.liaison_leaves(liaison, acting_user=w.office)
    with pytest.raises(Conflict):
        services.raise_matter(liaison, "又一件", acting_user=w.office)
    assert Region.objects.filter(level=RegionLevel.VILLAGE, pk=w.villages[0].pk).exists()


def test_an_appointment_entered_today_from_weeks_ago_is_counted_on_every_day_since(
    w: World,
) -> None:
    from fawang.indicators import fill
    from fawang.indicators.models import DailyCount, FillState

    FillState.objects.create(name=fill.WATERMARK, last_run_at=timezone.now())
    today = timezone.localdate()
    started = today - timedelta(days=30)
    services.appoint(w.villages[0].pk, w.person.pk, started, acting_user=w.office)
    assert started in metrics.touched_days(timezone.now() - timedelta(minutes=1))
    fill.fill_incremental()
    counted = dict(
        DailyCount.objects.filter(
            counter="advisers.villages_with_adviser", region=w.township
        ).values_list("day", "value")
    )
    for day in (started, started + timedelta(days=15), today):
        assert counted.get(day) == 1.0, day
