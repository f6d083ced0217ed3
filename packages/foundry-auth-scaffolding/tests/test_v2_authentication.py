"""OWASP ASVS 4.0 chapter V2 (authentication): credentials, brute force, enumeration,
password storage, recovery links, look-up secrets and TOTP. Each test names the
requirement it checks."""

from __future__ import annotations

import re
import statistics
import time
from datetime import timedelta

import pytest
from conftest import PASSWORD

from foundry.auth_scaffolding.two_factor import Totp
from foundry.domain.clock import FrozenClock

# --- V2.1 password security -----------------------------------------------------------


async def test_v2_1_1_passwords_shorter_than_8_characters_are_refused(make_site):
    async with make_site() as site:
        response = await site.json(
            "POST",
            "/auth/register",
            {
                "name": "Ada",
                "email": "ada@example.com",
                "password": "short",
                "password_confirmation": "short",
            },
        )
        assert response.status_code == 422
        error = response.json()["error"]
        assert error["code"] == "VALIDATION_ERROR"
        assert "at least 8" in error["fields"]["password"][0]
        assert await site.services().users.find_by_email("ada@example.com") is None


async def test_v2_1_password_confirmation_must_match_and_form_keeps_input_but_not_passwords(
    make_site,
):
    async with make_site() as site:
        response = await site.post_form(
            "/auth/register",
            {
                "name": "Ada",
                "email": "ada@example.com",
                "password": PASSWORD,
                "password_confirmation": "nope",
            },
        )
        assert response.status_code == 422
        assert "The password confirmation does not match." in response.text
        assert 'value="ada@example.com"' in response.text
        assert PASSWORD not in response.text


async def test_v2_1_duplicate_email_is_refused_case_insensitively(make_site):
    async with make_site() as site:
        assert (await site.register()).status_code == 303
        await site.http.post("/auth/logout", data={"_token": await site.form_token("/auth/user")})
        response = await site.register(email="ADA@Example.com")
        assert response.status_code == 422
        assert "already been taken" in response.text


async def test_v2_1_12_login_and_registration_work_over_json(make_site):
    async with make_site() as site:
        body = {
            "name": "Ada",
            "email": "ada@example.com",
            "password": PASSWORD,
            "password_confirmation": PASSWORD,
        }
        created = await site.json("POST", "/auth/register", body)
        assert created.status_code == 201
        assert created.json()["data"]["email"] == "ada@example.com"
        assert "password_hash" not in created.json()["data"]
        token = created.json()["csrf_token"]
        out = await site.json("POST", "/auth/logout", headers={"x-csrf-token": token})
        assert out.status_code == 200
        site.http.cookies.clear()
        wrong = await site.json(
            "POST", "/auth/login", {"email": "ada@example.com", "password": "wrong password"}
        )
        assert wrong.status_code == 422
        assert wrong.json()["error"]["code"] == "AUTH_FAILED"
        ok = await site.json(
            "POST", "/auth/login", {"email": "ada@example.com", "password": PASSWORD}
        )
        assert ok.status_code == 200
        assert (await site.json("GET", "/me")).json()["email"] == "ada@example.com"


# --- V2.2 general authenticator security: brute force -----------------------------------


async def test_v2_2_1_login_locks_out_after_five_failures_per_email_and_address(make_site):
    async with make_site() as site:
        await site.register()
        site.http.cookies.clear()
        fired = []
        from foundry.auth_scaffolding.events import Lockout

        site.services().events.fire = _recorder(fired, site.services().events.fire)
        for _ in range(5):
            response = await site.login(password="wrong password")
            assert response.status_code == 422
        locked = await site.login()  # even the right password is refused while locked out
        assert locked.status_code == 429
        assert int(locked.headers["retry-after"]) >= 1
        assert "Too many attempts" in locked.text
        assert any(isinstance(event, Lockout) for event in fired)
        assert (
            await site.http.get("/me", headers={"accept": "application/json"})
        ).status_code == 401


