from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "fawang.portal"
    label = "portal"
    verbose_name = "群众门户"
