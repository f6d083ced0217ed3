"""What authentication costs: login against a raw Argon2id verify, and bearer-token and
Redis-session guards against the same endpoint unprotected — Foundry and fastapi-users
measured side by side in one run.

    uv sync --all-packages --group bench
    uv run --all-packages python benchmarks/auth.py [requests]

Everything runs in process: each FastAPI app is called straight through ASGI (no server,
no HTTP client), so the figures are the frameworks' own cost. Both use SQLite files
(aiosqlite) for users and the same Argon2id parameters (19 MiB, t=2, p=1). fastapi-users
runs its own ``/auth/jwt/login`` with ``JWTStrategy`` for bearer tokens and
``RedisStrategy`` + ``CookieTransport`` for sessions, over a minimal SQLAlchemy user table
(the adapter here is the few lines fastapi-users-db-sqlalchemy holds, so the bench group
adds no second SQLAlchemy integration to the workspace). Timed loops alternate between
rows so a noisy moment hits all alike. Login time stops when the response is complete;
audit rows Foundry writes after the response are not counted.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from contextlib import AsyncExitStack
from typing import Any
from urllib.parse import urlencode

import sqlalchemy as sa
from _harness import verdict
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

PASSWORD = "correct horse battery staple"
RESPONDED = 0.0
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
ARGON = {"time_cost": 2, "memory_cost": 19456, "parallelism": 1}


# --- ASGI calls ------------------------------------------------------------------------------


async def call(
    api: Any,
    method: str,
    path: str,
    headers: dict[str, str] | None = None,
    body: bytes = b"",
) -> tuple[int, dict[str, str], bytes]:
    raw_headers = [(b"host", b"bench")] + [
        (k.lower().encode(), v.encode()) for k, v in (headers or {}).items()
    ]
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": raw_headers,
        "client": ("198.51.100.20", 50000),
        "server": ("bench", 80),
    }
    status, out_headers, chunks = 0, {}, []
    sent = False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            await asyncio.sleep(3600)
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        global RESPONDED
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
            for key, value in message["headers"]:
                out_headers.setdefault(key.decode().lower(), value.decode())
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                RESPONDED = time.perf_counter()  # the client has the whole response

    await api(scope, receive, send)
    return status, out_headers, b"".join(chunks)


async def per_request(api: Any, requests: int, *args: Any, **kwargs: Any) -> float:
    """Microseconds per request over one batch (every answer must be 200)."""
    started = time.perf_counter()
    for _ in range(requests):
        status, _, _ = await call(api, *args, **kwargs)
        if status != 200:
            raise SystemExit(f"{args[:2]} answered {status}")
    return (time.perf_counter() - started) / requests * 1e6


# --- Foundry ------------------------------------------------------------------------------------


def foundry_app(env: dict[str, str]) -> Any:
    from fastapi import APIRouter, Depends

    from foundry.application import Application, create_app
    from foundry.auth_scaffolding.guards import current_user
    from foundry.auth_scaffolding.provider import AuthServiceProvider
    from foundry.domain.provider import ServiceProvider
    from foundry.infra.provider import InfraServiceProvider

    class Pages(ServiceProvider):
        name = "bench-pages"

        def routes(self, app: Any) -> Any:
            router = APIRouter()

            @router.get("/open")
            async def open_endpoint() -> dict[str, bool]:
                return {"ok": True}

            async def no_check() -> None:
                """The cheapest guard FastAPI can run: one dependency that checks nothing."""

            @router.get("/noop-dependency", dependencies=[Depends(no_check)])
            async def noop_dependency() -> dict[str, bool]:
                return {"ok": True}

            @router.get("/protected", dependencies=[Depends(current_user)])
            async def protected() -> dict[str, bool]:
                return {"ok": True}

            return [router]

    for key in ("SESSION_DRIVER", "REDIS_URL"):
        os.environ.pop(key, None)
    os.environ.update(env)
    base = tempfile.mkdtemp()
    os.environ["DATABASE_URL"] = f"sqlite:///{base}/db.sqlite"
    providers = [InfraServiceProvider, AuthServiceProvider, Pages]
    app = Application(base, providers=providers, discover=False)
    return create_app(application=app)


async def foundry_setup(api: Any) -> tuple[str, str, str]:
    """Migrate, create a user; returns (stored hash, bearer token, session cookie)."""
    import io

    from foundry.auth_scaffolding.flows.login import create_user
    from foundry.auth_scaffolding.services import AuthServices
    from foundry.domain.application import CommandRunner
    from foundry.domain.outputs import PlainOutput

    app = api.state.foundry
    ran = await app.make(CommandRunner).run(
        "migrate", [], output=PlainOutput(io.StringIO(), io.StringIO())
    )
    assert ran.exit_code == 0, ran.error
    services = app.make(AuthServices)
    user = await create_user(
        services,
        name="Bench",
        email="bench@example.com",
        password=PASSWORD,
        confirmation=PASSWORD,
        verified=True,
    )
    issued = await services.tokens.create(user.auth_identifier, "bench", ["*"])
    status, headers, _ = await call(api, *foundry_login_args())
    assert status == 200, status
    cookie = headers["set-cookie"].split(";")[0]
    return user.password_hash, issued.plain_text, cookie


def foundry_login_args() -> tuple[str, str, dict[str, str], bytes]:
    body = json.dumps({"email": "bench@example.com", "password": PASSWORD}).encode()
    headers = {"content-type": "application/json", "accept": "application/json"}
    return "POST", "/auth/login", headers, body


# --- fastapi-users ----------------------------------------------------------------------


def fastapi_users_app(db_url: str, redis_prefix: str) -> tuple[Any, Any]:
    import redis.asyncio
    from fastapi import Depends, FastAPI
    from fastapi_users import BaseUserManager, FastAPIUsers, UUIDIDMixin
    from fastapi_users.authentication import (
        AuthenticationBackend,
        BearerTransport,
        CookieTransport,
        JWTStrategy,
        RedisStrategy,
    )
    from fastapi_users.db import BaseUserDatabase
    from fastapi_users.password import PasswordHelper
    from pwdlib import PasswordHash
    from pwdlib.hashers.argon2 import Argon2Hasher
    from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

    class Base(DeclarativeBase):
        pass

    class User(Base):
        __tablename__ = "fu_users"
        id: Mapped[uuid.UUID] = mapped_column(sa.Uuid, primary_key=True, default=uuid.uuid4)
        email: Mapped[str] = mapped_column(sa.String(320), unique=True, index=True)
        hashed_password: Mapped[str] = mapped_column(sa.String(1024))
        is_active: Mapped[bool] = mapped_column(default=True)
        is_superuser: Mapped[bool] = mapped_column(default=False)
        is_verified: Mapped[bool] = mapped_column(default=True)

    engine = create_async_engine(db_url)
    sessions = async_sessionmaker(engine, expire_on_commit=False)

    class UserDatabase(BaseUserDatabase[User, uuid.UUID]):
        async def get(self, id: uuid.UUID) -> User | None:
            async with sessions() as session:
                return await session.get(User, id)

        async def get_by_email(self, email: str) -> User | None:
            async with sessions() as session:
                found = await session.execute(
                    sa.select(User).where(sa.func.lower(User.email) == email.lower())
                )
                return found.unique().scalar_one_or_none()

        async def create(self, create_dict: dict[str, Any]) -> User:
            user = User(**create_dict)
            async with sessions() as session:
                session.add(user)
                await session.commit()
            return user

        async def update(self, user: User, update_dict: dict[str, Any]) -> User:
            for key, value in update_dict.items():
                setattr(user, key, value)
            async with sessions() as session:
                await session.merge(user)
                await session.commit()
            return user

        async def delete(self, user: User) -> None:
            async with sessions() as session:
                await session.delete(await session.merge(user))
                await session.commit()

    helper = PasswordHelper(PasswordHash((Argon2Hasher(**ARGON),)))
    secret = "bench-secret-" + uuid.uuid4().hex

    class UserManager(UUIDIDMixin, BaseUserManager[User, uuid.UUID]):
        reset_password_token_secret = secret
        verification_token_secret = secret

    async def get_user_manager() -> Any:
        yield UserManager(UserDatabase(), helper)

    redis_client = redis.asyncio.Redis.from_url(REDIS_URL, decode_responses=True)
    jwt = AuthenticationBackend(
        name="jwt",
        transport=BearerTransport(tokenUrl="auth/jwt/login"),
        get_strategy=lambda: JWTStrategy(secret=secret, lifetime_seconds=3600),
    )
    cookie = AuthenticationBackend(
        name="redis",
        transport=CookieTransport(cookie_secure=False),
        get_strategy=lambda: RedisStrategy(redis_client, 3600, key_prefix=redis_prefix),
    )
    users = FastAPIUsers[User, uuid.UUID](get_user_manager, [jwt, cookie])
    bearer_user = users.current_user(active=True, get_enabled_backends=lambda: [jwt])
    session_user = users.current_user(active=True, get_enabled_backends=lambda: [cookie])

    api = FastAPI()
    api.include_router(users.get_auth_router(jwt), prefix="/auth/jwt")
    api.include_router(users.get_auth_router(cookie), prefix="/auth/cookie")

    @api.get("/open")
    async def open_endpoint() -> dict[str, bool]:
        return {"ok": True}

    @api.get("/protected", dependencies=[Depends(bearer_user)])
    async def protected() -> dict[str, bool]:
        return {"ok": True}

    @api.get("/session", dependencies=[Depends(session_user)])
    async def session_protected() -> dict[str, bool]:
        return {"ok": True}

    async def setup() -> tuple[str, str, str]:
        async with engine.begin() as connection:
            await connection.run_sync(Base.metadata.create_all)
        user = await UserDatabase().create(
            {"email": "bench@example.com", "hashed_password": helper.hash(PASSWORD)}
        )
        form = urlencode({"username": "bench@example.com", "password": PASSWORD}).encode()
        headers = {"content-type": "application/x-www-form-urlencoded"}
        status, _, body = await call(api, "POST", "/auth/jwt/login", headers, form)
        assert status == 200, body
        token = json.loads(body)["access_token"]
        status, out, _ = await call(api, "POST", "/auth/cookie/login", headers, form)
        assert status == 204, status
        return user.hashed_password, token, out["set-cookie"].split(";")[0]

    async def close() -> None:
        keys = [k async for k in redis_client.scan_iter(match=f"{redis_prefix}*")]
        if keys:
            await redis_client.delete(*keys)
        await redis_client.aclose()
        await engine.dispose()

    api.state.setup, api.state.close = setup, close
    return api, helper


def fastapi_users_login_args() -> tuple[str, str, dict[str, str], bytes]:
    form = urlencode({"username": "bench@example.com", "password": PASSWORD}).encode()
    return "POST", "/auth/jwt/login", {"content-type": "application/x-www-form-urlencoded"}, form


# --- the run ------------------------------------------------------------------------


def raw_verify_ms(hashed: str, rounds: int) -> float:
    from argon2 import PasswordHasher

    hasher = PasswordHasher(**ARGON)
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        hasher.verify(hashed, PASSWORD)
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1000


async def login_ms(api: Any, args: tuple[Any, ...], rounds: int, ok: int) -> float:
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        status, _, _ = await call(api, *args)
        samples.append(RESPONDED - started)  # work queued after the response not counted
        assert status == ok, status
    return statistics.median(samples) * 1000


async def main() -> None:
    requests = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    rounds = 9
    prefix = f"bench:{uuid.uuid4().hex}:"
    bearer_api = foundry_app({"SESSION_DRIVER": "database"})
    redis_api = foundry_app(
        {"SESSION_DRIVER": "redis", "REDIS_URL": REDIS_URL, "AUTH_SESSION_STORAGE": "redis"}
    )
    redis_api.state.foundry.config.set("session.prefix", prefix + "foundry:")
    fu_base = tempfile.mkdtemp()
    fu_api, _ = fastapi_users_app(f"sqlite+aiosqlite:///{fu_base}/fu.sqlite", prefix + "fu:")

    async with AsyncExitStack() as stack:
        for api in (bearer_api, redis_api):
            await stack.enter_async_context(api.router.lifespan_context(api))
        f_hash, f_token, _ = await foundry_setup(bearer_api)
        _, _, f_cookie = await foundry_setup(redis_api)
        fu_hash, fu_token, fu_cookie = await fu_api.state.setup()
        stack.push_async_callback(fu_api.state.close)

        print("\nLogin request vs raw Argon2id verify (19 MiB, t=2, p=1), median of 21")
        samples: dict[str, list[float]] = {"verify": [], "fu_verify": [], "f": [], "fu": []}
        for _ in range(21):  # interleaved, so each sees the same machine state
            samples["verify"].append(raw_verify_ms(f_hash, 1))
            samples["f"].append(await login_ms(bearer_api, foundry_login_args(), 1, 200))
            samples["fu_verify"].append(raw_verify_ms(fu_hash, 1))
            samples["fu"].append(await login_ms(fu_api, fastapi_users_login_args(), 1, 200))
        verify, fu_verify, f_login, fu_login = (
            statistics.median(samples[k]) for k in ("verify", "fu_verify", "f", "fu")
        )
        print(f"  raw argon2 verify            {verify:8.1f} ms")
        print(f"  foundry POST /auth/login     {f_login:8.1f} ms")
        print(f"  fastapi-users jwt login      {fu_login:8.1f} ms  (its verify {fu_verify:.1f} ms)")
        verdict("foundry login / raw verify", f_login / verify, 1.2)
        print(f"  fastapi-users login / raw verify: {fu_login / fu_verify:.2f}x")

        rows: dict[str, tuple[Any, tuple[Any, ...]]] = {
            "foundry open": (bearer_api, ("GET", "/open")),
            "foundry no-op dependency": (bearer_api, ("GET", "/noop-dependency")),
            "foundry bearer": (
                bearer_api,
                ("GET", "/protected", {"authorization": f"Bearer {f_token}"}),
            ),
            "foundry redis open": (redis_api, ("GET", "/open")),
            "foundry redis session": (redis_api, ("GET", "/protected", {"cookie": f_cookie})),
            "fastapi-users open": (fu_api, ("GET", "/open")),
            "fastapi-users bearer (JWT)": (
                fu_api,
                ("GET", "/protected", {"authorization": f"Bearer {fu_token}"}),
            ),
            "fastapi-users redis session": (fu_api, ("GET", "/session", {"cookie": fu_cookie})),
        }
        timings: dict[str, list[float]] = {label: [] for label in rows}
        for api, args in rows.values():
            await per_request(api, 100, *args)  # warm up
        for _ in range(rounds):
            for label, (api, args) in rows.items():
                timings[label].append(await per_request(api, requests, *args))
        best = {label: min(values) for label, values in timings.items()}
        print(
            f"\nGuarded endpoint vs the same endpoint unprotected ({requests} requests x {rounds})"
        )
        print(f"  {'':30}{'best us/req':>12}{'median':>10}{'req/s':>10}")
        for label, values in timings.items():
            print(
                f"  {label:30}{best[label]:12.1f}{statistics.median(values):10.1f}"
                f"{1e6 / best[label]:10.0f}"
            )
        verdict(
            "foundry bearer throughput / open",
            best["foundry open"] / best["foundry bearer"],
            0.85,
            lower_is_better=False,
        )
        verdict(
            "foundry redis session throughput / open",
            best["foundry redis open"] / best["foundry redis session"],
            0.8,
            lower_is_better=False,
        )
        floor = best["foundry no-op dependency"] - best["foundry open"]
        print(
            f"  a no-op FastAPI dependency alone costs {floor:.1f} us/request "
            f"({best['foundry open'] / best['foundry no-op dependency']:.2f}x open): the "
            "floor under any guard"
        )
        print(
            "  fastapi-users bearer (JWT) / open: "
            f"{best['fastapi-users open'] / best['fastapi-users bearer (JWT)']:.2f}x; "
            "redis session / open: "
            f"{best['fastapi-users open'] / best['fastapi-users redis session']:.2f}x"
        )


if __name__ == "__main__":
    asyncio.run(main())