async def test_v2_2_1_lockout_is_per_address_so_another_client_may_still_log_in(make_site, base):
    async with make_site() as site:
        await site.register()
        site.http.cookies.clear()
        for _ in range(5):
            await site.login(password="wrong password")
        assert (await site.login()).status_code == 429
    async with make_site(client=("203.0.113.50", 1234), migrate_first=False) as other:
        assert (await other.login()).status_code == 303


async def test_v2_2_1_lockout_goes_through_the_bound_rate_limiter(make_site):
    from foundry.domain.ratelimit import RateLimiter
    from foundry.ratelimit.provider import RateLimitServiceProvider

    async with make_site(
        providers=(RateLimitServiceProvider,), env={"RATE_LIMIT_MIDDLEWARE": "false"}
    ) as site:
        await site.register()
        site.http.cookies.clear()
        for _ in range(5):
            await site.login(password="wrong password")
        assert (await site.login()).status_code == 429
        throttle = site.services().throttle
        assert throttle._limiter is site.app.make(RateLimiter)


async def test_v2_2_1_a_successful_login_clears_the_failure_count(make_site):
    async with make_site() as site:
        await site.register()
        site.http.cookies.clear()
        for _ in range(4):
            await site.login(password="wrong password")
        assert (await site.login()).status_code == 303
        await site.http.post("/auth/logout", data={"_token": await site.form_token("/auth/user")})
        for _ in range(4):
            assert (await site.login(password="wrong password")).status_code == 422


# --- V2.2 / V3: no user enumeration ---------------------------------------------------------


async def test_v2_2_no_enumeration_unknown_email_and_wrong_password_answer_alike(make_site):
    async with make_site() as site:
        await site.register()
        site.http.cookies.clear()
        unknown = await site.json(
            "POST", "/auth/login", {"email": "nobody@example.com", "password": PASSWORD}
        )
        wrong = await site.json(
            "POST", "/auth/login", {"email": "ada@example.com", "password": "wrong password"}
        )
        assert unknown.status_code == wrong.status_code == 422
        assert unknown.json() == wrong.json()
        unknown_page = await site.login(email="nobody@example.com")
        wrong_page = await site.login(password="wrong password")
        strip = lambda html: re.sub(r'value="[^"]*"', "", html)  # noqa: E731
        assert strip(unknown_page.text).replace("nobody@example.com", "X") == strip(
            wrong_page.text
        ).replace("ada@example.com", "X")


async def test_v2_2_no_enumeration_login_timing_is_similar_for_unknown_email_and_wrong_password(
    make_site,
):
    """Statistical: the median of N attempts for an unknown e-mail is within a generous
    factor of the median for a wrong password (both pay one Argon2id verification)."""
    async with make_site(**{"auth.throttle.max_attempts": 1000}) as site:
        await site.register()
        site.http.cookies.clear()

        async def timed(email: str, password: str) -> float:
            started = time.perf_counter()
            response = await site.json(
                "POST", "/auth/login", {"email": email, "password": password}
            )
            elapsed = time.perf_counter() - started
            assert response.status_code == 422
            return elapsed

        await timed("warm@example.com", "x" * 10)
        unknown, wrong = [], []
        for index in range(15):
            unknown.append(await timed(f"nobody{index}@example.com", "wrong password"))
            wrong.append(await timed("ada@example.com", f"wrong password {index}"))
        ratio = statistics.median(unknown) / statistics.median(wrong)
        assert 0.5 < ratio < 2.0, f"unknown/wrong median ratio {ratio:.2f}"


async def test_v2_5_no_enumeration_forgot_password_answers_alike(make_site):
    async with make_site(with_mail=True) as site:
        await site.register()
        site.http.cookies.clear()
        known = await site.json("POST", "/auth/password/forgot", {"email": "ada@example.com"})
        unknown = await site.json("POST", "/auth/password/forgot", {"email": "nobody@example.com"})
        assert known.status_code == unknown.status_code == 200
        assert known.json() == unknown.json()
        recipients = [m.to[0].email for m in site.sent()]
        assert "nobody@example.com" not in recipients


