from django.apps import AppConfig


class WorkordersConfig(AppConfig):
    name = "fawang.workorders"
    label = "workorders"
    verbose_name = "工单"

    def ready(self) -> None:
        from fawang.core.generations import bump_on_change
        from fawang.core.models import Institution, Region
        from fawang.workorders.models import DispatchRule
        from fawang.workorders.services.routing import DISPATCH_RULES

        # A rule's region path and institution name are kept with it.
        for model in (DispatchRule, Institution, Region):
            bump_on_change(model, DISPATCH_RULES)
