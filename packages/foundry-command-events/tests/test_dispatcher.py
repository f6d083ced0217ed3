"""The dispatcher keeps the EventDispatcher promises: order, once, matching, isolation."""

from __future__ import annotations

import asyncio
import functools
import logging
import threading
from dataclasses import dataclass

import pytest

from foundry.command_events import (
    Dispatcher,
    DispatchInEventLoopError,
    InvalidListenerError,
    qualified_name,
)
from foundry.domain.events import (
    CommandFailed,
    CommandFinished,
    CommandStarting,
    Event,
    EventDispatcher,
    ListenerPriority,
)


@dataclass(frozen=True)
class OrderPlaced(Event):
    order_id: int


@dataclass(frozen=True)
class ExpressOrderPlaced(OrderPlaced):
    courier: str = "bike"


def recorder(calls: list[str], name: str):
    def listener(event: Event) -> None:
        calls.append(name)

    listener.__qualname__ = name
    return listener


def test_dispatcher_implements_the_event_dispatcher_contract():
    assert isinstance(Dispatcher(), EventDispatcher)


async def test_listeners_run_highest_priority_first():
    dispatcher, calls = Dispatcher(), []
    dispatcher.listen(OrderPlaced, recorder(calls, "low"), priority=ListenerPriority.LOW)
    dispatcher.listen(OrderPlaced, recorder(calls, "highest"), priority=ListenerPriority.HIGHEST)
    dispatcher.listen(OrderPlaced, recorder(calls, "normal"))
    dispatcher.listen(OrderPlaced, recorder(calls, "custom-900"), priority=900)

    await dispatcher.dispatch(OrderPlaced(1))

    assert calls == ["highest", "custom-900", "normal", "low"]


async def test_equal_priorities_run_in_registration_order_across_event_keys():
    dispatcher, calls = Dispatcher(), []
    dispatcher.listen(OrderPlaced, recorder(calls, "first"))
    dispatcher.listen("*", recorder(calls, "second"))
    dispatcher.listen(Event, recorder(calls, "third"))
    dispatcher.listen(ExpressOrderPlaced, recorder(calls, "fourth"))

    await dispatcher.dispatch(ExpressOrderPlaced(1))

    assert calls == ["first", "second", "third", "fourth"]


async def test_listener_on_a_base_class_hears_subclass_events():
    dispatcher, calls = Dispatcher(), []
    dispatcher.listen(OrderPlaced, recorder(calls, "order"))
    dispatcher.listen(ExpressOrderPlaced, recorder(calls, "express"))

    await dispatcher.dispatch(ExpressOrderPlaced(7))
    await dispatcher.dispatch(OrderPlaced(8))

    assert calls == ["order", "express", "order"]


async def test_listener_on_event_hears_framework_and_custom_events():
    dispatcher, seen = Dispatcher(), []
    dispatcher.listen(Event, seen.append)

    await dispatcher.dispatch(CommandStarting("migrate"))
    await dispatcher.dispatch(OrderPlaced(1))

    assert [e.event_name for e in seen] == ["CommandStarting", "OrderPlaced"]


async def test_wildcard_listener_hears_every_event():
    dispatcher, seen = Dispatcher(), []
    dispatcher.listen("*", lambda event: seen.append(event.event_name))

    await dispatcher.dispatch(CommandFinished("migrate", 0, 1.5))
    await dispatcher.dispatch(CommandFailed("migrate", "boom", 1, 2.0))

    assert seen == ["CommandFinished", "CommandFailed"]


async def test_listener_for_another_event_is_not_called():
    dispatcher, calls = Dispatcher(), []
    dispatcher.listen(ExpressOrderPlaced, recorder(calls, "express"))

    await dispatcher.dispatch(OrderPlaced(1))

    assert calls == []