# --- V2.4 credential storage ---------------------------------------------------------------


async def test_v2_4_1_passwords_are_stored_as_argon2id_with_owasp_parameters(make_site):
    async with make_site() as site:
        await site.register()
        user = await site.services().users.find_by_email("ada@example.com")
        assert user.password_hash.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
        assert PASSWORD not in user.password_hash


async def test_v2_4_password_is_rehashed_on_login_when_parameters_change(make_site):
    async with make_site() as site:
        await site.register()
        before = (await site.services().users.find_by_email("ada@example.com")).password_hash
    async with make_site(
        migrate_first=False, **{"auth.hashing": {"memory_cost": 20480, "time_cost": 3}}
    ) as site:
        assert (await site.login()).status_code == 303
        after = (await site.services().users.find_by_email("ada@example.com")).password_hash
        assert before.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
        assert after.startswith("$argon2id$v=19$m=20480,t=3,p=1$")
        assert await site.services().hasher.verify(after, PASSWORD)


def test_v2_4_weaker_than_owasp_parameters_are_refused():
    from foundry.auth_scaffolding.settings import HashingSettings
    from foundry.domain.errors import ConfigurationError

    with pytest.raises(ConfigurationError, match="weaker than OWASP"):
        HashingSettings(memory_cost=4096)


# --- V2.5 credential recovery ----------------------------------------------------------------


async def test_v2_5_reset_link_resets_the_password_once(make_site):
    async with make_site(with_mail=True) as site:
        await site.register()
        site.http.cookies.clear()
        response = await site.post_form("/auth/password/forgot", {"email": "ada@example.com"})
        assert response.status_code == 303
        link = site.link(r"http://localhost:8000/auth/password/reset\?\S+")
        path = link.removeprefix("http://localhost:8000")
        page = await site.http.get(path)
        assert page.status_code == 200
        token = re.search(r'name="token" value="([^"]+)"', page.text).group(1)
        new = "a brand new passphrase"
        body = {
            "token": token,
            "email": "ada@example.com",
            "password": new,
            "password_confirmation": new,
        }
        first = await site.post_form("/auth/password/reset", body, token_from=path)
        assert first.status_code == 303
        assert first.headers["location"] == "/auth/login"
        replay = await site.post_form(
            "/auth/password/reset",
            {
                **body,
                "password": "another passphrase",
                "password_confirmation": "another passphrase",
            },
            token_from=path,
        )
        assert replay.status_code == 422
        assert "invalid or has expired" in replay.text
        assert (await site.login(password=new)).status_code == 303


async def test_v2_5_reset_tokens_are_stored_hashed(make_site):
    from sqlmodel import select

    from foundry.auth_scaffolding.models import PasswordReset

    async with make_site(with_mail=True) as site:
        await site.register()
        site.http.cookies.clear()
        await site.json("POST", "/auth/password/forgot", {"email": "ada@example.com"})
        token = re.search(r"token=([^&\s]+)", site.link(r"\S+/auth/password/reset\?\S+")).group(1)
        async with site.services().users.database.session() as db:
            rows = (await db.exec(select(PasswordReset))).all()
        assert len(rows) == 1
        assert rows[0].token != token
        assert len(rows[0].token) == 64
        assert len(token) >= 43  # 256 bits, URL-safe base64


async def test_v2_5_reset_token_expires_at_its_lifetime(make_site):
    clock = FrozenClock()
    async with make_site(
        with_mail=True, clock=clock, env={"AUTH_PASSWORD_RESET_LIFETIME": "600"}
    ) as site:
        await site.register()
        site.http.cookies.clear()
        new = "a brand new passphrase"

        async def reset() -> int:
            await site.json("POST", "/auth/password/forgot", {"email": "ada@example.com"})
            return re.search(r"token=([^&\s]+)", site.link(r"\S+/auth/password/reset\?\S+")).group(
                1
            )

        token = await reset()
        clock.advance(600)
        body = {
            "token": token,
            "email": "ada@example.com",
            "password": new,
            "password_confirmation": new,
        }
        expired = await site.json("POST", "/auth/password/reset", body)
        assert expired.status_code == 422
        assert expired.json()["error"]["code"] == "INVALID_TOKEN"
        clock.advance(61)  # past the resend pause
        token = await reset()
        clock.advance(599)
        ok = await site.json("POST", "/auth/password/reset", {**body, "token": token})
        assert ok.status_code == 200, ok.text


