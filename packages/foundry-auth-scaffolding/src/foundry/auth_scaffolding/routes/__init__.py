"""The ``/auth`` routes: sign-in pages for guests and the ``/auth/user`` account area."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import APIRouter

    from foundry.auth_scaffolding.settings import AuthSettings

__all__ = ["build_routers"]


def build_routers(settings: AuthSettings) -> list[APIRouter]:
    from foundry.auth_scaffolding.routes.account import account_router
    from foundry.auth_scaffolding.routes.guest import guest_router
    from foundry.auth_scaffolding.routes.recovery import recovery_router

    return [guest_router(), recovery_router(), account_router(settings)]
