"""The indicators fed from appraisal records: SJZ-33, BJ-22, SJZ-35."""

from __future__ import annotations

import pytest
from django.utils import timezone

from fawang.appraisal import metrics, services
from fawang.core.models import InstitutionKind, PractitionerKind
from fawang.indicators.formula import evaluate, parse
from tests.appraisal.helpers import World, build_world, entrust, issued
from tests.conftest import CHAOYANG
from tests.factories import make_institution, make_practitioner, region

pytestmark = pytest.mark.django_db


@pytest.fixture
def w() -> World:
    return build_world()


def test_valid_complaint_rate_is_computed_from_records(w: World) -> None:
    for _ in range(4):
        issued(w)
    complaint = services.receive_complaint(
        w.institution.pk, "王大明", "超期", acting_user=w.district_bureau
    )
    services.decide_complaint(complaint, "valid", "属实", acting_user=w.district_bureau)
    today = timezone.localdate()
    chaoyang = region(CHAOYANG).pk
    counts = {
        "appraisal.valid_complaints": metrics.valid_complaints(today)[chaoyang],
        "appraisal.opinions_issued": metrics.opinions_issued(today)[chaoyang],
    }
    assert counts == {"appraisal.valid_complaints": 1.0, "appraisal.opinions_issued": 4.0}
    formula = parse(
        "pct(appraisal.valid_complaints, appraisal.opinions_issued)",
        {"appraisal.valid_complaints": "flow", "appraisal.opinions_issued": "flow"},
    )
    assert evaluate(formula, counts, None) == 25


def test_senior_titles_and_mediation_coverage(w: World) -> None:
    make_practitioner(w.institution, PractitionerKind.APPRAISER, title="主任法医师")
    make_practitioner(w.institution, PractitionerKind.APPRAISER, title="法医师")
    chaoyang = region(CHAOYANG).pk
    assert metrics.appraisers_senior_title(timezone.localdate())[chaoyang] == 1.0
    make_institution(CHAOYANG, InstitutionKind.JUSTICE_BUREAU, name="朝阳区司法局")
    assert metrics.districts(timezone.localdate()) == {chaoyang: 1.0}
    assert metrics.districts_with_mediation_appraisal(timezone.localdate()) == {}
    entrust(w, entrusting_kind="mediation", mediation_ref="TJ20261205000001")
    assert metrics.districts_with_mediation_appraisal(timezone.localdate()) == {chaoyang: 1.0}
