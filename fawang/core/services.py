"""Use cases for accounts and reference data: the only code here that changes state.

Each verb checks permission, validates, changes state in one transaction and writes its audit
event in that same transaction.
"""

from __future__ import annotations

import copy
import csv
import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from fawang.audit.services import record_event
from fawang.core.auth_backends import lockout_keys_for
from fawang.core.errors import Conflict, InvalidInput, PermissionDenied
from fawang.core.generations import REGIONS, GenerationalMap, bump
from fawang.core.models import (
    INSTITUTION_SCOPED_ROLES,
    SUPERVISOR_REGION_LEVEL,
    SUPERVISOR_ROLES,
    ApiToken,
    Institution,
    InstitutionStatus,
    PartyOrganisation,
    Practitioner,
    PractitionerStatus,
    Region,
    Role,
    SmsCode,
    User,
    region_path,
)
from fawang.core.personal_access import personal_field_names, read_personal_data
from fawang.core.personal_data import PHONE, lookup_hash, validate_id_number, validate_phone
from fawang.core.tasks import queue_sms_to_number

MAX_NAME_LENGTH = 50
MAX_TEXT_LENGTH = 200


def _invalid(error: ValidationError, field: str) -> InvalidInput:
    code = getattr(error, "code", None) or "invalid_input"
    return InvalidInput(" ".join(error.messages), code=code, field=field)


def _require_role(user: User, *roles: str) -> None:
    if user.role not in roles:
        raise PermissionDenied("您的角色无权进行此操作。")


def _check_length(value: str, limit: int, field: str, label: str) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise InvalidInput(f"{label}不能超过{limit}个字。", code="too_long", field=field)
    return value


_regions_by_code: GenerationalMap[str, Region] = GenerationalMap(
    REGIONS, lambda code: Region.objects.filter(code=code).first()
)


def region_by_code(code: str, field: str = "region_code") -> Region:
    region = _regions_by_code.get((code or "").strip())
    if region is None:
        raise InvalidInput(f"未知的行政区划代码：{code}", code="unknown_region", field=field)
    # A copy: the kept instance must not collect one request's related objects for the next.
    return copy.copy(region)


# --- citizens -----------------------------------------------------------------------------


def _hash_code(phone: str, code: str) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}:{phone}:{code}".encode()).hexdigest()


def request_sms_code(*, phone: str, purpose: str = "register") -> None:
    """Send a 6-digit code; at most one per phone per minute."""
    try:
        phone = validate_phone(phone)
    except ValidationError as error:
        raise _invalid(error, "phone") from None
    phone_hash = lookup_hash(PHONE, phone)
    now = timezone.now()
    with transaction.atomic():
        recent = SmsCode.objects.filter(
            phone_hash=phone_hash, purpose=purpose, created_at__gt=now - timedelta(seconds=60)
        ).exists()
        if recent:
            raise Conflict("验证码发送过于频繁，请一分钟后再试。", code="sms_too_frequent")
        code = f"{secrets.randbelow(10**6):06d}"
        SmsCode.objects.create(
            phone_hash=phone_hash,
            purpose=purpose,
            code_hash=_hash_code(phone, code),
            expires_at=now + timedelta(seconds=settings.SMS_CODE_TTL_SECONDS),
        )
        minutes = settings.SMS_CODE_TTL_SECONDS // 60
        text = f"【法网】您的验证码是{code}，{minutes}分钟内有效。请勿告诉他人。"
        # Queued when the code is committed: no message for a code that was never stored.
        queue_sms_to_number(phone, text)


