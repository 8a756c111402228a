from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdvisersConfig(AppConfig):
    name = "fawang.advisers"
    label = "advisers"
    verbose_name = _("村（居）法律顾问")
