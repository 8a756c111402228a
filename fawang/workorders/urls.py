from django.urls import path

from fawang.workorders.views import citizen, staff

app_name = "workorders"
urlpatterns = [
    # citizens (诉求)
    path("requests/", citizen.request_list, name="requests"),
    path("requests/new", citizen.request_new, name="request_new"),
    path("requests/track", citizen.request_track, name="request_track"),
    path("requests/<str:number>", citizen.request_detail, name="request"),
    path("requests/<str:number>/submitted", citizen.request_submitted, name="request_submitted"),
    path("rate/<str:token>", citizen.rate_by_link, name="rate"),
    # staff
    path("console/orders/", staff.order_list, name="orders"),
    path("console/orders/new", staff.order_new, name="order_new"),
    path("console/orders/claim-next", staff.claim_next, name="claim_next"),
    path("console/orders/<str:number>/", staff.order_detail, name="order"),
    path("console/dispatch-rules/", staff.dispatch_rules, name="dispatch_rules"),
    path("console/dashboard/", staff.dashboard, name="dashboard"),
    path("console/notifications/", staff.notifications, name="notifications"),
]
