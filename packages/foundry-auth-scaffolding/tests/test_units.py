"""The building blocks on their own: hashing, TOTP, recovery codes, throttling, stores."""

from __future__ import annotations

from datetime import timedelta

import pyotp
import pytest

from foundry.auth_scaffolding.hashing import Argon2Hasher
from foundry.auth_scaffolding.sessions import MemorySessionStore, RedisSessionStore
from foundry.auth_scaffolding.throttle import LoginThrottle
from foundry.auth_scaffolding.two_factor import (
    Totp,
    generate_recovery_codes,
    hash_recovery_code,
    match_recovery_code,
    new_secret,
    qr_svg,
)
from foundry.domain.clock import FrozenClock
from foundry.domain.session import SessionRecord, SessionStore


async def test_hasher_verifies_and_never_raises_for_bad_input():
    hasher = Argon2Hasher()
    hashed = await hasher.hash("secret password")
    assert await hasher.verify(hashed, "secret password")
    assert not await hasher.verify(hashed, "wrong")
    assert not await hasher.verify("not a hash", "secret password")
    assert not hasher.needs_rehash(hashed)
    assert hasher.needs_rehash("$2b$12$bcrypt.hash.from.somewhere.else")
    assert not await hasher.dummy_verify("anything")


def test_totp_matches_codes_from_pyotp_within_one_step_of_skew():
    clock = FrozenClock()
    secret = new_secret()
    totp = Totp(secret)
    now = clock.now()
    step = int(now.timestamp()) // 30
    for offset in (-1, 0, 1):
        code = pyotp.TOTP(secret).at(now + timedelta(seconds=30 * offset))
        assert totp.match(code, now) == step + offset
    assert totp.match(pyotp.TOTP(secret).at(now + timedelta(seconds=90)), now) is None
    assert totp.match("abcdef", now) is None
    assert totp.provisioning_uri("ada@example.com", "Shop").startswith(
        "otpauth://totp/Shop:ada%40example.com?secret="
    )


def test_qr_code_is_an_inline_svg():
    svg = qr_svg("otpauth://totp/Shop:ada?secret=JBSWY3DPEHPK3PXP&issuer=Shop")
    assert svg.startswith("<svg")
    assert svg.rstrip().endswith("</svg>")


def test_recovery_codes_are_random_and_matched_by_digest():
    codes = generate_recovery_codes()
    assert len(codes) == 8
    assert len(set(codes)) == 8
    assert all(len(code.replace("-", "")) == 24 for code in codes)
    stored = [hash_recovery_code(c) for c in codes]
    assert match_recovery_code(codes[3].upper().replace("-", " "), stored) == 3
    assert match_recovery_code("nope", stored) is None


async def test_local_throttle_locks_out_after_the_limit_and_clears():
    throttle = LoginThrottle(None, max_attempts=3, decay=60)
    for _ in range(3):
        assert await throttle.blocked_for("k") == 0
        await throttle.failed("k")
    assert 0 < await throttle.blocked_for("k") <= 60
    await throttle.clear("k")
    assert await throttle.blocked_for("k") == 0


async def store_contract(store: SessionStore, clock: FrozenClock) -> None:
    now = clock.now()
    for sid, user in (("a", "u1"), ("b", "u1"), ("c", "u2")):
        await store.write(SessionRecord(sid, user, now + timedelta(hours=1), now, {"k": sid}))
    assert (await store.read("a")).data == {"k": "a"}
    assert sorted(r.id for r in await store.for_user("u1")) == ["a", "b"]
    assert await store.destroy_for_user("u1", except_id="a") == 1
    assert await store.read("b") is None
    assert await store.read("a") is not None
    await store.destroy("a")
    assert await store.read("a") is None
    await store.write(SessionRecord("old", "u2", now + timedelta(seconds=5), now))
    clock.advance(6)
    assert await store.read("old") is None


async def test_memory_store_keeps_the_session_store_contract():
    clock = FrozenClock()
    store = MemorySessionStore(clock)
    await store_contract(store, clock)
    now = clock.now()
    await store.write(SessionRecord("gone", "u3", now + timedelta(seconds=1), now))
    clock.advance(2)
    assert await store.gc() == 1


async def test_redis_store_keeps_the_session_store_contract(redis_url, session_prefix):
    from foundry.domain.clock import SystemClock

    store = RedisSessionStore(redis_url, prefix=session_prefix, clock=SystemClock())
    try:
        now = SystemClock().now()
        await store.write(SessionRecord("a", "u1", now + timedelta(hours=1), now, {"k": 1}))
        await store.write(SessionRecord("b", "u1", now + timedelta(hours=1), now))
        assert (await store.read("a")).data == {"k": 1}
        ttl = await store.client.ttl(f"{session_prefix}a")
        assert 3500 < ttl <= 3600
        assert len(await store.for_user("u1")) == 2
        assert await store.destroy_for_user("u1", except_id="b") == 1
        assert await store.read("a") is None
        assert await store.read("b") is not None
    finally:
        await store.aclose()


def test_redis_store_without_redis_installed_names_the_extra(monkeypatch):
    import builtins

    real = builtins.__import__

    def refuse(name, *args, **kwargs):
        if name.startswith("redis"):
            raise ImportError(name)
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", refuse)
    from foundry.domain.errors import MissingDependencyError

    with pytest.raises(MissingDependencyError, match=r"foundry-auth-scaffolding\[redis\]"):
        _ = RedisSessionStore("redis://127.0.0.1:6379/0").client
