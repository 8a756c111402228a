"""Service points are reference data: the system administrator keeps them in the admin site."""

from __future__ import annotations

from django.contrib import admin

from fawang.core.admin import ReferenceDataAdmin, reference_admin
from fawang.network.models import ServicePoint


@admin.register(ServicePoint, site=reference_admin)
class ServicePointAdmin(ReferenceDataAdmin):
    list_display = ["name", "level", "region", "status", "windows", "barrier_free"]
    list_filter = ["level", "status", "barrier_free", "weekend_service"]
    search_fields = ["name", "address"]
    raw_id_fields = ["region", "institution"]