async def test_once_listener_is_called_only_on_the_first_dispatch():
    dispatcher, calls = Dispatcher(), []
    always = recorder(calls, "always")
    dispatcher.listen(OrderPlaced, recorder(calls, "once"), once=True)
    dispatcher.listen(OrderPlaced, always)

    await dispatcher.dispatch(OrderPlaced(1))
    await dispatcher.dispatch(OrderPlaced(2))

    assert calls == ["once", "always", "always"]
    assert dispatcher.listeners(OrderPlaced) == [always]


async def test_once_listener_runs_once_when_two_dispatches_race():
    dispatcher, once_calls = Dispatcher(), []
    gate = asyncio.Event()
    both_waiting = asyncio.Event()
    waiting = 0

    async def slow_gatekeeper(event: Event) -> None:
        nonlocal waiting
        waiting += 1
        if waiting == 2:
            both_waiting.set()
        await gate.wait()

    async def once_listener(event: OrderPlaced) -> None:
        once_calls.append(event.order_id)
        await asyncio.sleep(0)

    # Both dispatches snapshot the once listener before either reaches it.
    dispatcher.listen(OrderPlaced, slow_gatekeeper, priority=ListenerPriority.HIGHEST)
    dispatcher.listen(OrderPlaced, once_listener, once=True)
    first = asyncio.create_task(dispatcher.dispatch(OrderPlaced(1)))
    second = asyncio.create_task(dispatcher.dispatch(OrderPlaced(2)))
    await both_waiting.wait()
    gate.set()
    await asyncio.gather(first, second)

    assert len(once_calls) == 1
    assert dispatcher.listeners(OrderPlaced) == [slow_gatekeeper]


