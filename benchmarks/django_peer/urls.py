"""The peer's one route, at the same path as the FastAPI and Foundry targets.

Under ASGI the view is async, so Django runs it on the event loop; under WSGI
(``settings_wsgi``) it is the same view written sync, as WSGI projects write it — each
server gets the form Django runs without a thread hop.
"""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.urls import path

MESSAGE = {"message": "Hello, World!"}


async def hello(request: HttpRequest) -> JsonResponse:
    return JsonResponse(MESSAGE)


def hello_sync(request: HttpRequest) -> JsonResponse:
    return JsonResponse(MESSAGE)


urlpatterns = [path("api/hello", hello)]
