from django.urls import path

from fawang.indicators import views

app_name = "indicators"
urlpatterns = [
    path("", views.board_home, name="home"),
    path("regions/<str:code>/", views.board, name="board"),
    path("regions/<str:code>/report", views.report, name="report"),
    path("reported/", views.reported_values, name="reported"),
    path("reported/<int:report_id>/review", views.review, name="review"),
    path("plans/", views.plan_items, name="plans"),
    path("plans/items/<int:item_id>/", views.plan_item, name="plan_item"),
    path("definitions/", views.definitions, name="definitions"),
    path("definitions/<int:indicator_id>/edit", views.edit_target, name="edit_target"),
]
