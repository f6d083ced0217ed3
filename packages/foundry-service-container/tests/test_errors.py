"""Unbound contracts and circular dependencies."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Protocol

import pytest

from foundry.domain.cache import Cache
from foundry.domain.contracts import unbound_message
from foundry.domain.errors import BindingResolutionError, CircularDependencyError


class Unmarked(Protocol):
    def run(self) -> None: ...


class Storage(ABC):
    @abstractmethod
    def put(self) -> None: ...


class First:
    def __init__(self, second: Second) -> None:
        self.second = second


class Second:
    def __init__(self, third: Third) -> None:
        self.third = third


class Third:
    def __init__(self, first: First) -> None:
        self.first = first


class SelfLoving:
    def __init__(self, me: SelfLoving) -> None:
        self.me = me


class Entry:
    def __init__(self, first: First) -> None:
        self.first = first


@pytest.mark.parametrize("abstract", [Cache, Unmarked, Storage, "mailer"])
def test_unbound_protocols_abcs_and_keys_raise_the_unbound_message(container, abstract):
    with pytest.raises(BindingResolutionError) as info:
        container.make(abstract)
    assert info.value.message == unbound_message(abstract)


def test_unbound_marked_contract_names_the_package_to_install(container):
    with pytest.raises(BindingResolutionError, match="Install foundry-cache"):
        container.make(Cache)


def test_builtin_types_are_not_services(container):
    with pytest.raises(BindingResolutionError, match="int cannot be built: it is a builtin"):
        container.make(int)


def test_circular_constructor_dependencies_report_the_chain(container):
    with pytest.raises(CircularDependencyError) as info:
        container.make(First)
    assert info.value.chain == ["First", "Second", "Third", "First"]
    assert "First -> Second -> Third -> First" in info.value.message


def test_chain_starts_at_the_repeated_service(container):
    with pytest.raises(CircularDependencyError) as info:
        container.make(Entry)
    assert info.value.chain == ["First", "Second", "Third", "First"]


def test_a_class_needing_itself_is_circular(container):
    with pytest.raises(CircularDependencyError, match="SelfLoving -> SelfLoving"):
        container.make(SelfLoving)


def test_circular_factories_through_singletons_report_the_chain(container):
    container.singleton("a", lambda c: ("a", c.make("b")))
    container.singleton("b", lambda c: ("b", c.make("a")))
    with pytest.raises(CircularDependencyError) as info:
        container.make("a")
    assert info.value.chain == ["a", "b", "a"]
    # nothing half-built was kept: breaking the cycle makes both resolvable
    container.singleton("b", lambda c: "b")
    assert container.make("a") == ("a", "b")


def test_circular_scoped_bindings_report_the_chain(container):
    container.scoped("a", lambda c: c.make("b"))
    container.scoped("b", lambda c: c.make("a"))
    with container.scope(), pytest.raises(CircularDependencyError, match="a -> b -> a"):
        container.make("a")


def test_the_resolution_stack_is_clean_after_an_error(container):
    with pytest.raises(CircularDependencyError):
        container.make(First)
    assert container._stack.get() == ()
    container.instance(Third, object())
    assert isinstance(container.make(First), First)


def test_errors_are_foundry_errors_with_codes(container):
    with pytest.raises(BindingResolutionError) as info:
        container.make(Cache)
    assert info.value.to_dict()["code"] == "BINDING_RESOLUTION"
    with pytest.raises(CircularDependencyError) as circular:
        container.make(SelfLoving)
    assert circular.value.to_dict()["code"] == "CIRCULAR_DEPENDENCY"
