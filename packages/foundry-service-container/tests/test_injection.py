"""Constructor injection from type hints (written under ``from __future__ import annotations``)."""

from __future__ import annotations

import dataclasses
from typing import Optional, Protocol

import pytest

from foundry.domain.errors import BindingResolutionError
from foundry.domain.mail import Mailer
from foundry.service_container import Container


class Repository:
    pass


class Logger:
    pass


class SmtpMailer:
    async def send(self, message: object) -> None:
        return None


class Service:
    def __init__(self, repository: Repository, logger: Logger) -> None:
        self.repository = repository
        self.logger = logger


class Controller:
    def __init__(self, service: Service) -> None:
        self.service = service


class WelcomeService:
    def __init__(self, mailer: Mailer) -> None:
        self.mailer = mailer


class Signup:
    def __init__(self, welcome: WelcomeService) -> None:
        self.welcome = welcome


class WithDefaults:
    def __init__(self, name: str = "shop", retries: int = 3, unannotated=None) -> None:
        self.name, self.retries, self.unannotated = name, retries, unannotated


class NeedsName:
    def __init__(self, name: str) -> None:
        self.name = name


class NeedsUnannotated:
    def __init__(self, thing) -> None:
        self.thing = thing


class Greeter(Protocol):
    def greet(self) -> str: ...


_FALLBACK = object()


class DefaultForUnbound:
    def __init__(self, greeter: Greeter = _FALLBACK) -> None:  # type: ignore[assignment]
        self.greeter = greeter


class DefaultForBuildable:
    def __init__(self, repository: Repository | None = None, logger: Logger = None) -> None:  # type: ignore[assignment]
        self.repository, self.logger = repository, logger


class OptionalMailer:
    def __init__(self, mailer: Optional[Mailer] = None, backup: Mailer | None = None) -> None:  # noqa: UP045
        self.mailer, self.backup = mailer, backup


class NullableWithoutDefault:
    def __init__(self, mailer: Mailer | None, label: str | None) -> None:
        self.mailer, self.label = mailer, label


@dataclasses.dataclass
class Report:
    repository: Repository
    title: str = "monthly"


class PositionalOnly:
    def __init__(self, repository: Repository, /, title: str = "x") -> None:
        self.repository, self.title = repository, title


class TakesKwargs:
    def __init__(self, repository: Repository, **extra: object) -> None:
        self.repository, self.extra = repository, extra


class BadHint:
    def __init__(self, thing: NotDefinedAnywhere) -> None:  # type: ignore[name-defined]  # noqa: F821
        self.thing = thing


class BadHintWithDefault:
    def __init__(self, thing: NotDefinedAnywhere = None, repo: Repository = None) -> None:  # type: ignore[name-defined,assignment]  # noqa: F821
        self.thing, self.repo = thing, repo


class NeedsBrokenDependency:
    def __init__(self, name: str) -> None:
        self.name = name


class FallsBackWhenDependencyIsBroken:
    def __init__(self, dep: NeedsBrokenDependency | None = None, other: NeedsName = None) -> None:  # type: ignore[assignment]
        self.dep, self.other = dep, other


def test_dependencies_are_resolved_from_type_hints(container):
    controller = container.make(Controller)
    assert isinstance(controller.service.repository, Repository)
    assert isinstance(controller.service.logger, Logger)


def test_bound_dependencies_are_used(container):
    container.singleton(Logger)
    assert container.make(Service).logger is container.make(Service).logger


def test_primitives_and_unannotated_parameters_keep_their_defaults(container):
    made = container.make(WithDefaults)
    assert (made.name, made.retries, made.unannotated) == ("shop", 3, None)


def test_parameters_override_constructor_arguments_by_name(container):
    repository = Repository()
    service = container.make(Service, repository=repository)
    assert service.repository is repository
    assert container.make(NeedsName, name="ada").name == "ada"


def test_unknown_parameter_override_is_an_error_naming_the_parameters(container):
    with pytest.raises(BindingResolutionError) as info:
        container.make(Service, repo=Repository())
    assert "Service has no parameter 'repo'" in info.value.message
    assert "repository, logger" in info.value.message


