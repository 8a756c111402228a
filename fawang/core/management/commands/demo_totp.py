from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Demo mode only: print the current TOTP code of a demo staff account."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.MODE != "demo":
            raise CommandError("只能在演示模式下使用。")
        device = TOTPDevice.objects.filter(user__username=options["username"]).first()
        if device is None:
            raise CommandError("该账户没有动态口令设备。")
        self.stdout.write(f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}")
