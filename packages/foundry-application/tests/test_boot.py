"""Provider loading, ordering, register/boot and the errors that name the culprit."""

from __future__ import annotations

from typing import Protocol

import pytest

from foundry.application import Application
from foundry.application.providers import LoadedProvider, load, order
from foundry.domain.contracts import contract
from foundry.domain.discovery import Discovered
from foundry.domain.errors import CircularDependencyError, ProviderError
from foundry.domain.mail import Mailer
from foundry.domain.provider import ServiceProvider


@contract("foundry-widgets")
class Widgets(Protocol):
    def count(self) -> int: ...


class Calls:
    log: list[str] = []


class WidgetProvider(ServiceProvider):
    name = "widgets"
    provides = (Widgets,)

    def register(self, app):
        Calls.log.append("register widgets")

        class Impl:
            def count(self) -> int:
                return 3

        app.singleton(Widgets, lambda c: Impl())

    def boot(self, app):
        Calls.log.append("boot widgets")


class ConsumerProvider(ServiceProvider):
    name = "consumer"
    requires = (Widgets,)

    def register(self, app):
        Calls.log.append("register consumer")

    def boot(self, app):
        Calls.log.append(f"boot consumer sees {app.make(Widgets).count()} widgets")


@pytest.fixture(autouse=True)
def clear_log():
    Calls.log = []


def test_register_runs_on_every_provider_before_any_boot(make_app):
    make_app(ConsumerProvider, WidgetProvider).boot()
    assert Calls.log == [
        "register widgets",
        "register consumer",
        "boot widgets",
        "boot consumer sees 3 widgets",
    ]


def test_boot_is_idempotent(make_app):
    app = make_app(WidgetProvider)
    app.boot()
    app.boot()
    assert Calls.log.count("boot widgets") == 1


def test_missing_required_contract_names_the_package_to_install(make_app):
    with pytest.raises(ProviderError) as err:
        make_app(ConsumerProvider).boot()
    assert err.value.message == (
        "Provider consumer: requires a contract nothing provides. No Widgets is bound. "
        f"Install foundry-widgets or bind {__name__}.Widgets in a provider."
    )


def test_provider_raising_in_register_is_named(make_app):
    class Broken(ServiceProvider):
        name = "broken"

        def register(self, app):
            raise RuntimeError("no database configured")

    with pytest.raises(ProviderError) as err:
        make_app(Broken).boot()
    assert (
        err.value.message
        == "Provider broken: register failed: RuntimeError: no database configured"
    )


def test_provider_raising_in_boot_is_named(make_app):
    class Broken(ServiceProvider):
        name = "late"

        def boot(self, app):
            app.make(Mailer)

    with pytest.raises(ProviderError) as err:
        make_app(Broken).boot()
    assert (
        "Provider late: boot failed: No Mailer is bound. Install foundry-mail" in err.value.message
    )


def test_after_orders_softly_and_cycles_are_reported():
    @contract("x")
    class A(Protocol): ...

    @contract("y")
    class B(Protocol): ...

    class PA(ServiceProvider):
        provides = (A,)
        after = (B,)

    class PB(ServiceProvider):
        provides = (B,)

    ordered = order([LoadedProvider(PA(), "a"), LoadedProvider(PB(), "b")], prebound=())
    assert [p.name for p in ordered] == ["b", "a"]

    class PB2(ServiceProvider):
        provides = (B,)
        requires = (A,)

    with pytest.raises(ProviderError, match="cycle"):
        order([LoadedProvider(PA(), "a"), LoadedProvider(PB2(), "b")], prebound=())


def test_a_broken_entry_point_is_named_with_its_package():
    entry = Discovered(
        "ghost", "foundry.ghost.provider:GhostProvider", "foundry.providers", "foundry-ghost", "1.0"
    )
    with pytest.raises(ProviderError) as err:
        load([entry], [], [])
    assert err.value.message.startswith(
        "Provider foundry-ghost (ghost): Entry point foundry.providers:ghost"
    )
    assert "cannot import foundry.ghost.provider" in err.value.message


def test_an_entry_point_that_is_not_a_provider_is_refused():
    entry = Discovered(
        "odd", "foundry.domain.errors:FoundryError", "foundry.providers", "foundry-odd"
    )
    with pytest.raises(ProviderError, match="is not a ServiceProvider subclass"):
        load([entry], [], [])


def test_circular_binding_is_reported(make_app):
    class Left:
        def __init__(self, right: Right) -> None: ...

    class Right:
        def __init__(self, left: Left) -> None: ...

    globals().update(Left=Left, Right=Right)
    app = make_app().boot()
    with pytest.raises(CircularDependencyError, match=r"Left -> .*Right -> .*Left"):
        app.make(Left)


def test_deferred_provider_registers_on_first_resolution(make_app):
    class Lazy(WidgetProvider):
        deferred = True

    app = make_app(Lazy).boot()
    assert Calls.log == []
    assert app.make(Widgets).count() == 3
    assert Calls.log == ["register widgets", "boot widgets"]


def test_discovery_loads_installed_providers_and_honours_dont_discover(base, monkeypatch):
    app = Application(base).load()
    labels = [label for label, _ in app.provider_labels()]
    assert labels[0] == "foundry-application (application)"
    assert any("foundry-service-container" in label for label in labels)

    monkeypatch.setenv("FOUNDRY_DONT_DISCOVER", "foundry-service-container")
    app = Application(base).load()
    assert not any("service-container" in label for label, _ in app.provider_labels())


def test_dont_discover_from_pyproject(base):
    (base / "pyproject.toml").write_text('[tool.foundry]\ndont-discover = ["service-container"]\n')
    app = Application(base).load()
    assert not any("service-container" in label for label, _ in app.provider_labels())


def test_app_providers_from_pyproject(base):
    pkg = base / "myapp"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "providers.py").write_text(
        "from foundry.domain.provider import ServiceProvider\n"
        "class AppServiceProvider(ServiceProvider):\n"
        "    name = 'my-app'\n"
        "    def register(self, app):\n"
        "        app.instance('greeting', 'hello')\n"
    )
    (base / "pyproject.toml").write_text(
        '[tool.foundry]\nproviders = ["myapp.providers:AppServiceProvider"]\n'
    )
    import sys

    sys.path.insert(0, str(base))
    try:
        app = Application(base).boot()
        assert app.make("greeting") == "hello"
    finally:
        sys.path.remove(str(base))
        sys.modules.pop("myapp.providers", None)
        sys.modules.pop("myapp", None)


def test_broken_app_provider_reference_is_named(base):
    (base / "pyproject.toml").write_text('[tool.foundry]\nproviders = ["nowhere.mod:Provider"]\n')
    with pytest.raises(
        ProviderError, match=r"nowhere.mod:Provider: \[tool.foundry\] providers: cannot import"
    ):
        Application(base).load()


def test_register_without_boot_binds_but_does_not_boot(make_app):
    app = make_app(WidgetProvider).register()
    assert Calls.log == ["register widgets"]
    assert app.make(Widgets).count() == 3
    assert not app.is_booted
    app.boot()
    assert Calls.log == ["register widgets", "boot widgets"]


def test_deferred_provider_resolved_during_registration_is_booted_once(make_app):
    class Lazy(WidgetProvider):
        deferred = True

    class Eager(ServiceProvider):
        def register(self, app):
            app.make(Widgets)

    make_app(Lazy, Eager).boot()
    assert Calls.log == ["register widgets", "boot widgets"]
