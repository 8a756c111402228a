from django.urls import path

from fawang.hotline import views

app_name = "hotline"
urlpatterns = [
    path("console/hotline/", views.home, name="home"),
    path("console/hotline/calls/<str:call_id>/order", views.link_order, name="link_order"),
    path("console/hotline/centres/<int:centre_id>/report", views.seat_report, name="report"),
    path("console/hotline/centres/<int:centre_id>/roster", views.roster, name="roster"),
    path("console/hotline/centres/<int:centre_id>/reviews", views.reviews, name="reviews"),
]
