"""The provider booted by the real kernel, and the stub:publish / stub:list commands."""

from __future__ import annotations

from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import pytest

from foundry.application import Application
from foundry.domain.application import CommandRunner
from foundry.domain.provider import ServiceProvider
from foundry.domain.stubs import PlannedFile, StubRenderer
from foundry.stub_system import JinjaStubRenderer, StubSystemServiceProvider


def provider_with_stubs(label: str, reference: str) -> type[ServiceProvider]:
    return type("AcmeProvider", (ServiceProvider,), {"name": label, "stubs": reference})


@pytest.fixture
def boot(app_root: Path):
    def make(*providers: type[ServiceProvider]) -> Application:
        app = Application(
            base_path=app_root, providers=[StubSystemServiceProvider, *providers], discover=False
        )
        return app.boot()

    return make


async def run(app: Application, name: str, *argv: str, **flags: Any):
    return await app.make(CommandRunner).run(name, list(argv), format="json", **flags)


def test_provider_is_registered_under_the_foundry_providers_entry_point() -> None:
    found = {e.name: e.value for e in entry_points(group="foundry.providers")}
    assert found["stub-system"] == "foundry.stub_system.provider:StubSystemServiceProvider"
    assert StubSystemServiceProvider.provides == (StubRenderer,)


def test_the_renderer_is_a_singleton_over_the_apps_providers(
    boot, make_package, app_stubs, app_root: Path
) -> None:
    source = make_package("acme-tools", {"command.py.jinja": "class {{ name | studly }}: ...\n"})
    app_stubs({"report.md.jinja": "# {{ name | title }}\n"})
    app = boot(provider_with_stubs("acme-tools", source.reference))
    renderer = app.make(StubRenderer)
    assert isinstance(renderer, JinjaStubRenderer)
    assert app.make(StubRenderer) is renderer
    assert renderer.stub_names() == ["command", "report"]
    results = renderer.write(
        [PlannedFile(Path("app/x.py"), "command", {"name": "send-report"})], base_path=app_root
    )
    assert results[0].action == "created"
    assert (app_root / "app" / "x.py").read_text() == "class SendReport: ...\n"


async def test_stub_list_names_each_stubs_package_and_override(
    boot, make_package, app_stubs
) -> None:
    source = make_package("acme-tools", {"command.py.jinja": "c", "model.py.jinja": "m"})
    app_stubs({"model.py.jinja": "mine", "report.md.jinja": "r"})
    app = boot(provider_with_stubs("acme-tools", source.reference))
    outcome = await run(app, "stub:list")
    assert outcome.exit_code == 0
    assert outcome.result.data == [
        {
            "name": "command",
            "package": "acme-tools",
            "overridden": False,
            "file": f"{source.reference}/command.py.jinja",
        },
        {
            "name": "model",
            "package": "acme-tools",
            "overridden": True,
            "file": "stubs/model.py.jinja",
        },
        {"name": "report", "package": "app", "overridden": False, "file": "stubs/report.md.jinja"},
    ]


async def test_stub_list_reports_duplicate_stubs_naming_both_packages(boot, make_package) -> None:
    one = make_package("acme-one", {"command.py.jinja": "1"})
    two = make_package("acme-two", {"command.py.jinja": "2"})
    app = boot(
        provider_with_stubs("acme-one", one.reference),
        provider_with_stubs("acme-two", two.reference),
    )
    outcome = await run(app, "stub:list")
    assert outcome.exit_code == 1
    assert outcome.error is not None
    assert 'Two packages ship the stub "command": acme-one' in outcome.error
    assert "and acme-two" in outcome.error


async def test_stub_publish_copies_every_stub_into_the_app(
    boot, make_package, app_root: Path
) -> None:
    source = make_package(
        "acme-tools", {"command.py.jinja": "{{ a }}\n", "auth/login.html.jinja": "<p>\n"}
    )
    app = boot(provider_with_stubs("acme-tools", source.reference))
    outcome = await run(app, "stub:publish")
    assert outcome.exit_code == 0
    assert outcome.result.message == "Published 2 stub(s) into stubs/."
    assert [(r["name"], r["path"], r["action"]) for r in outcome.result.data] == [
        ("auth/login", "stubs/auth/login.html.jinja", "created"),
        ("command", "stubs/command.py.jinja", "created"),
    ]
    assert (app_root / "stubs" / "command.py.jinja").read_text() == "{{ a }}\n"  # not rendered
    assert (app_root / "stubs" / "auth" / "login.html.jinja").read_text() == "<p>\n"
    listed = await run(app, "stub:list")
    assert [d["overridden"] for d in listed.result.data] == [True, True]


async def test_stub_publish_keeps_edited_copies_unless_forced(
    boot, make_package, app_stubs, app_root: Path
) -> None:
    source = make_package("acme-tools", {"command.py.jinja": "original\n", "model.py.jinja": "m"})
    app_stubs({"command.py.jinja": "edited\n"})
    app = boot(provider_with_stubs("acme-tools", source.reference))
    outcome = await run(app, "stub:publish")
    assert [r["action"] for r in outcome.result.data] == ["kept", "created"]
    assert outcome.result.message == (
        "Published 1 stub(s) into stubs/. Kept 1 existing file(s); use --force to overwrite them."
    )
    assert (app_root / "stubs" / "command.py.jinja").read_text() == "edited\n"
    forced = await run(app, "stub:publish", "command", force=True)
    assert [(r["name"], r["action"]) for r in forced.result.data] == [("command", "overwritten")]
    assert (app_root / "stubs" / "command.py.jinja").read_text() == "original\n"


async def test_stub_publish_of_named_stubs_and_unknown_names(
    boot, make_package, app_root: Path
) -> None:
    source = make_package("acme-tools", {"command.py.jinja": "c", "model.py.jinja": "m"})
    app = boot(provider_with_stubs("acme-tools", source.reference))
    unknown = await run(app, "stub:publish", "model", "comand")
    assert unknown.exit_code == 1
    assert (
        unknown.error
        == 'No stub is named "comand". Did you mean "command"? Known stubs: command, model.'
    )
    assert not (app_root / "stubs").exists()  # nothing copied when one name is wrong
    outcome = await run(app, "stub:publish", "model")
    assert [r["name"] for r in outcome.result.data] == ["model"]
    assert sorted(p.name for p in (app_root / "stubs").iterdir()) == ["model.py.jinja"]


async def test_stub_publish_dry_run_copies_nothing(boot, make_package, app_root: Path) -> None:
    source = make_package("acme-tools", {"command.py.jinja": "c"})
    app = boot(provider_with_stubs("acme-tools", source.reference))
    outcome = await run(app, "stub:publish", dry_run=True)
    assert [r["action"] for r in outcome.result.data] == ["planned"]
    assert outcome.result.message == "Dry run: 1 stub(s) would be published into stubs/."
    assert not (app_root / "stubs").exists()


async def test_stub_publish_with_nothing_to_publish(boot) -> None:
    outcome = await run(boot(), "stub:publish")
    assert outcome.exit_code == 0
    assert outcome.result.message == (
        "No installed package ships stubs; there is nothing to publish."
    )
