from django.urls import path

from fawang.network import console, views

app_name = "network"
urlpatterns = [
    path("service-points/", views.finder_view, name="finder"),
    path("map/", views.map_view, name="map"),
    path("map/boundaries/<str:code>.geojson", views.boundaries, name="boundaries"),
    path("service-points/video/", views.video, name="video"),
    path("service-points/video/<str:room>", views.video_room, name="video_room"),
    path("service-points/video/<str:room>/end", views.video_end, name="video_end"),
    path("console/network/", console.points, name="points"),
    path("console/network/new", console.point_new, name="point_new"),
    path("console/network/<int:point_id>/", console.point_detail, name="point"),
    path("console/network/<int:point_id>/status", console.point_status, name="point_status"),
    path("console/network/<int:point_id>/inspect", console.inspect, name="inspect"),
    path("console/network/inspections", console.inspections, name="inspections"),
    path(
        "console/network/inspections/<int:inspection_id>/rectified",
        console.rectified,
        name="rectified",
    ),
    path("console/network/coverage", console.coverage_page, name="coverage"),
    path("console/network/import", console.import_page, name="import"),
]
