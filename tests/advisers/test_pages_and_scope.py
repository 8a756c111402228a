"""Pages as each role, the scope boundaries (other township, other district, other adviser,
other villager → 404) and bad input (400 with a Chinese message, what was typed kept)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from fawang.advisers import services
from fawang.advisers.models import Appointment, CommunityAdviser, LedgerEntry
from tests.advisers.helpers import World, appointed, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def w() -> World:
    return build_world()


def booking(w: World) -> Appointment:
    slot = timezone.now() + timedelta(days=2)
    return services.book(w.citizen, w.villages[0].pk, slot, "劳动合同咨询", "on_site")


@pytest.mark.parametrize(
    "name", ["coverage", "appointments", "ledger", "evaluation", "liaisons", "training"]
)
def test_office_pages(w: World, login_as: Any, name: str) -> None:
    appointed(w)
    response = login_as(w.office).get(reverse(f"advisers:{name}"))
    assert response.status_code == 200
    assert "法律" in response.content.decode() or "顾问" in response.content.decode()


@pytest.mark.parametrize(
    "name", ["home", "ledger", "evaluation", "notices", "liaisons", "training"]
)
def test_adviser_pages(w: World, login_as: Any, name: str) -> None:
    adviser = appointed(w)
    booking(w)
    response = login_as(w.adviser).get(reverse(f"advisers:{name}"))
    assert response.status_code == 200
    if name == "home":
        body = response.content.decode()
        assert w.villages[0].name in body and "劳动合同咨询" in body
        assert adviser.pk


def test_coverage_page_lists_uncovered_villages_of_the_township(w: World, login_as: Any) -> None:
    appointed(w)
    body = login_as(w.office).get(reverse("advisers:coverage")).content.decode()
    assert w.villages[1].name in body  # uncovered
    assert "覆盖率" in body
    city = login_as(w.city_bureau).get(reverse("advisers:coverage")).content.decode()
    assert "村（居）7535 个" in city


def test_villager_finds_books_and_rates(w: World, client: Any, login_as: Any) -> None:
    appointed(w)
    found = client.get(reverse("advisers:find"), {"q": w.villages[0].name[:4]})
    assert w.villages[0].name in found.content.decode()
    page = client.get(reverse("advisers:find"), {"village": w.villages[0].code})
    assert "顾问甲" in page.content.decode() and "登录" in page.content.decode()
    c = login_as(w.citizen)
    mine = c.get(reverse("advisers:find"))  # the account's own village
    assert "顾问甲" in mine.content.decode()
    slot = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    bad = c.post(
        reverse("advisers:find"),
        {"village": w.villages[0].code, "slot": slot, "topic": "", "mode": "video"},
    )
    assert bad.status_code == 400 and "请填写咨询事项" in bad.content.decode()
    assert slot in bad.content.decode()  # what was typed is kept
    ok = c.post(
        reverse("advisers:find"),
        {"village": w.villages[0].code, "slot": slot, "topic": "工伤赔偿", "mode": "video"},
    )
    assert ok.status_code == 302 and Appointment.objects.filter(citizen=w.citizen).count() == 1


def test_other_township_office_and_other_district_get_404(w: World, login_as: Any) -> None:
    adviser = appointed(w)
    for user in (w.other_office, w.haidian_bureau):
        response = login_as(user).post(
            reverse("advisers:appointments"),
            {"action": "end", "adviser": adviser.pk, "exit_reason": "term_ended"},
        )
        assert response.status_code == 404
        evaluation = login_as(user).get(reverse("advisers:evaluation")).content.decode()
        assert "顾问甲" not in evaluation
    adviser.refresh_from_db()
    assert adviser.active


def test_another_adviser_cannot_write_or_see_the_ledger(w: World, login_as: Any) -> None:
    adviser = appointed(w)
    services.record_service(
        adviser,
        services.ServiceIn("consultation", timezone.localdate(), 3, 60, "on_site", "私密咨询记录"),
        acting_user=w.adviser,
    )
    c = login_as(w.lawyer)  # same firm, not appointed here
    assert "私密咨询记录" not in c.get(reverse("advisers:ledger")).content.decode()
    response = c.post(
        reverse("advisers:ledger"),
        {"adviser": adviser.pk, "item": "consultation", "served_on": "2026-01-05",
         "people_served": "1", "minutes": "30", "mode": "remote"},
    )  # fmt: skip
    assert response.status_code == 404
    assert LedgerEntry.objects.count() == 1


def test_ledger_bad_input_keeps_the_form(w: World, login_as: Any) -> None:
    adviser = appointed(w)
    response = login_as(w.adviser).post(
        reverse("advisers:ledger"),
        {"adviser": adviser.pk, "item": "consultation", "served_on": timezone.localdate().isoformat(),
         "people_served": "0", "minutes": "45", "mode": "on_site", "note": "宅基地确权"},
    )  # fmt: skip
    body = response.content.decode()
    assert response.status_code == 400 and "服务人数应在1到10000之间" in body
    assert "宅基地确权" in body
    assert not LedgerEntry.objects.exists()


def test_villager_cannot_rate_or_cancel_anothers_booking(w: World, login_as: Any) -> None:
    appointed(w)
    appointment = booking(w)
    response = login_as(w.other_citizen).post(
        reverse("advisers:mine"), {"action": "cancel", "appointment": appointment.pk}
    )
    assert response.status_code == 404
    appointment.refresh_from_db()
    assert appointment.status == "booked"


def test_api_coverage_and_village_adviser(w: World, login_as: Any, client: Any) -> None:
    appointed(w)
    public = client.get(f"/api/v1/advisers/villages/{w.villages[0].code}").json()
    assert public["adviser"] == "顾问甲" and any(
        i["code"] == "new_employment" for i in public["items"]
    )
    data = login_as(w.office).get("/api/v1/advisers/coverage").json()
    assert data["total"]["covered"] == 1 and w.villages[1].code in data["uncovered"]
    assert login_as(w.citizen).get("/api/v1/advisers/coverage").status_code == 404


def test_office_scores_the_quarter_on_the_page_and_others_get_404(w: World, login_as: Any) -> None:
    adviser = appointed(w)
    form = {
        "adviser": adviser.pk,
        "committee_score": "90",
        "committee_rater": "村主任",
        "ledger_score": "70",
    }
    assert login_as(w.other_office).post(reverse("advisers:evaluation"), form).status_code == 404
    bad = login_as(w.office).post(reverse("advisers:evaluation"), {**form, "ledger_score": "120"})
    assert bad.status_code == 400 and "台账评分应在0到100之间" in bad.content.decode()
    ok = login_as(w.office).post(reverse("advisers:evaluation"), form)
    assert ok.status_code == 302
    body = login_as(w.office).get(ok["Location"]).content.decode()
    assert "80.0" in body  # (30×90 + 30×70) / 60, residents not yet rated


def test_office_adjusts_an_adviser_on_the_page(w: World, login_as: Any) -> None:
    adviser = appointed(w)
    c = login_as(w.office)
    assert (
        "调整或退出"
        in c.get(reverse("advisers:appointments"), {"adviser": adviser.pk}).content.decode()
    )
    response = c.post(
        reverse("advisers:appointments"),
        {
            "action": "adjust",
            "adviser": adviser.pk,
            "practitioner_id": w.lawyer_person.pk,
            "note": "换人",
        },
    )
    assert response.status_code == 302
    assert (
        CommunityAdviser.objects.get(village=w.villages[0], ended_on__isnull=True).practitioner
        == w.lawyer_person
    )
    assert (
        login_as(w.other_office)
        .get(reverse("advisers:appointments"), {"adviser": adviser.pk})
        .status_code
        == 404
    )


def test_the_evaluation_api_refuses_a_quarter_outside_the_calendar(w: World, login_as: Any) -> None:
    appointed(w)
    office = login_as(w.office)
    for query, field in (("year=0&quarter=1", "year"), ("year=2026&quarter=5", "quarter")):
        response = office.get(f"/api/v1/advisers/evaluation?{query}")
        assert response.status_code == 400
        assert response.json()["field"] == field and "应" in response.json()["message"]
    assert office.get("/api/v1/advisers/evaluation?year=2026&quarter=4").status_code == 200
