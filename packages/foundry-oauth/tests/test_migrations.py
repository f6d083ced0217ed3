"""The ``oauth`` migration branch runs up and down on SQLite always, on PostgreSQL when
``DATABASE_URL`` names one and on MariaDB/MySQL when ``MYSQL_URL`` is set (each in a
throwaway ``foundry_test_<random>`` database). It needs no other package's tables."""

from __future__ import annotations

import io
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest

from foundry.application import Application
from foundry.domain.application import CommandRunner
from foundry.domain.outputs import PlainOutput
from foundry.infra.provider import InfraServiceProvider
from foundry.oauth.provider import OAuthServiceProvider


async def _run(app: Application, *words: str) -> dict:
    out = io.StringIO()
    outcome = await app.make(CommandRunner).run(
        words[0], list(words[1:]), output=PlainOutput(out, out), format="json"
    )
    assert outcome.exit_code == 0, (outcome.error, out.getvalue())
    return outcome.result.to_dict()


async def test_the_oauth_branch_migrates_round_trips_and_stores_identities(
    database_url, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    from sqlalchemy import inspect
    from sqlalchemy.exc import IntegrityError
    from sqlmodel import select

    from foundry.domain.database import Database
    from foundry.oauth.models import OAuthIdentity

    monkeypatch.setenv("DATABASE_URL", database_url)
    app = Application(
        tmp_path, providers=[InfraServiceProvider, OAuthServiceProvider], discover=False
    )
    app.boot()
    try:
        up = await _run(app, "migrate")
        assert [s["branch"] for s in up["data"]["steps"]] == ["oauth"]
        database = app.make(Database)

        def columns(connection):
            inspector = inspect(connection)
            return (
                {c["name"] for c in inspector.get_columns("oauth_identities")},
                {
                    tuple(u["column_names"])
                    for u in inspector.get_unique_constraints("oauth_identities")
                },
            )

        async with database.engine.connect() as connection:
            names, uniques = await connection.run_sync(columns)
        assert {"provider", "provider_user_id", "user_id", "access_token", "expires_at"} <= names
        assert ("provider", "provider_user_id") in uniques

        stamp = datetime(2026, 5, 1, 12, 30, 15, 123456, tzinfo=UTC)
        async with database.session() as db:
            db.add(
                OAuthIdentity(
                    provider="acme",
                    provider_user_id="1",
                    user_id=str(uuid.uuid4()),
                    access_token="v1.x.y",
                    expires_at=stamp,
                    created_at=stamp,
                    updated_at=stamp,
                )
            )
        async with database.session() as db:
            [row] = (await db.exec(select(OAuthIdentity))).all()
            assert row.expires_at == stamp
        with pytest.raises(IntegrityError):
            async with database.session() as db:
                db.add(
                    OAuthIdentity(
                        provider="acme", provider_user_id="1", user_id="x", access_token="v"
                    )
                )

        await _run(app, "migrate:rollback")

        def tables(connection):
            return set(inspect(connection).get_table_names())

        async with database.engine.connect() as connection:
            assert "oauth_identities" not in await connection.run_sync(tables)
    finally:
        await app.terminate()
