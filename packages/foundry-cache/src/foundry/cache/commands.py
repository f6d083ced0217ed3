"""The cache's console commands: ``cache:clear``, ``cache:forget``, ``cache:prune`` and
``cache:table``.

Each works on the default store (``CACHE_DRIVER``) unless ``--store`` names another, prints
JSON with ``--format json``, and fails in one line naming the store when it is unreachable.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from foundry.domain.commands import Argument, Command, CommandContext, CommandResult, Option

if TYPE_CHECKING:
    from foundry.cache.manager import CacheManager

__all__ = ["ClearCommand", "ForgetCommand", "PruneCommand", "TableCommand"]

_STORE = Option("store", "The cache store to use (default: CACHE_DRIVER)")


def _manager(ctx: CommandContext) -> CacheManager:
    from foundry.cache.manager import CacheManager

    return ctx.app.make(CacheManager)


class ClearCommand(Command):
    name = "cache:clear"
    summary = "Flush the application cache (one store, or only the entries under some tags)"
    description = (
        "Removes every entry of the store under its prefix (CACHE_PREFIX), or with --tags "
        "invalidates only the entries written under those tags. --dry-run names what would "
        "be flushed and changes nothing."
    )
    options = (
        _STORE,
        Option("tags", "Only entries under these tags (--tags a,b or repeated)", "list"),
    )

    async def handle(self, ctx: CommandContext) -> CommandResult:
        manager = _manager(ctx)
        name = ctx.option("store") or manager.default_name
        cache = manager.store(name)
        # Split commas here too: the kernel's plain parser collects --tags a,b as one item.
        given = ctx.option("tags", [])
        tags = [t.strip() for item in given for t in str(item).split(",") if t.strip()]
        data = {"store": name, "tags": tags, "dry_run": ctx.dry_run}
        what = f"the entries tagged {', '.join(tags)} in" if tags else "every entry of"
        if ctx.dry_run:
            return CommandResult.success(
                f'Dry run: would flush {what} the "{name}" cache store.', data=data
            )
        if tags:
            await cache.tags(*tags).flush()
        else:
            await cache.flush()
        return CommandResult.success(f'Flushed {what} the "{name}" cache store.', data=data)


class ForgetCommand(Command):
    name = "cache:forget"
    summary = "Remove one key from the cache"
    arguments = (Argument("key", "The key to remove"),)
    options = (_STORE,)

    async def handle(self, ctx: CommandContext) -> CommandResult:
        manager = _manager(ctx)
        name = ctx.option("store") or manager.default_name
        key = str(ctx.argument("key"))
        data = {"store": name, "key": key, "forgotten": False, "dry_run": ctx.dry_run}
        if ctx.dry_run:
            present = await manager.store(name).has(key)
            data["present"] = present
            state = "holds a value" if present else "holds nothing"
            return CommandResult.success(
                f'Dry run: the [{key}] key {state} in the "{name}" store; nothing was removed.',
                data=data,
            )
        data["forgotten"] = await manager.store(name).forget(key)
        if not data["forgotten"]:
            return CommandResult.success(
                f'The [{key}] key was not in the "{name}" cache store.', data=data
            )
        return CommandResult.success(
            f'The [{key}] key has been removed from the "{name}" cache store.', data=data
        )


class PruneCommand(Command):
    name = "cache:prune"
    summary = "Delete expired entries (database rows, files of the file store)"
    description = (
        "The database and file stores keep an expired entry until it is overwritten; this "
        "deletes them and reports how many. Redis and the null store expire entries "
        "themselves, so there is nothing to prune there. Schedule it daily."
    )
    options = (_STORE,)

    async def handle(self, ctx: CommandContext) -> CommandResult:
        from foundry.cache.stores.base import Prunable

        manager = _manager(ctx)
        name = ctx.option("store") or manager.default_name
        store = manager.raw(name)
        data: dict[str, object] = {"store": name, "driver": store.driver, "pruned": 0}
        if not isinstance(store, Prunable):
            return CommandResult.skipped(
                f'The "{name}" store ({store.driver}) removes expired entries itself; '
                "nothing to prune.",
                data=data,
            )
        if ctx.dry_run:
            data["dry_run"] = True
            return CommandResult.success(
                f'Dry run: would delete the expired entries of the "{name}" cache store.',
                data=data,
            )
        data["pruned"] = pruned = await store.prune()
        noun = "entry" if pruned == 1 else "entries"
        return CommandResult.success(
            f'Pruned {pruned} expired {noun} from the "{name}" cache store.', data=data
        )


class TableCommand(Command):
    name = "cache:table"
    summary = "Show the migration that creates cache_entries (shipped, not generated)"
    description = (
        "Laravel's cache:table writes a migration into the app. foundry-cache ships that "
        'migration itself, as the Alembic branch "cache", so there is nothing to generate: '
        "this prints where the migration lives and that `foundry migrate` creates the table. "
        "It writes no file."
    )
    requires_boot = False

    def handle(self, ctx: CommandContext) -> CommandResult:
        from importlib import resources

        folder = resources.files("foundry.cache").joinpath("migrations")
        files = sorted(
            str(entry)
            for entry in folder.iterdir()
            if entry.name.endswith(".py") and not entry.name.startswith("_")
        )
        data: dict[str, object] = {
            "table": "cache_entries",
            "branch": "cache",
            "folder": str(folder),
            "migrations": files,
        }
        if not ctx.json:
            for path in files:
                ctx.output.line(f"Migration: {path}")
        return CommandResult.success(
            'The cache_entries table comes with foundry-cache (Alembic branch "cache"), so '
            "no migration is generated. Run `foundry migrate` to create it.",
            data=data,
        )
