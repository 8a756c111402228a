from django.urls import path

from fawang.console import education_themes, holidays, views

app_name = "console"
urlpatterns = [
    path("", views.home, name="home"),
    path("login", views.login_view, name="login"),
    path("logout", views.logout_view, name="logout"),
    path("institutions/", views.institution_list, name="institutions"),
    path("institutions/<int:institution_id>/", views.institution_detail, name="institution"),
    path("practitioners/", views.practitioner_list, name="practitioners"),
    path("practitioners/<int:practitioner_id>/", views.practitioner_detail, name="practitioner"),
    path("accounts/", views.account_list, name="accounts"),
    path("accounts/<int:account_id>/", views.account_detail, name="account"),
    path("audit/", views.audit_events, name="audit_events"),
    path("education-themes/", education_themes.education_themes, name="education_themes"),
    path("holidays/", holidays.holiday_schedules, name="holidays"),
    path("audit/personal-data/", views.personal_data_accesses, name="personal_data_accesses"),
]