async def test_v2_5_reset_ends_every_session_and_api_token_of_the_user(make_site):
    async with make_site(with_mail=True) as site:
        await site.register()
        issued = await site.services().tokens.create(
            str((await site.services().users.find_by_email("ada@example.com")).id), "cli"
        )
        assert (
            await site.json("GET", "/me", headers={"authorization": f"Bearer {issued.plain_text}"})
        ).status_code == 200
        logged_in_cookies = dict(site.http.cookies)
        site.http.cookies.clear()
        await site.json("POST", "/auth/password/forgot", {"email": "ada@example.com"})
        token = re.search(r"token=([^&\s]+)", site.link(r"\S+/auth/password/reset\?\S+")).group(1)
        new = "a brand new passphrase"
        body = {
            "token": token,
            "email": "ada@example.com",
            "password": new,
            "password_confirmation": new,
        }
        assert (await site.json("POST", "/auth/password/reset", body)).status_code == 200
        site.http.cookies.clear()
        site.http.cookies.update(logged_in_cookies)
        old_session = await site.json("GET", "/me")
        assert old_session.status_code == 401
        bearer = await site.json(
            "GET", "/me", headers={"authorization": f"Bearer {issued.plain_text}"}
        )
        assert bearer.status_code == 401


async def test_v2_5_without_a_mailer_the_forgot_page_says_mail_is_not_configured(make_site):
    async with make_site() as site:
        page = await site.http.get("/auth/password/forgot")
        assert "E-mail is not configured" in page.text
        site.http.cookies.clear()
        response = await site.json("POST", "/auth/password/forgot", {"email": "ada@example.com"})
        assert response.status_code == 503
        assert response.json()["error"]["code"] == "MAIL_NOT_CONFIGURED"
        assert (await site.register()).status_code == 303  # registration still works


# --- V2.6 look-up secrets and V2.8 one-time verifiers (TOTP) ---------------------------------


async def enable_two_factor(site, clock: FrozenClock) -> tuple[str, list[str]]:
    """Register, switch TOTP on with a real code; returns the secret and recovery codes."""
    await site.register()
    token = await site.form_token("/auth/user")
    headers = {"x-csrf-token": token}
    enabled = await site.json("POST", "/auth/user/two-factor/enable", headers=headers)
    assert enabled.status_code == 200, enabled.text
    secret = enabled.json()["secret"]
    assert enabled.json()["otpauth_url"].startswith("otpauth://totp/")
    assert enabled.json()["qr_svg"].startswith("<svg")
    code = Totp(secret).code_at(clock.now())
    confirmed = await site.json(
        "POST", "/auth/user/two-factor/confirm", {"code": code}, headers=headers
    )
    assert confirmed.status_code == 200, confirmed.text
    return secret, confirmed.json()["recovery_codes"]


