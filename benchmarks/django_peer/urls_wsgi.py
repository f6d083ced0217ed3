"""The WSGI deployment's routes: the sync form of the same view."""

from __future__ import annotations

from django.urls import path

from django_peer.urls import hello_sync

urlpatterns = [path("api/hello", hello_sync)]
