from django.urls import path

from fawang.notary import views

app_name = "notary"
urlpatterns = [
    # public and citizens
    path("notary/", views.catalogue, name="catalogue"),
    path("notary/matters/<str:matter_type>", views.matter_info, name="matter_info"),
    path("notary/apply/<str:matter_type>", views.apply, name="apply"),
    path("notary/mine/", views.my_matters, name="my_matters"),
    path("notary/mine/<str:code>", views.my_matter, name="mine"),
    path("notary/mine/<str:code>/materials/<str:item>", views.my_material, name="my_material"),
    path("notary/verify", views.verify, name="verify"),
    # staff
    path("console/notary/", views.queue, name="queue"),
    path("console/notary/supervision/", views.supervision, name="supervision"),
    path("console/notary/intake/", views.intake, name="intake"),
    path("console/notary/intake/<str:matter_type>", views.intake, name="intake_apply"),
    path("console/notary/intake/done/<str:code>", views.intake_done, name="intake_done"),
    path("console/notary/<str:code>/", views.matter_detail, name="matter"),
    path("console/notary/<str:code>/materials/<str:item>", views.material, name="material"),
]
