import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fawang.settings")
application = get_wsgi_application()

from fawang.consult.warmup import warm_up  # noqa: E402  (needs the settings configured above)

warm_up()
