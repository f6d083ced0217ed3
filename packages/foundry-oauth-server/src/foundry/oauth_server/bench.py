"""Hooks for benchmarks: a real OAuth access token, and the bearer check's own cost.

``benchmarks/auth.py`` adds :class:`~foundry.oauth_server.provider.OAuthServerServiceProvider`
to its Foundry app, migrates, creates its user, then::

    token = await issue_benchmark_token(app, user.auth_identifier)
    # GET /protected with "Authorization: Bearer <token>" vs GET /open
    costs = await bearer_benchmark(app, token)

The token is a personal access token: an RS256 (or ES256) RFC 9068 JWT whose ``sub`` is
the user, accepted by ``current_user`` through the ``auth.token_verifiers`` tag.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

__all__ = ["bearer_benchmark", "issue_benchmark_token"]


async def issue_benchmark_token(app: Any, user_id: str, scopes: Sequence[str] = ("*",)) -> str:
    """A personal access token for ``user_id`` (signing keys are created when missing)."""
    from foundry.oauth_server.service import OAuthServer

    core = app.make(OAuthServer)
    if not core.keys.has_signing_key:
        await core.rotate_keys()
    _, token = await core.issue_personal_token(user_id, "benchmark", scopes)
    return str(token)


async def bearer_benchmark(app: Any, token: str, iterations: int = 2000) -> dict[str, float]:
    """Microseconds per bearer check of ``token``, by part.

    * ``full``: signature verification and revocation lookup (nothing remembered);
    * ``warm``: what a request pays once the token has verified (memo + cached
      revocation state, the steady state of a client reusing its token);
    * ``revocation_lookup``: the cached revocation lookup alone.
    """
    from foundry.oauth_server.service import OAuthServer
    from foundry.oauth_server.verifier import OAuthTokenVerifier

    core = app.make(OAuthServer)
    if await core.verifier.verify(token) is None:
        raise ValueError("The token does not verify; issue it with issue_benchmark_token.")

    def cold() -> OAuthTokenVerifier:
        return OAuthTokenVerifier(core.signer, core.revocations, core.clock)

    results: dict[str, float] = {}
    started = time.perf_counter()
    for _ in range(iterations):
        await cold().verify(token)
    results["full"] = (time.perf_counter() - started) / iterations * 1e6
    started = time.perf_counter()
    for _ in range(iterations):
        await core.verifier.verify(token)
    results["warm"] = (time.perf_counter() - started) / iterations * 1e6
    claims = await core.verifier.claims(token)
    assert claims is not None
    started = time.perf_counter()
    for _ in range(iterations):
        await core.revocations.state(claims.jti)
    results["revocation_lookup"] = (time.perf_counter() - started) / iterations * 1e6
    return results
