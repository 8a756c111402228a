from django.urls import path

from fawang.legalaid import views

app_name = "legalaid"
urlpatterns = [
    # Citizens (portal)
    path("apply", views.apply, name="apply"),
    path("my/", views.my_applications, name="my_applications"),
    path("my/<str:number>", views.application_detail, name="application"),
    path("applications/<str:number>/refusal-letter", views.refusal_letter, name="refusal_letter"),
    # Staff (console)
    path("console/", views.queue, name="queue"),
    path("console/applications/<str:number>", views.review, name="review"),
    path("console/cases/", views.case_list, name="cases"),
    path("console/cases/<str:number>", views.case_detail, name="case"),
    path("console/pool/", views.pool, name="pool"),
    path("console/supervision/", views.supervision, name="supervision"),
    path("console/figures/", views.figures, name="figures"),
]
