"""List pages and endpoints read a bounded number of queries, however many rows they show."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from fawang.core.models import User
from fawang.legalaid import services
from fawang.legalaid.tasks import report_overdue_assignments
from tests.legalaid.helpers import AidWorld, approved_case, build_aid_world, notice_input

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]


@pytest.fixture
def world() -> AidWorld:
    world = build_aid_world()
    for n in range(6):
        case = approved_case(world, idempotency_key=f"q{n}")
        services.assign_case(case, acting_user=world.officer)
    return world


@pytest.mark.parametrize(
    "url",
    ["/api/v1/legal-aid/cases", "/api/v1/legal-aid/applications", "/legal-aid/console/cases/"],
)
def test_case_and_application_lists_do_not_grow_queries_per_row(
    world: AidWorld, login_as: Login, django_assert_max_num_queries: object, url: str
) -> None:
    client = login_as(world.officer)
    with django_assert_max_num_queries(9):  # type: ignore[operator]
        assert client.get(url).status_code == 200


def test_the_overdue_sweep_counts_unassigned_cases_past_their_limit(world: AidWorld) -> None:
    from datetime import timedelta

    from django.utils import timezone

    services.receive_notice(
        notice_input(received_at=timezone.now() - timedelta(days=14)), acting_user=world.officer
    )
    assert report_overdue_assignments.call() == 1
