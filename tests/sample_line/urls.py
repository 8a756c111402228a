from django.http import HttpRequest, HttpResponse
from django.urls import path


def work(request: HttpRequest) -> HttpResponse:
    return HttpResponse("示例业务")


app_name = "sample_line"
urlpatterns = [path("work", work, name="work")]
