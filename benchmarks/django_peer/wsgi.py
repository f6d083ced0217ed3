"""The peer's WSGI application, as ``startproject`` writes it (served by gunicorn)."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "django_peer.settings_wsgi")

application = get_wsgi_application()
