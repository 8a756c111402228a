"""“谁执法谁普法” responsibility lists (SJZ 三 10, 专栏7): each department's duties for a year, the
activities it reports (EducationActivity.department) and the bureau's yearly assessment with the
grade by the pack. And the quarter's education themes adopted from rising consultation topics."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from fawang.audit.services import record_event
from fawang.core.errors import Conflict
from fawang.core.models import User
from fawang.core.taxonomy import Topic
from fawang.core.validation import clean_choice, clean_text
from fawang.education.models import (
    EducationTheme,
    ResponsibilityAssessment,
    ResponsibilityList,
)
from fawang.education.policy import education_policy
from fawang.education.services.common import (
    clean_int,
    region_in_scope,
    require_bureau_over,
    require_staff_over,
)

BUREAU_ONLY = "只有主管该地区的区、市司法局可以进行此操作。"


def _duties(value: Any) -> list[str]:
    lines = value.splitlines() if isinstance(value, str) else list(value or [])
    duties = [
        clean_text(str(line), 200, "duties", "普法责任") for line in lines if str(line).strip()
    ]
    if not duties:
        clean_text("", 1, "duties", "普法责任")  # raises: at least one duty
    return duties


def create_list(
    department: str, region_code: str, year: Any, duties: Any, *, acting_user: User
) -> ResponsibilityList:
    region = region_in_scope(acting_user, region_code)
    require_bureau_over(acting_user, region, BUREAU_ONLY)
    name = clean_text(department, 100, "department", "责任单位")
    year_value = clean_int(year, "year", "年度", least=2000, most=2100)
    items = _duties(duties)
    try:
        with transaction.atomic():
            entry = ResponsibilityList.objects.create(
                department=name, region=region, year=year_value, duties=items,
                recorded_by=acting_user,
            )  # fmt: skip
            record_event(
                "education.responsibility_listed",
                actor=acting_user,
                obj=entry,
                detail={"department": name, "year": year_value},
            )
    except IntegrityError:
        raise Conflict("该单位本年度已有责任清单。", code="already_recorded") from None
    return entry


def assess(
    entry: ResponsibilityList, score: Any, method: str = "", note: str = "", *, acting_user: User
) -> ResponsibilityAssessment:
    """考核评估: a score 0–100, the grade by the pack's thresholds; once a year per list."""
    require_bureau_over(acting_user, entry.region, BUREAU_ONLY)
    value = clean_int(score, "score", "考核得分", least=0, most=100)
    method = clean_text(method, 200, "method", "评估方式", required=False)
    note = clean_text(note, 2000, "note", "评估意见", required=False)
    grade = education_policy(entry.region).grade_for(value)
    try:
        with transaction.atomic():
            result = ResponsibilityAssessment.objects.create(
                responsibility=entry, score=value, grade=grade, method=method, note=note,
                assessed_by=acting_user,
            )  # fmt: skip
            record_event(
                "education.responsibility_assessed",
                actor=acting_user,
                obj=entry,
                detail={"score": value, "grade": grade},
            )
    except IntegrityError:
        raise Conflict("该责任清单本年度已考核。", code="already_assessed") from None
    return result


def adopt_theme(
    region_code: str, topic: str, year: Any, quarter: Any, reason: str = "", *, acting_user: User
) -> EducationTheme:
    """A rising consultation topic taken as the region's education theme for the quarter."""
    region = region_in_scope(acting_user, region_code)
    require_staff_over(acting_user, region, BUREAU_ONLY)
    topic = clean_choice(topic, Topic.values, "topic", "法律主题")
    year_value = clean_int(year, "year", "年度", least=2000, most=2100)
    quarter_value = clean_int(quarter, "quarter", "季度", least=1, most=4)
    reason = clean_text(reason, 200, "reason", "依据", required=False)
    try:
        with transaction.atomic():
            theme = EducationTheme.objects.create(
                region=region, topic=topic, year=year_value, quarter=quarter_value,
                reason=reason, adopted_by=acting_user,
            )  # fmt: skip
            record_event(
                "education.theme_adopted",
                actor=acting_user,
                obj=theme,
                detail={"region": region.code, "topic": topic, "quarter": quarter_value},
            )
    except IntegrityError:
        raise Conflict("本季度该主题已确定。", code="already_recorded") from None
    return theme
