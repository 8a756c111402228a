"""The arbitration supervision page in English (the language cookie), and still in Chinese by
default."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from fawang.core.models import Role, User
from tests.arbitration.test_arbitration import World, register, w  # noqa: F401
from tests.factories import make_staff
from tests.language import english

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]


def flagged(world: World) -> None:
    """Three cases of one claimant with the same claims: each flagged (same_claimant_many)."""
    for _ in range(3):
        register(world, claimant="甲公司", claims="支付货款", contested=False)


def test_the_bureau_reviews_flags_in_english(w: World, login_as: Login) -> None:  # noqa: F811
    flagged(w)
    client = english(login_as(w.bureau))
    page = client.get("/console/arbitration/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Arbitration supervision" in page and "False-arbitration flags awaiting review" in page
    assert "Same claimant, same claims, several respondents" in page
    assert "Case figures" in page and "Cases recorded" in page
    assert "待复核的虚假仲裁提示" not in page and "同一申请人以相同请求针对多个被申请人" not in page


def test_the_clerk_reads_the_form_and_its_error_in_english(w: World, login_as: Login) -> None:  # noqa: F811
    client = english(login_as(make_staff(Role.ARBITRATION_CLERK, institution=w.commission)))
    page = client.get("/console/arbitration/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Record a case" in page and "Amount in dispute (yuan)" in page
    assert "登记案件" not in page and "争议金额（元）" not in page
    refused = client.post(
        "/console/arbitration/cases", {"filed_on": "not a date"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert refused.status_code == 400
    assert "Please enter a valid date." in refused.content.decode()


def test_the_page_stays_in_chinese_by_default(w: World, login_as: Login) -> None:  # noqa: F811
    flagged(w)
    page = login_as(w.bureau).get("/console/arbitration/").content.decode()
    assert "待复核的虚假仲裁提示" in page and "同一申请人以相同请求针对多个被申请人" in page
    assert "False-arbitration flags" not in page and "Same claimant" not in page
