"""The app's notifications, and the signed-in account as a recipient."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from foundry.auth_scaffolding import User
from foundry.notifications import Notifiable, Notification


class Member(Notifiable):
    """An account (the auth package's ``users`` row) as a notification recipient.

    Its rows in ``notifications`` belong to ``("users", <id>)``: the same owner the
    notification routes (``/notifications``) use for the signed-in user.
    """

    __tablename__ = "users"

    def __init__(self, user: User) -> None:
        self.id = user.id
        self.email = user.email
        self.name = user.name


@dataclass
class Welcome(Notification):
    """Shown on the dashboard of a new account."""

    name: str

    def via(self, notifiable: Any) -> list[str]:
        return ["database"]

    def to_database(self, notifiable: Any) -> dict[str, Any]:
        return {
            "title": f"Welcome, {self.name}!",
            "body": "Your account is ready. Browse the catalogue or watch it change live.",
            "links": {"catalogue": "/api/products", "live": "/live"},
        }
