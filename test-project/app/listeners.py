"""What the app does when things happen elsewhere in the framework."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable

from foundry.auth_scaffolding import User
from foundry.auth_scaffolding.events import Registered
from foundry.domain.application import Application
from foundry.domain.database import Database
from foundry.notifications import notify_now

from app.notifications import Member, Welcome

log = logging.getLogger("app")


def welcome_new_accounts(app: Application) -> Callable[[Registered], Awaitable[None]]:
    """A new account gets a welcome notification on its dashboard."""

    async def welcome(event: Registered) -> None:
        if event.user_id is None:
            return
        async with app.make(Database).session() as session:
            user = await session.get(User, uuid.UUID(event.user_id))
        if user is None:
            log.warning("registered user %s vanished before the welcome", event.user_id)
            return
        await notify_now(app, Member(user), Welcome(user.name))

    return welcome