async def test_v2_8_totp_secret_is_base32_and_real_codes_verify(make_site):
    import base64

    import pyotp

    clock = FrozenClock()
    async with make_site(clock=clock, env={"AUTH_ENABLE_TWO_FACTOR": "true"}) as site:
        secret, codes = await enable_two_factor(site, clock)
        assert len(base64.b32decode(secret)) == 20  # 160 bits, valid base32
        assert pyotp.TOTP(secret).at(clock.now()) == Totp(secret).code_at(clock.now())
        assert len(codes) == 8
        assert len(set(codes)) == 8
        await site.http.post("/auth/logout", data={"_token": await site.form_token("/auth/user")})
        challenged = await site.json(
            "POST",
            "/auth/login",
            {"email": "ada@example.com", "password": PASSWORD},
            headers={"x-csrf-token": await site.form_token("/auth/login")},
        )
        assert challenged.json()["two_factor"] is True
        assert (await site.json("GET", "/me")).status_code == 401  # not signed in yet
        clock.advance(30)
        code = pyotp.TOTP(secret).at(clock.now())
        done = await site.json(
            "POST",
            "/auth/two-factor-challenge",
            {"code": code},
            headers={"x-csrf-token": challenged.json()["csrf_token"]},
        )
        assert done.status_code == 200, done.text
        assert (await site.json("GET", "/me")).status_code == 200


async def test_v2_8_4_a_totp_code_cannot_be_replayed(make_site):
    clock = FrozenClock()
    async with make_site(clock=clock, env={"AUTH_ENABLE_TWO_FACTOR": "true"}) as site:
        secret, _ = await enable_two_factor(site, clock)
        clock.advance(60)
        code = Totp(secret).code_at(clock.now())
        for attempt in range(2):
            site.http.cookies.clear()
            page = await site.login()
            assert page.headers["location"] == "/auth/two-factor-challenge"
            response = await site.post_form("/auth/two-factor-challenge", {"code": code})
            if attempt == 0:
                assert response.status_code == 303
            else:
                assert response.status_code == 422
                assert "invalid" in response.text


async def test_v2_8_wrong_and_stale_codes_are_refused(make_site):
    clock = FrozenClock()
    async with make_site(clock=clock, env={"AUTH_ENABLE_TWO_FACTOR": "true"}) as site:
        secret, _ = await enable_two_factor(site, clock)
        site.http.cookies.clear()
        await site.login()
        stale = Totp(secret).code_at(clock.now() - timedelta(minutes=5))
        assert (
            await site.post_form("/auth/two-factor-challenge", {"code": stale})
        ).status_code == 422
        assert (
            await site.post_form("/auth/two-factor-challenge", {"code": "12345x"})
        ).status_code == 422
        assert (await site.json("GET", "/me")).status_code == 401


async def test_v2_6_1_recovery_codes_work_once_and_are_stored_hashed(make_site):
    clock = FrozenClock()
    async with make_site(clock=clock, env={"AUTH_ENABLE_TWO_FACTOR": "true"}) as site:
        _, codes = await enable_two_factor(site, clock)
        user = await site.services().users.find_by_email("ada@example.com")
        assert not set(codes) & set(user.two_factor_recovery_codes)
        for attempt in range(2):
            site.http.cookies.clear()
            await site.login()
            response = await site.post_form(
                "/auth/two-factor-challenge", {"recovery_code": codes[0].upper()}
            )
            assert response.status_code == (303 if attempt == 0 else 422)
        user = await site.services().users.find_by_email("ada@example.com")
        assert len(user.two_factor_recovery_codes) == 7


async def test_v2_8_enabling_needs_a_recently_confirmed_password(make_site):
    clock = FrozenClock()
    env = {
        "AUTH_ENABLE_TWO_FACTOR": "true",
        "AUTH_SESSION_LIFETIME": "86400",
        "SESSION_LIFETIME": "1440",
    }
    async with make_site(clock=clock, env=env) as site:
        await site.register()
        clock.advance(3 * 3600 + 1)
        token = await site.form_token("/auth/user")
        refused = await site.json(
            "POST", "/auth/user/two-factor/enable", headers={"x-csrf-token": token}
        )
        assert refused.status_code == 423
        browser = await site.http.post("/auth/user/two-factor/enable", data={"_token": token})
        assert browser.status_code == 303
        assert browser.headers["location"].startswith("/auth/confirm-password?next=")
        confirm = await site.post_form(
            "/auth/confirm-password",
            {"password": PASSWORD, "next": "/auth/user/two-factor"},
            token_from="/auth/confirm-password",
        )
        assert confirm.headers["location"] == "/auth/user/two-factor"
        token = await site.form_token("/auth/user")
        ok = await site.json(
            "POST", "/auth/user/two-factor/enable", headers={"x-csrf-token": token}
        )
        assert ok.status_code == 200


