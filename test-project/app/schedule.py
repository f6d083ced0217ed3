"""The app's schedule (`foundry schedule:list`; run `foundry schedule:run` every minute from
cron, or keep `foundry schedule:work` running). Packages add their own housekeeping too:
failed jobs and read notifications are pruned by the queue and notification packages."""

from __future__ import annotations

from typing import Any


def schedule(schedule: Any) -> None:
    schedule.command("auth:clear-sessions").daily().description("Delete expired sessions")
    schedule.command("auth:clear-resets").daily().description("Delete expired reset links")
    schedule.command("passport:purge", revoked=True, expired=True).daily_at("03:30").description(
        "Delete revoked and expired OAuth tokens"
    )
    schedule.command("cache:prune").hourly().description("Delete expired cache rows and files")
