"""The notary pages in English (the language cookie), and still in Chinese by default."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from fawang.core.models import User
from tests.language import english as in_english
from tests.notary.helpers import World, apply, birth_form, build_world

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]


@pytest.fixture
def w() -> World:
    return build_world()


def english(client: Client, url: str, data: dict[str, str] | None = None) -> str:
    page = in_english(client).get(url, data or {}, HTTP_ACCEPT_LANGUAGE="en")
    return page.content.decode()


def test_the_catalogue_and_a_materials_list_are_in_english(w: World) -> None:
    page = english(Client(), "/notary/")
    assert "Get a notarisation" in page and "Notarisation of a will" in page
    assert "Fully online" in page and "Documents needed" in page
    assert "办理公证" not in page and "遗嘱公证" not in page and "可全程网办" not in page
    info = english(Client(), "/notary/matters/succession")
    assert "Death certificate of the deceased" in info and "Before you apply" in info
    assert "This matter must be approved by a second notary." in info
    assert "被继承人死亡证明" not in info and "办理须知" not in info


def test_a_citizen_reads_the_one_notice_and_an_error_in_english(w: World, login_as: Login) -> None:
    client = in_english(login_as(w.citizen))
    response = client.post(
        "/notary/apply/birth",
        birth_form(w),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 302
    code = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    page = english(client, f"/notary/mine/{code}")
    assert "Your application has been submitted. Unified registration code" in page
    assert "One-time notice of missing documents" in page and "Awaiting acceptance" in page
    assert "Recent passport-style photo of the applicant" in page
    assert "一次性告知书" not in page and "申请人近期免冠照片" not in page and "待受理" not in page
    refused = client.post(f"/notary/mine/{code}", {"action": "book"}, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400
    assert "Please choose a time slot." in refused.content.decode()


def test_the_notary_queue_is_in_english(w: World, login_as: Login) -> None:
    apply(w)
    page = english(login_as(w.notary), "/console/notary/")
    assert "Unified registration code" in page and "Notarisation of birth" in page
    assert "统一登记编码" not in page and "出生公证" not in page


def test_the_pages_stay_in_chinese_by_default(w: World, login_as: Login) -> None:
    page = Client().get("/notary/").content.decode()
    assert "办理公证" in page and "遗嘱公证" in page and "可全程网办" in page
    assert "Get a notarisation" not in page and "Notarisation of a will" not in page
    matter = apply(w, files={})
    mine = login_as(w.citizen).get(f"/notary/mine/{matter.code}").content.decode()
    assert "一次性告知书" in mine and "申请人近期免冠照片" in mine and "待受理" in mine
    assert "One-time notice" not in mine and "Awaiting acceptance" not in mine
