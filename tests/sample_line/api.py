from django.http import HttpRequest
from ninja import Router

router = Router(tags=["示例业务"])


@router.get("/sample-line/ping", auth=None)
def ping(request: HttpRequest) -> dict[str, str]:
    return {"pong": "ok"}