def _consume_sms_code(phone: str, purpose: str, code: str) -> None:
    phone_hash = lookup_hash(PHONE, phone)
    sms = (
        SmsCode.objects.select_for_update()
        .filter(phone_hash=phone_hash, purpose=purpose, used_at__isnull=True)
        .order_by("-created_at")
        .first()
    )
    if sms is None or sms.expires_at < timezone.now():
        raise InvalidInput(
            "验证码已过期或不存在，请重新获取。", code="sms_expired", field="sms_code"
        )
    if sms.attempts >= settings.SMS_CODE_MAX_ATTEMPTS:
        raise InvalidInput(
            "验证码错误次数过多，请重新获取。", code="sms_attempts", field="sms_code"
        )
    if not secrets.compare_digest(sms.code_hash, _hash_code(phone, (code or "").strip())):
        SmsCode.objects.filter(pk=sms.pk).update(attempts=models.F("attempts") + 1)
        raise InvalidInput("验证码不正确。", code="sms_wrong", field="sms_code")
    sms.used_at = timezone.now()
    sms.save(update_fields=["used_at"])


def register_citizen(
    *,
    phone: str,
    password: str,
    sms_code: str,
    full_name: str = "",
    id_number: str = "",
    region_code: str | None = None,
) -> User:
    try:
        phone = validate_phone(phone)
    except ValidationError as error:
        raise _invalid(error, "phone") from None
    full_name = _check_length(full_name, MAX_NAME_LENGTH, "full_name", "姓名")
    region = region_by_code(region_code) if region_code else None
    if id_number:
        try:
            id_number = validate_id_number(id_number)
        except ValidationError as error:
            raise _invalid(error, "id_number") from None
    candidate = User(role=Role.CITIZEN, username=f"c{secrets.token_hex(8)}", full_name=full_name)
    try:
        validate_password(password, candidate)
    except ValidationError as error:
        raise _invalid(error, "password") from None
    # A failed code check must still count the attempt, so it commits on its own.
    with transaction.atomic():
        _consume_sms_code(phone, "register", sms_code)
    with transaction.atomic():
        if User.objects.filter(role=Role.CITIZEN, phone_hash=lookup_hash(PHONE, phone)).exists():
            raise Conflict("该手机号已注册，请直接登录。", code="phone_registered", field="phone")
        candidate.phone = phone
        candidate.id_number = id_number or None
        candidate.region = region
        candidate.set_password(password)
        try:
            candidate.save()
        except IntegrityError:
            raise Conflict("该手机号已注册，请直接登录。", code="phone_registered") from None
        record_event("account.register", actor=candidate, obj=candidate)
    return candidate


def update_citizen_profile(
    *, acting_user: User, full_name: str | None = None, id_number: str | None = None
) -> User:
    if not acting_user.is_citizen:
        raise PermissionDenied("只有群众账户可以修改个人资料。")
    changed: list[str] = []
    if full_name is not None:
        acting_user.full_name = _check_length(full_name, MAX_NAME_LENGTH, "full_name", "姓名")
        changed.append("full_name")
    if id_number is not None:
        try:
            acting_user.id_number = validate_id_number(id_number) if id_number else None
        except ValidationError as error:
            raise _invalid(error, "id_number") from None
        changed += ["id_number", "id_number_hash"]
    with transaction.atomic():
        acting_user.save(update_fields=changed or None)
        record_event(
            "account.profile_update", actor=acting_user, obj=acting_user, detail={"fields": changed}
        )
    return acting_user


def set_elder_mode(*, user: User, enabled: bool) -> User:
    if user.is_authenticated and user.elder_mode != enabled:
        with transaction.atomic():
            user.elder_mode = enabled
            user.save(update_fields=["elder_mode"])
            record_event("account.elder_mode", actor=user, obj=user, detail={"enabled": enabled})
    return user


# --- staff accounts (security administrator) ----------------------------------------------


def _validate_staff_scope(
    role: str, region: Region | None, institution: Institution | None
) -> None:
    if role == Role.CITIZEN:
        raise InvalidInput("员工账户不能使用群众角色。", code="bad_role", field="role")
    if role in INSTITUTION_SCOPED_ROLES and institution is None:
        raise InvalidInput(
            "该角色必须指定所属机构。", code="institution_required", field="institution"
        )
    if role not in INSTITUTION_SCOPED_ROLES and region is None:
        raise InvalidInput("该角色必须指定管辖区域。", code="region_required", field="region")
    expected_level = SUPERVISOR_REGION_LEVEL.get(Role(role)) if role in SUPERVISOR_ROLES else None
    if expected_level and region is not None and region.level != expected_level:
        raise InvalidInput("管辖区域的层级与角色不符。", code="region_level", field="region")


