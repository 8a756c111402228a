from __future__ import annotations

import logging
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import translation

from fawang.audit.models import AuditEvent, PersonalDataAccess
from fawang.core import personal_data, services
from fawang.core.errors import PermissionDenied
from fawang.core.models import Practitioner, Role, User
from fawang.core.personal_data import (
    PHONE,
    MaskPersonalDataFilter,
    lookup_hash,
    validate_id_number,
    validate_phone,
)
from tests.conftest import CHAOYANG
from tests.factories import (
    make_citizen,
    make_institution,
    make_practitioner,
    make_staff,
    valid_id_number,
)

pytestmark = pytest.mark.django_db


def test_valid_id_number_passes_gb11643_check() -> None:
    number = valid_id_number()
    assert validate_id_number(number.lower()) == number


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("11010519800101123", "18位"),
        ("110105198013011230", "出生日期"),
        ("abc", "18位"),
    ],
)
def test_malformed_id_number_is_refused_in_chinese(number: str, message: str) -> None:
    with pytest.raises(ValidationError) as error:
        validate_id_number(number)
    assert message in error.value.messages[0]


def test_an_english_reader_is_told_what_is_wrong_with_the_number_in_english() -> None:
    good = valid_id_number()
    with translation.override("en"):
        with pytest.raises(ValidationError) as wrong_check:
            validate_id_number(good[:17] + ("0" if good[17] != "0" else "1"))
        with pytest.raises(ValidationError) as short_phone:
            validate_phone("1380013800")
    assert wrong_check.value.messages == [
        "The ID number's check character is wrong: please check the number."
    ]
    assert short_phone.value.messages == ["A mobile number has 11 digits and starts with 1."]


def test_id_number_with_wrong_check_character_is_refused() -> None:
    good = valid_id_number()
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    with pytest.raises(ValidationError, match="校验位"):
        validate_id_number(bad)


def test_phone_validation_accepts_mobile_numbers_only() -> None:
    assert validate_phone("+86 138-0013-8000") == "13800138000"
    with pytest.raises(ValidationError, match="11位"):
        validate_phone("010-12345678")


def test_encrypted_columns_hold_no_clear_phone_or_id_number() -> None:
    citizen = make_citizen(phone="13912345678")
    clear_id = citizen.id_number.reveal()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT phone, id_number, phone_hash FROM core_user WHERE id = %s", [citizen.pk]
        )
        raw_phone, raw_id, raw_hash = cursor.fetchone()
    assert raw_phone.startswith("v1:") and raw_id.startswith("v1:")
    for raw in (raw_phone, raw_id, raw_hash):
        assert "13912345678" not in raw
        assert clear_id not in raw
    # Two encryptions of one number differ (random nonce), yet the look-up hash finds it.
    other = make_citizen(phone="13912345679")
    assert User.objects.get(phone_hash=lookup_hash(PHONE, "139 1234 5678")) == citizen
    assert other.phone_hash != citizen.phone_hash


def test_value_round_trips_through_the_database() -> None:
    citizen = make_citizen(phone="13912345678")
    reloaded = User.objects.get(pk=citizen.pk)
    assert reloaded.phone.reveal() == "13912345678"
    assert str(reloaded.phone) == "139****5678"
    assert str(reloaded.id_number).count("*") == 8


def test_log_lines_are_masked() -> None:
    record = logging.LogRecord(
        "x",
        logging.INFO,
        __file__,
        1,
        "call from %s id %s",
        ("13912345678", valid_id_number()),
        None,
    )
    MaskPersonalDataFilter().filter(record)
    text = record.getMessage()
    assert "139****5678" in text
    assert valid_id_number() not in text and "********" in text


def test_revealing_a_phone_records_who_read_it_and_why() -> None:
    firm = make_institution(CHAOYANG)
    lawyer = make_practitioner(firm, phone="13812340000")
    seat = make_staff(Role.HOTLINE_SEAT, region_code=CHAOYANG)
    events_before = AuditEvent.objects.count()
    clear = services.reveal_personal_data(
        acting_user=seat, subject=lawyer, field="phone", reason="回拨当事人"
    )
    assert clear == lawyer.phone.reveal()
    access = PersonalDataAccess.objects.get()
    assert (access.actor, access.field, access.reason) == (seat, "phone", "回拨当事人")
    assert access.subject_id == str(lawyer.pk)
    assert AuditEvent.objects.count() == events_before + 1


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN])
def test_administrators_cannot_reveal_personal_data(role: str) -> None:
    lawyer = make_practitioner(make_institution(CHAOYANG))
    admin = make_staff(role, region_code="110000000000")
    with pytest.raises(PermissionDenied):
        services.reveal_personal_data(acting_user=admin, subject=lawyer, field="phone", reason="x")
    assert not PersonalDataAccess.objects.exists()


