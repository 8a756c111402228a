from django.urls import path

from fawang.appraisal import views

app_name = "appraisal"
urlpatterns = [
    path("appraisal/roster", views.roster, name="roster"),
    path("appraisal/verify", views.verify, name="verify"),
    path("appraisal/verify/download", views.download, name="download"),
    path("appraisal/complaints", views.my_complaints, name="my_complaints"),
    path("console/appraisal/", views.queue, name="queue"),
    path("console/appraisal/new", views.new_entrustment, name="new"),
    path("console/appraisal/complaints", views.complaints, name="complaints"),
    path("console/appraisal/supervision", views.supervision, name="supervision"),
    path("console/appraisal/institutions/<int:pk>/", views.institution, name="institution"),
    path("console/appraisal/<str:number>/", views.detail, name="detail"),
]
