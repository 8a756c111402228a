from django.urls import path

from fawang.arbitration import views

app_name = "arbitration"
urlpatterns = [
    path("console/arbitration/", views.supervision, name="supervision"),
    path("console/arbitration/flags/<int:pk>", views.review, name="review"),
    path("console/arbitration/cases", views.register, name="register"),
    path("console/arbitration/cases/<int:pk>/outcome", views.close, name="close"),
]
