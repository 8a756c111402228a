import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fawang.settings")
application = get_wsgi_application()

# Each worker loads what the registered apps need before its first request (e.g. the consult
# engine's index and classifier: docs/architecture.md, "Warm start").
from fawang.core.registry import warm_ups  # noqa: E402  (needs the settings configured above)

for warm_up in warm_ups():
    warm_up()

# What is loaded by now lives as long as the worker: keep it out of the garbage collector's full
# passes, each of which walked ~140,000 start-up objects (≈ 60 ms with every request thread of the
# worker stopped; the intake benchmark's slowest claims).
gc.freeze()
