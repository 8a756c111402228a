"""Content: drafting, the review before publishing (four eyes, bureau over the region), the
public pages by group and topic with elder mode's read-aloud, and the scope boundaries."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from fawang.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from fawang.core.models import User
from fawang.education import selectors, services
from fawang.education.models import ContentStatus, EducationContent
from tests.education.helpers import World, build_world, content_in, published
from tests.factories import make_citizen

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]


@pytest.fixture
def w() -> World:
    return build_world()


def test_a_bureau_reviewer_publishes_an_authors_draft(w: World) -> None:
    content = services.create_content(content_in(), acting_user=w.author)
    assert content.status == ContentStatus.DRAFT and content.region == w.author.region
    assert content.statutes == [
        {"law": "民法典", "article": 148},
        {"law": "民法典", "article": 1165},
    ]
    services.submit_content(content, acting_user=w.author)
    done = services.publish_content(content, "同意", acting_user=w.bureau)
    assert done.status == ContentStatus.PUBLISHED and done.reviewer == w.bureau
    assert done.published_at is not None


def test_nobody_publishes_their_own_or_outside_their_region(w: World) -> None:
    mine = services.create_content(content_in(), acting_user=w.bureau)
    services.submit_content(mine, acting_user=w.bureau)
    with pytest.raises(PermissionDenied, match="作者不能审核"):
        services.publish_content(mine, acting_user=w.bureau)
    theirs = services.create_content(content_in(), acting_user=w.author)
    services.submit_content(theirs, acting_user=w.author)
    for outsider in (w.haidian, w.second_author, w.sjz_city):  # other district, a 司法所, SJZ
        with pytest.raises(PermissionDenied):
            services.publish_content(theirs, acting_user=outsider)
    services.publish_content(theirs, acting_user=w.city)  # the city bureau is over 朝阳
    assert EducationContent.objects.get(pk=theirs.pk).status == ContentStatus.PUBLISHED


def test_only_submitted_content_is_published_and_returned_content_is_edited_again(
    w: World,
) -> None:
    content = services.create_content(content_in(), acting_user=w.author)
    with pytest.raises(Conflict):
        services.publish_content(content, acting_user=w.bureau)
    services.submit_content(content, acting_user=w.author)
    with pytest.raises(InvalidInput):
        services.return_content(content, "", acting_user=w.bureau)  # a reason is required
    services.return_content(content, "请补充法条", acting_user=w.bureau)
    with pytest.raises(PermissionDenied):
        services.update_content(content, content_in(title="别人改"), acting_user=w.second_author)
    services.update_content(content, content_in(title="修改后的标题"), acting_user=w.author)
    services.submit_content(content, acting_user=w.author)
    assert EducationContent.objects.get(pk=content.pk).status == ContentStatus.SUBMITTED


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"groups": []}, "groups"),
        ({"topics": ["astrology"]}, "topics"),
        ({"statutes": "民法典一千条"}, "statutes"),
        ({"kind": "qa", "question": ""}, "question"),
        ({"kind": "video", "video_url": "http://example.cn/v", "video_minutes": 5}, "video_url"),
        (
            {"kind": "video", "video_url": "https://v.example.cn/1", "video_minutes": 0},
            "video_minutes",
        ),
    ],
)
def test_bad_content_is_refused_with_the_field(w: World, overrides: dict, field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        services.create_content(content_in(**overrides), acting_user=w.author)
    assert caught.value.field == field
    assert not EducationContent.objects.exists()


def test_public_list_finds_published_content_by_group_and_topic(w: World) -> None:
    case = published(w)
    published(w, title="劳动合同到期不续签有补偿吗", kind="qa", question="合同到期不续签？",
              groups=["migrant_worker"], topics=["labour"], statutes="")  # fmt: skip
    draft = services.create_content(content_in(title="尚未审核的草稿"), acting_user=w.author)
    page = Client().get("/education/", {"group": "elderly", "topic": "consumer"}).content.decode()
    assert case.title in page and "劳动合同到期" not in page and draft.title not in page
    assert ">elderly<" not in page and "老年人" in page
    assert Client().get(f"/education/{draft.pk}").status_code == 404
    api = Client().get("/api/v1/education/content", {"group": "migrant_worker"}).json()
    assert [row["title"] for row in api] == ["劳动合同到期不续签有补偿吗"]


def test_public_page_links_the_statutes_and_reads_aloud_in_elder_mode(w: World) -> None:
    case = published(w)
    client = Client()
    page = client.get(f"/education/{case.pk}").content.decode()
    assert "《民法典》第148条" in page and "/laws/search?q=" in page
    assert "朗读全文" not in page
    client.cookies["fawang_elder"] = "1"
    elder = client.get(f"/education/{case.pk}").content.decode()
    assert 'data-read-aloud="#content-text"' in elder and "朗读全文" in elder


def test_staff_see_content_of_their_region_only(w: World, login_as: Login) -> None:
    content = services.create_content(content_in(), acting_user=w.author)
    assert selectors.get_content_for_user(w.bureau, content.pk) == content
    with pytest.raises(NotFound):
        selectors.get_content_for_user(w.haidian, content.pk)
    assert login_as(w.haidian).get(f"/console/education/{content.pk}/").status_code == 404
    api = login_as(w.haidian).post(f"/api/v1/education/drafts/{content.pk}/publish", {},
                                   content_type="application/json")  # fmt: skip
    assert api.status_code == 404
    citizen = make_citizen()
    assert Client().get("/console/education/").status_code == 302
    assert login_as(citizen).get("/console/education/").status_code in (302, 403)


def test_reviewer_publishes_on_the_pages(w: World) -> None:
    author = _client_for(w.author)
    bad = author.post(
        "/console/education/new", {"kind": "case", "title": "保留的标题", "body": "正文"}
    )
    assert bad.status_code == 400 and "保留的标题" in bad.content.decode()
    assert "请至少选择一项面向群体" in bad.content.decode()
    assert not EducationContent.objects.exists()
    response = author.post(
        "/console/education/new",
        {"kind": "case", "title": "典型案例：邻里纠纷", "body": "正文", "groups": ["farmer"],
         "topics": ["tort"], "statutes": "民法典第288条"},
    )  # fmt: skip
    content = EducationContent.objects.get()
    assert response.status_code == 302
    author.post(f"/console/education/{content.pk}/", {"action": "submit"})
    reviewer = _client_for(w.bureau)
    queue = reviewer.get("/console/education/").content.decode()
    assert "待我审核" in queue and "典型案例：邻里纠纷" in queue
    done = reviewer.post(f"/console/education/{content.pk}/", {"action": "publish", "note": "同意"})
    assert done.status_code == 302
    assert EducationContent.objects.get().status == ContentStatus.PUBLISHED
    refused = author.post(f"/console/education/{content.pk}/", {"action": "withdraw", "note": "x"})
    assert refused.status_code == 400  # a 司法所 may not withdraw: the message, not a crash


def _client_for(user: User) -> Client:
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.get(user=user).persistent_id
    session.save()
    return client
