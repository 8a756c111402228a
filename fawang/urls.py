from django.urls import include, path

from fawang.api.api import api
from fawang.core import views as core_views
from fawang.core.admin import reference_admin

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("preferences/elder-mode", core_views.toggle_elder_mode, name="elder_mode"),
    path("api/v1/", api.urls),
    path("admin/", reference_admin.urls),
    path("console/indicators/", include("fawang.indicators.urls")),
    path("console/", include("fawang.console.urls")),
    path("legal-aid/", include("fawang.legalaid.urls")),
    path("", include("fawang.mediation.urls")),
    path("", include("fawang.consult.urls")),
    path("", include("fawang.portal.urls")),
]
