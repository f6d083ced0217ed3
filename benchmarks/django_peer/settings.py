"""Settings of the Django peer: production-like (DEBUG off), no database, no sessions.

The middleware is the part of ``startproject``'s default list that works without a
database or sessions and adds response headers, i.e. Django's counterpart of Foundry's
security-headers middleware: ``SecurityMiddleware`` (nosniff, Referrer-Policy,
Cross-Origin-Opener-Policy), ``CommonMiddleware`` and ``XFrameOptionsMiddleware``.
Sessions, authentication, CSRF and messages are left out: the endpoint is a stateless JSON
API that needs none of them, and each would only add work on Django's side.
"""

from __future__ import annotations

import os
import secrets

DEBUG = False
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50)
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "django_peer.urls"
INSTALLED_APPS: list[str] = []
DATABASES: dict[str, dict[str, str]] = {}
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
USE_TZ = True
USE_I18N = False
