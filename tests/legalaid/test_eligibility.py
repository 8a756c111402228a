from __future__ import annotations

from decimal import Decimal

import pytest

from fawang.core.errors import Conflict, InvalidInput, PermissionDenied
from fawang.legalaid import services
from fawang.legalaid.models import AidApplication, AidCase, ApplicationStatus
from fawang.policy.deadlines import Period, Unit, deadline
from fawang.workorders.models import BusinessLine, WorkOrder
from tests.legalaid.helpers import AidWorld, application_input, apply, build_aid_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> AidWorld:
    return build_aid_world()


def test_citizen_application_creates_a_legal_aid_work_order_and_application(
    world: AidWorld,
) -> None:
    application = apply(world)
    order = application.work_order
    assert order.business_line == BusinessLine.LEGAL_AID
    assert order.channel == "web"
    assert application.centre == world.centre
    assert application.applicant == world.citizen
    assert application.number.startswith("FY")
    # 法律援助法 第四十三条: seven calendar days, counted by the one deadline function.
    assert application.decision_due_at == deadline(
        application.submitted_at, Period(7, Unit.CALENDAR_DAYS)
    )


def test_exempt_group_skips_the_means_test(world: AidWorld) -> None:
    application = apply(
        world,
        exempt_ground="migrant_worker_wages",
        exempt_basis="进城务工人员请求支付劳动报酬",
        household_monthly_income="999999",
        honesty_pledge=False,
    )
    assert application.household_monthly_income is None
    assessment = services.assess_eligibility(application)
    assert assessment.exempt and assessment.eligible
    decided = services.decide_application(
        application, approve=True, reasons="", acting_user=world.officer
    )
    assert decided.status == ApplicationStatus.APPROVED
    assert AidCase.objects.filter(application=application).exists()


def test_exempt_ground_needs_its_basis_recorded(world: AidWorld) -> None:
    with pytest.raises(InvalidInput) as error:
        apply(world, exempt_ground="abuse_victim", exempt_basis="")
    assert error.value.field == "exempt_basis"


def test_income_over_the_standard_is_refused_with_the_reason(world: AidWorld) -> None:
    # Beijing's standard is 2540 yuan a member a month; 2 × 3000 is over it.
    application = apply(world, household_size=2, household_monthly_income="6000")
    assessment = services.assess_eligibility(application)
    assert not assessment.eligible
    assert assessment.income_per_member == Decimal("3000.00")
    decided = services.decide_application(
        application, approve=False, reasons="", acting_user=world.officer
    )
    assert decided.status == ApplicationStatus.REFUSED
    assert "3000.00" in decided.decision_reasons and "2540" in decided.decision_reasons
    assert not AidCase.objects.filter(application=application).exists()


def test_approving_an_over_the_standard_application_is_refused(world: AidWorld) -> None:
    application = apply(world, household_size=1, household_monthly_income="9000")
    with pytest.raises(Conflict) as error:
        services.decide_application(
            application, approve=True, reasons="", acting_user=world.officer
        )
    assert error.value.code == "not_eligible"
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_income_under_the_standard_is_approved_and_opens_a_case(world: AidWorld) -> None:
    application = apply(world, household_size=3, household_monthly_income="4500")
    services.decide_application(application, approve=True, reasons="", acting_user=world.officer)
    case = AidCase.objects.get(application=application)
    assert case.status == "awaiting_assignment"
    assert (case.assignment_due_at - case.opened_at).days == 3


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"household_monthly_income": "-1"}, "household_monthly_income", "negative_amount"),
        ({"matter_type": "divorce_of_celebrities"}, "matter_type", "unknown_matter_type"),
        ({"honesty_pledge": False}, "honesty_pledge", "pledge_required"),
        ({"household_size": 0}, "household_size", "household_size"),
        ({"applicant_id_number": "110105198001011234"}, "applicant_id_number", "id_number"),
    ],
)
def test_bad_application_input_is_refused_and_saves_nothing(
    world: AidWorld, overrides: dict[str, object], field: str, code: str
) -> None:
    with pytest.raises(InvalidInput) as error:
        services.submit_application(application_input(**overrides), acting_user=world.citizen)
    assert (error.value.field, error.value.code) == (field, code)
    assert AidApplication.objects.count() == 0
    assert WorkOrder.objects.count() == 0


def test_only_the_centres_officer_decides(world: AidWorld) -> None:
    application = apply(world)
    with pytest.raises(PermissionDenied):
        services.decide_application(
            application, approve=True, reasons="", acting_user=world.other_officer
        )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_a_decision_is_final(world: AidWorld) -> None:
    application = apply(world)
    services.decide_application(application, approve=True, reasons="", acting_user=world.officer)
    with pytest.raises(Conflict):
        services.decide_application(
            application, approve=False, reasons="改变主意", acting_user=world.officer
        )


def test_window_clerk_records_an_application_through_the_window_channel(world: AidWorld) -> None:
    from fawang.core.models import Role
    from tests.factories import make_staff

    clerk = make_staff(Role.WINDOW_CLERK, region_code="110105000000")
    application = services.submit_application(
        application_input(applicant_phone="13900001111"), acting_user=clerk
    )
    assert application.work_order.channel == "window"
    assert application.applicant is None


def test_same_idempotency_key_returns_the_first_application(world: AidWorld) -> None:
    first = apply(world, idempotency_key="k-1")
    again = apply(world, idempotency_key="k-1")
    assert first.pk == again.pk
    assert AidApplication.objects.count() == 1
