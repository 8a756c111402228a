from django.urls import path

from fawang.mediation import views

app_name = "mediation"
urlpatterns = [
    # citizens
    path("mediation/apply", views.apply, name="apply"),
    path("mediation/mine/", views.my_disputes, name="my_disputes"),
    path("mediation/mine/<str:number>", views.my_dispute, name="mine"),
    path("mediation/mine/<str:number>/agreement", views.my_agreement, name="my_agreement"),
    # staff
    path("console/mediation/", views.dispute_list, name="disputes"),
    path("console/mediation/committees/", views.committees, name="committees"),
    path(
        "console/mediation/committees/<int:committee_id>/",
        views.committee_detail,
        name="committee",
    ),
    path("console/mediation/screenings/", views.screening_list, name="screenings"),
    path(
        "console/mediation/screenings/<int:screening_id>/",
        views.screening_detail,
        name="screening",
    ),
    path(
        "console/mediation/screenings/<int:screening_id>/risks/<int:risk_id>/dispute",
        views.risk_to_dispute,
        name="risk_to_dispute",
    ),
    path("console/mediation/figures/", views.figures, name="figures"),
    path("console/mediation/<str:number>/", views.dispute_detail, name="dispute"),
    path("console/mediation/<str:number>/agreement", views.staff_agreement, name="agreement"),
]
