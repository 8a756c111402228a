"""The Django admin, for reference data only and for the system administrator only (三权分立).

Every save or delete made here writes an audit event in the admin's own transaction.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from fawang.audit.services import record_event
from fawang.core.models import Institution, Practitioner, Region, Role


def is_system_admin(request: HttpRequest) -> bool:
    user: Any = request.user
    return bool(
        user.is_active and getattr(user, "role", None) == Role.SYSTEM_ADMIN and user.is_verified()
    )


class ReferenceDataAdminSite(admin.AdminSite):
    site_header = "法网 · 参考数据管理"
    site_title = "法网参考数据"
    index_title = "参考数据"

    def has_permission(self, request: HttpRequest) -> bool:
        return is_system_admin(request)


class ReferenceDataAdmin(admin.ModelAdmin):
    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_system_admin(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_system_admin(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_system_admin(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_system_admin(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_system_admin(request)

    def log_addition(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        record_event("admin.add", actor=request.user, obj=obj)
        return super().log_addition(request, obj, message)

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        record_event("admin.change", actor=request.user, obj=obj, detail={"change": message})
        return super().log_change(request, obj, message)

    def log_deletions(self, request: HttpRequest, queryset: Any) -> Any:
        for obj in queryset:
            record_event("admin.delete", actor=request.user, obj=obj)
        return super().log_deletions(request, queryset)


reference_admin = ReferenceDataAdminSite(name="admin")


@admin.register(Region, site=reference_admin)
class RegionAdmin(ReferenceDataAdmin):
    list_display = ["code", "name", "level", "resident_population"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]


@admin.register(Institution, site=reference_admin)
class InstitutionAdmin(ReferenceDataAdmin):
    list_display = ["name", "kind", "region", "status", "party_organisation"]
    list_filter = ["kind", "status", "party_organisation", "mediation_level"]
    search_fields = ["name", "credit_code", "licence_number"]
    raw_id_fields = ["region"]


@admin.register(Practitioner, site=reference_admin)
class PractitionerAdmin(ReferenceDataAdmin):
    list_display = ["name", "kind", "institution", "licence_number", "status"]
    list_filter = ["kind", "status", "is_public_sector", "is_full_time"]
    search_fields = ["name", "licence_number"]
    raw_id_fields = ["institution", "user"]
    # Personal data is never edited or shown in clear here.
    exclude = ["phone", "id_number"]
