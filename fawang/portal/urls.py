from django.urls import path

from fawang.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("login", views.login_view, name="login"),
    path("logout", views.logout_view, name="logout"),
    path("register", views.register, name="register"),
    path("me", views.profile, name="profile"),
    path("directory/", views.directory, name="directory"),
]
