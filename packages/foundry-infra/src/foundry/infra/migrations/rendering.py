"""How autogenerate compares models with the database and writes column types.

Three rules keep generated migrations portable and quiet:

* **Plain DDL types.** Foundry's :class:`~foundry.domain.sql.UTCDateTime` and
  :class:`~foundry.domain.sql.JSON` (and SQLModel's ``UTCDateTime``) are written as the
  SQLAlchemy types they stand for, named once at the top of the revision file:
  ``UTC_DATETIME`` (``sa.DateTime(timezone=True)`` with a ``DATETIME(6)`` variant for
  MySQL) and ``PORTABLE_JSON`` (``sa.JSON()`` with a ``JSONB`` variant for PostgreSQL). A
  migration never imports the module a model's type lives in.
* **No false differences.** What a dialect reports back for those types (MariaDB's
  ``LONGTEXT`` for JSON, ``CHAR(32)`` for UUIDs, ``TINYINT(1)`` for booleans) counts as the
  same type, so a second autogenerate right after ``migrate`` finds nothing to do.
* **No surprise drops.** A table present in the database but declared by no imported model
  (another package's, the ``migrations`` log) is never dropped by autogenerate.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from sqlalchemy import types

from foundry.infra.migrations.log import LOG_TABLE

__all__ = [
    "PORTABLE_JSON",
    "UTC_DATETIME",
    "compare_type",
    "include_object_for",
    "render_item",
]

VERSION_TABLE = "alembic_version"

UTC_DATETIME = "UTC_DATETIME"
"""Name a revision file gives ``sa.DateTime(timezone=True)`` with its ``DATETIME(6)``
variant for MySQL/MariaDB (the ``migration`` stub defines it when used)."""
PORTABLE_JSON = "PORTABLE_JSON"
"""Name a revision file gives ``sa.JSON()`` with its ``JSONB`` variant for PostgreSQL."""


def _is_utc_datetime(type_: Any) -> bool:
    if not isinstance(type_, types.TypeDecorator):
        return False
    impl = type_.impl_instance
    return isinstance(impl, types.DateTime) and bool(impl.timezone)


def _is_foundry_json(type_: Any) -> bool:
    return isinstance(type_, types.TypeDecorator) and isinstance(type_.impl_instance, types.JSON)


def render_item(kind: str, obj: Any, autogen_context: Any) -> str | bool:
    """Alembic ``render_item`` hook: plain-DDL rendering of Foundry's portable types."""
    if kind != "type":
        return False
    imports = autogen_context.imports
    if _is_utc_datetime(obj):
        imports.add("from sqlalchemy.dialects import mysql")
        return UTC_DATETIME
    if _is_foundry_json(obj):
        imports.add("from sqlalchemy.dialects import postgresql")
        return PORTABLE_JSON
    module = type(obj).__module__
    if module.startswith("sqlmodel"):
        imports.add("import sqlmodel")
    elif not module.startswith(("sqlalchemy", "builtins")):
        imports.add(f"import {module}")
    return False


def _base_type(type_: Any) -> Any:
    if isinstance(type_, types.TypeDecorator):
        return type_.impl_instance
    return type_


def compare_type(
    context: Any,
    inspected_column: Any,
    metadata_column: Any,
    inspected_type: Any,
    metadata_type: Any,
) -> bool | None:
    """Alembic ``compare_type`` hook: False for pairs that are the same column on this
    dialect, None to let Alembic decide."""
    declared = _base_type(metadata_type)
    found = inspected_type
    dialect = context.dialect.name
    if isinstance(declared, types.DateTime) and isinstance(found, types.DateTime):
        if dialect == "postgresql":  # the only dialect that reflects the zone
            return bool(declared.timezone) != bool(found.timezone)
        return False
    if dialect == "postgresql":
        return None
    if isinstance(declared, types.JSON) and isinstance(found, types.JSON | types.Text):
        return False  # MariaDB reports JSON columns as LONGTEXT
    if isinstance(declared, types.Uuid) and isinstance(found, types.Uuid | types.CHAR):
        return False  # CHAR(32) holding the hex digits
    if isinstance(declared, types.Boolean) and isinstance(found, types.Boolean | types.Integer):
        return False  # TINYINT(1)
    return None


def include_object_for(
    tables: Collection[str] | None,
) -> Callable[[Any, str | None, str, bool, Any], bool]:
    """An ``include_object`` hook limited to ``tables`` (all model tables when None)."""
    allowed = None if tables is None else frozenset(tables)

    def include_object(obj: Any, name: str | None, kind: str, reflected: bool, other: Any) -> bool:
        table_name = name if kind == "table" else getattr(getattr(obj, "table", None), "name", None)
        if table_name in (VERSION_TABLE, LOG_TABLE):
            return False
        if kind == "table" and reflected and other is None:
            return False  # in the database, declared by no imported model: leave it alone
        return allowed is None or table_name in allowed

    return include_object
