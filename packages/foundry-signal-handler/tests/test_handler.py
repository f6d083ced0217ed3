"""The coordinator in-process: phases, deadlines, validation, installing and restoring."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import threading

import pytest

from foundry.domain.errors import ConfigurationError
from foundry.domain.signals import ShutdownCoordinator, ShutdownPhase
from foundry.signal_handler import Outcome, SignalHandler, SignalHandlerError


def test_signal_handler_implements_the_shutdown_coordinator_contract():
    assert isinstance(SignalHandler(), ShutdownCoordinator)


async def test_phases_run_in_order_and_callbacks_in_registration_order():
    handler, calls = SignalHandler(), []

    async def async_drain() -> None:
        await asyncio.sleep(0)
        calls.append("SHUTDOWN:async-drain")

    handler.on(ShutdownPhase.POST_SHUTDOWN, lambda: calls.append("POST:close-pools"))
    handler.on(ShutdownPhase.SHUTDOWN, lambda: calls.append("SHUTDOWN:sync-drain"))
    handler.on(ShutdownPhase.SHUTDOWN, async_drain)
    handler.on(ShutdownPhase.PRE_SHUTDOWN, lambda: calls.append("PRE:stop-accepting"))
    handler.on(ShutdownPhase.POST_SHUTDOWN, lambda: calls.append("POST:flush-logs"))

    await handler.shutdown()

    assert calls == [
        "PRE:stop-accepting",
        "SHUTDOWN:sync-drain",
        "SHUTDOWN:async-drain",
        "POST:close-pools",
        "POST:flush-logs",
    ]
    assert [o.outcome for o in handler.outcomes] == [Outcome.DONE] * 5


async def test_overrunning_async_callback_is_cancelled_and_the_next_phase_runs(caplog):
    handler, calls = SignalHandler(), []

    async def never_finishes() -> None:
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            calls.append("cancelled")
            raise

    handler.on(ShutdownPhase.SHUTDOWN, never_finishes, timeout=0.05)
    handler.on(ShutdownPhase.POST_SHUTDOWN, lambda: calls.append("post"))

    with caplog.at_level(logging.WARNING, logger="foundry.signals"):
        await handler.shutdown()
        await asyncio.sleep(0)  # let the cancellation reach the abandoned task

    assert sorted(calls) == ["cancelled", "post"]
    assert handler.outcomes[0].outcome is Outcome.TIMED_OUT
    assert any("never_finishes (SHUTDOWN) did not finish" in r.getMessage() for r in caplog.records)


async def test_blocking_sync_callback_is_abandoned_at_its_deadline():
    handler, calls = SignalHandler(pre_shutdown_timeout=0.05), []
    release = threading.Event()

    def blocks() -> None:
        release.wait()
        calls.append("blocking finished")

    handler.on(ShutdownPhase.PRE_SHUTDOWN, blocks)  # the phase default (0.05 s) applies
    handler.on(ShutdownPhase.SHUTDOWN, lambda: calls.append("shutdown ran"))
    try:
        await handler.shutdown()
        assert calls == ["shutdown ran"]
        assert handler.outcomes[0].outcome is Outcome.TIMED_OUT
    finally:
        release.set()


async def test_sync_callbacks_run_off_the_event_loop_thread():
    handler, threads = SignalHandler(), []
    handler.on(ShutdownPhase.SHUTDOWN, lambda: threads.append(threading.current_thread()))

    await handler.shutdown()

    assert threads
    assert threads[0] is not threading.main_thread()
    assert threads[0].daemon


async def test_failing_callback_is_logged_and_the_shutdown_goes_on(caplog):
    handler, calls = SignalHandler(), []

    def broken_flush() -> None:
        raise OSError("disk full")

    async def broken_close() -> None:
        raise RuntimeError("pool already closed")

    handler.on(ShutdownPhase.SHUTDOWN, broken_flush)
    handler.on(ShutdownPhase.SHUTDOWN, broken_close)
    handler.on(ShutdownPhase.POST_SHUTDOWN, lambda: calls.append("post"))

    with caplog.at_level(logging.ERROR, logger="foundry.signals"):
        await handler.shutdown()

    assert calls == ["post"]
    assert [o.outcome for o in handler.outcomes] == [Outcome.FAILED, Outcome.FAILED, Outcome.DONE]
    messages = [r.getMessage() for r in caplog.records if r.name == "foundry.signals"]
    assert any("broken_flush (SHUTDOWN) failed" in m for m in messages)
    assert any("broken_close (SHUTDOWN) failed" in m for m in messages)


async def test_concurrent_shutdowns_run_the_phases_once():
    handler, calls = SignalHandler(), []

    async def drain() -> None:
        await asyncio.sleep(0)
        calls.append("drain")

    handler.on(ShutdownPhase.SHUTDOWN, drain)

    await asyncio.gather(handler.shutdown("first"), handler.shutdown("second"))
    await handler.shutdown("third")

    assert calls == ["drain"]
    assert handler.shutting_down


async def test_cancelling_the_caller_does_not_cancel_the_shutdown():
    handler, calls = SignalHandler(), []
    gate = asyncio.Event()

    async def drain() -> None:
        await gate.wait()
        calls.append("drained")

    handler.on(ShutdownPhase.SHUTDOWN, drain)
    caller = asyncio.create_task(handler.shutdown())
    await asyncio.sleep(0)
    caller.cancel()
    with pytest.raises(asyncio.CancelledError):
        await caller
    gate.set()
    await handler.shutdown()  # joins the shutdown the cancelled caller started

    assert calls == ["drained"]


async def test_wait_returns_the_reason_of_a_shutdown_requested_in_code():
    async with SignalHandler() as handler:
        waiter = asyncio.create_task(handler.wait())
        await asyncio.sleep(0)
        await handler.shutdown("deploy")
        assert await waiter == "deploy"
        assert handler.received is None
        assert handler.exit_status == 0


async def test_wait_returns_the_name_of_a_real_termination_signal():
    async with SignalHandler() as handler:
        os.kill(os.getpid(), signal.SIGHUP)  # no callback: SIGHUP means "terminate"
        assert await handler.wait() == "SIGHUP"
        assert handler.shutting_down
    assert handler.exit_status == 128 + signal.SIGHUP


async def test_signal_callback_runs_on_a_real_signal_without_shutting_down():
    handler = SignalHandler()
    reloaded = asyncio.Event()

    async def reload_config() -> None:
        reloaded.set()

    handler.on_signal(signal.SIGUSR1, reload_config)
    async with handler:
        os.kill(os.getpid(), signal.SIGUSR1)
        await reloaded.wait()
        assert not handler.shutting_down


async def test_signal_callback_added_after_install_is_trapped():
    handler = SignalHandler()
    heard = asyncio.Event()
    async with handler:
        handler.on_signal(signal.SIGUSR2, heard.set)
        os.kill(os.getpid(), signal.SIGUSR2)
        await heard.wait()
    assert signal.getsignal(signal.SIGUSR2) is signal.SIG_DFL


async def test_failing_signal_callback_is_logged_and_the_process_keeps_running(caplog):
    handler = SignalHandler()
    survived = asyncio.Event()

    def broken_reload() -> None:
        raise ValueError("bad config")

    handler.on_signal(signal.SIGHUP, broken_reload)
    handler.on_signal(signal.SIGHUP, survived.set)
    with caplog.at_level(logging.ERROR, logger="foundry.signals"):
        async with handler:
            os.kill(os.getpid(), signal.SIGHUP)
            await survived.wait()
    assert not handler.shutting_down
    assert any("broken_reload for SIGHUP failed" in r.getMessage() for r in caplog.records)


async def test_uninstall_restores_the_previous_handlers():
    def previous_hup(signum, frame) -> None: ...

    before_int = signal.getsignal(signal.SIGINT)
    original_hup = signal.signal(signal.SIGHUP, previous_hup)
    try:
        handler = SignalHandler()
        handler.install()
        assert signal.getsignal(signal.SIGHUP) is not previous_hup
        handler.uninstall()
        assert signal.getsignal(signal.SIGHUP) is previous_hup
        assert signal.getsignal(signal.SIGINT) is before_int
        assert not handler.installed
    finally:
        signal.signal(signal.SIGHUP, original_hup)


async def test_uninstall_after_a_shutdown_restores_sigint():
    before = signal.getsignal(signal.SIGINT)
    async with SignalHandler() as handler:
        await handler.shutdown()
        assert signal.getsignal(signal.SIGINT) is not before  # a 2nd Ctrl-C would force
    assert signal.getsignal(signal.SIGINT) is before


async def test_install_twice_on_the_same_loop_is_harmless():
    handler = SignalHandler()
    handler.install()
    handler.install()
    handler.uninstall()
    handler.uninstall()
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL


def test_install_without_an_event_loop_names_the_fix():
    with pytest.raises(SignalHandlerError, match="needs an event loop"):
        SignalHandler().install()


def test_install_from_a_thread_that_is_not_main_fails_clearly():
    errors: list[BaseException] = []

    async def install_here() -> None:
        try:
            SignalHandler().install()
        except SignalHandlerError as exc:
            errors.append(exc)

    thread = threading.Thread(target=lambda: asyncio.run(install_here()))
    thread.start()
    thread.join()

    assert len(errors) == 1
    assert "main thread" in str(errors[0])
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL


@pytest.mark.parametrize("timeout", [0, -1, "5", True, float("nan")])
def test_timeout_that_is_not_a_positive_number_is_rejected(timeout):
    handler = SignalHandler()
    with pytest.raises(SignalHandlerError, match="not a positive number of seconds"):
        handler.on(ShutdownPhase.SHUTDOWN, print, timeout=timeout)
    with pytest.raises(SignalHandlerError, match="SHUTDOWN"):
        SignalHandler(shutdown_timeout=timeout)


def test_callback_that_is_not_callable_is_rejected():
    with pytest.raises(SignalHandlerError, match="not a callable"):
        SignalHandler().on(ShutdownPhase.SHUTDOWN, "app:close")  # type: ignore[arg-type]


def test_phase_that_is_not_a_shutdown_phase_is_rejected():
    with pytest.raises(SignalHandlerError, match="not a ShutdownPhase"):
        SignalHandler().on(2, print)  # type: ignore[arg-type]


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGQUIT])
def test_termination_signals_cannot_be_claimed_by_a_callback(sig):
    with pytest.raises(SignalHandlerError, match=r"always start the graceful shutdown"):
        SignalHandler().on_signal(sig, print)


@pytest.mark.parametrize("sig", [signal.SIGKILL, 999, "SIGHUP"])
def test_unknown_or_uncatchable_signals_are_rejected(sig):
    with pytest.raises(SignalHandlerError, match="Only SIGHUP, SIGUSR1, SIGUSR2"):
        SignalHandler().on_signal(sig, print)


def test_signal_handler_errors_are_configuration_errors():
    assert issubclass(SignalHandlerError, ConfigurationError)


def test_handler_left_installed_on_a_finished_loop_can_be_used_on_the_next_one():
    before = signal.getsignal(signal.SIGHUP)  # SIG_IGN under nohup, SIG_DFL otherwise
    handler = SignalHandler()

    async def first_run() -> None:
        handler.install()  # and never uninstalled

    async def second_run() -> str:
        waiter = asyncio.create_task(handler.wait())
        await asyncio.sleep(0)
        os.kill(os.getpid(), signal.SIGHUP)
        return await waiter

    asyncio.run(first_run())
    try:
        assert asyncio.run(second_run()) == "SIGHUP"
    finally:
        handler.uninstall()
    assert signal.getsignal(signal.SIGHUP) is before
