from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from fawang.audit.services import seal_pending, verify_chain


class Command(BaseCommand):
    help = (
        "Audit trail tools. `fawang audit seal` chains committed events now; "
        "`fawang audit verify` seals, then recomputes the whole hash chain."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=["seal", "verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        sealed = seal_pending()
        if options["action"] == "seal":
            self.stdout.write(f"已封存 {sealed} 条事件。")
            return
        report = verify_chain()
        if report.ok:
            self.stdout.write(f"审计链完整：已核验 {report.checked} 条事件。")
            return
        for problem in report.problems:
            self.stderr.write(problem)
        raise CommandError(f"审计链被破坏：发现 {len(report.problems)} 处问题。")
