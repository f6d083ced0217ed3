"""Entry points, the provider, and the container:list command."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Protocol

import pytest

from foundry.domain.commands import CommandContext
from foundry.domain.container import Container as ContainerContract
from foundry.domain.discovery import discover, load_reference
from foundry.domain.errors import CommandError
from foundry.domain.provider import ServiceProvider
from foundry.service_container import LIFETIMES, BindingInfo, Container
from foundry.service_container.commands import ListBindingsCommand
from foundry.service_container.provider import ServiceContainerServiceProvider


class Mailer(Protocol):
    def send(self) -> None: ...


class SmtpMailer:
    def send(self) -> None:
        return None


class Session:
    pass


def make_mailer(c: object) -> SmtpMailer:
    return SmtpMailer()


def test_the_kernel_finds_the_container_through_its_entry_point():
    found = {entry.name: entry for entry in discover("foundry.container")}
    assert found["default"].value == "foundry.service_container:Container"
    container = found["default"].load()()
    assert isinstance(container, ContainerContract)


def test_the_provider_is_registered_and_contributes_one_command():
    found = {entry.name: entry for entry in discover("foundry.providers")}
    provider_cls = found["service-container"].load()
    assert provider_cls is ServiceContainerServiceProvider
    assert issubclass(provider_cls, ServiceProvider)
    assert [load_reference(ref) for ref in provider_cls.commands] == [ListBindingsCommand]
    assert provider_cls.provides == ()


def test_provider_and_command_modules_import_only_stdlib_and_foundry():
    code = (
        "import sys\n"
        "before = set(sys.modules)\n"
        "import foundry.service_container.provider, foundry.service_container.commands\n"
        "names = {m.split('.')[0] for m in set(sys.modules) - before}\n"
        "print(sorted(n for n in names if n not in sys.stdlib_module_names"
        " and n not in ('foundry',) and not n.startswith('_')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.fixture
def populated() -> Container:
    container = Container()
    container.bind(Mailer, SmtpMailer)
    container.singleton("mailer.factory", make_mailer)
    container.scoped(Session)
    container.instance("app.name", "shop")
    container.alias("app.name", "name")
    container.defer(["queue"], lambda: None)
    return container


def test_bindings_info_describes_every_registration(populated):
    rows = {row.abstract: row for row in populated.bindings_info()}
    mailer = f"{__name__}.Mailer"
    assert rows[mailer] == BindingInfo(mailer, "transient", f"{__name__}.SmtpMailer")
    assert rows["mailer.factory"].lifetime == "singleton"
    assert rows["mailer.factory"].concrete == f"{__name__}.make_mailer"
    assert rows[f"{__name__}.Session"].lifetime == "scoped"
    assert rows["app.name"] == BindingInfo("app.name", "instance", "builtins.str instance")
    assert rows["name"] == BindingInfo("name", "alias", "app.name")
    assert rows["queue"].lifetime == "deferred"
    assert {row.lifetime for row in rows.values()} <= set(LIFETIMES)
    assert [r.abstract.lower() for r in populated.bindings_info()] == sorted(
        r.abstract.lower() for r in populated.bindings_info()
    )


def test_a_built_singleton_keeps_its_lifetime_in_the_table(populated):
    populated.make("mailer.factory")
    rows = [r for r in populated.bindings_info() if r.abstract == "mailer.factory"]
    assert [r.lifetime for r in rows] == ["singleton"]


def run(app, output, *, fmt="human", **options):
    ctx = CommandContext(
        app=app,
        name="container:list",
        arguments={},
        options={"lifetime": None, "filter": None, **options},
        output=output,
        prompt=None,  # type: ignore[arg-type]  # the command never asks anything
        format=fmt,
    )
    return ListBindingsCommand().handle(ctx)


def test_container_list_prints_a_table(populated, output):
    result = run(populated, output)
    headers, rows, title = output.tables[0]
    assert headers == ["Abstract", "Lifetime", "Concrete"]
    assert title == "Container bindings"
    assert ["name", "alias", "app.name"] in rows
    assert result.ok
    assert result.message == f"{len(rows)} bindings."
    assert "Container bindings" in output.text


def test_container_list_json_returns_rows_without_printing(populated, output):
    result = run(populated, output, fmt="json")
    assert output.tables == []
    assert {"abstract": "name", "lifetime": "alias", "concrete": "app.name"} in result.data
    json.dumps(result.to_dict())  # serialisable as the CLI prints it


def test_container_list_filters_by_lifetime_and_text(populated, output):
    result = run(populated, output, fmt="json", lifetime="scoped")
    assert [row["abstract"] for row in result.data] == [f"{__name__}.Session"]
    result = run(populated, output, fmt="json", filter="MAILER")
    assert {row["abstract"] for row in result.data} == {f"{__name__}.Mailer", "mailer.factory"}
    result = run(populated, output, fmt="json", filter="nothing-like-this")
    assert result.data == []
    assert result.message == "0 bindings."


class DelegatingApplication:
    """Wraps a container by composition and registers itself as the container contract,
    as the application kernel does."""

    def __init__(self, container: Container) -> None:
        self._container = container
        container.instance(ContainerContract, self)

    def bound(self, abstract):
        return self._container.bound(abstract)

    def make(self, abstract, **parameters):
        return self._container.make(abstract, **parameters)


def test_container_list_reaches_the_container_a_kernel_wraps(populated, output):
    app = DelegatingApplication(populated)
    result = run(app, output, fmt="json", filter="app.name")
    assert result.data == [
        {"abstract": "app.name", "lifetime": "instance", "concrete": "builtins.str instance"}
    ]


def test_container_list_explains_a_container_that_cannot_describe_itself(output):
    class Opaque:
        def bound(self, abstract):
            return False

    with pytest.raises(CommandError, match="does not describe its bindings"):
        run(Opaque(), output)


def test_the_command_declares_its_name_and_options():
    descriptor = ListBindingsCommand.descriptor()
    assert descriptor.name == "container:list"
    assert descriptor.summary == "List the container's bindings"
    lifetime = next(o for o in descriptor.options if o.name == "lifetime")
    assert lifetime.choices == LIFETIMES