@dataclass
class NewStaffAccount:
    user: User
    totp_config_url: str


def create_staff_account(
    *,
    acting_user: User,
    username: str,
    password: str,
    role: str,
    full_name: str,
    region: Region | None = None,
    institution: Institution | None = None,
    phone: str = "",
) -> NewStaffAccount:
    """Create a staff account with its TOTP device (shown once as a provisioning URL)."""
    _require_role(acting_user, Role.SECURITY_ADMIN)
    if role not in Role.values:
        raise InvalidInput("未知的角色。", code="bad_role", field="role")
    _validate_staff_scope(role, region, institution)
    admin_region = acting_user.region
    target_region = region or (institution.region if institution else None)
    if admin_region is None or not admin_region.contains(target_region):
        raise PermissionDenied("只能在本人管辖区域内创建账户。")
    full_name = _check_length(full_name, MAX_NAME_LENGTH, "full_name", "姓名")
    user = User(
        username=_check_length(username, 150, "username", "用户名"),
        role=role,
        full_name=full_name,
        region=region or (institution.region if institution else None),
        institution=institution,
        is_staff=role == Role.SYSTEM_ADMIN,
    )
    if phone:
        try:
            user.phone = validate_phone(phone)
        except ValidationError as error:
            raise _invalid(error, "phone") from None
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise _invalid(error, "password") from None
    user.set_password(password)
    with transaction.atomic():
        if User.objects.filter(username=user.username).exists():
            raise Conflict("用户名已存在。", code="username_taken", field="username")
        user.save()
        device = TOTPDevice.objects.create(user=user, name="默认令牌", confirmed=True)
        record_event("account.create_staff", actor=acting_user, obj=user, detail={"role": role})
    return NewStaffAccount(user=user, totp_config_url=device.config_url)


def reset_totp(*, acting_user: User, account: User) -> str:
    """Replace an account's TOTP device (lost phone); returns the new provisioning URL."""
    _require_role(acting_user, Role.SECURITY_ADMIN)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=account).delete()
        device = TOTPDevice.objects.create(user=account, name="默认令牌", confirmed=True)
        record_event("account.reset_totp", actor=acting_user, obj=account)
    return device.config_url


def unlock_account(*, acting_user: User, account: User) -> int:
    """Lift a login lockout before its cool-off ends. Returns the number of records cleared."""
    _require_role(acting_user, Role.SECURITY_ADMIN)
    with transaction.atomic():
        cleared = sum(axes_reset(username=key) for key in lockout_keys_for(account))
        record_event("account.unlock", actor=acting_user, obj=account, detail={"cleared": cleared})
    return cleared


def set_account_active(*, acting_user: User, account: User, active: bool) -> User:
    _require_role(acting_user, Role.SECURITY_ADMIN)
    if account.pk == acting_user.pk:
        raise InvalidInput("不能停用自己的账户。", code="self_disable")
    with transaction.atomic():
        account.is_active = active
        account.save(update_fields=["is_active"])
        record_event(
            "account.activate" if active else "account.deactivate", actor=acting_user, obj=account
        )
    return account


def issue_api_token(*, acting_user: User, account: User, name: str) -> str:
    """Issue a bearer token for an integration; the clear token is returned once, stored hashed."""
    _require_role(acting_user, Role.SECURITY_ADMIN)
    name = _check_length(name, 100, "name", "用途")
    if not name:
        raise InvalidInput("请填写令牌用途。", code="required", field="name")
    token = "fw_" + secrets.token_urlsafe(32)
    with transaction.atomic():
        api_token = ApiToken.objects.create(
            user=account,
            name=name,
            token_hash=hashlib.sha256(token.encode()).hexdigest(),
            prefix=token[:8],
        )
        record_event("api_token.issue", actor=acting_user, obj=api_token, detail={"name": name})
    return token


