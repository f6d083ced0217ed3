"""Threads and asyncio tasks resolving at the same time."""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from foundry.domain.errors import CircularDependencyError


class Slow:
    pass


class Client:
    def __init__(self, slow: Slow) -> None:
        self.slow = slow


def _run_threads(count, target):
    results, errors = [], []

    def run():
        try:
            results.append(target())
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert not any(thread.is_alive() for thread in threads), "a thread hung"
    return results, errors


def test_a_singleton_raced_by_threads_is_built_once(container):
    calls = []
    barrier = threading.Barrier(8)

    def factory(c):
        calls.append(1)
        return Slow()

    container.singleton(Slow, factory)

    def resolve():
        barrier.wait(5)
        return container.make(Slow)

    results, errors = _run_threads(8, resolve)
    assert errors == []
    assert len(calls) == 1
    assert all(r is results[0] for r in results)


def test_a_slow_singleton_factory_is_waited_for_not_rebuilt(container):
    calls = []
    entered = threading.Event()
    release = threading.Event()

    def factory(c):
        calls.append(1)
        entered.set()
        release.wait(5)
        return Slow()

    container.singleton(Slow, factory)
    with ThreadPoolExecutor(4) as pool:
        futures = [pool.submit(container.make, Slow) for _ in range(4)]
        assert entered.wait(5)
        release.set()
        results = [f.result(10) for f in futures]
    assert len(calls) == 1
    assert all(r is results[0] for r in results)


def test_threads_building_the_same_transient_are_not_mistaken_for_a_cycle(container):
    # All threads are inside make(Client) -> make(Slow) at once: a resolution stack
    # shared between threads would see Slow twice and report a false cycle.
    barrier = threading.Barrier(6)

    def factory(c):
        barrier.wait(5)
        return Slow()

    container.bind(Slow, factory)
    results, errors = _run_threads(6, lambda: container.make(Client))
    assert errors == []
    assert len({id(r.slow) for r in results}) == 6


def test_unrelated_singletons_build_in_parallel(container):
    # Each factory waits for the other to start: a global lock would deadlock here.
    barrier = threading.Barrier(2)
    container.singleton("a", lambda c: (barrier.wait(5) and "a") or "a")
    container.singleton("b", lambda c: (barrier.wait(5) and "b") or "b")
    with ThreadPoolExecutor(2) as pool:
        a = pool.submit(container.make, "a")
        b = pool.submit(container.make, "b")
        assert (a.result(10), b.result(10)) == ("a", "b")


def test_a_cycle_split_across_two_threads_is_reported_not_deadlocked(container):
    barrier = threading.Barrier(2)
    first_time = {"a", "b"}

    def builder(name, other):
        def factory(c):
            if name in first_time:
                first_time.discard(name)
                barrier.wait(5)  # both threads now hold their own singleton's lock
            return (name, c.make(other))

        return factory

    container.singleton("a", builder("a", "b"))
    container.singleton("b", builder("b", "a"))
    with ThreadPoolExecutor(2) as pool:
        futures = [pool.submit(container.make, "a"), pool.submit(container.make, "b")]
        outcomes = []
        for future in futures:
            with pytest.raises(CircularDependencyError) as info:
                future.result(10)
            outcomes.append(info.value.chain)
    for chain in outcomes:
        assert chain[0] == chain[-1]
        assert set(chain) == {"a", "b"}
    assert container._guard.held() == 0


def test_scoped_instances_are_built_once_per_scope_across_threads(container):
    calls = []
    barrier = threading.Barrier(4)

    def factory(c):
        calls.append(1)
        return Slow()

    container.scoped(Slow, factory)
    with container.scope(), ThreadPoolExecutor(4) as pool:
        import contextvars

        def resolve():
            barrier.wait(5)
            return container.make(Slow)

        futures = [pool.submit(contextvars.copy_context().run, resolve) for _ in range(4)]
        results = [f.result(10) for f in futures]
    assert len(calls) == 1
    assert all(r is results[0] for r in results)
    assert container._guard.held() == 0


async def test_asyncio_tasks_resolving_through_threads_do_not_see_false_cycles(container):
    barrier = threading.Barrier(4)

    def factory(c):
        barrier.wait(5)
        return Slow()

    container.bind(Slow, factory)

    async def request() -> Client:
        return await asyncio.to_thread(container.make, Client)

    clients = await asyncio.gather(*(request() for _ in range(4)))
    assert len({id(c.slow) for c in clients}) == 4


async def test_a_cycle_is_still_reported_in_each_concurrent_task(container):
    container.scoped("a", lambda c: c.make("b"))
    container.scoped("b", lambda c: c.make("a"))

    async def request() -> str:
        with container.scope():
            await asyncio.sleep(0)
            try:
                container.make("a")
            except CircularDependencyError as exc:
                return exc.message
            return "no error"

    messages = await asyncio.gather(*(request() for _ in range(5)))
    assert all("a -> b -> a" in m for m in messages)
