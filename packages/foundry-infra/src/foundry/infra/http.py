"""One database session per HTTP request, as a FastAPI dependency.

::

    from foundry.infra.http import DbSession

    @router.post("/posts")
    async def create_post(data: PostIn, session: DbSession) -> Post:
        post = Post.model_validate(data)
        session.add(post)
        return post          # committed before the response is sent

The session commits when the endpoint returns and rolls back when it raises. The
dependency is scoped to the endpoint function (``scope="function"``), so the commit happens
*before* the response leaves: a failing commit becomes an error response instead of a
``200`` for data that was never saved.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlmodel.ext.asyncio.session import AsyncSession

from foundry.domain.application import Application
from foundry.domain.database import Database
from foundry.domain.errors import ConfigurationError
from foundry.domain.http import APP_STATE_KEY

__all__ = ["DbSession", "get_session"]


def _application(request: Request) -> Application:
    app = getattr(request.app.state, APP_STATE_KEY, None)
    if app is None:
        raise ConfigurationError(
            "This FastAPI app has no Foundry application at app.state.foundry; build it "
            "with foundry.application.create_app() so database sessions can be opened."
        )
    return app  # type: ignore[no-any-return]


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """Yield an ``AsyncSession`` from the app's ``Database``; commit or roll back after."""
    database = _application(request).make(Database)
    async with database.session() as session:
        yield session


DbSession = Annotated[AsyncSession, Depends(get_session, scope="function")]
"""Annotate an endpoint parameter with this to receive the request's session."""
