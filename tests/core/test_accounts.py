from __future__ import annotations

import re
import time
from typing import Any

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from fawang.audit.models import AuditEvent
from fawang.core import services
from fawang.core.errors import PermissionDenied
from fawang.core.middleware import LOGIN_AT_KEY
from fawang.core.models import Region, Role, User
from fawang.core.sms import MemorySmsBackend
from tests.conftest import BEIJING, CHAOYANG, HAIDIAN
from tests.factories import PASSWORD, make_citizen, make_institution, make_staff

pytestmark = pytest.mark.django_db


def current_code(user: User) -> str:
    device = TOTPDevice.objects.get(user=user)
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"


def staff_login(client: Client, user: User, *, password: str = PASSWORD, code: str | None = None):  # type: ignore[no-untyped-def]
    return client.post(
        "/console/login",
        {"username": user.username, "password": password, "otp_token": code or current_code(user)},
    )


# --- staff: password + TOTP ---------------------------------------------------------------


def test_staff_log_in_with_password_and_totp(client: Client) -> None:
    seat = make_staff(Role.HOTLINE_SEAT, region_code=CHAOYANG)
    response = staff_login(client, seat)
    assert response.status_code == 302
    assert client.get("/console/").status_code == 200
    assert AuditEvent.objects.filter(action="account.login", actor=seat).exists()


def test_staff_login_with_a_wrong_totp_code_fails(client: Client) -> None:
    seat = make_staff(Role.HOTLINE_SEAT, region_code=CHAOYANG)
    wrong = f"{(int(current_code(seat)) + 1) % 1_000_000:06d}"
    response = staff_login(client, seat, code=wrong)
    assert response.status_code == 200
    assert client.get("/console/").status_code == 302


def test_staff_pages_require_totp_even_with_a_password_session(client: Client) -> None:
    seat = make_staff(Role.HOTLINE_SEAT, region_code=CHAOYANG)
    client.force_login(seat)  # password only, no TOTP verification in the session
    response = client.get("/console/institutions/")
    assert response.status_code == 302 and "/console/login" in response["Location"]
    assert client.get("/api/v1/institutions").status_code == 401


def test_citizen_cannot_use_the_staff_console(client: Client, login_as) -> None:  # type: ignore[no-untyped-def]
    login_as(make_citizen())
    assert client.get("/console/").status_code == 302


# --- lockout --------------------------------------------------------------------------------


def test_five_failed_logins_lock_the_account_until_unlocked(client: Client) -> None:
    citizen = make_citizen(phone="13700001111")
    for _ in range(5):
        client.post("/login", {"phone": "13700001111", "password": "wrong-password-1"})
    locked = client.post("/login", {"phone": "13700001111", "password": PASSWORD})
    assert locked.status_code == 429
    assert "锁定" in locked.content.decode()

    security = make_staff(Role.SECURITY_ADMIN, region_code=BEIJING)
    with pytest.raises(PermissionDenied):
        services.unlock_account(
            acting_user=make_staff(Role.SYSTEM_ADMIN, region_code=BEIJING), account=citizen
        )
    assert services.unlock_account(acting_user=security, account=citizen) > 0
    response = client.post("/login", {"phone": "13700001111", "password": PASSWORD})
    assert response.status_code == 302


def test_staff_lockout_applies_even_with_the_right_totp(client: Client) -> None:
    seat = make_staff(Role.HOTLINE_SEAT, region_code=CHAOYANG)
    for _ in range(5):
        staff_login(client, seat, password="not-the-password-9")
    assert staff_login(client, seat).status_code == 429
    assert client.get("/console/").status_code == 302


# --- citizens -------------------------------------------------------------------------------


def _code_sent_to(phone: str) -> str:
    sent = [text for to, text in MemorySmsBackend.outbox if to == phone]
    return re.search(r"\d{6}", sent[-1]).group(0)  # type: ignore[union-attr]


