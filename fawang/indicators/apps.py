from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "fawang.indicators"
    label = "indicators"
    verbose_name = "指标与行动清单"
