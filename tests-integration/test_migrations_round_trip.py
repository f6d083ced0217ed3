"""`migrate` then `migrate:rollback` round-trips on SQLite, PostgreSQL and MariaDB: every
package branch the reference app installs, and the app's own."""

from __future__ import annotations

import json

import pytest
from it_support import foundry


def _status(env: dict[str, str]) -> list[dict[str, object]]:
    return json.loads(foundry("migrate:status", "--format", "json", env=env))["data"]["migrations"]


@pytest.mark.parametrize("database", ["sqlite_url", "postgres_url", "mysql_url"])
def test_migrate_then_rollback_round_trips(database: str, request: pytest.FixtureRequest) -> None:
    url = request.getfixturevalue(database)
    env = {"DATABASE_URL": url}
    migrated = json.loads(foundry("migrate", "--format", "json", env=env))
    assert migrated["exit_code"] == 0
    assert migrated["data"]["steps"], "nothing was migrated"
    status = _status(env)
    assert status
    assert all(row["ran"] for row in status)
    branches = {row["branch"] for row in status}
    assert "app" in branches
    tables = json.loads(foundry("db:show", "--format", "json", env=env))["data"]
    assert "products" in {t["name"] for t in tables["tables"]}

    rolled = json.loads(foundry("migrate:rollback", "--format", "json", env=env))
    assert rolled["exit_code"] == 0
    assert not any(row["ran"] for row in _status(env))
    after = json.loads(foundry("db:show", "--format", "json", env=env))["data"]
    assert "products" not in {t["name"] for t in after["tables"]}

    again = json.loads(foundry("migrate", "--format", "json", env=env))
    assert len(again["data"]["steps"]) == len(migrated["data"]["steps"])
