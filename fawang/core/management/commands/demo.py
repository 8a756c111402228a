from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from fawang.audit.services import seal_pending
from fawang.core.demo import build_demo_world
from fawang.core.errors import DomainError
from fawang.core.registry import demo_builders


class Command(BaseCommand):
    help = (
        "Migrate, load regions and build the demo Beijing with one account per role, then each "
        "business line's demo data (idempotent)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.MODE != "demo":
            raise CommandError("fawang demo 只能在演示模式（FAWANG_MODE=demo）下运行。")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("load_regions", stdout=self.stdout)
        created: dict[str, int] = {}
        try:
            summary = build_demo_world()
            for line, build in demo_builders():
                created.update({f"{line}.{what}": n for what, n in build().items()})
        except DomainError as error:
            raise CommandError(error.message) from error
        seal_pending()  # the demo's own history, chained and anchored before anyone looks
        self.stdout.write(
            f"机构 +{summary.institutions_created}，人员 +{summary.practitioners_created}，"
            f"账户 +{summary.accounts_created}"
        )
        self.stdout.write("业务演示数据：" + "，".join(f"{k} +{v}" for k, v in created.items()))
        if summary.accounts_created == 0:
            self.stdout.write("演示账户已存在，密码见 docs/demo.md。")
            return
        self.stdout.write("\n演示账户（只显示这一次；也见 docs/demo.md）：")
        for account in summary.accounts:
            self.stdout.write(
                f"  {account.role:<22} {account.username:<28} {account.password}  {account.scope}"
            )
        self.stdout.write("员工登录需要动态口令：fawang demo-totp <用户名> 显示当前口令。")
