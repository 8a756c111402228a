from django.apps import AppConfig


class SampleLineConfig(AppConfig):
    name = "tests.sample_line"
    label = "sample_line"
    verbose_name = "示例业务"