def test_practitioner_page_and_json_show_masked_numbers(login_as) -> None:  # type: ignore[no-untyped-def]
    firm = make_institution(CHAOYANG)
    lawyer = make_practitioner(firm, phone="13812345678")
    client = login_as(make_staff(Role.SUPERVISOR_DISTRICT, region_code=CHAOYANG))
    page = client.get(f"/console/practitioners/{lawyer.pk}/").content.decode()
    assert "138****5678" in page and "13812345678" not in page
    assert lawyer.id_number.reveal() not in page
    data = client.get(f"/api/v1/practitioners/{lawyer.pk}").json()
    assert data["phone"] == "138****5678"
    listing = client.get("/api/v1/practitioners").content.decode()
    assert "13812345678" not in listing


def test_reveal_through_the_page_shows_clear_value_and_logs(login_as) -> None:  # type: ignore[no-untyped-def]
    lawyer = make_practitioner(make_institution(CHAOYANG), phone="13812345678")
    client = login_as(make_staff(Role.SUPERVISOR_DISTRICT, region_code=CHAOYANG))
    response = client.post(
        f"/console/practitioners/{lawyer.pk}/",
        {"action": "reveal", "field": "phone", "reason": "核实执业信息"},
    )
    assert "13812345678" in response.content.decode()
    assert PersonalDataAccess.objects.filter(subject_id=str(lawyer.pk)).count() == 1


def test_reveal_without_reason_is_refused_and_not_logged(login_as) -> None:  # type: ignore[no-untyped-def]
    lawyer = make_practitioner(make_institution(CHAOYANG), phone="13812345678")
    client = login_as(make_staff(Role.SUPERVISOR_DISTRICT, region_code=CHAOYANG))
    response = client.post(
        "/api/v1/personal-data/reveal",
        {"subject_type": "practitioner", "subject_id": lawyer.pk, "field": "phone", "reason": " "},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "原因" in response.json()["message"]
    assert not PersonalDataAccess.objects.exists()
    assert Practitioner.objects.get(pk=lawyer.pk).phone.reveal() == "13812345678"


def _counting(monkeypatch: pytest.MonkeyPatch, name: str) -> list[str]:
    calls: list[str] = []
    original = getattr(personal_data, name)

    def counted(*args: Any) -> Any:
        calls.append(name)
        return original(*args)

    monkeypatch.setattr(personal_data, name, counted)
    return calls


def test_a_phone_is_normalised_once_and_hashed_once_on_its_way_in(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    normalised = _counting(monkeypatch, "normalise")
    hashed = _counting(monkeypatch, "_keyed_hash")
    citizen = User(username="c-once", role=Role.CITIZEN)
    citizen.phone = "+86 139-1234-5678"
    citizen.save()
    assert (len(normalised), len(hashed)) == (1, 1)
    assert citizen.phone_hash == lookup_hash(PHONE, "13912345678")
    assert User.objects.get(phone_hash=lookup_hash(PHONE, "13912345678")) == citizen


def test_a_loaded_value_is_saved_again_without_decrypting_or_hashing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    citizen = User.objects.get(pk=make_citizen(phone="13912345678").pk)
    decrypted = _counting(monkeypatch, "decrypt")
    hashed = _counting(monkeypatch, "_keyed_hash")
    citizen.full_name = "改名"
    citizen.save()
    assert (decrypted, hashed) == ([], [])
    assert citizen.phone_hash == lookup_hash(PHONE, "13912345678")


def test_a_stored_value_copied_to_another_record_gets_its_hash() -> None:
    firm = make_institution(CHAOYANG)
    first = Practitioner.objects.get(pk=make_practitioner(firm, phone="13912345678").pk)
    second = Practitioner.objects.get(pk=make_practitioner(firm, phone="13912345679").pk)
    second.phone = first.phone  # a stored value replaces one whose hash was different
    second.save()
    assert Practitioner.objects.get(pk=second.pk).phone_hash == lookup_hash(PHONE, "13912345678")
    citizen = User.objects.create(username="c-copy", role=Role.CITIZEN, phone=first.phone)
    assert citizen.phone_hash == lookup_hash(PHONE, "13912345678")
