from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "fawang.core"
    label = "core"
    verbose_name = "参考数据与账户"

    def ready(self) -> None:
        from fawang.core import checks  # noqa: F401  (registers the system checks)
        from fawang.core.generations import (
            API_ACCOUNTS,
            REGIONS,
            SERVING_LANGUAGES,
            bump_on_change,
        )
        from fawang.core.models import ApiToken, Practitioner, Region, User

        bump_on_change(Region, REGIONS)
        for accounts_data in (ApiToken, User, Region):
            bump_on_change(accounts_data, API_ACCOUNTS)
        for serving_data in (Practitioner, User):
            bump_on_change(serving_data, SERVING_LANGUAGES)
