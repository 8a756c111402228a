"""The entrusting party downloads the issued PDF itself with the document's 提取码: texted on
issue, passed on to whoever it authorises, re-issued by the institution (the old one then stops
working); wrong codes are limited per client; every download is audited; the verification page
still shows nothing about the parties."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from fawang.appraisal import services
from fawang.appraisal.models import Opinion
from fawang.audit.models import AuditEvent
from fawang.core.errors import Conflict, InvalidInput, PermissionDenied
from fawang.core.models import User
from fawang.core.sms import MemorySmsBackend
from fawang.core.throttle import TooManyAttempts
from tests.appraisal.helpers import World, build_world, issued

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]
CODE = re.compile(r"提取码(?:已重新发放：)?([A-Z2-9]{4}-[A-Z2-9]{4})")


@pytest.fixture
def w() -> World:
    return build_world()


def _texted_code(case_code: str) -> str:
    texts = [text for _phone, text in MemorySmsBackend.outbox if case_code in text]
    found = CODE.search(texts[-1])
    assert found, texts
    return found.group(1)


def _issued_with_code(w: World, capture: Any) -> tuple[Opinion, str]:
    MemorySmsBackend.outbox.clear()
    with capture(execute=True):
        opinion = issued(w)
    return opinion, _texted_code(opinion.case_code)


def _downloads() -> int:
    return AuditEvent.objects.filter(action="appraisal.document_downloaded").count()


def test_the_issue_sms_carries_a_download_code_stored_only_hashed(
    w: World, django_capture_on_commit_callbacks: Any
) -> None:
    opinion, code = _issued_with_code(w, django_capture_on_commit_callbacks)
    phones = {phone for phone, text in MemorySmsBackend.outbox if opinion.case_code in text}
    assert phones == {"13911112222"}  # the entrusting party's number
    assert code.replace("-", "") not in opinion.verification_code.replace("-", "")
    row = Opinion.objects.values().get(pk=opinion.pk)
    stored = repr(row)
    assert code not in stored and code.replace("-", "") not in stored
    assert row["download_code_hash"] == services.download_code_hash(opinion.case_code, code)


def test_the_right_code_downloads_the_pdf_on_the_page_and_is_audited(
    w: World, django_capture_on_commit_callbacks: Any
) -> None:
    opinion, code = _issued_with_code(w, django_capture_on_commit_callbacks)
    page = Client().get("/appraisal/verify", {"code": opinion.verification_code}).content.decode()
    assert "下载鉴定意见书" in page and 'name="download_code"' in page
    response = Client().post(
        "/appraisal/verify/download",
        {"code": opinion.verification_code, "download_code": code.lower().replace("-", " ")},
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content == bytes(opinion.document)
    assert opinion.case_code in response["Content-Disposition"]
    event = AuditEvent.objects.get(action="appraisal.document_downloaded")
    assert event.detail["case_code"] == opinion.case_code and event.ip_address == "127.0.0.1"


def test_anyone_the_party_passes_the_code_to_downloads_through_the_api(
    w: World, django_capture_on_commit_callbacks: Any
) -> None:
    opinion, code = _issued_with_code(w, django_capture_on_commit_callbacks)
    api = Client().post(
        "/api/v1/appraisal/opinions/download",
        {"code": opinion.case_code, "download_code": code},
        content_type="application/json",
    )
    assert api.status_code == 200 and api.content == bytes(opinion.document)
    assert _downloads() == 1


def test_a_wrong_code_is_refused_in_chinese_and_nothing_is_handed_out(
    w: World, django_capture_on_commit_callbacks: Any
) -> None:
    opinion, _code = _issued_with_code(w, django_capture_on_commit_callbacks)
    page = Client().post(
        "/appraisal/verify/download",
        {"code": opinion.verification_code, "download_code": "AAAA-BBBB"},
    )
    assert page.status_code == 400 and page["Content-Type"].startswith("text/html")
    text = page.content.decode()
    assert "提取码不正确或已失效" in text and opinion.case_code in text  # the result stays
    api = Client().post(
        "/api/v1/appraisal/opinions/download",
        {"code": opinion.verification_code, "download_code": "12"},
        content_type="application/json",
    )
    assert api.status_code == 400 and api.json()["code"] == "bad_download_code"
    assert "提取码" in api.json()["message"]
    assert _downloads() == 0


def test_a_code_opens_its_own_document_only(
    w: World, django_capture_on_commit_callbacks: Any
) -> None:
    first, first_code = _issued_with_code(w, django_capture_on_commit_callbacks)
    second, second_code = _issued_with_code(w, django_capture_on_commit_callbacks)
    with pytest.raises(InvalidInput) as error:
        services.download_document(second.verification_code, first_code, client="192.0.2.1")
    assert error.value.code == "wrong_download_code"
    assert services.download_document(second.case_code, second_code, client="192.0.2.1") == second
    # the supplement of the same case has a code of its own
    MemorySmsBackend.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        supplement = services.issue_opinion(
            first.entrustment, "supplement", "补充：十级。", acting_user=w.head
        )
    supplement_code = _texted_code(supplement.case_code)
    assert supplement_code != first_code
    with pytest.raises(InvalidInput):
        services.download_document(supplement.verification_code, first_code, client="192.0.2.1")


def test_wrong_codes_are_limited_per_client_like_the_other_public_forms(
    w: World, django_capture_on_commit_callbacks: Any
) -> None:
    opinion, code = _issued_with_code(w, django_capture_on_commit_callbacks)
    for _ in range(services.DOWNLOAD_FAILURES_PER_HOUR):
        with pytest.raises(InvalidInput):
            services.download_document(opinion.verification_code, "ZZZZ-ZZZZ", client="10.0.0.9")
    with pytest.raises(TooManyAttempts):  # even the right code, for the rest of the hour
        services.download_document(opinion.verification_code, code, client="10.0.0.9")
    page = Client(REMOTE_ADDR="10.0.0.9").post(
        "/appraisal/verify/download", {"code": opinion.verification_code, "download_code": code}
    )
    assert page.status_code == 429 and "尝试次数过多" in page.content.decode()
    # another client is not affected
    assert services.download_document(opinion.verification_code, code, client="10.0.0.8")


def test_the_institution_reissues_the_code_and_the_old_one_stops_working(
    w: World, django_capture_on_commit_callbacks: Any, login_as: Login
) -> None:
    opinion, old = _issued_with_code(w, django_capture_on_commit_callbacks)
    MemorySmsBackend.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = login_as(w.appraiser).post(
            f"/api/v1/appraisal/opinions/{opinion.case_code}/download-code"
        )
    assert response.status_code == 200
    fresh = response.json()["download_code"]
    assert fresh != old and _texted_code(opinion.case_code) == fresh  # the party is texted
    with pytest.raises(InvalidInput):
        services.download_document(opinion.verification_code, old, client="192.0.2.2")
    assert (
        services.download_document(opinion.verification_code, fresh, client="192.0.2.2") == opinion
    )
    event = AuditEvent.objects.get(action="appraisal.download_code_reissued")
    assert event.actor == w.appraiser and fresh not in repr(event.detail)


def test_only_the_institution_reissues_a_code(
    w: World, django_capture_on_commit_callbacks: Any, login_as: Login
) -> None:
    opinion, code = _issued_with_code(w, django_capture_on_commit_callbacks)
    url = f"/api/v1/appraisal/opinions/{opinion.case_code}/download-code"
    assert login_as(w.outsider).post(url).status_code == 404  # another institution
    bureau = login_as(w.district_bureau).post(url)  # sees the document, cannot re-issue
    assert bureau.status_code == 403 and "司法鉴定人" in bureau.json()["message"]
    with pytest.raises(PermissionDenied):
        services.reissue_download_code(opinion, acting_user=w.outsider)
    assert (
        services.download_document(opinion.verification_code, code, client="192.0.2.3") == opinion
    )


def test_the_appraiser_reissues_on_the_case_page_and_sees_the_new_code_once(
    w: World, django_capture_on_commit_callbacks: Any, login_as: Login
) -> None:
    opinion, old = _issued_with_code(w, django_capture_on_commit_callbacks)
    client = login_as(w.head)
    url = f"/console/appraisal/{opinion.entrustment.number}/"
    assert "重新发放提取码" in client.get(url).content.decode()
    page = client.post(url, {"action": "reissue_code", "case_code": opinion.case_code})
    assert page.status_code == 200
    shown = re.search(r'class="download-code">([A-Z2-9-]+)<', page.content.decode())
    assert shown and shown.group(1) != old
    assert (
        services.download_document(opinion.case_code, shown.group(1), client="192.0.2.4") == opinion
    )
    assert "download-code" not in client.get(url).content.decode()


def test_a_withdrawn_document_is_not_handed_out(
    w: World, django_capture_on_commit_callbacks: Any
) -> None:
    opinion, code = _issued_with_code(w, django_capture_on_commit_callbacks)
    services.withdraw_opinion(opinion, "鉴定程序违法", acting_user=w.district_bureau)
    with pytest.raises(Conflict) as error:
        services.download_document(opinion.verification_code, code, client="192.0.2.5")
    assert "撤回" in error.value.message
    page = Client().get("/appraisal/verify", {"code": opinion.verification_code}).content.decode()
    assert "已撤回" in page and "下载鉴定意见书" not in page
    assert _downloads() == 0


def test_the_verification_page_with_the_form_still_shows_nothing_about_the_parties(
    w: World, django_capture_on_commit_callbacks: Any
) -> None:
    opinion, code = _issued_with_code(w, django_capture_on_commit_callbacks)
    for response in (
        Client().get("/appraisal/verify", {"code": opinion.verification_code}),
        Client().post(
            "/appraisal/verify/download",
            {"code": opinion.verification_code, "download_code": "AAAA-AAAA"},
        ),
    ):
        page = response.content.decode()
        for personal in ("王大明", "李小红", "人民法院", "13911112222", "伤残", code):
            assert personal not in page
