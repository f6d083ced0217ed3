"""bind / singleton / instance / alias / bound / bindings / forget_instance."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Protocol

import pytest

from foundry.domain.container import Container as ContainerContract
from foundry.domain.errors import BindingResolutionError, ConfigurationError
from foundry.service_container import Container


class Greeter(Protocol):
    def greet(self) -> str: ...


class EnglishGreeter:
    def greet(self) -> str:
        return "hello"


class FrenchGreeter:
    def greet(self) -> str:
        return "bonjour"


class Store(ABC):
    @abstractmethod
    def get(self) -> str: ...


class Counter:
    built = 0

    def __init__(self) -> None:
        Counter.built += 1


def test_the_container_satisfies_the_domain_contract(container):
    assert isinstance(container, ContainerContract)


def test_the_container_resolves_itself_by_contract(container):
    assert container.make(ContainerContract) is container
    assert container.make(Container) is container


def test_bind_to_a_class_builds_a_new_object_each_time(container):
    container.bind(Greeter, EnglishGreeter)
    first, second = container.make(Greeter), container.make(Greeter)
    assert isinstance(first, EnglishGreeter)
    assert first is not second


def test_bind_to_a_factory_receives_the_container(container):
    seen = []
    container.bind(Greeter, lambda c: seen.append(c) or FrenchGreeter())
    assert container.make(Greeter).greet() == "bonjour"
    assert seen == [container]


def test_bind_without_concrete_makes_the_class_its_own_concrete(container):
    container.bind(EnglishGreeter)
    assert isinstance(container.make(EnglishGreeter), EnglishGreeter)


def test_bind_shared_and_singleton_build_once(container):
    container.bind(EnglishGreeter, shared=True)
    container.singleton(Greeter, FrenchGreeter)
    assert container.make(EnglishGreeter) is container.make(EnglishGreeter)
    assert container.make(Greeter) is container.make(Greeter)


def test_singleton_is_built_lazily_on_first_resolution(container):
    Counter.built = 0
    container.singleton(Counter)
    assert Counter.built == 0
    container.make(Counter)
    container.make(Counter)
    assert Counter.built == 1


def test_string_abstracts_bind_values_through_factories(container):
    container.singleton("config.name", lambda c: "shop")
    assert container.make("config.name") == "shop"


def test_instance_registers_a_built_object_and_returns_it(container):
    greeter = FrenchGreeter()
    assert container.instance(Greeter, greeter) is greeter
    assert container.make(Greeter) is greeter


def test_the_latest_registration_wins(container):
    container.singleton(Greeter, EnglishGreeter)
    english = container.make(Greeter)
    container.bind(Greeter, FrenchGreeter)
    assert isinstance(container.make(Greeter), FrenchGreeter)
    container.instance(Greeter, english)
    assert container.make(Greeter) is english
    container.bind(Greeter, FrenchGreeter)
    assert container.make(Greeter) is not english


def test_concrete_class_with_its_own_binding_is_resolved_through_it(container):
    container.singleton(EnglishGreeter)
    container.bind(Greeter, EnglishGreeter)
    assert container.make(Greeter) is container.make(EnglishGreeter)


def test_make_with_parameters_builds_a_one_off_even_for_singletons(container):
    class Named:
        def __init__(self, name: str = "default") -> None:
            self.name = name

    container.singleton(Named)
    shared = container.make(Named)
    custom = container.make(Named, name="custom")
    assert custom.name == "custom"
    assert custom is not shared
    assert container.make(Named) is shared


def test_factory_receives_make_parameters_as_keywords(container):
    container.bind("greeting", lambda c, name="world": f"hello {name}")
    assert container.make("greeting", name="ada") == "hello ada"


def test_factory_that_takes_no_parameters_is_refused_with_a_clear_error(container):
    container.bind("greeting", lambda c: "hello")
    with pytest.raises(BindingResolutionError, match="does not accept the parameters name"):
        container.make("greeting", name="ada")


def test_alias_resolves_to_the_target_and_follows_chains(container):
    container.singleton(Greeter, EnglishGreeter)
    container.alias(Greeter, "greeter")
    container.alias("greeter", "hello")
    assert container.make("hello") is container.make(Greeter)
    assert container.bound("hello")


def test_alias_to_itself_is_refused(container):
    with pytest.raises(ConfigurationError, match="aliased to itself"):
        container.alias("a", "a")
    container.alias("a", "b")
    with pytest.raises(ConfigurationError, match="aliased to itself"):
        container.alias("b", "a")
    assert container.bound("b")
    assert not container.bound("a")


def test_binding_an_alias_name_replaces_the_alias(container):
    container.instance("real", 1)
    container.alias("real", "nick")
    container.instance("nick", 2)
    assert container.make("nick") == 2
    assert container.make("real") == 1


def test_bound_reports_bindings_instances_aliases(container):
    assert not container.bound(Greeter)
    container.bind(Greeter, EnglishGreeter)
    container.instance("x", 1)
    container.alias("x", "y")
    assert container.bound(Greeter)
    assert container.bound("x")
    assert container.bound("y")
    assert not container.bound(EnglishGreeter)


def test_bindings_lists_bound_and_instance_abstracts(container):
    container.bind(Greeter, EnglishGreeter)
    container.instance("x", 1)
    listed = list(container.bindings())
    assert Greeter in listed
    assert "x" in listed
    assert ContainerContract in listed


def test_forget_instance_rebuilds_a_singleton(container):
    container.singleton(Greeter, EnglishGreeter)
    first = container.make(Greeter)
    container.forget_instance(Greeter)
    assert container.make(Greeter) is not first
    assert container.bound(Greeter)


def test_forget_instance_of_a_plain_instance_unbinds_it(container):
    container.instance("x", 1)
    container.forget_instance("x")
    assert not container.bound("x")
    with pytest.raises(BindingResolutionError, match="No x is bound"):
        container.make("x")


def test_concrete_classes_are_built_without_any_binding(container):
    assert isinstance(container.make(EnglishGreeter), EnglishGreeter)


@pytest.mark.parametrize(
    ("abstract", "concrete", "message"),
    [
        ("name", None, "a string key needs a class or a factory"),
        (Greeter, None, "it is a Protocol"),
        (Store, None, "it is an abstract class"),
        (Greeter, Store, "it is an abstract class"),
        (Greeter, FrenchGreeter(), "Register a built object with instance"),
        (42, EnglishGreeter, "cannot be an abstract"),
    ],
)
def test_bad_registrations_are_refused_and_change_nothing(container, abstract, concrete, message):
    container.bind(Greeter, EnglishGreeter)
    with pytest.raises(ConfigurationError, match=message):
        container.bind(abstract, concrete)
    assert isinstance(container.make(Greeter), EnglishGreeter)


def test_scoped_and_singleton_refuse_abstract_concretes(container):
    with pytest.raises(ConfigurationError, match="Protocol"):
        container.singleton(Greeter)
    with pytest.raises(ConfigurationError, match="Protocol"):
        container.scoped(Greeter)


def test_factories_receive_the_object_registered_as_the_container_contract(container):
    class Application:  # what a kernel wrapping this container registers
        def __init__(self, inner: Container) -> None:
            self.inner = inner

    app = Application(container)
    container.instance(ContainerContract, app)
    received = []
    container.bind("svc", lambda c: c)
    container.extend("svc", lambda s, c: received.append(c) or s)
    container.resolving("svc", lambda s, c: received.append(c))
    assert container.make("svc") is app
    assert received == [app, app]
    container.forget_instance(ContainerContract)
    assert container.make("svc") is container


def test_a_singleton_rebound_while_it_is_built_is_not_cached(container):
    def factory(c):
        c.bind(Greeter, FrenchGreeter)
        return EnglishGreeter()

    container.singleton(Greeter, factory)
    assert isinstance(container.make(Greeter), EnglishGreeter)
    assert isinstance(container.make(Greeter), FrenchGreeter)
