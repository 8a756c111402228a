"""The public look-up of institutions and practitioners (R2, SJZ 5): by region, kind, specialty
and language, with licence number and status, and no personal data — page and API."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from fawang.core.models import InstitutionKind, PractitionerStatus
from tests.conftest import CHAOYANG, HAIDIAN
from tests.factories import make_institution, make_practitioner

pytestmark = pytest.mark.django_db


@pytest.fixture
def people() -> dict[str, object]:
    firm = make_institution(CHAOYANG, InstitutionKind.LAW_FIRM, name="朝阳测试律师事务所",
                            licence_number="31110000TEST")  # fmt: skip
    far = make_institution(HAIDIAN, InstitutionKind.LAW_FIRM, name="海淀测试律师事务所")
    signer = make_practitioner(
        firm, name="手语律师", specialties=["labour"], languages=["zh", "csl"],
        licence_number="11101201810000001",
    )  # fmt: skip
    make_practitioner(firm, name="普通律师", specialties=["debt"], languages=["zh"])
    make_practitioner(far, name="海淀律师", specialties=["labour"], languages=["zh", "en"],
                      status=PractitionerStatus.SUSPENDED)  # fmt: skip
    return {"signer": signer}


def test_the_page_finds_practitioners_by_language_and_specialty(
    client: Client, people: dict[str, object]
) -> None:
    page = client.get("/directory/", {"language": "csl"}).content.decode()
    assert "手语律师" in page and "普通律师" not in page
    assert "11101201810000001" in page and "执业" in page and "手语" in page
    # No mobile number and no ID number anywhere on the page.
    assert not re.search(r"(?<!\d)1[3-9]\d{9}(?!\d)", page)
    assert not re.search(r"(?<!\d)\d{17}[\dX](?!\d)", page)
    by_specialty = client.get("/directory/", {"specialty": "labour"}).content.decode()
    assert "手语律师" in by_specialty and "海淀律师" in by_specialty
    assert "普通律师" not in by_specialty
    in_chaoyang = client.get("/directory/", {"region": CHAOYANG}).content.decode()
    assert "海淀律师" not in in_chaoyang and "普通律师" in in_chaoyang
    institutions = client.get("/directory/", {"what": "institutions", "q": "朝阳测试"})
    assert "31110000TEST" in institutions.content.decode()


def test_the_api_gives_licence_and_status_and_no_personal_data(
    client: Client, people: dict[str, object]
) -> None:
    response = client.get("/api/v1/public/practitioners", {"specialty": "labour"})
    assert response.status_code == 200
    items = response.json()["items"]
    names = {item["name"]: item for item in items}
    assert set(names) == {"手语律师", "海淀律师"}
    assert names["海淀律师"]["status_label"] == "暂停执业"
    assert not {"phone", "id_number", "gender"} & set(names["手语律师"])
    found = client.get("/api/v1/public/institutions", {"region": HAIDIAN}).json()["items"]
    assert [item["name"] for item in found] == ["海淀测试律师事务所"]
