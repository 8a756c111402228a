from django.urls import path

from fawang.education import views

app_name = "education"
urlpatterns = [
    path("education/", views.public_list, name="public_list"),
    path("education/<int:pk>", views.public_detail, name="public_detail"),
    path("console/education/", views.workbench, name="workbench"),
    path("console/education/new", views.content_form, name="content_new"),
    path("console/education/<int:pk>/", views.content_detail, name="content"),
    path("console/education/<int:pk>/edit", views.content_form, name="content_edit"),
    path("console/education/activities", views.grassroots, name="grassroots"),
    path("console/education/sites", views.sites, name="sites"),
    path("console/education/responsibility", views.responsibility, name="responsibility"),
]
