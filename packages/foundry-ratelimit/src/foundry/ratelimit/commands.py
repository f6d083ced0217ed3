"""``rate-limit:reset`` and ``rate-limit:status``: unlock a client, or look at its standing.

KEY is the identity a limiter counts under: ``user:<id>`` for a signed-in user,
``ip:<address>`` (IPv6: ``ip:<network>/64``) otherwise, or whatever a limiter's ``by``
function returns. Both talk to the store directly: when it is down they say so and exit 1,
whatever the fail mode.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from foundry.domain.commands import Argument, Command, CommandContext, CommandResult, Option

if TYPE_CHECKING:
    from foundry.ratelimit.registry import LimiterRegistry

__all__ = ["ResetCommand", "StatusCommand"]

_KEY = Argument("key", "The identity counted: user:<id>, ip:<address>, or your by() key")
_LIMITER = Option("limiter", "Only this limiter (default: every limiter known here)")


def _registry(ctx: CommandContext) -> LimiterRegistry:
    from foundry.ratelimit.registry import LimiterRegistry

    return ctx.app.make(LimiterRegistry)


def _key(ctx: CommandContext) -> str:
    from foundry.domain.errors import InputError

    key = str(ctx.argument("key") or "").strip()
    if not key:
        raise InputError("key", "KEY must not be empty (e.g. user:42 or ip:203.0.113.9)")
    return key


def _note(registry: LimiterRegistry) -> str:
    if registry.store.shared:
        return ""
    return " (memory store: only this process's counts; set RATE_LIMIT_STORE=redis to share)"


class ResetCommand(Command):
    name = "rate-limit:reset"
    summary = "Clear a client's rate limit counts"
    description = (
        "Forgets what KEY has used, under one limiter (--limiter) or every limiter known "
        "here, so a user locked out by mistake can come back at once."
    )
    arguments = (_KEY,)
    options = (_LIMITER,)

    async def handle(self, ctx: CommandContext) -> CommandResult:
        from foundry.ratelimit.definitions import check_name
        from foundry.ratelimit.errors import InvalidRateError

        registry = _registry(ctx)
        key = _key(ctx)
        known = registry.names()
        chosen = ctx.option("limiter")
        if chosen is not None:
            try:
                check_name(chosen)
            except InvalidRateError as exc:
                from foundry.domain.errors import InputError

                raise InputError("limiter", exc.message) from None
        names = [chosen] if chosen else known
        cleared = [name for name in names if await registry.reset(name, key)]
        data: dict[str, Any] = {
            "key": key,
            "store": registry.store.label,
            "limiters": names,
            "cleared": cleared,
        }
        if chosen and chosen not in known:
            ctx.output.warning(
                f'No limiter "{chosen}" is defined here (code limiters are known once their '
                "module is imported); its key was cleared all the same."
            )
        note = _note(registry)
        if cleared:
            return CommandResult.success(f"Cleared {key} in {', '.join(cleared)}.{note}", data)
        return CommandResult.success(
            f"Nothing was counted for {key} in {', '.join(names)}; nothing to clear.{note}", data
        )


class StatusCommand(Command):
    name = "rate-limit:status"
    summary = "Show a client's remaining requests without counting one"
    description = (
        "For KEY, under one limiter (--limiter) or every limiter known here: the rate, what "
        "remains, when it is full again, and whether the next request would pass."
    )
    arguments = (_KEY,)
    options = (_LIMITER,)

    async def handle(self, ctx: CommandContext) -> CommandResult:
        from foundry.domain.errors import InputError
        from foundry.ratelimit.errors import UnknownLimiterError

        registry = _registry(ctx)
        key = _key(ctx)
        chosen = ctx.option("limiter")
        names = [chosen] if chosen else registry.names()
        rows: list[dict[str, Any]] = []
        for name in names:
            try:
                limit, result = await registry.status(name, key)
            except UnknownLimiterError as exc:
                raise InputError("limiter", exc.message) from None
            rows.append(
                {
                    "limiter": name,
                    "rate": str(limit.rate),
                    "algorithm": limit.algorithm,
                    "limit": result.limit,
                    "remaining": result.remaining,
                    "reset_after": round(result.reset_after, 3),
                    "retry_after": round(result.retry_after, 3),
                    "allowed": result.allowed,
                }
            )
        data = {"key": key, "store": registry.store.label, "limiters": rows}
        if not ctx.json:
            ctx.output.table(
                ("limiter", "rate", "algorithm", "remaining", "full again in", "next request"),
                [
                    (
                        r["limiter"],
                        r["rate"],
                        r["algorithm"],
                        f"{r['remaining']}/{r['limit']}",
                        f"{r['reset_after']:g}s",
                        "allowed" if r["allowed"] else f"refused for {r['retry_after']:g}s",
                    )
                    for r in rows
                ],
                title=f"{key} on {registry.store.label}",
            )
        limited = [r["limiter"] for r in rows if not r["allowed"]]
        if limited:
            message = f"{key} is being refused by {', '.join(limited)}."
        else:
            message = f"{key} is within every limit shown."
        return CommandResult.success(message + _note(registry), data)
