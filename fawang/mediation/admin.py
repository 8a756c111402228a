"""Mediation reference data (rosters, training, rooms, talent pool) in the reference-data admin,
for the system administrator; every save is audited by ReferenceDataAdmin."""

from __future__ import annotations

from django.contrib import admin

from fawang.core.admin import ReferenceDataAdmin, reference_admin
from fawang.mediation.models import (
    CommitteeMembership,
    FeaturedRoom,
    TalentPoolEntry,
    TrainingRecord,
)


@admin.register(CommitteeMembership, site=reference_admin)
class CommitteeMembershipAdmin(ReferenceDataAdmin):
    list_display = [
        "committee",
        "mediator",
        "full_time",
        "is_head",
        "grade",
        "grade_date",
        "active",
    ]
    list_filter = ["full_time", "is_head", "grade", "active"]
    search_fields = ["committee__name", "mediator__name"]
    raw_id_fields = ["committee", "mediator"]


@admin.register(TrainingRecord, site=reference_admin)
class TrainingRecordAdmin(ReferenceDataAdmin):
    list_display = ["mediator", "held_on", "days", "topic"]
    search_fields = ["mediator__name", "topic"]
    raw_id_fields = ["mediator"]


@admin.register(FeaturedRoom, site=reference_admin)
class FeaturedRoomAdmin(ReferenceDataAdmin):
    list_display = ["name", "mediator", "committee", "region", "opened_on"]
    search_fields = ["name", "mediator__name"]
    raw_id_fields = ["mediator", "committee", "region"]


@admin.register(TalentPoolEntry, site=reference_admin)
class TalentPoolEntryAdmin(ReferenceDataAdmin):
    list_display = ["mediator", "tier", "foreign_related", "selected_on"]
    list_filter = ["tier", "foreign_related"]
    search_fields = ["mediator__name", "expertise"]
    raw_id_fields = ["mediator"]
