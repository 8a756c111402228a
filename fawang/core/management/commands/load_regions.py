from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from fawang.core.errors import DomainError
from fawang.core.models import Region
from fawang.core.selectors import region_counts
from fawang.core.services import REGION_FILES, load_regions


class Command(BaseCommand):
    help = "Load the committed administrative regions (Beijing, Shijiazhuang); safe to re-run."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--city", action="append", choices=sorted(REGION_FILES))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = load_regions(cities=options["city"])
        except DomainError as error:
            raise CommandError(error.message) from error
        self.stdout.write(f"新增 {result['created']} 条，更新 {result['updated']} 条。")
        for city in Region.objects.filter(level="city"):
            counts = region_counts(city)
            self.stdout.write(
                f"{city.name}: 区县 {counts['district']}，乡镇街道 {counts['township']}，"
                f"村居 {counts['village']}"
            )
