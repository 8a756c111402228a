from django.apps import AppConfig


class LegalaidConfig(AppConfig):
    name = "fawang.legalaid"
    label = "legalaid"
    verbose_name = "法律援助"
