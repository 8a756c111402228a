from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "fawang.core"
    label = "core"
    verbose_name = "参考数据与账户"