def test_citizen_registers_with_phone_and_sms_code(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # texted once committed
        client.post("/register", {"phone": "13600001234", "action": "send_code"})
    code = _code_sent_to("13600001234")
    response = client.post(
        "/register",
        {
            "phone": "13600001234",
            "sms_code": code,
            "password": "Spring-2026-ok",
            "full_name": "王大妈",
            "action": "register",
        },
    )
    assert response.status_code == 302
    citizen = User.objects.get(role=Role.CITIZEN, full_name="王大妈")
    assert citizen.phone.reveal() == "13600001234"
    client.logout()
    assert (
        client.post("/login", {"phone": "13600001234", "password": "Spring-2026-ok"}).status_code
        == 302
    )


def test_wrong_sms_code_registers_nobody(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/register", {"phone": "13600001235", "action": "send_code"})
    code = _code_sent_to("13600001235")
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    response = client.post(
        "/api/v1/citizens",
        {"phone": "13600001235", "sms_code": wrong, "password": "Spring-2026-ok"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["message"] == "验证码不正确。"
    assert not User.objects.filter(role=Role.CITIZEN).exists()


def test_weak_password_is_refused_with_a_chinese_message(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/register", {"phone": "13600001236", "action": "send_code"})
    response = client.post(
        "/api/v1/citizens",
        {
            "phone": "13600001236",
            "sms_code": _code_sent_to("13600001236"),
            "password": "12345678901",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["field"] == "password"
    assert "密码" in response.json()["message"] or "字母" in response.json()["message"]
    assert not User.objects.filter(role=Role.CITIZEN).exists()


def test_sms_codes_are_rate_limited(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(
            "/api/v1/citizens/sms-code", {"phone": "13600001237"}, content_type="application/json"
        )
        second = client.post(
            "/api/v1/citizens/sms-code", {"phone": "13600001237"}, content_type="application/json"
        )
    assert (first.status_code, second.status_code) == (202, 409)
    assert len(MemorySmsBackend.outbox) == 1


def test_staff_cannot_log_in_through_the_citizen_portal(client: Client) -> None:
    seat = make_staff(Role.HOTLINE_SEAT, region_code=CHAOYANG)
    response = client.post("/login", {"phone": seat.username, "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


# --- sessions and preferences ---------------------------------------------------------------


def test_session_ends_after_the_absolute_timeout(client: Client, login_as, settings) -> None:  # type: ignore[no-untyped-def]
    login_as(make_citizen())
    assert client.get("/me").status_code == 200
    session = client.session
    session[LOGIN_AT_KEY] = time.time() - settings.SESSION_ABSOLUTE_SECONDS - 1
    session.save()
    assert client.get("/me").status_code == 302


def test_idle_timeout_is_the_session_cookie_age(client: Client, login_as, settings) -> None:  # type: ignore[no-untyped-def]
    login_as(make_citizen())
    response = client.get("/me")
    assert response.cookies["sessionid"]["max-age"] == settings.SESSION_COOKIE_AGE == 1800


def test_elder_mode_follows_the_account(client: Client, login_as) -> None:  # type: ignore[no-untyped-def]
    citizen = make_citizen()
    login_as(citizen)
    client.post("/preferences/elder-mode", {"enabled": "1", "next": "/me"})
    citizen.refresh_from_db()
    assert citizen.elder_mode
    assert 'class="elder"' in client.get("/me").content.decode()


def test_elder_mode_persists_for_visitors_by_cookie(client: Client) -> None:
    client.post("/preferences/elder-mode", {"enabled": "1"})
    assert 'class="elder"' in client.get("/").content.decode()


def test_english_is_the_second_language(client: Client) -> None:
    assert "如何" in client.get("/").content.decode() or "法律" in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "How can we help?" in client.get("/").content.decode()


# --- the three administrators (三权分立) ----------------------------------------------------


def test_security_admin_creates_a_staff_account_with_totp() -> None:
    security = make_staff(Role.SECURITY_ADMIN, region_code=BEIJING)
    firm = make_institution(CHAOYANG)
    created = services.create_staff_account(
        acting_user=security,
        username="lawyer-zhang",
        password="Lawyer-pass-2026",
        role=Role.LAWYER,
        full_name="张律师",
        institution=firm,
    )
    assert created.totp_config_url.startswith("otpauth://totp/")
    assert created.user.institution == firm and created.user.check_password("Lawyer-pass-2026")
    assert AuditEvent.objects.filter(action="account.create_staff").exists()


def test_a_staff_account_must_have_a_scope() -> None:
    security = make_staff(Role.SECURITY_ADMIN, region_code=BEIJING)
    with pytest.raises(Exception, match="所属机构"):
        services.create_staff_account(
            acting_user=security,
            username="x",
            password="Lawyer-pass-2026",
            role=Role.LAWYER,
            full_name="x",
        )
    assert not User.objects.filter(username="x").exists()


def test_district_security_admin_cannot_create_accounts_in_another_district() -> None:
    security = make_staff(Role.SECURITY_ADMIN, region_code=CHAOYANG)
    with pytest.raises(PermissionDenied):
        services.create_staff_account(
            acting_user=security,
            username="hd-seat",
            password="Seat-pass-2026",
            role=Role.HOTLINE_SEAT,
            full_name="x",
            region=Region.objects.get(code=HAIDIAN),
        )
    assert not User.objects.filter(username="hd-seat").exists()


@pytest.mark.parametrize(
    ("role", "allowed", "denied"),
    [
        (Role.SYSTEM_ADMIN, ["/admin/"], ["/console/accounts/", "/console/audit/"]),
        (
            Role.SECURITY_ADMIN,
            ["/console/accounts/"],
            ["/console/audit/", "/console/institutions/"],
        ),
        (
            Role.AUDITOR,
            ["/console/audit/", "/console/audit/personal-data/"],
            ["/console/accounts/", "/console/institutions/"],
        ),
    ],
)
def test_each_administrator_does_only_their_own_job(
    login_as, role: str, allowed: list[str], denied: list[str]
) -> None:  # type: ignore[no-untyped-def]
    client = login_as(make_staff(role, region_code=BEIJING))
    for url in allowed:
        assert client.get(url).status_code == 200, url
    for url in denied:
        assert client.get(url).status_code in {302, 403}, url
    if role != Role.SYSTEM_ADMIN:
        assert client.get("/admin/").status_code == 302


def test_the_auditor_can_read_but_not_change(login_as) -> None:  # type: ignore[no-untyped-def]
    firm = make_institution(CHAOYANG)
    auditor = make_staff(Role.AUDITOR, region_code=BEIJING)
    client = login_as(auditor)
    assert client.get("/console/audit/?verify=1").status_code == 200
    response = client.patch(
        f"/api/v1/institutions/{firm.pk}", {"name": "x"}, content_type="application/json"
    )
    assert response.status_code in {403, 404}
    with pytest.raises(PermissionDenied):
        services.update_institution(acting_user=auditor, institution=firm, changes={"name": "x"})


def test_elder_mode_offers_read_aloud_and_standard_mode_does_not(client: Client) -> None:
    assert 'id="read-aloud"' not in client.get("/").content.decode()
    client.post("/preferences/elder-mode", {"enabled": "1"})
    page = client.get("/").content.decode()
    assert 'id="read-aloud"' in page and 'data-read-aloud="#main"' in page
    assert "onclick" not in page  # the behaviour is in site.js (CSP: no inline script)
