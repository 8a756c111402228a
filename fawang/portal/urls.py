from django.urls import path

from fawang.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("login", views.login_view, name="login"),
    path("logout", views.logout_view, name="logout"),
    path("register", views.register, name="register"),
    path("me", views.profile, name="profile"),
    path("requests/", views.request_list, name="requests"),
    path("requests/new", views.request_new, name="request_new"),
    path("requests/track", views.request_track, name="request_track"),
    path("requests/<str:number>", views.request_detail, name="request"),
    path("requests/<str:number>/submitted", views.request_submitted, name="request_submitted"),
    path("rate/<str:token>", views.rate_by_link, name="rate"),
]
