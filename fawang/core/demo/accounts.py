"""The demo accounts: one per role, sharing one published password and a TOTP key anyone can
derive from the username. DEMO ONLY."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django_otp.plugins.otp_totp.models import TOTPDevice

from fawang.core.demo.data import (
    CHAOYANG_CODE,
    DEMO_CITIZEN_PHONE,
    DEMO_PASSWORD,
    DONGHUAMEN_CODE,
    HAIDIAN_CODE,
    TOTP_DEVICE_NAME,
    InstitutionKey,
)
from fawang.core.demo.world import _Atlas, _Plan
from fawang.core.models import (
    Institution,
    InstitutionKind,
    Practitioner,
    PractitionerKind,
    PractitionerStatus,
    Region,
    Role,
    User,
)

# --- public interface ---------------------------------------------------------------------


@dataclass
class DemoAccount:
    username: str
    password: str
    role: str
    scope: str
    totp_key: str | None


@dataclass
class DemoSummary:
    institutions_created: int
    practitioners_created: int
    accounts: list[DemoAccount]
    accounts_created: int


def demo_totp_key(username: str) -> str:
    """A TOTP key anyone can derive from the username: DEMO ONLY, never for a real account."""
    return hashlib.sha1(f"fawang-demo:{username}".encode()).hexdigest()


# --- accounts -----------------------------------------------------------------------------


@dataclass
class _AccountSpec:
    username: str
    role: str
    full_name: str  # replaced by the linked practitioner's name when there is one
    region: Region | None = None
    institution: InstitutionKey | None = None
    practitioner_kind: str | None = None  # link the account to one practitioner of this kind

    @property
    def has_totp(self) -> bool:
        return self.role != Role.CITIZEN


def demo_username(role: str) -> str:
    """demo-<role> with dashes: demo-hotline-seat, demo-supervisor-district."""
    return f"demo-{role.replace('_', '-')}"


def _staff_spec(
    role: Role,
    full_name: str,
    *,
    region: Region | None = None,
    institution: InstitutionKey | None = None,
    practitioner_kind: str | None = None,
) -> _AccountSpec:
    return _AccountSpec(
        demo_username(role), role, full_name, region, institution, practitioner_kind
    )


def _account_specs(atlas: _Atlas, anchors: dict[str, InstitutionKey]) -> list[_AccountSpec]:
    city = atlas.city
    chaoyang = atlas.district_by_code(CHAOYANG_CODE)
    haidian = atlas.district_by_code(HAIDIAN_CODE)
    chaoyang_centre = (InstitutionKind.SERVICE_CENTRE, "朝阳区公共法律服务中心")
    haidian_centre = (InstitutionKind.SERVICE_CENTRE, "海淀区公共法律服务中心")
    chaoyang_aid = (InstitutionKind.LEGAL_AID_CENTRE, "朝阳区法律援助中心")
    committee = anchors["chaoyang_committee"]
    return [
        _AccountSpec("demo-citizen", Role.CITIZEN, "张秀兰", atlas.region_by_code(DONGHUAMEN_CODE)),
        _staff_spec(Role.HOTLINE_SEAT, "王晓燕", region=chaoyang, institution=chaoyang_centre),
        _AccountSpec(
            "demo-hotline-seat-haidian", Role.HOTLINE_SEAT, "刘思远", haidian, haidian_centre
        ),
        _staff_spec(Role.WINDOW_CLERK, "陈静", region=chaoyang, institution=chaoyang_centre),
        _staff_spec(
            Role.LAWYER, "马文博", institution=anchors["chaoyang_firm"],
            practitioner_kind=PractitionerKind.LAWYER,
        ),
        _staff_spec(
            Role.LEGAL_AID_OFFICER, "高雅琳", institution=chaoyang_aid,
            practitioner_kind=PractitionerKind.LEGAL_AID_STAFF,
        ),
        _staff_spec(
            Role.MEDIATOR, "田春梅", institution=committee,
            practitioner_kind=PractitionerKind.MEDIATOR,
        ),
        _staff_spec(
            Role.NOTARY, "何立新", institution=anchors["notary_office"],
            practitioner_kind=PractitionerKind.NOTARY,
        ),
        _staff_spec(
            Role.APPRAISER, "许振宇", institution=anchors["appraisal"],
            practitioner_kind=PractitionerKind.APPRAISER,
        ),
        _staff_spec(
            Role.ARBITRATION_CLERK, "韩雪", institution=anchors["arbitration_commission"],
        ),
        _staff_spec(
            Role.COMMUNITY_ADVISER, "彭嘉怡", institution=anchors["chaoyang_adviser_firm"],
            practitioner_kind=PractitionerKind.COMMUNITY_ADVISER,
        ),
        _staff_spec(Role.SUPERVISOR_CITY, "李建国", region=city),
        _staff_spec(Role.SUPERVISOR_DISTRICT, "赵宏伟", region=chaoyang),
        _staff_spec(Role.SUPERVISOR_TOWNSHIP, "孙丽", region=atlas.townships(chaoyang)[0]),
        _staff_spec(Role.AUDITOR, "周敏", region=city),
        _staff_spec(Role.SYSTEM_ADMIN, "吴磊", region=city),
        _staff_spec(Role.SECURITY_ADMIN, "郑海涛", region=city),
    ]  # fmt: skip


def _ensure_accounts(
    atlas: _Atlas, plan: _Plan, ids: dict[InstitutionKey, int]
) -> tuple[list[DemoAccount], int]:
    specs = _account_specs(atlas, plan.anchors)
    usernames = [spec.username for spec in specs]
    existing = {
        user.username: user
        for user in User.objects.filter(username__in=usernames).select_related(
            "region", "institution__region"
        )
    }
    missing = [spec for spec in specs if spec.username not in existing]
    if missing:
        # The accounts share one published password: hashing it once, not sixteen times,
        # saves several seconds of PBKDF2.
        password_hash = make_password(DEMO_PASSWORD)
        for spec in missing:
            existing[spec.username] = _create_account(spec, ids, password_hash)
    accounts = [_describe(spec, existing[spec.username]) for spec in specs]
    return accounts, len(missing)


def _create_account(spec: _AccountSpec, ids: dict[InstitutionKey, int], password_hash: str) -> User:
    institution = None
    if spec.institution is not None:
        institution = Institution.objects.select_related("region").get(pk=ids[spec.institution])
    practitioner = _unlinked_practitioner(institution, spec.practitioner_kind)
    user = User(
        username=spec.username,
        password=password_hash,
        role=spec.role,
        full_name=practitioner.name if practitioner else spec.full_name,
        region=spec.region or (institution.region if institution else None),
        institution=institution,
        is_staff=spec.role == Role.SYSTEM_ADMIN,
    )
    if spec.role == Role.CITIZEN:
        user.phone = DEMO_CITIZEN_PHONE
    user.save()
    if practitioner is not None:
        practitioner.user = user
        practitioner.save(update_fields=["user"])
    if spec.has_totp:
        TOTPDevice.objects.create(
            user=user, name=TOTP_DEVICE_NAME, key=demo_totp_key(user.username), confirmed=True
        )
    return user


def _unlinked_practitioner(
    institution: Institution | None, kind: str | None
) -> Practitioner | None:
    if institution is None or kind is None:
        return None
    candidates = Practitioner.objects.filter(
        institution=institution,
        kind=kind,
        status=PractitionerStatus.PRACTISING,
        user__isnull=True,
    )
    return candidates.order_by("licence_number").first()


def _describe(spec: _AccountSpec, user: User) -> DemoAccount:
    return DemoAccount(
        username=user.username,
        password=DEMO_PASSWORD,
        role=spec.role,
        scope=_scope_text(user),
        totp_key=demo_totp_key(user.username) if spec.has_totp else None,
    )


def _scope_text(user: User) -> str:
    region = user.region.name if user.region else ""
    if user.role == Role.CITIZEN:
        return f"用手机号 {DEMO_CITIZEN_PHONE} 登录（{region}）"
    if user.institution is not None:
        return f"{user.institution.name}（{user.institution.region.name}）"
    return region
