"""Scoped bindings and container.scope()."""

from __future__ import annotations

import asyncio

import pytest

from foundry.domain.errors import BindingResolutionError


class RequestContext:
    instances = 0

    def __init__(self) -> None:
        RequestContext.instances += 1
        self.closed = False

    def close(self) -> None:
        self.closed = True


class Uses:
    def __init__(self, ctx: RequestContext) -> None:
        self.ctx = ctx


class AsyncResource:
    closed = False

    async def close(self) -> None:
        self.closed = True


class BrokenClose:
    def close(self) -> None:
        raise OSError("socket already gone")


def test_one_instance_per_scope(container):
    container.scoped(RequestContext)
    with container.scope():
        first = container.make(RequestContext)
        assert container.make(Uses).ctx is first
    with container.scope():
        second = container.make(RequestContext)
    assert first is not second


def test_resolving_a_scoped_binding_outside_a_scope_is_a_clear_error(container):
    container.scoped(RequestContext)
    with pytest.raises(BindingResolutionError) as info:
        container.make(RequestContext)
    message = info.value.message
    assert "bound as scoped and no scope is open" in message
    assert "with container.scope():" in message


def test_scoped_dependency_outside_a_scope_names_the_parameter(container):
    container.scoped(RequestContext)
    with pytest.raises(BindingResolutionError, match='parameter "ctx" of Uses'):
        container.make(Uses)


def test_inner_scope_is_fresh_and_outer_is_restored(container):
    container.scoped(RequestContext)
    with container.scope():
        outer = container.make(RequestContext)
        with container.scope():
            inner = container.make(RequestContext)
            assert inner is not outer
        assert inner.closed
        assert not outer.closed
        assert container.make(RequestContext) is outer
    assert outer.closed


def test_scope_exit_closes_sync_close_and_skips_async_close(container):
    container.scoped(RequestContext)
    container.scoped(AsyncResource)
    with container.scope():
        ctx = container.make(RequestContext)
        resource = container.make(AsyncResource)
    assert ctx.closed
    assert not resource.closed  # async clean-up belongs to FastAPI dependencies


def test_singletons_are_not_closed_by_a_scope(container):
    container.singleton(RequestContext)
    with container.scope():
        shared = container.make(RequestContext)
    assert not shared.closed


def test_a_failing_close_still_closes_the_others_and_is_raised(container):
    container.scoped(RequestContext)
    container.scoped(BrokenClose)
    built = []

    def handle_request():
        with container.scope():
            built.append(container.make(RequestContext))
            container.make(BrokenClose)

    with pytest.raises(OSError, match="socket already gone"):
        handle_request()
    assert built[0].closed


def test_a_failing_close_does_not_hide_the_error_of_the_block(container):
    container.scoped(BrokenClose)

    def handle_request():
        with container.scope():
            container.make(BrokenClose)
            raise ValueError("handler failed")

    with pytest.raises(ValueError, match="handler failed") as info:
        handle_request()
    assert any("socket already gone" in note for note in info.value.__notes__)


def test_forget_instance_drops_the_scoped_instance(container):
    container.scoped(RequestContext)
    with container.scope():
        first = container.make(RequestContext)
        container.forget_instance(RequestContext)
        assert container.make(RequestContext) is not first


def test_a_scope_object_cannot_be_entered_twice(container):
    scope = container.scope()
    with scope, pytest.raises(RuntimeError, match="already open"):
        scope.__enter__()


def test_scopes_of_two_containers_are_independent(container):
    from foundry.service_container import Container

    other = Container()
    container.scoped(RequestContext)
    other.scoped(RequestContext)
    with container.scope():
        container.make(RequestContext)
        with pytest.raises(BindingResolutionError, match="no scope is open"):
            other.make(RequestContext)


async def test_concurrent_asyncio_tasks_each_get_their_own_scope(container):
    container.scoped(RequestContext)

    async def request() -> tuple[RequestContext, RequestContext]:
        with container.scope():
            first = container.make(RequestContext)
            await asyncio.sleep(0.01)
            return first, container.make(RequestContext)

    results = await asyncio.gather(*(request() for _ in range(10)))
    assert all(first is second for first, second in results)
    assert len({id(first) for first, _ in results}) == 10
    assert all(first.closed for first, _ in results)


async def test_work_sent_to_a_thread_stays_in_its_request_scope(container):
    container.scoped(RequestContext)
    with container.scope():
        here = container.make(RequestContext)
        there = await asyncio.to_thread(container.make, RequestContext)
    assert here is there