def test_once_listener_runs_once_when_threads_race():
    dispatcher, calls = Dispatcher(), []
    dispatcher.listen(OrderPlaced, recorder(calls, "once"), once=True)
    barrier = threading.Barrier(8)

    def fire() -> None:
        barrier.wait()
        dispatcher.dispatch_sync(OrderPlaced(1))

    threads = [threading.Thread(target=fire) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert calls == ["once"]


async def test_async_and_sync_listeners_both_run_in_priority_order():
    dispatcher, calls = Dispatcher(), []

    async def async_listener(event: Event) -> None:
        await asyncio.sleep(0)
        calls.append("async")

    dispatcher.listen(OrderPlaced, async_listener, priority=ListenerPriority.HIGH)
    dispatcher.listen(OrderPlaced, recorder(calls, "sync"))

    await dispatcher.dispatch(OrderPlaced(1))

    assert calls == ["async", "sync"]


async def test_partial_of_a_coroutine_function_is_awaited():
    dispatcher, calls = Dispatcher(), []

    async def tagged(tag: str, event: Event) -> None:
        calls.append(tag)

    dispatcher.listen(OrderPlaced, functools.partial(tagged, "partial"))
    await dispatcher.dispatch(OrderPlaced(1))

    assert calls == ["partial"]


async def test_forget_one_listener_keeps_the_others():
    dispatcher, calls = Dispatcher(), []
    keep, drop = recorder(calls, "keep"), recorder(calls, "drop")
    dispatcher.listen(OrderPlaced, keep)
    dispatcher.listen(OrderPlaced, drop)

    dispatcher.forget(OrderPlaced, drop)
    await dispatcher.dispatch(OrderPlaced(1))

    assert calls == ["keep"]


async def test_forget_without_listener_removes_all_of_that_event_only():
    dispatcher, calls = Dispatcher(), []
    dispatcher.listen(OrderPlaced, recorder(calls, "a"))
    dispatcher.listen(OrderPlaced, recorder(calls, "b"))
    dispatcher.listen(Event, recorder(calls, "base"))

    dispatcher.forget(OrderPlaced)
    await dispatcher.dispatch(OrderPlaced(1))

    assert calls == ["base"]
    assert dispatcher.listeners(OrderPlaced) == []


def test_forget_of_an_unknown_listener_changes_nothing():
    dispatcher = Dispatcher()
    listener = recorder([], "kept")
    dispatcher.listen(OrderPlaced, listener)

    dispatcher.forget(OrderPlaced, recorder([], "never-registered"))
    dispatcher.forget(ExpressOrderPlaced)

    assert dispatcher.listeners(OrderPlaced) == [listener]


def test_forget_a_bound_method_by_an_equal_bound_method():
    class Audit:
        def record(self, event: Event) -> None: ...

    audit = Audit()
    dispatcher = Dispatcher()
    dispatcher.listen(OrderPlaced, audit.record)

    dispatcher.forget(OrderPlaced, audit.record)  # a new bound-method object, equal

    assert not dispatcher.has_listeners(OrderPlaced)


def test_has_listeners_counts_base_classes_and_wildcards():
    dispatcher = Dispatcher()
    assert not dispatcher.has_listeners(OrderPlaced)

    dispatcher.listen(OrderPlaced, recorder([], "x"))
    assert dispatcher.has_listeners(OrderPlaced)
    assert dispatcher.has_listeners(ExpressOrderPlaced)
    assert not dispatcher.has_listeners(CommandFinished)
    assert not dispatcher.has_listeners("*")

    dispatcher.listen("*", recorder([], "all"))
    assert dispatcher.has_listeners(CommandFinished)
    assert dispatcher.has_listeners("*")


async def test_failing_listener_is_logged_and_the_others_still_run(caplog):
    dispatcher, calls = Dispatcher(), []

    def broken_listener(event: Event) -> None:
        raise ValueError("listener bug")

    dispatcher.listen(OrderPlaced, broken_listener, priority=ListenerPriority.HIGH)
    dispatcher.listen(OrderPlaced, recorder(calls, "after"))

    with caplog.at_level(logging.ERROR, logger="foundry.events"):
        await dispatcher.dispatch(OrderPlaced(1))

    assert calls == ["after"]
    [record] = [r for r in caplog.records if r.name == "foundry.events"]
    message = record.getMessage()
    assert "OrderPlaced" in message
    assert qualified_name(broken_listener) in message
    assert record.exc_info is not None
    assert isinstance(record.exc_info[1], ValueError)


async def test_failing_async_listener_is_logged_and_the_others_still_run(caplog):
    dispatcher, calls = Dispatcher(), []

    async def broken_async(event: Event) -> None:
        await asyncio.sleep(0)
        raise RuntimeError("async listener bug")

    dispatcher.listen(OrderPlaced, broken_async, priority=ListenerPriority.HIGH)
    dispatcher.listen(OrderPlaced, recorder(calls, "after"))

    with caplog.at_level(logging.ERROR, logger="foundry.events"):
        await dispatcher.dispatch(OrderPlaced(1))

    assert calls == ["after"]
    [record] = [r for r in caplog.records if r.name == "foundry.events"]
    assert "broken_async" in record.getMessage()
    assert "OrderPlaced" in record.getMessage()


async def test_listener_registered_during_dispatch_waits_for_the_next_one():
    dispatcher, calls = Dispatcher(), []
    late = recorder(calls, "late")

    def registers_another(event: Event) -> None:
        calls.append("registrar")
        dispatcher.listen(OrderPlaced, late, priority=ListenerPriority.LOWEST)

    dispatcher.listen(OrderPlaced, registers_another, once=True)
    await dispatcher.dispatch(OrderPlaced(1))
    assert calls == ["registrar"]

    await dispatcher.dispatch(OrderPlaced(2))
    assert calls == ["registrar", "late"]


async def test_listener_forgotten_during_dispatch_is_not_called():
    dispatcher, calls = Dispatcher(), []
    victim = recorder(calls, "victim")

    def forgets_victim(event: Event) -> None:
        calls.append("forgetter")
        dispatcher.forget(OrderPlaced, victim)

    dispatcher.listen(OrderPlaced, forgets_victim, priority=ListenerPriority.HIGH)
    dispatcher.listen(OrderPlaced, victim)
    await dispatcher.dispatch(OrderPlaced(1))

    assert calls == ["forgetter"]


def test_dispatch_sync_without_a_loop_runs_async_listeners_to_completion():
    dispatcher, calls = Dispatcher(), []

    async def async_listener(event: Event) -> None:
        await asyncio.sleep(0)
        calls.append("async")

    dispatcher.listen(OrderPlaced, async_listener, priority=ListenerPriority.HIGH)
    dispatcher.listen(OrderPlaced, recorder(calls, "sync"))

    dispatcher.dispatch_sync(OrderPlaced(1))

    assert calls == ["async", "sync"]


def test_dispatch_sync_runs_async_listeners_of_one_dispatch_on_one_loop():
    dispatcher, loops = Dispatcher(), []

    async def remember_loop(event: Event) -> None:
        loops.append(asyncio.get_running_loop())

    dispatcher.listen(OrderPlaced, remember_loop)
    dispatcher.listen(OrderPlaced, remember_loop)

    dispatcher.dispatch_sync(OrderPlaced(1))

    assert len(loops) == 2
    assert loops[0] is loops[1]
    assert loops[0].is_closed()


def test_dispatch_sync_isolates_a_failing_async_listener(caplog):
    dispatcher, calls = Dispatcher(), []

    async def broken(event: Event) -> None:
        raise KeyError("missing")

    dispatcher.listen(OrderPlaced, broken)
    dispatcher.listen(OrderPlaced, recorder(calls, "after"))

    with caplog.at_level(logging.ERROR, logger="foundry.events"):
        dispatcher.dispatch_sync(OrderPlaced(1))

    assert calls == ["after"]
    assert any("broken" in r.getMessage() for r in caplog.records)


async def test_dispatch_sync_inside_a_running_loop_is_refused_with_the_fix():
    dispatcher, calls = Dispatcher(), []
    dispatcher.listen(OrderPlaced, recorder(calls, "never"))

    with pytest.raises(RuntimeError, match=r"await dispatcher\.dispatch\(event\)") as info:
        dispatcher.dispatch_sync(OrderPlaced(1))

    assert isinstance(info.value, DispatchInEventLoopError)
    assert calls == []


async def test_decorator_registers_and_returns_the_function():
    dispatcher, seen = Dispatcher(), []

    @dispatcher.on(CommandFinished, priority=ListenerPriority.HIGH, once=True)
    async def announce(event: CommandFinished) -> None:
        seen.append(event.command)

    await dispatcher.dispatch(CommandFinished("cache:clear", 0, 3.0))
    await dispatcher.dispatch(CommandFinished("cache:clear", 0, 3.0))

    assert seen == ["cache:clear"]
    assert callable(announce)


@pytest.mark.parametrize("key", ["OrderPlaced", "command.*", 42, object])
def test_listening_to_something_that_is_not_an_event_class_fails_clearly(key):
    with pytest.raises(InvalidListenerError, match=r"Event subclass .* \"\*\""):
        Dispatcher().listen(key, print)


def test_listener_that_is_not_callable_fails_clearly():
    with pytest.raises(InvalidListenerError, match="not a callable"):
        Dispatcher().listen(OrderPlaced, "app.listeners:audit")  # type: ignore[arg-type]


@pytest.mark.parametrize("priority", ["high", 1.5, True])
def test_priority_that_is_not_an_int_fails_clearly(priority):
    dispatcher = Dispatcher()
    with pytest.raises(InvalidListenerError, match="is not an int"):
        dispatcher.listen(OrderPlaced, print, priority=priority)
    assert not dispatcher.has_listeners(OrderPlaced)


def test_invalid_listener_error_is_also_a_type_error():
    with pytest.raises(TypeError):
        Dispatcher().listen(OrderPlaced, None)  # type: ignore[arg-type]
