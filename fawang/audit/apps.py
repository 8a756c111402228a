from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "fawang.audit"
    label = "audit"
    verbose_name = "审计"
