"""The names a tinker session starts with, and the database session it holds open.

``open_workspace(app)`` resolves what the app offers: the application (which is also the
container), its configuration, an open ``AsyncSession`` as ``db`` when a ``Database`` is
bound, every model class by name, ``select`` and the helpers. The session is opened on the
command's event loop and committed when the workspace closes normally (rolled back when
the code given to ``--execute`` fails), through the ``Database`` contract's own
``session()`` block.
"""

from __future__ import annotations

import keyword
import warnings
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from typing import Any

from foundry.domain.application import Application
from foundry.domain.console import Output
from foundry.domain.database import Database
from foundry.domain.errors import CommandError
from foundry.tinker_enhanced.helpers import Helpers, terminal_output
from foundry.tinker_enhanced.magics import MAGIC_CALL, Magics

__all__ = ["Workspace", "open_workspace"]

# SQLModel's AsyncSession warns on every ``execute()``, steering to ``exec()``; in a shell
# both are legitimate (``(await db.execute(select(Product))).scalars().all()`` is plain
# SQLAlchemy), so the nag is silenced for the session and every other warning still shows.
_EXECUTE_NAG = r"[\s\S]*You probably want to use `session\.exec\(\)`"


def _query_names() -> dict[str, Any]:
    """``select`` (SQLModel's when installed, else SQLAlchemy's), ``func`` and ``text``."""
    names: dict[str, Any] = {}
    try:
        import sqlalchemy
    except ImportError:
        return names
    names.update(select=sqlalchemy.select, func=sqlalchemy.func, text=sqlalchemy.text)
    try:
        from sqlmodel import select
    except ImportError:
        return names
    names["select"] = select
    return names


_BANNER_ORDER = ("app", "config", "container", "db", "models", "select", "func", "text")


class Workspace:
    """What a tinker session works with.

    Attributes:
        app: the booted application.
        namespace: the names the code sees (shells add their own, such as ``_``).
        models: every model class by name (from ``Database.models()``).
        magics: ``%routes``, ``%commands``, ``%config``.
        database: the bound ``Database``, or None.
        session: the open ``AsyncSession`` (``db``), or None without a database.
    """

    def __init__(
        self,
        app: Application,
        namespace: dict[str, Any],
        models: Mapping[str, type[Any]],
        magics: Magics,
        database: Database | None,
        session: Any = None,
    ) -> None:
        self.app = app
        self.namespace = namespace
        self.models = models
        self.magics = magics
        self.database = database
        self.session = session

    async def rollback(self) -> None:
        """Undo what the database session holds, so closing the workspace saves nothing
        (a snippet that exits non-zero)."""
        if self.session is not None:
            await self.session.rollback()

    def summary(self) -> list[str]:
        """Lines for a banner: what is preloaded."""
        hidden = {"__name__", "__doc__", MAGIC_CALL, *self.models}
        first = [name for name in _BANNER_ORDER if name in self.namespace]
        rest = [n for n in self.namespace if n not in hidden and n not in _BANNER_ORDER]
        names = first + rest
        lines = [f"Preloaded: {', '.join(names)}"]
        models = ", ".join(self.models) if self.models else "(none)"
        lines.append(f"Models: {models}")
        if self.database is None:
            lines.append(
                "db: no Database is bound (pip install foundry-infra for a database session)"
            )
        else:
            lines.append(f"db: an AsyncSession on {self.database.url}, committed on exit")
        return lines


def _model_names(models: Mapping[str, type[Any]], taken: Mapping[str, Any]) -> dict[str, Any]:
    """Models whose name is a free identifier (``module.Class`` keys stay in ``models``)."""
    return {
        name: cls
        for name, cls in models.items()
        if name.isidentifier() and not keyword.iskeyword(name) and name not in taken
    }


@asynccontextmanager
async def open_workspace(
    app: Application,
    *,
    output: Callable[[], Output] | None = None,
    interactive: bool = True,
) -> AsyncIterator[Workspace]:
    """Build the namespace and hold the database session open while the block runs.

    Args:
        app: the booted application.
        output: makes the Output that ``call()`` writes to (default: plain, to the
            terminal).
        interactive: magic failures are one line on stderr (shells) rather than raised
            (``--execute``, where they fail the command).

    Raises:
        ConfigurationError: the app's models cannot be imported.
        CommandError: committing the session when the block ends failed.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=_EXECUTE_NAG, category=DeprecationWarning)
        async with _workspace(app, output=output, interactive=interactive) as workspace:
            yield workspace


@asynccontextmanager
async def _workspace(
    app: Application, *, output: Callable[[], Output] | None, interactive: bool
) -> AsyncIterator[Workspace]:
    database = app.make(Database) if app.bound(Database) else None
    magics = Magics(app)
    helpers = Helpers(app, magics, output or (lambda: terminal_output(app)))
    namespace: dict[str, Any] = {
        "__name__": "__main__",
        "__doc__": None,
        "app": app,
        "config": app.config,
        "container": app,
    }
    models = dict(database.models()) if database is not None else {}
    namespace.update(_query_names())
    namespace.update(helpers.names())
    namespace["models"] = models
    namespace[MAGIC_CALL] = magics.reporting if interactive else magics
    if database is None:
        namespace.update(_model_names(models, namespace))
        yield Workspace(app, namespace, models, magics, None)
        return
    finished = False
    try:
        async with database.session() as session:
            namespace["db"] = session
            namespace.update(_model_names(models, namespace))
            yield Workspace(app, namespace, models, magics, database, session)
            finished = True
    except Exception as exc:
        if not finished:
            raise
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise CommandError(
            f"Committing the tinker db session on exit failed, so nothing it held was saved: "
            f"{type(exc).__name__}: {reason}"
        ) from exc
