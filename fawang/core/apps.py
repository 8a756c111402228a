from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "fawang.core"
    label = "core"
    verbose_name = "参考数据与账户"

    def ready(self) -> None:
        from fawang.core import checks  # noqa: F401  (registers the system checks)
