from django.apps import AppConfig


class AppraisalConfig(AppConfig):
    name = "fawang.appraisal"
    label = "appraisal"
    verbose_name = "司法鉴定"
