"""Citizen pages. Thin: parse the form, call a service, render; errors shown beside the field."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fawang.core import services
from fawang.core.errors import DomainError
from fawang.core.models import User
from fawang.core.views import safe_next
from fawang.core.web import client_ip, show_domain_error, submit
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
