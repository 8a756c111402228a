from django.apps import AppConfig


class NotaryConfig(AppConfig):
    name = "fawang.notary"
    label = "notary"
    verbose_name = "公证"