def revoke_api_token(*, acting_user: User, api_token: ApiToken) -> ApiToken:
    _require_role(acting_user, Role.SECURITY_ADMIN)
    with transaction.atomic():
        api_token.revoked_at = timezone.now()
        api_token.save(update_fields=["revoked_at"])
        record_event("api_token.revoke", actor=acting_user, obj=api_token)
    return api_token


def record_login(*, user: User, ip_address: str | None) -> None:
    with transaction.atomic():
        record_event("account.login", actor=user, obj=user, ip_address=ip_address)


# --- reference data (system administrator, supervisors) -----------------------------------

INSTITUTION_EDITABLE = {
    "name": ("名称", MAX_TEXT_LENGTH),
    "address": ("地址", MAX_TEXT_LENGTH),
    "phone": ("对外服务电话", 40),
    "licence_number": ("执业许可证号", 40),
}


def _may_edit_reference_data(user: User) -> bool:
    return user.role in {Role.SYSTEM_ADMIN, Role.SUPERVISOR_CITY, Role.SUPERVISOR_DISTRICT}


def update_institution(
    *, acting_user: User, institution: Institution, changes: dict[str, Any]
) -> Institution:
    """Change an institution's public details. The caller fetched it with the user's scope."""
    if not _may_edit_reference_data(acting_user):
        raise PermissionDenied("您的角色无权修改机构信息。")
    applied: dict[str, Any] = {}
    for field, value in changes.items():
        if field in INSTITUTION_EDITABLE:
            label, limit = INSTITUTION_EDITABLE[field]
            value = _check_length(str(value), limit, field, label)
            if field == "name" and not value:
                raise InvalidInput("名称不能为空。", code="required", field="name")
        elif field == "status":
            if value not in InstitutionStatus.values:
                raise InvalidInput("未知的机构状态。", code="bad_choice", field=field)
        elif field == "party_organisation":
            if value not in PartyOrganisation.values:
                raise InvalidInput("未知的党组织建设情况。", code="bad_choice", field=field)
        else:
            raise InvalidInput(f"字段“{field}”不可修改。", code="not_editable", field=field)
        applied[field] = value
    with transaction.atomic():
        before = {field: getattr(institution, field) for field in applied}
        for field, value in applied.items():
            setattr(institution, field, value)
        institution.save()
        record_event(
            "institution.update",
            actor=acting_user,
            obj=institution,
            detail={"before": before, "after": applied},
        )
    return institution


def set_practitioner_status(
    *, acting_user: User, practitioner: Practitioner, status: str, reason: str
) -> Practitioner:
    if not _may_edit_reference_data(acting_user):
        raise PermissionDenied("您的角色无权变更执业状态。")
    if status not in PractitionerStatus.values:
        raise InvalidInput("未知的执业状态。", code="bad_choice", field="status")
    reason = _check_length(reason, MAX_TEXT_LENGTH, "reason", "原因")
    if not reason:
        raise InvalidInput("请填写变更原因。", code="required", field="reason")
    with transaction.atomic():
        before = practitioner.status
        practitioner.status = status
        practitioner.save(update_fields=["status"])
        record_event(
            "practitioner.set_status",
            actor=acting_user,
            obj=practitioner,
            detail={"before": before, "after": status, "reason": reason},
        )
    return practitioner


# --- personal data ------------------------------------------------------------------------


