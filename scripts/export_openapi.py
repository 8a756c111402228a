"""Print the API's OpenAPI schema, stable and pretty, for the committed snapshot."""

import json
import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fawang.settings")
django.setup()

from fawang.api.api import api  # noqa: E402

print(json.dumps(api.get_openapi_schema(), ensure_ascii=False, indent=2, sort_keys=True))
