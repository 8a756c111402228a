"""What every business line's pages share: the gates, the acting user, form glue, region pickers.

Faces (portal, console) and business lines both build on this; nothing here knows a business line.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy

from fawang.core import selectors
from fawang.core.errors import DomainError, PermissionDenied
from fawang.core.models import RegionLevel, Role, User

View = Callable[..., HttpResponse]
RegionChoices = list[tuple[str, Any]]


class AuthedRequest(HttpRequest):
    """A request behind ``staff_view`` or ``citizen_view``: its user is a logged-in account."""

    user: User


def acting_user(request: HttpRequest) -> User:
    """The logged-in account of a request a gate already let through."""
    return request.user  # type: ignore[return-value]


# --- gates --------------------------------------------------------------------------------


def staff_view(*roles: str) -> Callable[[View], View]:
    """Staff accounts verified with TOTP, in one of ``roles`` (any staff role when none given)."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user: Any = request.user
            if not (user.is_authenticated and user.is_staff_member and user.is_verified()):
                return redirect_to_login(request.get_full_path(), "console:login")
            if roles and user.role not in roles:
                raise PermissionDenied("您的角色无权访问此页面。")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def citizen_view(view: View) -> View:
    """Logged-in citizens only; staff are sent to their console, everyone else to the login."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_citizen:  # type: ignore[union-attr]
            return redirect("console:home")
        return view(request, *args, **kwargs)

    return wrapper


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR")


# --- forms --------------------------------------------------------------------------------


def show_domain_error(
    form: forms.BaseForm, error: DomainError, aliases: Mapping[str, str] | None = None
) -> None:
    """Put a service's refusal beside the field it names (``aliases``: service → form names)."""
    field = (aliases or {}).get(error.field or "", error.field)
    form.add_error(field if field in form.fields else None, error.message)


@dataclass(frozen=True)
class Submitted:
    """What ``submit`` did: ``ok`` when the use case ran; ``value`` is what it returned."""

    ok: bool
    value: Any = None


def submit(
    form: forms.BaseForm,
    use_case: Callable[[dict[str, Any]], Any],
    aliases: Mapping[str, str] | None = None,
) -> Submitted:
    """The form → service → error glue of every page: validate, run the use case on the cleaned
    data, and put a refusal beside the field it names so the page shows what was typed again."""
    if not form.is_valid():
        return Submitted(False)
    try:
        return Submitted(True, use_case(form.cleaned_data))
    except DomainError as error:
        show_domain_error(form, error, aliases)
        return Submitted(False)


def translated(choices: Iterable[tuple[str, Any]]) -> list[tuple[str, Any]]:
    """Model choices carry Chinese labels; translate them for the page (msgid = the label)."""
    return [(value, gettext_lazy(str(label))) for value, label in choices]


def set_choices(form: forms.BaseForm, name: str, choices: Any) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


def page_of(request: HttpRequest, items: Any, size: int) -> Page:
    return Paginator(items, size).get_page(request.GET.get("page"))


# --- region pickers -----------------------------------------------------------------------


def district_choices() -> RegionChoices:
    """Every district, grouped by city (<optgroup>)."""
    groups: dict[str, list[tuple[str, str]]] = {}
    districts = selectors.regions(level=RegionLevel.DISTRICT).select_related("parent")
    for district in districts.order_by("code"):
        city = district.parent.name if district.parent else ""
        groups.setdefault(city, []).append((district.code, district.name))
    return list(groups.items())


def township_choices(district_code: str | None) -> RegionChoices:
    if not district_code:
        return []
    townships = selectors.regions(parent_code=district_code, level=RegionLevel.TOWNSHIP)
    return [(region.code, region.name) for region in townships.order_by("code")]


def chosen_district(request: HttpRequest, fallback: str | None) -> str | None:
    return request.POST.get("district") or request.GET.get("district") or fallback


def home_district(user: User) -> str | None:
    """The district of the account's home region, to start the form from."""
    district = user.region.district if user.region is not None else None
    return district.code if district is not None else None


def supervised_regions(user: User) -> list[tuple[str, str]]:
    """The regions a supervisor may look at in a report: their own, and for the city its
    districts."""
    if user.region is None:
        return []
    choices = [(user.region.code, user.region.name)]
    if user.role == Role.SUPERVISOR_CITY:
        districts = selectors.regions(parent_code=user.region.code, level=RegionLevel.DISTRICT)
        choices += [(d.code, d.name) for d in districts.order_by("code")]
    return choices