def test_builtin_without_default_is_an_error_naming_class_and_parameter(container):
    with pytest.raises(BindingResolutionError) as info:
        container.make(NeedsName)
    message = info.value.message
    assert message.startswith('Cannot resolve parameter "name" of NeedsName: str is not a service')
    assert "make(NeedsName, name=...)" in message
    assert info.value.context["parameter"] == "name"


def test_unannotated_without_default_is_an_error(container):
    with pytest.raises(BindingResolutionError, match='"thing" of NeedsUnannotated: it has no type'):
        container.make(NeedsUnannotated)


def test_unbound_contract_as_dependency_names_parameter_and_package(container):
    with pytest.raises(BindingResolutionError) as info:
        container.make(WelcomeService)
    assert info.value.message == (
        'Cannot resolve parameter "mailer" of WelcomeService: No Mailer is bound. '
        "Install foundry-mail or bind foundry.domain.mail.Mailer in a provider."
    )


def test_nested_failure_names_the_innermost_parameter_and_the_path(container):
    with pytest.raises(BindingResolutionError) as info:
        container.make(Signup)
    message = info.value.message
    assert message.startswith('Cannot resolve parameter "mailer" of WelcomeService')
    assert "Resolution path: Signup -> WelcomeService." in message
    assert info.value.context["chain"] == ["Signup", "WelcomeService"]


def test_default_is_kept_when_the_type_is_neither_bound_nor_buildable(container):
    assert container.make(DefaultForUnbound).greeter is _FALLBACK


def test_default_gives_way_to_a_binding(container):
    class Hello:
        def greet(self) -> str:
            return "hi"

    container.bind(Greeter, Hello)
    assert isinstance(container.make(DefaultForUnbound).greeter, Hello)


def test_buildable_class_with_default_is_built(container):
    made = container.make(DefaultForBuildable)
    assert made.repository is None  # Optional: only when bound
    assert isinstance(made.logger, Logger)  # plain default: buildable wins


def test_optional_resolves_when_bound_else_none(container):
    made = container.make(OptionalMailer)
    assert (made.mailer, made.backup) == (None, None)
    mailer = SmtpMailer()
    container.instance(Mailer, mailer)
    made = container.make(OptionalMailer)
    assert made.mailer is mailer
    assert made.backup is mailer


def test_nullable_without_default_falls_back_to_none(container):
    made = container.make(NullableWithoutDefault)
    assert (made.mailer, made.label) == (None, None)


def test_class_default_is_kept_when_building_it_fails(container):
    made = container.make(FallsBackWhenDependencyIsBroken)
    assert made.dep is None
    assert made.other is None


def test_dataclasses_are_injected(container):
    report = container.make(Report)
    assert isinstance(report.repository, Repository)
    assert report.title == "monthly"


def test_positional_only_parameters_are_passed_positionally(container):
    made = container.make(PositionalOnly, title="t")
    assert isinstance(made.repository, Repository)
    assert made.title == "t"


def test_var_keyword_constructors_accept_extra_parameters(container):
    made = container.make(TakesKwargs, colour="blue")
    assert made.extra == {"colour": "blue"}


def test_unevaluable_hint_is_reported_only_for_that_parameter(container):
    with pytest.raises(BindingResolutionError) as info:
        container.make(BadHint)
    message = info.value.message
    assert 'parameter "thing" of BadHint' in message
    assert "NotDefinedAnywhere" in message
    assert "NameError" in message
    made = container.make(BadHintWithDefault)
    assert made.thing is None
    assert isinstance(made.repo, Repository)
    assert container.make(BadHint, thing=1).thing == 1


def test_injection_plans_are_read_once_per_class(container):
    container.make(Controller)
    plan = container._plans[Service]
    container.make(Controller)
    assert container._plans[Service] is plan


def test_plans_see_bindings_made_after_the_first_resolution(container):
    assert container.make(OptionalMailer).mailer is None
    container.instance(Mailer, SmtpMailer())
    assert container.make(OptionalMailer).mailer is not None


def test_containers_are_isolated(container):
    other = Container()
    container.singleton(Logger)
    assert other.make(Logger) is not container.make(Logger)
    assert not other.bound(Logger)
