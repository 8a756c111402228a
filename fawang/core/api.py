"""API for reference data and accounts (thin: parse, call a selector or service, return)."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from fawang.core import selectors, services
from fawang.core.models import Institution, Practitioner, User
from fawang.core.pagination import Pagination

router = Router(tags=["参考数据与账户"])


def _masked(value: Any) -> str:
    return str(value) if value else ""


class RegionOut(Schema):
    code: str
    name: str
    level: str
    parent_code: str | None = Field(None, alias="parent.code")
    resident_population: int | None
    population_year: int | None


class InstitutionOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str = Field(..., alias="get_kind_display")
    region_code: str = Field(..., alias="region.code")
    region_name: str = Field(..., alias="region.name")
    credit_code: str | None
    licence_number: str
    address: str
    phone: str
    status: str
    party_organisation: str
    mediation_level: str
    industry: str


class InstitutionPatch(Schema):
    name: str | None = None
    address: str | None = None
    phone: str | None = None
    licence_number: str | None = None
    status: str | None = None
    party_organisation: str | None = None


class PractitionerOut(Schema):
    id: int
    kind: str
    name: str
    gender: str
    institution_id: int
    institution_name: str = Field(..., alias="institution.name")
    licence_number: str
    specialties: list[str]
    languages: list[str]
    title: str
    status: str
    practising_since: date | None
    is_public_sector: bool
    is_full_time: bool
    phone: str

    @staticmethod
    def resolve_phone(obj: Practitioner) -> str:
        return _masked(obj.phone)


class AccountOut(Schema):
    id: int
    username: str
    role: str
    full_name: str
    phone: str
    id_number: str
    region_code: str | None = Field(None, alias="region.code")
    institution_id: int | None
    elder_mode: bool

    @staticmethod
    def resolve_phone(obj: User) -> str:
        return _masked(obj.phone)

    @staticmethod
    def resolve_id_number(obj: User) -> str:
        return _masked(obj.id_number)


class CitizenRegistration(Schema):
    phone: str = Field(..., max_length=20)
    password: str = Field(..., max_length=128)
    sms_code: str = Field(..., max_length=10)
    full_name: str = Field("", max_length=200)
    id_number: str = Field("", max_length=30)
    region_code: str | None = Field(None, max_length=12)


class SmsCodeRequest(Schema):
    phone: str = Field(..., max_length=20)


class RevealRequest(Schema):
    subject_type: Literal["citizen", "practitioner"]
    subject_id: int
    field: Literal["phone", "id_number"]
    reason: str = Field(..., max_length=1000)


class RevealOut(Schema):
    value: str


class Message(Schema):
    message: str


@router.get("/regions", response=list[RegionOut], auth=None)
@paginate(Pagination)
def list_regions(request: HttpRequest, parent: str | None = None, level: str | None = None) -> Any:
    return selectors.regions(parent_code=parent, level=level).select_related("parent")


@router.get("/regions/{code}", response=RegionOut, auth=None)
def get_region(request: HttpRequest, code: str) -> Any:
    return selectors.get_region(code)


class PublicInstitutionOut(Schema):
    """What anyone may look up about an institution (R2, SJZ 5)."""

    id: int
    name: str
    kind: str
    kind_label: str = Field(..., alias="get_kind_display")
    region_code: str = Field(..., alias="region.code")
    region_name: str = Field(..., alias="region.name")
    licence_number: str
    status: str
    status_label: str = Field(..., alias="get_status_display")
    address: str
    phone: str  # the institution's public service number, not a person's


class PublicPractitionerOut(Schema):
    """What anyone may look up about a practitioner: the practice, no personal data."""

    name: str
    kind: str
    kind_label: str = Field(..., alias="get_kind_display")
    licence_number: str
    status: str
    status_label: str = Field(..., alias="get_status_display")
    institution: str = Field(..., alias="institution.name")
    region_code: str = Field(..., alias="institution.region.code")
    specialties: list[str]
    languages: list[str]


@router.get("/public/institutions", response=list[PublicInstitutionOut], auth=None)
@paginate(Pagination)
def public_institutions(
    request: HttpRequest,
    region: str | None = None,
    kind: str | None = None,
    search: str | None = None,
) -> Any:
    """法律服务机构查询: by region (code, its sub-regions included), kind and name."""
    return selectors.public_institutions(region_code=region, kind=kind, search=search)


@router.get("/public/practitioners", response=list[PublicPractitionerOut], auth=None)
@paginate(Pagination)
def public_practitioners(
    request: HttpRequest,
    region: str | None = None,
    kind: str | None = None,
    specialty: str | None = None,
    language: str | None = None,
    search: str | None = None,
) -> Any:
    """法律服务人员查询: by region, kind, specialty (咨询分类 code), language and name or licence
    number; licence number and status, no personal data."""
    return selectors.public_practitioners(
        region_code=region, kind=kind, specialty=specialty, language=language, search=search
    )


@router.get("/institutions", response=list[InstitutionOut])
@paginate(Pagination)
def list_institutions(
    request: HttpRequest, kind: str | None = None, search: str | None = None
) -> Any:
    return selectors.institutions_for_user(request.user, kind=kind, search=search)  # type: ignore[arg-type]


@router.get("/institutions/{int:institution_id}", response=InstitutionOut)
def get_institution(request: HttpRequest, institution_id: int) -> Institution:
    return selectors.get_institution_for_user(request.user, institution_id)  # type: ignore[arg-type]


@router.patch("/institutions/{int:institution_id}", response=InstitutionOut)
def patch_institution(
    request: HttpRequest, institution_id: int, payload: InstitutionPatch
) -> Institution:
    institution = selectors.get_institution_for_user(request.user, institution_id)  # type: ignore[arg-type]
    return services.update_institution(
        acting_user=request.user,  # type: ignore[arg-type]
        institution=institution,
        changes=payload.dict(exclude_unset=True),
    )


@router.get("/practitioners", response=list[PractitionerOut])
@paginate(Pagination)
def list_practitioners(
    request: HttpRequest, kind: str | None = None, search: str | None = None
) -> Any:
    return selectors.practitioners_for_user(request.user, kind=kind, search=search)  # type: ignore[arg-type]


@router.get("/practitioners/{int:practitioner_id}", response=PractitionerOut)
def get_practitioner(request: HttpRequest, practitioner_id: int) -> Practitioner:
    return selectors.get_practitioner_for_user(request.user, practitioner_id)  # type: ignore[arg-type]


@router.get("/me", response=AccountOut)
def me(request: HttpRequest) -> Any:
    return request.user


@router.get("/citizens/{int:citizen_id}", response=AccountOut)
def get_citizen(request: HttpRequest, citizen_id: int) -> User:
    return selectors.get_citizen_for_user(request.user, citizen_id)  # type: ignore[arg-type]


@router.post("/citizens/sms-code", response={202: Message}, auth=None)
def request_sms_code(request: HttpRequest, payload: SmsCodeRequest) -> Any:
    services.request_sms_code(phone=payload.phone, purpose="register")
    return Status(202, {"message": "验证码已发送。"})


@router.post("/citizens", response={201: AccountOut}, auth=None)
def register_citizen(request: HttpRequest, payload: CitizenRegistration) -> Any:
    citizen = services.register_citizen(
        phone=payload.phone,
        password=payload.password,
        sms_code=payload.sms_code,
        full_name=payload.full_name,
        id_number=payload.id_number,
        region_code=payload.region_code,
    )
    return Status(201, citizen)


@router.post("/personal-data/reveal", response=RevealOut)
def reveal(request: HttpRequest, payload: RevealRequest) -> Any:
    user: User = request.user  # type: ignore[assignment]
    subject: User | Practitioner
    if payload.subject_type == "citizen":
        subject = selectors.get_citizen_for_user(user, payload.subject_id)
    else:
        subject = selectors.get_practitioner_for_user(user, payload.subject_id)
    value = services.reveal_personal_data(
        acting_user=user, subject=subject, field=payload.field, reason=payload.reason
    )
    return {"value": value}
