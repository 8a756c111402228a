from django.apps import AppConfig


class PolicyConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "fawang.policy"
    verbose_name = "政策包"

    def ready(self) -> None:
        from django.core.checks import register

        from fawang.policy.checks import check_shipped_packs

        register(check_shipped_packs)
