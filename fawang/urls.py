"""The site's URLs: the platform's own few, the API, and every registered app's pages."""

from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from fawang.api.api import api
from fawang.core import views as core_views
from fawang.core.admin import reference_admin
from fawang.core.registry import url_mounts

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("favicon.ico", RedirectView.as_view(url=static("fawang/favicon.svg"), permanent=True)),
    path("demo/sms/", core_views.demo_sms_inbox, name="demo_sms"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("preferences/elder-mode", core_views.toggle_elder_mode, name="elder_mode"),
    path("api/v1/", api.urls),
    path("admin/", reference_admin.urls),
    *(path(prefix, include(module)) for prefix, module in url_mounts()),
]