def reveal_personal_data(
    *, acting_user: User, subject: models.Model, field: str, reason: str
) -> str:
    """A staff member reads the clear value of a subject's phone or ID number (an account, a
    practitioner, a work order's requester, a legal-aid applicant, a mediation party…).

    The caller fetched ``subject`` through a scoped selector, so scope is already checked.
    Administrators and auditors do not serve citizens and may not read clear values. The read
    itself, and its record, go through ``core.personal_access.read_personal_data``.
    """
    if field not in personal_field_names(subject):
        raise InvalidInput("只能查看手机号码或身份证号码。", code="bad_field", field="field")
    if acting_user.is_citizen or acting_user.role in {
        Role.AUDITOR,
        Role.SYSTEM_ADMIN,
        Role.SECURITY_ADMIN,
    }:
        raise PermissionDenied("您的角色无权查看完整个人信息。")
    reason = _check_length(reason, MAX_TEXT_LENGTH, "reason", "查看原因")
    if not reason:
        raise InvalidInput("请填写查看原因。", code="required", field="reason")
    return read_personal_data(subject, field, actor=acting_user, purpose=reason)


# --- region reference data ----------------------------------------------------------------

REGION_DATA_DIR = settings.BASE_DIR / "core" / "data" / "regions"
REGION_FILES = {"beijing": "beijing.csv", "shijiazhuang": "shijiazhuang.csv"}
LEVEL_ORDER = ("city", "district", "township", "village")
REGION_FIELDS = [
    "name",
    "level",
    "parent_id",
    "resident_population",
    "population_year",
    "source",
    "path",
]


def _read_region_rows(city: str) -> list[dict[str, str]]:
    if city not in REGION_FILES:
        known = "、".join(REGION_FILES)
        raise InvalidInput(f"未知的城市：{city}（可选：{known}）", code="unknown_city")
    with open(REGION_DATA_DIR / REGION_FILES[city], encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _read_populations() -> dict[str, tuple[int, int]]:
    path = REGION_DATA_DIR / "populations.csv"
    if not path.exists():
        return {}
    with open(path, encoding="utf-8", newline="") as handle:
        return {
            row["code"]: (int(row["resident_population"]), int(row["year"]))
            for row in csv.DictReader(handle)
        }


def load_regions(
    *, cities: list[str] | None = None, actor: Any = "fawang load-regions"
) -> dict[str, int]:
    """Insert or update the committed region files; re-running changes nothing new.

    Returns how many rows were created and updated.
    """
    rows = [row for city in (cities or list(REGION_FILES)) for row in _read_region_rows(city)]
    populations = _read_populations()
    source = "民政部区划（2025-12-31）/ 国家统计局统计用区划代码（2023），见 data/regions/README.md"
    created = updated = 0
    with transaction.atomic():
        bump(REGIONS)
        existing = {region.code: region for region in Region.objects.all()}
        for level in LEVEL_ORDER:
            ids = {code: region.pk for code, region in existing.items()}
            paths = {code: region.path for code, region in existing.items()}
            to_create, to_update = [], []
            for row in (r for r in rows if r["level"] == level):
                parent_id = ids.get(row["parent_code"]) if row["parent_code"] else None
                if row["parent_code"] and parent_id is None:
                    raise InvalidInput(f"区划 {row['code']} 的上级 {row['parent_code']} 不存在")
                population, year = populations.get(row["code"], (None, None))
                values = {
                    "name": row["name"],
                    "level": level,
                    "parent_id": parent_id,
                    "resident_population": population,
                    "population_year": year,
                    "source": source,
                }
                parent_path = paths.get(row["parent_code"]) if parent_id else None
                values["path"] = region_path(row["code"], parent_path)
                region = existing.get(row["code"])
                if region is None:
                    to_create.append(Region(code=row["code"], **values))
                elif any(getattr(region, k) != v for k, v in values.items()):
                    for key, value in values.items():
                        setattr(region, key, value)
                    to_update.append(region)
            Region.objects.bulk_create(to_create, batch_size=1000)
            Region.objects.bulk_update(to_update, REGION_FIELDS, batch_size=1000)
            created, updated = created + len(to_create), updated + len(to_update)
            if to_create:
                existing.update(
                    {r.code: r for r in Region.objects.filter(code__in=[c.code for c in to_create])}
                )
        record_event("regions.load", actor=actor, detail={"created": created, "updated": updated})
    return {"created": created, "updated": updated}
