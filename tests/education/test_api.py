"""The education API: staff draft and review, the public reads published content only, bad input
is a 400 with a Chinese message and the field, other regions are 404."""

from __future__ import annotations

import pytest
from django.test import Client

from fawang.education.models import ContentStatus, EducationContent
from tests.education.helpers import JIANWAI, build_world
from tests.education.test_content import _client_for
from tests.factories import make_citizen

pytestmark = pytest.mark.django_db
JSON = "application/json"


def test_draft_review_and_public_read_through_the_api() -> None:
    w = build_world()
    author, reviewer = _client_for(w.author), _client_for(w.bureau)
    body = {"kind": "qa", "title": "邻居装修噪音扰民怎么办", "question": "楼上天天装修到深夜",
            "body": "可以先协商，也可以请人民调解委员会调解。", "groups": ["elderly"],
            "topics": ["tort"], "statutes": ["民法典第294条"]}  # fmt: skip
    bad = author.post("/api/v1/education/drafts", {**body, "groups": []}, content_type=JSON)
    assert bad.status_code == 400 and bad.json()["field"] == "groups"
    assert "面向群体" in bad.json()["message"]
    made = author.post("/api/v1/education/drafts", body, content_type=JSON)
    assert made.status_code == 201 and made.json()["status"] == "draft"
    pk = made.json()["id"]
    assert Client().get(f"/api/v1/education/content/{pk}").status_code == 404
    assert author.post(f"/api/v1/education/drafts/{pk}/submit").status_code == 200
    own = author.post(f"/api/v1/education/drafts/{pk}/publish", {"note": ""}, content_type=JSON)
    assert own.status_code == 403  # a 司法所 does not publish
    hidden = _client_for(w.haidian).post(f"/api/v1/education/drafts/{pk}/publish", {},
                                         content_type=JSON)  # fmt: skip
    assert hidden.status_code == 404
    done = reviewer.post(
        f"/api/v1/education/drafts/{pk}/publish", {"note": "同意"}, content_type=JSON
    )
    assert done.status_code == 200 and done.json()["status"] == ContentStatus.PUBLISHED
    public = Client().get(f"/api/v1/education/content/{pk}").json()
    assert public["statutes"] == [{"law": "民法典", "article": 294}] and "status" not in public


def test_activities_and_coverage_through_the_api() -> None:
    w = build_world()
    activity = {"kind": "lecture", "title": "民法典进社区", "organiser": "建外街道司法所",
                "region_code": JIANWAI, "held_on": "2026-05-10", "audience": 45,
                "groups": ["elderly"], "campaign": "civil_code_month"}  # fmt: skip
    made = _client_for(w.author).post("/api/v1/education/activities", activity, content_type=JSON)
    assert made.status_code == 201 and made.json()["audience"] == 45
    outside = _client_for(w.haidian).post("/api/v1/education/activities", activity,
                                          content_type=JSON)  # fmt: skip
    assert outside.status_code == 404
    coverage = _client_for(w.bureau).get("/api/v1/education/site-coverage", {"region": JIANWAI})
    assert coverage.status_code == 200 and coverage.json()["total"]["covered"] == 0
    assert coverage.json()["total"]["villages"] == len(coverage.json()["uncovered"]) > 0
    citizen = make_citizen()
    client = Client()
    client.force_login(citizen)
    assert client.get("/api/v1/education/site-coverage").status_code == 404
    assert client.post("/api/v1/education/drafts", {}, content_type=JSON).status_code in (
        400,
        403,
        422,
    )
    assert not EducationContent.objects.exists()
