"""The fixtures as an app's tests use them: each inner module must pass in full."""

from __future__ import annotations

import pytest
from conftest import run_tests

ACTING_AS = """
from foundry.testing import assert_error, assert_json_path, assert_status
from app.models.post import Author


async def test_acting_as_passes_a_route_requiring_an_ability(client, factories, acting_as):
    author = await factories.create(Author)
    acting_as(author, abilities=["posts:read"])
    response = await client.get("/me")
    assert_status(response, 200)
    assert_json_path(response, "user_id", str(author.id))
    assert_json_path(response, "abilities", ["posts:read"])


async def test_the_wildcard_ability_is_the_default(client, factories, acting_as):
    acting_as(await factories.create(Author))
    assert_json_path(await client.get("/me"), "abilities", ["*"])


async def test_a_token_without_the_ability_is_forbidden(client, factories, acting_as):
    acting_as(await factories.create(Author), abilities=["posts:write"])
    assert_error(await client.get("/me"), "FORBIDDEN", status=403)


async def test_without_acting_as_the_route_is_unauthenticated(client):
    assert_error(await client.get("/me"), "UNAUTHENTICATED", status=401)


async def test_the_token_is_random_per_call(client, factories, acting_as):
    author = await factories.create(Author)
    assert acting_as(author) != acting_as(author)
"""

CLOCK = """
from datetime import UTC, datetime

import pytest

from foundry.domain.clock import Clock
from foundry.testing import assert_json_path


async def test_the_frozen_clock_is_the_apps_clock(app, client, frozen_clock):
    assert app.make(Clock) is frozen_clock
    assert_json_path(await client.get("/now"), "now", "2026-01-01T00:00:00+00:00")
    frozen_clock.advance(seconds=90)
    assert_json_path(await client.get("/now"), "now", "2026-01-01T00:01:30+00:00")


@pytest.mark.frozen_clock("2025-06-01T12:00:00+00:00")
async def test_the_marker_sets_where_it_starts(client, frozen_clock):
    assert frozen_clock.now() == datetime(2025, 6, 1, 12, tzinfo=UTC)
    assert_json_path(await client.get("/now"), "now", "2025-06-01T12:00:00+00:00")


async def test_without_the_fixture_the_clock_is_real(app):
    assert abs((app.make(Clock).now() - datetime.now(UTC)).total_seconds()) < 60
"""

FAKES = """
import httpx
from sqlmodel import select

from foundry.domain.mail import Mailer, Message
from foundry.domain.queue import QueueDispatcher
from foundry.testing import StrayRequestError, assert_json_path, assert_status
from app.events import DELIVERED, PostShipped, record_shipment
from app.jobs import PublishPost
from app.models.post import Author, Post


async def test_mail_is_recorded_not_sent(app, client, mail):
    assert app.make(Mailer) is mail
    assert_status(await client.post("/welcome", json={"email": "ada@example.test"}), 200)
    mail.assert_sent(Message, lambda m: m.has_to("ada@example.test"), count=1)
    mail.assert_queued(Message, lambda m: m.mailer == "marketing", queue="mail")
    mail.assert_not_sent(lambda m: m.has_to("bob@example.test"))
    assert mail.sent()[0].subject == "Welcome!"


async def test_mail_starts_empty_in_each_test(mail):
    mail.assert_nothing_sent()
    mail.assert_nothing_queued()
    mail.assert_nothing_outgoing()


async def test_jobs_are_recorded_then_run_like_a_worker(app, client, factories, queue, db):
    assert app.make(QueueDispatcher) is queue
    post = await factories.create(Post, title="Draft")
    response = await client.post(f"/posts/{post.id}/publish")
    assert_status(response, 202)
    queue.assert_pushed(PublishPost, lambda job: job.post_id == post.id, count=1)
    queue.assert_pushed_on("posts", PublishPost)
    queue.assert_not_pushed(PublishPost, lambda job: job.post_id == 0)
    ran = await queue.run_pushed()
    assert [job.reference for job in ran] == ["app.jobs:PublishPost"]
    await db.refresh(post)
    assert post.title == "Draft (published)"
    assert await queue.run_pushed() == []


async def test_events_are_recorded_and_not_delivered(client, events):
    DELIVERED.clear()
    assert_status(await client.post("/posts/7/ship"), 200)
    events.assert_dispatched(PostShipped, lambda e: e.post_id == 7, count=1)
    events.assert_not_dispatched(PostShipped, lambda e: e.post_id == 8)
    events.assert_listening(PostShipped, record_shipment)
    events.assert_listening(PostShipped, "app.events:record_shipment")
    assert DELIVERED == []


async def test_events_passed_through_reach_their_listeners(client, events):
    DELIVERED.clear()
    events.pass_through(PostShipped)
    await client.post("/posts/3/ship")
    events.assert_dispatched(PostShipped)
    assert DELIVERED == [3]


async def test_without_the_events_fixture_listeners_run(client):
    DELIVERED.clear()
    await client.post("/posts/5/ship")
    assert DELIVERED == [5]


async def test_outbound_requests_are_faked(client, http):
    http.fake({"api.github.com/users/*": {"login": "ada"}})
    response = await client.get("/github/ada")
    assert_json_path(response, "body.login", "ada")
    http.assert_sent(lambda r: r.url.path == "/users/ada" and r.method == "GET")
    http.assert_sent("GET api.github.com/users/ada", count=1)
    http.assert_not_sent("api.github.com/orgs/*")


async def test_stray_requests_can_be_prevented(http):
    http.fake({"api.github.com/*": 204}).prevent_stray_requests()
    async with httpx.AsyncClient() as outbound:
        assert (await outbound.get("https://api.github.com/x")).status_code == 204
        try:
            await outbound.get("https://example.invalid/")
        except StrayRequestError as exc:
            assert "example.invalid" in str(exc)
        else:
            raise AssertionError("the stray request was sent")


async def test_run_command_captures_the_output(run_command, factories):
    await factories.create_many(Post, 2, title="Same")
    result = await run_command("posts:count", title="Same")
    assert result.exit_code == 0, result.output
    assert result.output == "2 post(s)"
    assert result.data == {"posts": 2}
    unknown = await run_command("posts:cuont")
    assert unknown.exit_code == 2
    assert "posts:count" in unknown.error
"""

