from django.urls import path

from fawang.lawyers import views

app_name = "lawyers"
urlpatterns = [
    path("lawyers/credit", views.credit_search, name="credit_search"),
    path("lawyers/credit/<str:subject>/<int:pk>", views.credit_page, name="credit_page"),
    path("console/lawyers/", views.mine, name="mine"),
    path("console/lawyers/firm", views.firm, name="firm"),
    path("console/lawyers/board", views.board, name="board"),
    path("console/lawyers/activities", views.activities, name="activities"),
    path("console/lawyers/credit", views.credit, name="credit"),
    path("console/lawyers/reports", views.reports, name="reports"),
    path("console/lawyers/pool", views.pool, name="pool"),
    path("console/lawyers/roster", views.roster, name="roster"),
]
