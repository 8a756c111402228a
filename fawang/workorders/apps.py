from django.apps import AppConfig


class WorkordersConfig(AppConfig):
    name = "fawang.workorders"
    label = "workorders"
    verbose_name = "工单"