FACTORIES = """
from sqlmodel import select

from app.models.post import Author, Post


async def test_the_apps_factory_gives_its_values_and_faker_the_rest(factories):
    author = await factories.create(Author)
    assert author.id is not None
    assert author.name.startswith("Author ")  # from database/factories/author_factory.py
    assert "@" in author.email  # filled by Faker: the app factory leaves it out


async def test_overrides_and_state_win(factories):
    author = await factories.for_("Author").state(name="Grace").create(email="g@example.test")
    assert (author.name, author.email) == ("Grace", "g@example.test")


async def test_a_required_foreign_key_gets_a_parent(factories, db):
    post = await factories.create(Post)
    assert post.author_id is not None
    assert await db.get(Author, post.author_id) is not None
    assert post.title and len(post.title) <= 100


async def test_make_saves_nothing(factories, db):
    post = factories.make(Post, title="Unsaved")
    assert post.id is None and post.title == "Unsaved"
    assert (await db.exec(select(Post))).all() == []


async def test_many_at_once_have_unique_values(factories):
    authors = await factories.create_many(Author, 5)
    assert len({a.email for a in authors}) == 5
"""

OVERRIDES = """
import pytest

from foundry.domain.provider import ServiceProvider


class GreetingProvider(ServiceProvider):
    name = "greeting"

    def register(self, app):
        app.instance("greeting", "hello from the test")


@pytest.fixture
def foundry_providers(foundry_providers):
    return [*foundry_providers, GreetingProvider]


@pytest.fixture
def foundry_env():
    return {"APP_NAME": "Overridden"}


def test_providers_and_env_can_be_added_per_test(app):
    assert app.make("greeting") == "hello from the test"
    assert app.config.get("app.name") == "Overridden"
    assert app.environment == "testing"


def test_each_test_gets_a_fresh_application(app, request):
    app.instance("left-behind", True)
    assert not hasattr(request.config, "_foundry_previous_app")
    request.config._foundry_previous_app = app


def test_the_next_test_sees_none_of_it(app, request):
    assert app is not request.config._foundry_previous_app
    assert not app.bound("left-behind")
"""


