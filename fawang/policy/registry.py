"""The policy layer's own part: the holiday schedules entered for years the calendar lacks."""

from django.utils.translation import gettext_lazy as _

from fawang.core.registry import Declaration, words

REGISTRY = Declaration(
    name="policy",
    label=_("政策包与节假日安排"),
    business_line=False,
    readiness_warning="fawang.policy.holidays:missing_schedule_note",
    audit_events=words("holidays.enter"),
    error_codes=words(
        "bad_date_list day_outside_year day_both workday_not_weekend holiday_missing "
        "holidays_published"
    ),
)
