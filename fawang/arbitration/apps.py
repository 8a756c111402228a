from django.apps import AppConfig


class ArbitrationConfig(AppConfig):
    name = "fawang.arbitration"
    label = "arbitration"
    verbose_name = "仲裁监督"