@pytest.mark.parametrize(
    ("module", "tests"),
    [
        pytest.param(ACTING_AS, 5, id="acting_as"),
        pytest.param(CLOCK, 3, id="frozen_clock"),
        pytest.param(FAKES, 9, id="fakes"),
        pytest.param(FACTORIES, 5, id="factories"),
        pytest.param(OVERRIDES, 3, id="overrides"),
    ],
)
def test_fixtures_work_in_an_application(
    sample_app: pytest.Pytester, module: str, tests: int
) -> None:
    sample_app.makepyfile(test_inner=module)
    result = run_tests(sample_app)
    result.assert_outcomes(passed=tests)


def test_ini_options_set_providers_env_and_the_app_root(sample_app: pytest.Pytester) -> None:
    app_root = sample_app.path / "service"
    app_root.mkdir()
    for entry in list(sample_app.path.iterdir()):
        if entry.name in ("app", "database"):
            entry.rename(app_root / entry.name)
    pyproject = sample_app.path / "pyproject.toml"
    (app_root / "pyproject.toml").write_text(pyproject.read_text())
    pyproject.write_text(
        "[tool.pytest.ini_options]\n"
        'asyncio_mode = "auto"\n'
        'asyncio_default_fixture_loop_scope = "function"\n'
        'foundry_base_path = "service"\n'
        'foundry_env = ["APP_NAME=From the ini"]\n'
        'foundry_providers = ["extra_provider:ExtraProvider"]\n'
    )
    sample_app.makepyfile(
        extra_provider=(
            "from foundry.domain.provider import ServiceProvider\n\n\n"
            "class ExtraProvider(ServiceProvider):\n"
            '    name = "extra"\n\n'
            "    def register(self, app):\n"
            '        app.instance("extra", 42)\n'
        ),
        test_inner=(
            "def test_configured(app):\n"
            '    assert app.base_path.name == "service"\n'
            '    assert app.config.get("app.name") == "From the ini"\n'
            '    assert app.make("extra") == 42\n'
        ),
    )
    result = run_tests(sample_app, "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)


def test_without_an_application_the_error_says_how_to_point_at_one(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(test_inner="def test_needs_app(app):\n    pass\n")
    result = pytester.runpytest_subprocess("-q", "-p", "no:cacheprovider", timeout=300)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*No Foundry application found*foundry_base_path*"])


FAILING = """
from foundry.testing import assert_error, assert_status


async def test_expects_created(client):
    assert_status(await client.get("/posts"), 201)


async def test_expects_a_field_error(client):
    assert_error(await client.post("/welcome", json={}), "VALIDATION_ERROR", fields=["name"])


async def test_expects_a_mail(client, mail):
    await client.post("/welcome", json={"email": "bob@example.test"})
    mail.assert_sent(lambda m: m.has_to("ada@example.test"))
"""


def test_failing_assertions_show_what_came_back_in_pytest_output(
    sample_app: pytest.Pytester,
) -> None:
    sample_app.makepyfile(test_inner=FAILING)
    result = run_tests(sample_app)
    result.assert_outcomes(failed=3)
    result.stdout.fnmatch_lines(
        [
            "*Expected status 201, got 200.",
            "*GET http://testserver/posts answered 200 OK (application/json). Body:",
            '*"items": []*',
            "*Expected errors for the field(s) name; the envelope has errors for: body.email.",
            "*POST http://testserver/welcome answered 422 Unprocessable*",
            "*Expected mail matching <lambda> to be sent, but it was not.",
            "*1 sent in all:",
            "*Message(subject='Welcome!', to=bob@example.test)",
        ]
    )


RESPONSES = """
from foundry.testing import (
    assert_error,
    assert_json_path,
    assert_json_structure,
    assert_redirect,
    assert_status,
)
from app.models.post import Post


async def test_assertions_on_the_apps_own_responses(client, factories):
    await factories.create_many(Post, 2)
    listing = assert_status(await client.get("/posts"), 200)
    assert_json_structure(listing, {"data": {"items": {"*": ["id", "title"]}}})
    assert assert_json_path(listing, "data.items.-1.id") > 0
    assert_redirect(await client.get("/old-home"), "/home")
    assert_error(await client.get("/nowhere"), "NOT_FOUND", status=404)
    assert_error(await client.post("/welcome", json={}), "VALIDATION_ERROR", fields=["email"])
"""


def test_response_assertions_read_the_apps_envelopes(sample_app: pytest.Pytester) -> None:
    sample_app.makepyfile(test_inner=RESPONSES)
    result = run_tests(sample_app)
    result.assert_outcomes(passed=1)
