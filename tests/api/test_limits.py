"""Out-of-range numbers in a request are a Chinese 4xx, never a 500."""

from __future__ import annotations

import pytest
from django.test import Client

from fawang.core.models import Role
from tests.conftest import CHAOYANG
from tests.factories import make_staff

pytestmark = pytest.mark.django_db

HUGE = str(2**63)


@pytest.mark.parametrize(
    "query",
    [{"offset": HUGE}, {"limit": HUGE}, {"limit": "1000000000"}, {"limit": "0"}, {"offset": "-1"}],
)
def test_list_paging_out_of_range_is_refused(login_as, query: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    client: Client = login_as(make_staff(Role.SUPERVISOR_DISTRICT, region_code=CHAOYANG))
    for path in ("/api/v1/laws", "/api/v1/institutions"):
        response = client.get(path, query)
        assert response.status_code == 422, (path, query, response.content[:200])
        body = response.json()
        assert body["code"] == "invalid_input" and body["field"] in {"limit", "offset"}
        assert "数值" in body["message"]


def test_a_page_within_range_is_served(login_as) -> None:  # type: ignore[no-untyped-def]
    client: Client = login_as(make_staff(Role.SUPERVISOR_DISTRICT, region_code=CHAOYANG))
    response = client.get("/api/v1/institutions", {"limit": "1000", "offset": "0"})
    assert response.status_code == 200


@pytest.mark.parametrize("period", ["9999", "99999", "-1", "0Q1", "2026Q5"])
def test_an_indicator_period_out_of_range_is_refused(login_as, period: str) -> None:  # type: ignore[no-untyped-def]
    client: Client = login_as(make_staff(Role.SUPERVISOR_DISTRICT, region_code=CHAOYANG))
    response = client.get(f"/api/v1/indicators/regions/{CHAOYANG}/values", {"period": period})
    assert response.status_code == 400, response.content[:200]
    assert response.json()["field"] == "period"
