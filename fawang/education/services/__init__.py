"""Legal-education use cases, by use case: content review, grassroots records, responsibility."""

from fawang.education.services.common import is_education_staff
from fawang.education.services.content import (
    ContentIn,
    create_content,
    publish_content,
    return_content,
    submit_content,
    update_content,
    withdraw_content,
)
from fawang.education.services.grassroots import (
    ActivityIn,
    SiteIn,
    close_site,
    record_activity,
    record_model_village,
    register_site,
)
from fawang.education.services.responsibility import adopt_theme, assess, create_list

__all__ = [
    "ActivityIn",
    "ContentIn",
    "SiteIn",
    "adopt_theme",
    "assess",
    "close_site",
    "create_content",
    "create_list",
    "is_education_staff",
    "publish_content",
    "record_activity",
    "record_model_village",
    "register_site",
    "return_content",
    "submit_content",
    "update_content",
    "withdraw_content",
]
