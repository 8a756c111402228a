from django.apps import AppConfig


class LawyersConfig(AppConfig):
    name = "fawang.lawyers"
    label = "lawyers"
    verbose_name = "律师与基层法律服务"
