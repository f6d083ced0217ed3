"""Looking at a database (``db:show``, ``db:table``) and clearing it (``db:wipe``).

Everything goes through SQLAlchemy's inspector, so the three dialects answer the same
questions; where a dialect can tell more (its version, the database size) it is asked in
its own SQL.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import sqlalchemy as sa

from foundry.domain.errors import NotFoundError
from foundry.infra.connectivity import is_connection_error

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from foundry.infra.database import SQLDatabase

__all__ = ["describe_table", "overview", "wipe"]

T = TypeVar("T")

_VERSION_SQL = {
    "sqlite": "SELECT sqlite_version()",
    "postgresql": "SHOW server_version",
    "mysql": "SELECT VERSION()",
}
_NAME_SQL = {"postgresql": "SELECT current_database()", "mysql": "SELECT DATABASE()"}
_SIZE_SQL = {
    "postgresql": "SELECT pg_database_size(current_database())",
    "mysql": (
        "SELECT COALESCE(SUM(data_length + index_length), 0) FROM information_schema.tables "
        "WHERE table_schema = DATABASE()"
    ),
}


async def _run(database: SQLDatabase, work: Callable[[Connection], T]) -> T:
    try:
        async with database.engine.connect() as connection:
            return await connection.run_sync(work)
    except NotFoundError:
        raise
    except Exception as exc:
        if is_connection_error(exc):
            raise database.unreachable(exc) from exc
        raise


def _scalar(connection: Connection, sql: str) -> Any:
    return connection.exec_driver_sql(sql).scalar()


def _server(connection: Connection, dialect: str) -> tuple[str, str]:
    version = str(_scalar(connection, _VERSION_SQL[dialect]))
    if dialect == "sqlite":
        return "SQLite", version
    if dialect == "postgresql":
        return "PostgreSQL", version.split(" ")[0]
    if "mariadb" in version.lower():
        return "MariaDB", version.split("-")[0]
    return "MySQL", version.split("-")[0]


def _size(connection: Connection, dialect: str) -> int | None:
    if dialect == "sqlite":
        pages = _scalar(connection, "PRAGMA page_count")
        page_size = _scalar(connection, "PRAGMA page_size")
        return int(pages) * int(page_size) if pages is not None and page_size else None
    value = _scalar(connection, _SIZE_SQL[dialect])
    return int(value) if value is not None else None


def _count(connection: Connection, table: str) -> int:
    return int(
        connection.execute(sa.select(sa.func.count()).select_from(sa.table(table))).scalar_one()
    )


async def overview(database: SQLDatabase) -> dict[str, Any]:
    """What ``db:show`` prints: server, version, database, size, tables with row counts."""

    def work(connection: Connection) -> dict[str, Any]:
        dialect = database.dialect
        product, version = _server(connection, dialect)
        inspector = sa.inspect(connection)
        name = database.parsed_url.database
        if dialect in _NAME_SQL:
            name = str(_scalar(connection, _NAME_SQL[dialect]))
        tables = [
            {"name": table, "rows": _count(connection, table)}
            for table in sorted(inspector.get_table_names())
        ]
        info = {
            "dialect": dialect,
            "server": product,
            "version": version,
            "database": name,
            "url": database.url,
            "size_bytes": _size(connection, dialect),
            "tables": tables,
            "views": sorted(inspector.get_view_names()),
        }
        connection.rollback()
        return info

    return await _run(database, work)


def _missing_table(name: str, known: list[str], database: SQLDatabase) -> NotFoundError:
    close = difflib.get_close_matches(name, known, n=3)
    hint = f" Did you mean: {', '.join(close)}?" if close else ""
    listed = ", ".join(known) if known else "none"
    return NotFoundError(
        f'The database {database.url} has no table "{name}".{hint} Tables: {listed}.',
        context={"table": name, "suggestions": close},
    )


async def describe_table(database: SQLDatabase, name: str) -> dict[str, Any]:
    """What ``db:table`` prints: the columns, indexes and foreign keys of ``name``.

    Raises:
        NotFoundError: no such table (the message names the nearest ones).
    """

    def work(connection: Connection) -> dict[str, Any]:
        inspector = sa.inspect(connection)
        known = sorted(inspector.get_table_names())
        if name not in known:
            raise _missing_table(name, known, database)
        dialect = connection.dialect
        primary = inspector.get_pk_constraint(name).get("constrained_columns") or []
        columns = [
            {
                "name": column["name"],
                "type": column["type"].compile(dialect=dialect),
                "nullable": bool(column["nullable"]),
                "default": column.get("default"),
                "primary_key": column["name"] in primary,
            }
            for column in inspector.get_columns(name)
        ]
        indexes: list[dict[str, Any]] = [
            {
                "name": index["name"],
                "columns": list(index["column_names"]),
                "unique": bool(index["unique"]),
            }
            for index in inspector.get_indexes(name)
        ]
        seen = {tuple(index["columns"]) for index in indexes if index["unique"]}
        for constraint in inspector.get_unique_constraints(name):
            if tuple(constraint["column_names"]) not in seen:
                indexes.append(
                    {
                        "name": constraint["name"],
                        "columns": list(constraint["column_names"]),
                        "unique": True,
                    }
                )
        foreign_keys = [
            {
                "name": fk.get("name"),
                "columns": list(fk["constrained_columns"]),
                "references": fk["referred_table"],
                "referenced_columns": list(fk["referred_columns"]),
                "on_delete": (fk.get("options") or {}).get("ondelete"),
                "on_update": (fk.get("options") or {}).get("onupdate"),
            }
            for fk in inspector.get_foreign_keys(name)
        ]
        rows = _count(connection, name)
        connection.rollback()
        return {
            "table": name,
            "rows": rows,
            "primary_key": list(primary),
            "columns": columns,
            "indexes": indexes,
            "foreign_keys": foreign_keys,
        }

    return await _run(database, work)


def _wipe(connection: Connection, dialect: str) -> dict[str, list[str]]:
    from foundry.infra.engine import set_sqlite_foreign_keys

    inspector = sa.inspect(connection)
    views = sorted(inspector.get_view_names())
    tables = sorted(inspector.get_table_names())
    quote = connection.dialect.identifier_preparer.quote
    cascade = " CASCADE" if dialect == "postgresql" else ""
    types: list[str] = []
    if dialect == "postgresql":
        types = sorted(enum["name"] for enum in inspector.get_enums() if enum.get("visible", True))  # type: ignore[attr-defined]
    if dialect == "sqlite":
        set_sqlite_foreign_keys(connection, False)
    try:
        if dialect == "mysql":
            connection.exec_driver_sql("SET FOREIGN_KEY_CHECKS=0")
        for view in views:
            connection.exec_driver_sql(f"DROP VIEW IF EXISTS {quote(view)}{cascade}")
        for table in tables:
            connection.exec_driver_sql(f"DROP TABLE IF EXISTS {quote(table)}{cascade}")
        for type_name in types:
            connection.exec_driver_sql(f"DROP TYPE IF EXISTS {quote(type_name)} CASCADE")
        if dialect == "mysql":
            connection.exec_driver_sql("SET FOREIGN_KEY_CHECKS=1")
        connection.commit()
    except Exception:
        connection.rollback()
        if dialect == "mysql":
            connection.exec_driver_sql("SET FOREIGN_KEY_CHECKS=1")
            connection.commit()
        raise
    finally:
        if dialect == "sqlite":
            set_sqlite_foreign_keys(connection, True)
    return {"views": views, "tables": tables, "types": types}


async def wipe(database: SQLDatabase) -> dict[str, list[str]]:
    """Drop every view, table and (PostgreSQL) enum type; returns what was dropped."""
    return await _run(database, lambda connection: _wipe(connection, database.dialect))
