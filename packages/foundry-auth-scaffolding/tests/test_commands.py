"""The console commands, run through the kernel's CommandRunner."""

from __future__ import annotations

from conftest import PASSWORD, run_command

from foundry.auth_scaffolding.two_factor import Totp, hash_recovery_code
from foundry.domain.clock import FrozenClock


async def test_make_user_creates_a_verified_user_from_options(make_site):
    async with make_site() as site:
        ran = await run_command(
            site.app,
            "make:user",
            "--name",
            "Grace",
            "--email",
            "grace@example.com",
            "--password",
            PASSWORD,
            format="json",
        )
        assert ran.outcome.exit_code == 0, ran.outcome.error
        assert ran.outcome.result.data["email"] == "grace@example.com"
        assert ran.outcome.result.data["email_verified_at"] is not None
        assert (await site.login(email="grace@example.com")).status_code == 303


async def test_make_user_asks_for_what_is_missing_through_the_prompter(make_site):
    class Answers:
        interactive = True

        def __init__(self):
            self.asked = []

        def ask(self, question, *, default=None, field=None, validate=None):
            self.asked.append(field)
            return {"name": "Linus", "email": "linus@example.com"}[field]

        def secret(self, question, *, field=None, validate=None):
            self.asked.append(field)
            assert validate("short") is not None
            assert validate(PASSWORD) is None
            return PASSWORD

    async with make_site() as site:
        answers = Answers()
        ran = await run_command(site.app, "make:user", prompt=answers)
        assert ran.outcome.exit_code == 0, ran.outcome.error
        assert answers.asked == ["name", "email", "password"]
        assert await site.services().users.find_by_email("linus@example.com") is not None


async def test_make_user_refuses_a_taken_email_and_a_short_password(make_site):
    async with make_site() as site:
        await site.register()
        taken = await run_command(
            site.app,
            "make:user",
            "--name",
            "A",
            "--email",
            "ada@example.com",
            "--password",
            PASSWORD,
        )
        assert taken.outcome.exit_code != 0
        assert "already been taken" in taken.outcome.error
        short = await run_command(
            site.app, "make:user", "--name", "B", "--email", "b@example.com", "--password", "short"
        )
        assert short.outcome.exit_code != 0
        assert "at least 8" in short.outcome.error
        assert await site.services().users.find_by_email("b@example.com") is None


async def test_auth_users_lists_users_without_secrets(make_site):
    async with make_site() as site:
        await site.register()
        ran = await run_command(site.app, "auth:users", format="json")
        assert [u["email"] for u in ran.outcome.result.data] == ["ada@example.com"]
        assert "password_hash" not in ran.outcome.result.data[0]
        human = await run_command(site.app, "auth:users")
        assert "ada@example.com" in human.stdout


async def test_auth_clear_sessions_deletes_only_expired_sessions(make_site):
    clock = FrozenClock()
    async with make_site(clock=clock) as site:
        await site.register()
        clock.advance(7201)
        await site.http.get("/auth/login")  # a fresh guest session, not expired
        ran = await run_command(site.app, "auth:clear-sessions", format="json")
        assert ran.outcome.result.data == {"deleted": 1, "driver": "database"}


async def test_auth_clear_resets_deletes_expired_reset_and_verification_rows(make_site):
    clock = FrozenClock()
    async with make_site(clock=clock, with_mail=True) as site:
        await site.register()
        site.http.cookies.clear()
        await site.json("POST", "/auth/password/forgot", {"email": "ada@example.com"})
        none = await run_command(site.app, "auth:clear-resets", format="json")
        assert none.outcome.result.data == {"password_resets": 0, "email_verifications": 0}
        clock.advance(86_400)
        ran = await run_command(site.app, "auth:clear-resets", format="json")
        assert ran.outcome.result.data == {"password_resets": 1, "email_verifications": 1}


async def test_auth_recovery_codes_regenerates_and_the_old_codes_stop_working(make_site):
    clock = FrozenClock()
    async with make_site(clock=clock, env={"AUTH_ENABLE_TWO_FACTOR": "true"}) as site:
        await site.register()
        token = await site.form_token("/auth/user")
        secret = (
            await site.json("POST", "/auth/user/two-factor/enable", headers={"x-csrf-token": token})
        ).json()["secret"]
        old = (
            await site.json(
                "POST",
                "/auth/user/two-factor/confirm",
                {"code": Totp(secret).code_at(clock.now())},
                headers={"x-csrf-token": token},
            )
        ).json()["recovery_codes"]
        ran = await run_command(site.app, "auth:recovery-codes", "ada@example.com", format="json")
        assert ran.outcome.exit_code == 0
        new = ran.outcome.result.data["recovery_codes"]
        assert len(new) == 8
        assert not set(new) & set(old)
        user = await site.services().users.find_by_email("ada@example.com")
        assert user.two_factor_recovery_codes == [hash_recovery_code(c) for c in new]


async def test_auth_recovery_codes_names_the_problem(make_site):
    async with make_site() as site:
        missing = await run_command(site.app, "auth:recovery-codes", "who@example.com")
        assert missing.outcome.exit_code != 0
        assert "auth:users" in missing.outcome.error
        await site.register()
        off = await run_command(site.app, "auth:recovery-codes", "ada@example.com")
        assert off.outcome.exit_code != 0
        assert "no two-factor" in off.outcome.error
