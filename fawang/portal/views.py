"""Citizen pages. Thin: parse the form, call a service, render; errors shown beside the field."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from fawang.core import selectors, services
from fawang.core.errors import DomainError
from fawang.core.models import InstitutionKind, PractitionerKind, RegionLevel, User
from fawang.core.replica import reads_replica
from fawang.core.taxonomy import LANGUAGES, Topic
from fawang.core.views import safe_next
from fawang.core.web import (
    client_ip,
    page_of,
    set_choices,
    show_domain_error,
    submit,
    translated,
)
from fawang.portal.forms import CitizenLoginForm, CitizenProfileForm, CitizenRegistrationForm


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html")


def login_view(request: HttpRequest) -> HttpResponse:
    form = CitizenLoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request, username=form.cleaned_data["phone"], password=form.cleaned_data["password"]
        )
        if user is None:
            form.add_error(None, _("手机号码或密码错误。"))
        elif not user.is_citizen:
            form.add_error(None, _("工作人员请从工作台登录。"))
        else:
            login(request, user)
            services.record_login(user=user, ip_address=client_ip(request))
            return redirect(safe_next(request, "portal:profile"))
    return render(request, "portal/login.html", {"form": form})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("portal:home")


def register(request: HttpRequest) -> HttpResponse:
    form = CitizenRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if request.POST.get("action") == "send_code":
                services.request_sms_code(phone=data["phone"])
                messages.success(request, _("验证码已发送到您的手机。"))
                form = CitizenRegistrationForm(initial={"phone": data["phone"]})
            else:
                citizen = services.register_citizen(
                    phone=data["phone"],
                    password=data["password"],
                    sms_code=data["sms_code"],
                    full_name=data["full_name"],
                )
                login(request, citizen, backend="fawang.core.auth_backends.CitizenPhoneBackend")
                messages.success(request, _("欢迎！您的账户已开通。"))
                return redirect("portal:profile")
        except DomainError as error:
            show_domain_error(form, error)
    return render(request, "portal/register.html", {"form": form})


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if not user.is_citizen:
        return redirect("console:home")
    form = CitizenProfileForm(request.POST or None, initial={"full_name": user.full_name})
    if request.method == "POST":
        saved = submit(
            form,
            lambda data: services.update_citizen_profile(
                acting_user=user, full_name=data["full_name"], id_number=data["id_number"] or None
            ),
        )
        if saved.ok:
            messages.success(request, _("已保存。"))
            return redirect("portal:profile")
        user.refresh_from_db()
    return render(request, "portal/profile.html", {"form": form, "citizen": user})


# --- the public look-up (R2, SJZ 5 "法律服务机构人员数据信息查询") ------------------------------


class DirectoryForm(forms.Form):
    """Filters of the look-up; unknown values are ignored rather than refused."""

    what = forms.ChoiceField(
        label=_l("查询"),
        choices=[("practitioners", _l("法律服务人员")), ("institutions", _l("法律服务机构"))],
        required=False,
    )
    region = forms.ChoiceField(label=_l("区（县）"), required=False, choices=())
    kind = forms.ChoiceField(label=_l("类别"), required=False, choices=())
    specialty = forms.ChoiceField(label=_l("专业领域"), required=False, choices=())
    language = forms.ChoiceField(label=_l("工作语言"), required=False, choices=())
    q = forms.CharField(label=_l("名称、姓名或执业证号"), required=False, max_length=50)

    def __init__(self, *args: Any, what: str, **kwargs: Any):
        super().__init__(*args, **kwargs)
        every = [("", _l("全部"))]
        districts = selectors.regions(level=RegionLevel.DISTRICT).order_by("code")
        set_choices(self, "region", every + [(r.code, r.name) for r in districts])
        kinds = PractitionerKind.choices if what == "practitioners" else InstitutionKind.choices
        set_choices(self, "kind", every + translated(kinds))
        set_choices(self, "specialty", every + translated(Topic.choices))
        languages = [(code, _l(label)) for code, label in LANGUAGES.items()]
        set_choices(self, "language", every + languages)


@reads_replica
def directory(request: HttpRequest) -> HttpResponse:
    """Anyone finds an institution or a practitioner by region, kind, specialty and language, with
    the licence number and status; no personal data is shown."""
    what = request.GET.get("what") or "practitioners"
    what = what if what in {"practitioners", "institutions"} else "practitioners"
    form = DirectoryForm(request.GET or None, what=what)
    form.is_valid()
    data: dict[str, Any] = getattr(form, "cleaned_data", {})
    if what == "institutions":
        rows: Any = selectors.public_institutions(
            region_code=data.get("region") or None,
            kind=data.get("kind") or None,
            search=(data.get("q") or "").strip() or None,
        )
    else:
        rows = selectors.public_practitioners(
            region_code=data.get("region") or None,
            kind=data.get("kind") or None,
            specialty=data.get("specialty") or None,
            language=data.get("language") or None,
            search=(data.get("q") or "").strip() or None,
        )
    page = page_of(request, rows, 30)
    topics = {code: str(label) for code, label in Topic.choices}
    for row in page.object_list:
        if what == "practitioners":
            row.specialty_labels = "、".join(
                topics.get(t, "") for t in row.specialties or [] if t in topics
            )
            row.language_labels = "、".join(
                LANGUAGES.get(c, "") for c in row.languages or [] if c in LANGUAGES
            )
    return render(request, "portal/directory.html", {"form": form, "page": page, "what": what})
