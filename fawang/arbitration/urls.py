from django.urls import path

from fawang.arbitration import views

app_name = "arbitration"
urlpatterns = [
    path("console/arbitration/", views.supervision, name="supervision"),
    path("console/arbitration/flags/<int:pk>", views.review, name="review"),
]