async def test_v2_8_qr_page_renders_an_inline_svg_and_disable_turns_it_off(make_site):
    clock = FrozenClock()
    async with make_site(clock=clock, env={"AUTH_ENABLE_TWO_FACTOR": "true"}) as site:
        await site.register()
        await site.post_form("/auth/user/two-factor/enable", {}, token_from="/auth/user")
        page = await site.http.get("/auth/user/two-factor")
        assert "<svg" in page.text
        assert "otpauth" not in page.text.split("<svg")[0]
        svg = await site.http.get("/auth/user/two-factor/qr-code")
        assert svg.headers["content-type"] == "image/svg+xml"
        secret = re.search(r"<code>([A-Z2-7]{32})</code>", page.text).group(1)
        done = await site.post_form(
            "/auth/user/two-factor/confirm",
            {"code": Totp(secret).code_at(clock.now())},
            token_from="/auth/user/two-factor",
        )
        assert done.status_code == 200
        assert "will not be shown again" in done.text
        off = await site.post_form(
            "/auth/user/two-factor/disable", {}, token_from="/auth/user/two-factor"
        )
        assert off.status_code == 303
        user = await site.services().users.find_by_email("ada@example.com")
        assert user.two_factor_secret is None
        assert not user.has_two_factor


# --- V2.1.5 / password change ---------------------------------------------------------------


async def test_v2_1_5_changing_the_password_needs_the_current_one(make_site):
    async with make_site() as site:
        await site.register()
        new = "a brand new passphrase"
        body = {"current_password": "not it at all", "password": new, "password_confirmation": new}
        wrong = await site.post_form("/auth/user/password", body, token_from="/auth/user")
        assert wrong.status_code == 422
        assert "current password is incorrect" in wrong.text
        ok = await site.post_form(
            "/auth/user/password", {**body, "current_password": PASSWORD}, token_from="/auth/user"
        )
        assert ok.status_code == 303
        assert (await site.http.get("/me")).status_code == 200  # this session continues
        site.http.cookies.clear()
        assert (await site.login(password=new)).status_code == 303


# --- e-mail verification -------------------------------------------------------------------------


async def test_verification_link_verifies_once_and_sends_the_welcome_mail(make_site):
    async with make_site(with_mail=True) as site:
        await site.register()
        link = site.link(r"http://localhost:8000/auth/email/verify/\S+")
        path = link.removeprefix("http://localhost:8000")
        first = await site.http.get(path)
        assert first.status_code == 303
        user = await site.services().users.find_by_email("ada@example.com")
        assert user.email_verified_at is not None
        assert any("Welcome" in m.subject for m in site.sent())
        again = await site.json("GET", path)
        assert again.status_code == 422
        assert again.json()["error"]["code"] == "INVALID_TOKEN"


async def test_verification_link_expires(make_site):
    clock = FrozenClock()
    async with make_site(
        with_mail=True, clock=clock, env={"AUTH_EMAIL_VERIFICATION_LIFETIME": "3600"}
    ) as site:
        await site.register()
        path = site.link(r"http://localhost:8000/auth/email/verify/\S+").removeprefix(
            "http://localhost:8000"
        )
        clock.advance(3600)
        assert (await site.json("GET", path)).status_code == 422


async def test_resend_sends_a_new_link_at_most_once_a_minute(make_site):
    async with make_site(with_mail=True) as site:
        await site.register()
        before = len(site.sent())
        token = await site.form_token("/auth/user")
        for _ in range(3):
            response = await site.json(
                "POST", "/auth/email/resend", headers={"x-csrf-token": token}
            )
            assert response.status_code == 200
        assert len(site.sent()) == before + 1


def _recorder(store, original):
    async def fire(event):
        store.append(event)
        await original(event)

    return fire
