"""tag / tagged, extend, resolving callbacks."""

from __future__ import annotations

import pytest

from foundry.domain.errors import ConfigurationError


class CpuReport:
    pass


class DiskReport:
    pass


class Mailer:
    def __init__(self) -> None:
        self.layers: list[str] = []


class Logged:
    def __init__(self, inner: object) -> None:
        self.inner = inner


def test_tagged_resolves_every_tagged_abstract_in_order(container):
    container.singleton(DiskReport)
    container.tag([CpuReport, DiskReport], "reports", "health")
    reports = container.tagged("reports")
    assert [type(r) for r in reports] == [CpuReport, DiskReport]
    assert container.tagged("health")[1] is reports[1]


def test_tagging_twice_does_not_duplicate(container):
    container.tag([CpuReport], "reports")
    container.tag([CpuReport, DiskReport], "reports")
    assert [type(r) for r in container.tagged("reports")] == [CpuReport, DiskReport]


def test_a_single_abstract_can_be_tagged_without_a_list(container):
    container.instance("cpu", 1)
    container.tag("cpu", "metrics")
    assert container.tagged("metrics") == [1]


def test_unknown_tag_is_empty(container):
    assert container.tagged("nothing") == []


def test_tag_needs_a_tag_name(container):
    with pytest.raises(ConfigurationError, match="at least one tag"):
        container.tag([CpuReport])


def test_extend_decorates_every_build(container):
    container.bind(Mailer)
    container.extend(Mailer, lambda m, c: Logged(m))
    first, second = container.make(Mailer), container.make(Mailer)
    assert isinstance(first, Logged)
    assert first.inner is not second.inner


def test_extenders_apply_in_registration_order_and_receive_the_container(container):
    seen = []

    def add(label):
        def extender(mailer, c):
            seen.append(c)
            mailer.layers.append(label)
            return mailer

        return extender

    container.extend(Mailer, add("a"))
    container.extend(Mailer, add("b"))
    assert container.make(Mailer).layers == ["a", "b"]
    assert seen == [container, container]


def test_extend_replaces_an_already_built_singleton(container):
    container.singleton(Mailer)
    built = container.make(Mailer)
    container.extend(Mailer, lambda m, c: Logged(m))
    extended = container.make(Mailer)
    assert isinstance(extended, Logged)
    assert extended.inner is built
    assert container.make(Mailer) is extended


def test_extend_replaces_an_instance_and_survives_a_rebuild(container):
    container.instance("greeting", "hi")
    container.extend("greeting", lambda g, c: g.upper())
    assert container.make("greeting") == "HI"
    container.singleton("greeting", lambda c: "hello")
    assert container.make("greeting") == "HELLO"


def test_extend_through_an_alias_targets_the_abstract(container):
    container.singleton(Mailer)
    container.alias(Mailer, "mailer")
    container.extend("mailer", lambda m, c: Logged(m))
    assert isinstance(container.make(Mailer), Logged)


def test_extending_inside_the_factory_being_built_is_refused(container):
    def factory(c):
        c.extend("svc", lambda s, c: s)
        return "svc"

    container.singleton("svc", factory)
    with pytest.raises(ConfigurationError, match="while it is being built"):
        container.make("svc")


def test_resolving_callbacks_run_for_each_new_build(container):
    seen = []
    container.resolving(Mailer, lambda m, c: seen.append((m, c)))
    first = container.make(Mailer)
    second = container.make(Mailer)
    assert seen == [(first, container), (second, container)]


def test_resolving_callbacks_run_once_for_singletons_and_never_for_instances(container):
    seen = []
    container.resolving(Mailer, lambda m, c: seen.append(m))
    container.resolving("given", lambda m, c: seen.append(m))
    container.singleton(Mailer)
    container.make(Mailer)
    container.make(Mailer)
    container.instance("given", object())
    container.make("given")
    assert len(seen) == 1


def test_resolving_callbacks_see_the_extended_object(container):
    seen = []
    container.extend(Mailer, lambda m, c: Logged(m))
    container.resolving(Mailer, lambda m, c: seen.append(type(m)))
    container.make(Mailer)
    assert seen == [Logged]
