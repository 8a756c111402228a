"""The bureau's console page for sanctions, withdrawals and the quality-review sample: each verb
works, bad input is a Chinese 400, another district's objects are 404 and nothing changes."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from fawang.appraisal.models import Opinion, OpinionReview, OpinionStatus, Sanction
from fawang.core.models import User
from tests.appraisal.helpers import World, build_world, issued

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]
URL = "/console/appraisal/supervision"


@pytest.fixture
def w() -> World:
    return build_world()


def test_bureau_sanctions_withdraws_and_reviews_on_the_page(w: World, login_as: Login) -> None:
    opinion = issued(w)
    client = login_as(w.district_bureau)
    page = client.get(URL).content.decode()
    assert "行政处罚和行业处分" in page and "文书质量评议" in page
    assert "处罚、撤回与文书质量评议" in client.get("/console/appraisal/").content.decode()
    sanctioned = client.post(
        URL, {"action": "sanction", "institution": str(w.institution.pk), "description": "警告"}
    )
    assert sanctioned.status_code == 302
    assert Sanction.objects.get().institution == w.institution
    withdrawn = client.post(
        URL,
        {
            "action": "withdraw",
            "code": opinion.verification_code.replace("-", ""),
            "reason": "错误",
        },
    )
    assert withdrawn.status_code == 302
    opinion.refresh_from_db()
    assert opinion.status == OpinionStatus.WITHDRAWN
    year = timezone.localdate().year
    drawn = client.post(
        URL, {"action": "draw", "institution": str(w.institution.pk), "year": str(year)}
    )
    assert drawn.status_code == 302
    review = OpinionReview.objects.get()
    bad = client.post(
        URL,
        {
            "action": "score",
            "review": str(review.pk),
            "score": "120",
            "findings": "好",
            "panel": "甲",
        },
    )
    assert bad.status_code == 400 and "评分应为 0 到 100" in bad.content.decode()
    scored = client.post(
        URL,
        {
            "action": "score",
            "review": str(review.pk),
            "score": "85",
            "findings": "规范",
            "panel": "甲、乙",
        },
    )
    assert scored.status_code == 302
    review.refresh_from_db()
    assert review.score == 85
    page = client.get(URL).content.decode()
    assert "警告" in page and opinion.case_code in page and "85 分" in page


def test_bad_input_keeps_the_text_and_saves_nothing(w: World, login_as: Login) -> None:
    client = login_as(w.district_bureau)
    response = client.post(URL, {"action": "withdraw", "code": "123", "reason": "理由写了一半"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "查询验证码应为 12 位" in body and "理由写了一半" in body
    empty = client.post(URL, {"action": "sanction", "institution": str(w.institution.pk)})
    assert empty.status_code == 400 and not Sanction.objects.exists()


def test_another_district_gets_404_and_changes_nothing(w: World, login_as: Login) -> None:
    opinion = issued(w)
    client = login_as(w.haidian_bureau)
    assert opinion.case_code not in client.get(URL).content.decode()
    response = client.post(URL, {"action": "withdraw", "code": opinion.case_code, "reason": "x"})
    assert response.status_code == 404
    assert Opinion.objects.get(pk=opinion.pk).status == OpinionStatus.VALID
    refused = client.post(
        URL, {"action": "sanction", "institution": str(w.institution.pk), "description": "警告"}
    )
    assert refused.status_code in (403, 404) and not Sanction.objects.exists()


def test_appraisers_and_citizens_cannot_open_it(w: World, login_as: Login) -> None:
    assert login_as(w.head).get(URL).status_code == 403
