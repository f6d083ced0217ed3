"""defer(abstracts, loader): deferred providers."""

from __future__ import annotations

import threading

import pytest

from foundry.domain.errors import BindingResolutionError


class Queue:
    pass


class Dispatcher:
    pass


def test_bound_reports_deferred_abstracts_without_loading(container):
    calls = []
    container.defer([Queue, Dispatcher], lambda: calls.append(1))
    assert container.bound(Queue)
    assert container.bound(Dispatcher)
    assert calls == []


def test_first_resolution_runs_the_loader_once(container):
    calls = []

    def loader():
        calls.append(1)
        container.singleton(Queue)
        container.singleton(Dispatcher)

    container.defer([Queue, Dispatcher], loader)
    queue = container.make(Queue)
    assert container.make(Queue) is queue
    assert isinstance(container.make(Dispatcher), Dispatcher)
    assert calls == [1]


def test_deferred_rows_disappear_once_loaded(container):
    container.defer(["queue"], lambda: container.instance("queue", "q"))
    assert [r.lifetime for r in container.bindings_info() if r.abstract == "queue"] == ["deferred"]
    container.make("queue")
    assert [r.lifetime for r in container.bindings_info() if r.abstract == "queue"] == ["instance"]


def test_a_later_explicit_binding_wins_over_the_deferral(container):
    calls = []
    container.defer(["queue"], lambda: calls.append(1))
    container.instance("queue", "explicit")
    assert container.make("queue") == "explicit"
    assert calls == []


def test_a_deferral_made_after_a_binding_is_loaded_on_resolution(container):
    container.bind("queue", lambda c: "default")
    container.defer(["queue"], lambda: container.bind("queue", lambda c: "provided"))
    assert container.make("queue") == "provided"


def test_loader_that_binds_nothing_leaves_a_clear_error(container):
    container.defer(["queue"], lambda: None)
    with pytest.raises(BindingResolutionError, match="No queue is bound"):
        container.make("queue")


def test_failing_loader_is_tried_again(container):
    attempts = []

    def loader():
        attempts.append(1)
        if len(attempts) == 1:
            raise RuntimeError("database not reachable")
        container.instance("queue", "q")

    container.defer(["queue"], loader)
    with pytest.raises(RuntimeError, match="database not reachable"):
        container.make("queue")
    assert container.bound("queue")
    assert container.make("queue") == "q"
    assert len(attempts) == 2


def test_loader_resolving_its_own_abstract_does_not_recurse(container):
    def loader():
        container.instance("queue", "q")
        assert container.make("queue") == "q"

    container.defer(["queue"], loader)
    assert container.make("queue") == "q"


def test_deferred_alias_target_is_loaded(container):
    container.defer([Queue], lambda: container.singleton(Queue))
    container.alias(Queue, "queue")
    assert isinstance(container.make("queue"), Queue)


def test_concurrent_first_resolutions_wait_for_one_load(container):
    calls = []
    started = threading.Event()
    release = threading.Event()

    def loader():
        calls.append(1)
        started.set()
        release.wait(5)
        container.singleton(Queue)

    container.defer([Queue], loader)
    results = []
    threads = [
        threading.Thread(target=lambda: results.append(container.make(Queue))) for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    assert started.wait(5)
    release.set()
    for thread in threads:
        thread.join(5)
    assert calls == [1]
    assert len(results) == 4
    assert all(r is results[0] for r in results)
