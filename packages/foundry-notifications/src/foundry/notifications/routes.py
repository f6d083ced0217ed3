"""The JSON API over the database channel's rows, for the authenticated user.

==========================================  ==============================================
``GET /notifications``                      newest first; ``?unread=1``, ``?page=``,
                                            ``?per_page=`` (1-100, default 15)
``POST /notifications/{id}/read``           mark one read; returns it
``POST /notifications/read-all``            mark all read; returns how many changed
``DELETE /notifications/{id}``              delete one (204)
==========================================  ==============================================

The user is ``request.state.user`` when a middleware set it, else the first answer of the
``RequestAuthenticator`` s tagged ``auth.authenticators`` (the auth package's session and
token guards), so this works with any auth package without importing it. No user: 401.
Every query is scoped to that user's rows: another user's notification is a 404, exactly
like one that does not exist. Errors use Foundry's envelope
``{"error": {"code", "message", "status"}}``.
"""

from __future__ import annotations

import inspect
import math
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from foundry.domain.auth import AUTHENTICATORS_TAG
from foundry.domain.clock import Clock, SystemClock
from foundry.domain.database import Database

__all__ = ["current_user", "notification_router"]

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"", "0", "false", "no", "off"})


async def current_user(app: Any, request: Request) -> Any | None:
    """The user ``request`` speaks for, or None."""
    user = getattr(request.state, "user", None)
    if user is not None:
        return user
    for authenticator in app.tagged(AUTHENTICATORS_TAG):
        found = authenticator.authenticate(request)
        if inspect.isawaitable(found):
            found = await found
        if found is not None:
            return found
    return None


def _error(
    status: int, code: str, message: str, fields: dict[str, list[str]] | None = None
) -> JSONResponse:
    body: dict[str, Any] = {"code": code, "message": message, "status": status}
    if fields:
        body["fields"] = fields
    return JSONResponse({"error": body}, status_code=status)


def _unauthenticated() -> JSONResponse:
    return _error(401, "UNAUTHENTICATED", "Sign in to see your notifications.")


def _not_found(notification_id: str) -> JSONResponse:
    return _error(404, "NOT_FOUND", f"Notification {notification_id!r} was not found.")


def _positive(raw: str | None, default: int, name: str, most: int | None = None) -> int | str:
    if raw is None or raw == "":
        return default
    if not raw.isdigit() or int(raw) < 1 or (most is not None and int(raw) > most):
        limit = f" and at most {most}" if most else ""
        return f"{name} must be a whole number, 1 or more{limit}."
    return int(raw)


def notification_router(app: Any) -> APIRouter:
    """The ``/notifications`` routes of ``app``."""
    from foundry.notifications import store

    router = APIRouter(prefix="/notifications", tags=["notifications"])
    database: Database = app.make(Database)

    def now() -> Any:
        return (app.make(Clock) if app.bound(Clock) else SystemClock()).now()

    @router.get("", response_model=None)
    async def index(request: Request) -> Response:
        user = await current_user(app, request)
        if user is None:
            return _unauthenticated()
        query = request.query_params
        unread_raw = (query.get("unread") or "").strip().lower()
        page = _positive(query.get("page"), 1, "page")
        per_page = _positive(query.get("per_page"), 15, "per_page", 100)
        problems: dict[str, list[str]] = {}
        if unread_raw not in _TRUE | _FALSE:
            problems["unread"] = ["unread must be 1 or 0."]
        for name, value in (("page", page), ("per_page", per_page)):
            if isinstance(value, str):
                problems[name] = [value]
        if problems:
            return _error(422, "VALIDATION_ERROR", "The given data was invalid.", problems)
        assert isinstance(page, int)
        assert isinstance(per_page, int)
        only_unread = True if unread_raw in _TRUE else None
        owner = store.notifiable_key(user)
        async with database.session() as session:
            rows = await store.list_for(
                session, owner, unread=only_unread, limit=per_page, offset=(page - 1) * per_page
            )
            total = await store.count_for(session, owner, unread=only_unread)
            unread_count = await store.count_for(session, owner, unread=True)
        return JSONResponse(
            {
                "data": [row.to_dict() for row in rows],
                "meta": {
                    "page": page,
                    "per_page": per_page,
                    "total": total,
                    "last_page": max(1, math.ceil(total / per_page)),
                    "unread_count": unread_count,
                },
            }
        )

    @router.post("/read-all", response_model=None)
    async def read_all(request: Request) -> Response:
        user = await current_user(app, request)
        if user is None:
            return _unauthenticated()
        async with database.session() as session:
            updated = await store.mark_all_read(session, store.notifiable_key(user), now())
        return JSONResponse({"data": {"updated": updated}})

    @router.post("/{notification_id}/read", response_model=None)
    async def read(notification_id: str, request: Request) -> Response:
        user = await current_user(app, request)
        if user is None:
            return _unauthenticated()
        async with database.session() as session:
            row = await store.find_for(session, store.notifiable_key(user), notification_id)
            if row is None:
                return _not_found(notification_id)
            row.mark_as_read(now())
            session.add(row)
        return JSONResponse({"data": row.to_dict()})

    @router.delete("/{notification_id}", response_model=None)
    async def destroy(notification_id: str, request: Request) -> Response:
        user = await current_user(app, request)
        if user is None:
            return _unauthenticated()
        async with database.session() as session:
            deleted = await store.delete_for(session, store.notifiable_key(user), notification_id)
        if not deleted:
            return _not_found(notification_id)
        return Response(status_code=204)

    return router
