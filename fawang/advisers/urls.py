from django.urls import path

from fawang.advisers import views

app_name = "advisers"
urlpatterns = [
    path("advisers/", views.find, name="find"),
    path("advisers/mine", views.mine, name="mine"),
    path("advisers/notice/<int:pk>", views.notice, name="notice"),
    path("console/advisers/", views.home, name="home"),
    path("console/advisers/coverage", views.coverage, name="coverage"),
    path("console/advisers/appointments", views.appointments, name="appointments"),
    path("console/advisers/ledger", views.ledger, name="ledger"),
    path("console/advisers/evaluation", views.evaluation, name="evaluation"),
    path("console/advisers/notices", views.notices, name="notices"),
    path("console/advisers/liaisons", views.liaisons, name="liaisons"),
    path("console/advisers/training", views.training, name="training"),
]
