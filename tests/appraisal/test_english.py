"""The appraisal pages in English (the language cookie), and still in Chinese by default."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from fawang.core.models import User
from tests.appraisal.helpers import World, build_world, entrust, issued
from tests.language import english

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]


@pytest.fixture
def w() -> World:
    return build_world()


def test_the_public_roster_and_document_check_are_in_english(w: World) -> None:
    client = english(Client())
    page = client.get("/appraisal/roster", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Roster of appraisal institutions and appraisers" in page
    assert "Clinical forensic medicine" in page and "Integrity grade" in page
    assert "司法鉴定机构和司法鉴定人名册" not in page and "法医临床鉴定" not in page
    opinion = issued(w)
    check = client.get(
        "/appraisal/verify", {"code": opinion.verification_code}, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Verification result" in check and "Valid signature" in check
    assert "Judicial appraisal opinion" in check and "Download the appraisal opinion" in check
    assert "核验结果" not in check and "签名有效" not in check


def test_the_appraiser_works_an_entrustment_in_english(w: World, login_as: Login) -> None:
    entrustment = entrust(w)
    client = english(login_as(w.head))
    queue = client.get("/console/appraisal/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Judicial appraisal entrustments" in queue and "Awaiting acceptance" in queue
    assert "司法鉴定委托" not in queue and "待受理" not in queue
    url = f"/console/appraisal/{entrustment.number}/"
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Accept and assign appraisers" in page and "Reason for not accepting" in page
    assert "受理并指定司法鉴定人" not in page
    refused = client.post(url, {"action": "accept"}, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400
    assert "At least 2 appraisers must be assigned" in refused.content.decode()


def test_the_pages_stay_in_chinese_by_default(w: World, login_as: Login) -> None:
    page = Client().get("/appraisal/roster").content.decode()
    assert "司法鉴定机构和司法鉴定人名册" in page and "法医临床鉴定" in page
    assert (
        "Roster of appraisal institutions" not in page and "Clinical forensic medicine" not in page
    )
    entrustment = entrust(w)
    detail = login_as(w.head).get(f"/console/appraisal/{entrustment.number}/").content.decode()
    assert "受理并指定司法鉴定人" in detail and "待受理" in detail
    assert "Accept and assign appraisers" not in detail and "Awaiting acceptance" not in detail
