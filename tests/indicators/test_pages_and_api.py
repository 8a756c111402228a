from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from fawang.audit.models import AuditEvent
from fawang.core.models import Role, User
from fawang.indicators import fill
from fawang.indicators.board import report_data
from fawang.indicators.models import Indicator, IndicatorReport
from fawang.indicators.tasks import generate_period_reports
from tests.conftest import BEIJING, CHAOYANG, HAIDIAN
from tests.factories import make_staff, region
from tests.indicators.helpers import DAY_ONE, DAY_TWO, build_orders, load_shipped
from tests.pdf_text import assert_embeds_our_font

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]


@pytest.fixture
def filled() -> None:
    build_orders()
    load_shipped()
    fill.fill_days([DAY_ONE, DAY_TWO])


def test_city_dashboard_shows_values_and_districts(filled: None, login_as: Login) -> None:
    client = login_as(make_staff(Role.SUPERVISOR_CITY, region_code=BEIJING))
    response = client.get(f"/console/indicators/regions/{BEIJING}/?year=2026")
    assert response.status_code == 200
    html = response.content.decode()
    assert "网络工单2个工作日内领取率" in html and "66.67%" in html
    assert f"/console/indicators/regions/{CHAOYANG}/" in html  # drill-down link


def test_dashboard_render_reads_a_bounded_number_of_queries(
    filled: None, login_as: Login, django_assert_max_num_queries: object
) -> None:
    client = login_as(make_staff(Role.SUPERVISOR_CITY, region_code=BEIJING))
    with django_assert_max_num_queries(25):  # type: ignore[operator]
        assert client.get(f"/console/indicators/regions/{BEIJING}/?year=2026").status_code == 200


def test_district_supervisor_sees_only_their_district(filled: None, login_as: Login) -> None:
    client = login_as(make_staff(Role.SUPERVISOR_DISTRICT, region_code=CHAOYANG))
    assert client.get(f"/console/indicators/regions/{CHAOYANG}/").status_code == 200
    assert client.get(f"/console/indicators/regions/{HAIDIAN}/").status_code == 404
    assert client.get(f"/console/indicators/regions/{BEIJING}/").status_code == 404
    assert (
        client.get(
            f"/console/indicators/regions/{HAIDIAN}/report?period=2026&format=pdf"
        ).status_code
        == 404
    )
    assert client.get(f"/api/v1/indicators/regions/{HAIDIAN}/values?period=2026").status_code == 404


def test_citizen_facing_roles_cannot_open_the_dashboard(filled: None, login_as: Login) -> None:
    client = login_as(make_staff(Role.HOTLINE_SEAT, region_code=CHAOYANG))
    assert client.get(f"/console/indicators/regions/{CHAOYANG}/").status_code == 403


