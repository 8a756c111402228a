from django.apps import AppConfig


class AdvisersConfig(AppConfig):
    name = "fawang.advisers"
    label = "advisers"
    verbose_name = "村（居）法律顾问"
