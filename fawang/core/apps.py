from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "fawang.core"
    label = "core"
    verbose_name = "参考数据与账户"

    def ready(self) -> None:
        from fawang.core import checks  # noqa: F401  (registers the system checks)
        from fawang.core.generations import API_ACCOUNTS, REGIONS, bump_on_change
        from fawang.core.models import ApiToken, Region, User

        bump_on_change(Region, REGIONS)
        for model in (ApiToken, User, Region):
            bump_on_change(model, API_ACCOUNTS)
