"""What ``env.py`` does: configure Alembic from the options ``foundry migrate`` passed in.

Alembic runs ``env.py`` for every operation. Foundry builds the Alembic ``Config`` in code
(no ``alembic.ini``) and hands the live connection and the run's options through
``config.attributes``; this module turns them into ``context.configure(...)``:

* each migration in its own transaction (``transaction_per_migration``), so a failure
  rolls back only the failing migration and the ones before it stay applied;
* on SQLite, transactional DDL (the engine emits real ``BEGIN``) and batch mode, so
  ``ALTER`` operations SQLite lacks are done by copying the table;
* ``on_version_apply`` callbacks keep the ``migrations`` log in the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from foundry.infra.errors import MigrationError

__all__ = ["OPTIONS_KEY", "EnvironmentOptions", "run_environment"]

OPTIONS_KEY = "foundry.migrations"


@dataclass
class EnvironmentOptions:
    """One run's settings, passed to ``env.py`` in ``config.attributes[OPTIONS_KEY]``.

    Attributes:
        dialect: the dialect name (used alone in offline ``--pretend`` runs).
        connection: the synchronous connection (None in offline runs).
        target_metadata: the models' metadata (autogenerate compares against it).
        callbacks: ``on_version_apply`` hooks (the migrations log, progress).
        include_object: autogenerate filter (which tables a revision may touch).
    """

    dialect: str
    connection: Any = None
    target_metadata: Any = None
    callbacks: Sequence[Callable[..., None]] = field(default_factory=tuple)
    include_object: Callable[..., bool] | None = None


def _common(options: EnvironmentOptions) -> dict[str, Any]:
    from foundry.infra.migrations.rendering import compare_type

    sqlite = options.dialect == "sqlite"
    common: dict[str, Any] = {
        "target_metadata": options.target_metadata,
        "transaction_per_migration": True,
        "render_as_batch": sqlite,
        "compare_type": compare_type,
    }
    if sqlite:
        common["transactional_ddl"] = True
    if options.include_object is not None:
        common["include_object"] = options.include_object
    return common


def run_environment(context: Any) -> None:
    """Configure ``context`` (Alembic's ``alembic.context``) and run the migrations."""
    options = context.config.attributes.get(OPTIONS_KEY)
    if not isinstance(options, EnvironmentOptions):
        raise MigrationError(
            "Foundry's Alembic environment runs under `foundry migrate` (and the other "
            "migrate commands), which pass it the application's connection; it cannot be "
            "run by the alembic command line."
        )
    if context.is_offline_mode():
        context.configure(
            dialect_name=options.dialect,
            literal_binds=True,
            **_common(options),
        )
    else:
        context.configure(
            connection=options.connection,
            on_version_apply=list(options.callbacks),
            **_common(options),
        )
    with context.begin_transaction():
        context.run_migrations()