def test_report_downloads_as_pdf_and_excel(filled: None, login_as: Login) -> None:
    client = login_as(make_staff(Role.SUPERVISOR_CITY, region_code=BEIJING))
    pdf = client.get(f"/console/indicators/regions/{BEIJING}/report?period=2026Q1&format=pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    text = assert_embeds_our_font(pdf.content).text
    assert "北京市公共法律服务指标报告（2026年第1季度）" in text and "达标" in text
    xlsx = client.get(f"/console/indicators/regions/{BEIJING}/report?period=2026&format=xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    page = client.get(f"/console/indicators/regions/{BEIJING}/report?period=2026Q1")
    assert "第1季度" in page.content.decode()


def test_report_data_has_the_satisfaction_survey(filled: None) -> None:
    data = report_data(region(CHAOYANG), "quarter", 2026, 1)
    # Chaoyang day one: ratings 5, 4, 5, 2 -> 3 of 4 satisfied, average 4.
    assert data["satisfaction"] == {
        "distribution": [0, 1, 0, 1, 2],
        "rated": 4,
        "satisfied_rate": 75.0,
        "average": 4.0,
        "surveyed": 0,
        "surveyed_satisfied_rate": None,
    }


def test_scheduled_reports_are_generated_once(filled: None) -> None:
    first = generate_period_reports.call()
    second = generate_period_reports.call()
    assert first > 0 and second == 0
    assert IndicatorReport.objects.filter(region=region(BEIJING)).count() == 2


def test_api_values_carry_provenance(filled: None, login_as: Login) -> None:
    client = login_as(make_staff(Role.SUPERVISOR_DISTRICT, region_code=CHAOYANG))
    response = client.get(f"/api/v1/indicators/regions/{CHAOYANG}/values?period=2026Q1")
    assert response.status_code == 200
    web = next(v for v in response.json() if v["indicator"] == "BJ-01")
    assert web["value"] == 75 and web["status"] == "missed"  # due since 2025
    assert web["provenance"]["formula"].startswith("pct(")


def test_api_rejects_a_bad_period_in_chinese(filled: None, login_as: Login) -> None:
    client = login_as(make_staff(Role.SUPERVISOR_CITY, region_code=BEIJING))
    response = client.get(f"/api/v1/indicators/regions/{BEIJING}/values?period=2026Q9")
    assert response.status_code == 400 and "period" in response.json()["message"]


def test_api_lists_definitions_and_reports(filled: None, login_as: Login) -> None:
    client = login_as(make_staff(Role.SUPERVISOR_CITY, region_code=BEIJING))
    definitions = client.get(f"/api/v1/indicators/regions/{BEIJING}/definitions").json()
    assert len(definitions) == 42 and definitions[0]["passage"]
    report = client.get(f"/api/v1/indicators/regions/{BEIJING}/reports/2026").json()
    assert report["region"]["code"] == BEIJING and report["generated_at"] is None


def test_admin_edits_target_through_the_console(filled: None, login_as: Login) -> None:
    client = login_as(make_staff(Role.SYSTEM_ADMIN, region_code=BEIJING))
    indicator = Indicator.objects.get(pack__code="beijing-2025-2027", code="BJ-06")
    response = client.post(
        f"/console/indicators/definitions/{indicator.pk}/edit",
        {"target": "36", "milestones": "2026=20"},
    )
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert (
        indicator.target == 36
        and AuditEvent.objects.filter(action="indicators.target_edited").exists()
    )


def test_report_and_review_pages(filled: None, login_as: Login) -> None:
    district = make_staff(Role.SUPERVISOR_DISTRICT, region_code=CHAOYANG)
    indicator = Indicator.objects.get(pack__code="beijing-2025-2027", code="BJ-14")
    client = login_as(district)
    response = client.post(
        "/console/indicators/reported/",
        {
            "indicator": indicator.pk,
            "region": CHAOYANG,
            "year": 2026,
            "value": 40,
            "note": "",
        },
    )
    assert response.status_code == 302
    report = indicator.reports.get()
    client = login_as(make_staff(Role.SUPERVISOR_CITY, region_code=BEIJING))
    client.post(f"/console/indicators/reported/{report.pk}/review", {"approve": "1"})
    report.refresh_from_db()
    assert report.status == "approved"
    assert client.get("/console/indicators/plans/").status_code == 200


def test_district_drills_down_to_a_township(filled: None, login_as: Login) -> None:
    client = login_as(make_staff(Role.SUPERVISOR_DISTRICT, region_code=CHAOYANG))
    district = client.get(f"/console/indicators/regions/{CHAOYANG}/?year=2026").content.decode()
    assert "/console/indicators/regions/110105001000/" in district
    township = client.get("/console/indicators/regions/110105001000/?year=2026")
    assert township.status_code == 200
    html = township.content.decode()
    assert "朝阳区" in html and "children-heading" not in html


def test_plan_item_definitions_and_reported_pages_render(filled: None, login_as: Login) -> None:
    from fawang.indicators.models import ActionItem

    client = login_as(make_staff(Role.SUPERVISOR_DISTRICT, region_code=CHAOYANG))
    item = ActionItem.objects.get(code="D-03")
    page = client.get(f"/console/indicators/plans/items/{item.pk}/").content.decode()
    assert "报送进展" in page and "朝阳区司法局" in page
    assert "BJ-14" in client.get("/console/indicators/definitions/").content.decode()
    assert client.get("/console/indicators/reported/").status_code == 200
    admin = login_as(make_staff(Role.SYSTEM_ADMIN, region_code=BEIJING))
    indicator = Indicator.objects.get(pack__code="beijing-2025-2027", code="BJ-06")
    assert admin.get(f"/console/indicators/definitions/{indicator.pk}/edit").status_code == 200


def test_haidian_cannot_report_progress_on_a_chaoyang_item(filled: None, login_as: Login) -> None:
    from fawang.indicators.models import ActionItem

    client = login_as(make_staff(Role.SUPERVISOR_DISTRICT, region_code=HAIDIAN))
    item = ActionItem.objects.get(code="D-03")
    page = client.get(f"/console/indicators/plans/items/{item.pk}/").content.decode()
    assert "报送进展" not in page
    client.post(f"/console/indicators/plans/items/{item.pk}/", {"percent": 50, "text": "x"})
    assert not item.progress.exists()
