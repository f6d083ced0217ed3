"""The WSGI deployment's settings: the peer's settings with the sync view's routes."""

from __future__ import annotations

from django_peer.settings import *  # noqa: F403 (a settings module extends another)

ROOT_URLCONF = "django_peer.urls_wsgi"
