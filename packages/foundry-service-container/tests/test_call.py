"""``container.call(fn)``: a function's parameters resolved like a constructor's.

Written under ``from __future__ import annotations``, so every hint here is a string the
container has to evaluate against this module.
"""

from __future__ import annotations

import asyncio
import functools
import gc
import threading
import weakref
from typing import Any, Protocol

import pytest

from foundry.domain.container import Container as ContainerContract
from foundry.domain.errors import BindingResolutionError, CircularDependencyError
from foundry.domain.mail import Mailer
from foundry.service_container import Container, calling


class Clock:
    def now(self) -> str:
        return "08:00"


class FrozenClock(Clock):
    def now(self) -> str:
        return "frozen"


class Repository:
    pass


class Greeter(Protocol):
    def greet(self) -> str: ...


class Report:
    """A service with a constructor of its own (``days`` has no default)."""

    def __init__(self, days: int) -> None:
        self.days = days


class Looping:
    def __init__(self, again: Looping) -> None:
        self.again = again


class Task:
    def __init__(self, name: str) -> None:
        self.name = name

    def run(self, clock: Clock, times: int = 1) -> str:
        return f"{self.name} at {clock.now()} x{times}"

    async def run_later(self, clock: Clock) -> str:
        return f"{self.name} later at {clock.now()}"

    @classmethod
    def describe(cls, repository: Repository) -> str:
        return f"{cls.__name__} with {type(repository).__name__}"

    @staticmethod
    def helper(clock: Clock) -> str:
        return clock.now()


class Invokable:
    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def __call__(self, clock: Clock, suffix: str = "!") -> str:
        return f"{self.prefix} {clock.now()}{suffix}"


class AsyncInvokable:
    async def __call__(self, clock: Clock) -> str:
        return f"async {clock.now()}"


class Built:
    def __init__(self, clock: Clock, label: str = "built") -> None:
        self.clock, self.label = clock, label


def stamp(title: str, clock: Clock, copies: int = 1) -> str:
    return f"{title} at {clock.now()} x{copies}"


def positional_only(clock: Clock, /, title: str) -> str:
    return f"{title}@{clock.now()}"


def with_extras(clock: Clock, *rest: Any, flag: bool = False, **extra: Any) -> Any:
    return clock, rest, flag, extra


def needs_a_number(count: int) -> int:
    return count


def untyped(thing):  # type: ignore[no-untyped-def]
    return thing


def bad_hint(thing: NotDefinedAnywhere) -> None:  # type: ignore[name-defined]  # noqa: F821
    return None


def bad_hint_with_default(
    clock: Clock,
    thing: NotDefinedAnywhere = "kept",  # type: ignore[name-defined]  # noqa: F821
) -> Any:
    return thing


def wants_mailer(mailer: Mailer) -> None:
    return None


def greeter_or_default(greeter: Greeter = "fallback", name: str = "ada") -> Any:  # type: ignore[assignment]
    return greeter, name


def optional_clock(clock: Clock | None, other: Greeter | None = None) -> Any:
    return clock, other


def wants_report(report: Report) -> Report:
    return report


def wants_looping(looping: Looping) -> Looping:
    return looping


def provider(clock: Clock, task: Task | None = None) -> Any:
    return clock, task


def wants_container(container: ContainerContract) -> ContainerContract:
    return container


async def async_stamp(clock: Clock, ran: list[str]) -> str:
    ran.append("ran")
    return clock.now()


async def async_needs_a_number(count: int, ran: list[str]) -> None:
    ran.append("ran")


# --- what gets injected ------------------------------------------------------------------


def test_services_are_injected_by_type_hint_and_positional_args_fill_the_leading_parameters(
    container: Container,
) -> None:
    assert container.call(stamp, "sales") == "sales at 08:00 x1"


def test_given_values_win_by_name_over_injection_and_defaults(container: Container) -> None:
    assert container.call(stamp, title="sales", clock=FrozenClock(), copies=3) == (
        "sales at frozen x3"
    )


def test_bound_services_are_used_and_later_bindings_count(container: Container) -> None:
    assert container.call(stamp, "a") == "a at 08:00 x1"
    container.bind(Clock, FrozenClock)
    assert container.call(stamp, "b") == "b at frozen x1"


def test_scoped_services_come_from_the_open_scope(container: Container) -> None:
    container.scoped(Clock)
    with container.scope():
        clock, _ = container.call(provider)
        assert clock is container.make(Clock)
    with container.scope():
        assert container.call(provider)[0] is not clock


def test_the_container_itself_can_be_asked_for(container: Container) -> None:
    assert container.call(wants_container) is container


def test_defaults_are_kept_when_the_type_cannot_be_resolved(container: Container) -> None:
    assert container.call(greeter_or_default) == ("fallback", "ada")


def test_optional_services_get_none_unless_bound(container: Container) -> None:
    # Clock is buildable but not bound: X | None asks for a binding, as in constructors.
    assert container.call(optional_clock) == (None, None)
    container.singleton(Clock)
    clock, other = container.call(optional_clock)
    assert clock is container.make(Clock)
    assert other is None


def test_positional_only_parameters_can_be_given_by_name(container: Container) -> None:
    clock = FrozenClock()
    assert container.call(positional_only, clock, "t") == "t@frozen"
    assert container.call(positional_only, title="t") == "t@08:00"


def test_extra_values_go_to_var_positional_and_var_keyword_parameters(
    container: Container,
) -> None:
    clock = Clock()
    assert container.call(with_extras, clock, 1, 2, flag=True, colour="red") == (
        clock,
        (1, 2),
        True,
        {"colour": "red"},
    )


# --- what can be called ------------------------------------------------------------------


def test_bound_methods_get_their_parameters_but_not_self(container: Container) -> None:
    assert container.call(Task("backup").run, times=2) == "backup at 08:00 x2"
    assert container.call(Task.describe) == "Task with Repository"
    assert container.call(Task.helper) == "08:00"


def test_an_unbound_method_takes_its_instance_positionally(container: Container) -> None:
    assert container.call(Task.run, Task("prune")) == "prune at 08:00 x1"


def test_callable_objects_are_called_through_their_dunder_call(container: Container) -> None:
    assert container.call(Invokable("hello")) == "hello 08:00!"
    assert container.call(Invokable("bye"), suffix="?") == "bye 08:00?"


def test_partials_keep_their_arguments_and_keywords(container: Container) -> None:
    assert container.call(functools.partial(stamp, "memo")) == "memo at 08:00 x1"
    assert container.call(functools.partial(stamp, copies=4), "memo") == "memo at 08:00 x4"
    nested = functools.partial(functools.partial(stamp, "memo"), copies=2)
    assert container.call(nested, copies=5) == "memo at 08:00 x5"  # call-time names win
    method = functools.partial(Task("sync").run, times=3)
    assert container.call(method) == "sync at 08:00 x3"


def test_a_partial_gives_a_value_to_a_parameter_named_like_provide(
    container: Container,
) -> None:
    def fn(provide: str, clock: Clock) -> str:
        return f"{provide} {clock.now()}"

    assert container.call(functools.partial(fn, provide="payload")) == "payload 08:00"


def test_a_class_is_called_by_constructing_it(container: Container) -> None:
    built = container.call(Built, label="x")
    assert isinstance(built, Built)
    assert isinstance(built.clock, Clock)
    assert built.label == "x"


def test_lambdas_and_closures_are_called_like_functions(container: Container) -> None:
    suffix = "!"

    def closure(clock: Clock) -> str:
        return clock.now() + suffix

    assert container.call(closure) == "08:00!"
    assert container.call(lambda clock=None: clock) is None


def test_builtin_callables_are_called_with_their_arguments(container: Container) -> None:
    assert container.call(divmod, 7, 3) == (2, 1)


# --- async functions ---------------------------------------------------------------------


async def test_an_async_function_returns_its_coroutine_for_the_caller_to_await(
    container: Container,
) -> None:
    ran: list[str] = []
    pending = container.call(async_stamp, ran=ran)
    assert asyncio.iscoroutine(pending)
    assert ran == []
    assert await pending == "08:00"
    assert ran == ["ran"]


async def test_async_methods_and_async_callable_objects_are_awaitable(
    container: Container,
) -> None:
    assert await container.call(Task("sync").run_later) == "sync later at 08:00"
    assert await container.call(AsyncInvokable()) == "async 08:00"


async def test_an_async_function_whose_parameter_fails_raises_before_any_of_it_runs(
    container: Container,
) -> None:
    ran: list[str] = []
    with pytest.raises(BindingResolutionError, match='parameter "count"'):
        container.call(async_needs_a_number, ran=ran)
    assert ran == []


# --- provide: values by type -------------------------------------------------------------


def test_provided_values_fill_parameters_by_type_before_the_container(
    container: Container,
) -> None:
    container.singleton(Clock)
    frozen = FrozenClock()
    task = Task("hook")
    clock, given_task = container.call(provider, provide={Clock: frozen, Task: task})
    assert clock is frozen
    assert given_task is task


def test_provided_values_are_exact_types_and_given_names_still_win(
    container: Container,
) -> None:
    frozen = FrozenClock()
    clock, _ = container.call(provider, provide={FrozenClock: frozen})
    assert clock is not frozen  # a parameter hinted Clock is not offered a FrozenClock key
    mine = Clock()
    assert container.call(provider, clock=mine, provide={Clock: frozen})[0] is mine


def test_provided_values_do_not_reach_the_constructors_of_dependencies(
    container: Container,
) -> None:
    with pytest.raises(BindingResolutionError, match='parameter "days" of Report'):
        container.call(wants_report, provide={int: 3})


# --- errors ------------------------------------------------------------------------------


def test_a_parameter_that_is_not_a_service_names_the_function_and_the_parameter(
    container: Container,
) -> None:
    with pytest.raises(BindingResolutionError) as info:
        container.call(needs_a_number)
    error = info.value
    assert error.message == (
        f'Cannot resolve parameter "count" of {__name__}.needs_a_number: int is not a '
        "service. Give it a type hint the container can resolve or a default, or pass it "
        "by name: call(..., count=...)."
    )
    assert error.context == {
        "callable": f"{__name__}.needs_a_number",
        "parameter": "count",
        "problem": "int is not a service",
        "chain": [],
    }


def test_an_unannotated_parameter_is_never_guessed(container: Container) -> None:
    container.instance("thing", "a value")
    with pytest.raises(BindingResolutionError) as info:
        container.call(untyped)
    assert info.value.context["problem"] == "it has no type hint"
    assert container.call(untyped, "given") == "given"


def test_a_hint_that_cannot_be_evaluated_is_named(container: Container) -> None:
    with pytest.raises(BindingResolutionError, match='"NotDefinedAnywhere" cannot be evaluated'):
        container.call(bad_hint)
    assert container.call(bad_hint_with_default) == "kept"  # the other hints still resolve


def test_an_unbound_contract_names_the_parameter_and_the_package(container: Container) -> None:
    with pytest.raises(BindingResolutionError) as info:
        container.call(wants_mailer)
    assert info.value.message == (
        f'Cannot resolve parameter "mailer" of {__name__}.wants_mailer: No Mailer is bound. '
        "Install foundry-mail or bind foundry.domain.mail.Mailer in a provider."
    )
    assert info.value.context["service"] == "foundry.domain.mail.Mailer"
    assert "problem" not in info.value.context


def test_a_failing_dependency_names_its_own_innermost_parameter(container: Container) -> None:
    with pytest.raises(BindingResolutionError) as info:
        container.call(wants_report)
    assert info.value.message.startswith('Cannot resolve parameter "days" of Report')
    assert info.value.context["consumer"] == f"{__name__}.Report"


def test_a_method_error_names_the_class_and_method(container: Container) -> None:
    class Job:
        def handle(self, count: int) -> None:
            return None

    with pytest.raises(BindingResolutionError) as info:
        container.call(Job().handle)
    assert info.value.context["callable"].endswith("Job.handle")


def test_names_the_function_does_not_take_are_an_error_listing_them(
    container: Container,
) -> None:
    with pytest.raises(BindingResolutionError) as info:
        container.call(stamp, "t", weeks=2, days=1)
    assert info.value.message == (
        f"Cannot call {__name__}.stamp: it has no parameter 'days', 'weeks' "
        "(it takes: title, clock, copies)."
    )
    assert info.value.context["parameters"] == ["days", "weeks"]


def test_too_many_positional_arguments_are_an_error(container: Container) -> None:
    with pytest.raises(BindingResolutionError, match=r"takes 3 positional argument\(s\), 4"):
        container.call(stamp, "t", Clock(), 1, 2)


def test_a_value_given_by_position_and_by_name_is_an_error(container: Container) -> None:
    with pytest.raises(BindingResolutionError, match="'title' is given by position and by name"):
        container.call(stamp, "t", title="u")


def test_a_callable_without_a_readable_signature_is_an_error(container: Container) -> None:
    with pytest.raises(BindingResolutionError, match=r"builtins\.max .*signature cannot be read"):
        container.call(max, 3, 7)
    with pytest.raises(BindingResolutionError, match="signature cannot be read"):
        container.call(42)  # type: ignore[arg-type]


def test_a_protocol_cannot_be_called(container: Container) -> None:
    with pytest.raises(BindingResolutionError, match="it is a Protocol"):
        container.call(Greeter)


def test_a_cycle_under_a_called_function_is_reported(container: Container) -> None:
    with pytest.raises(CircularDependencyError, match="Looping -> Looping"):
        container.call(wants_looping)


def test_errors_raised_by_the_function_itself_propagate_unchanged(
    container: Container,
) -> None:
    def explode(clock: Clock) -> None:
        raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        container.call(explode)


# --- plans -------------------------------------------------------------------------------


def test_plans_are_read_once_per_function_method_and_class(
    container: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[str] = []
    real = calling.build_call_plan

    def counting(function: Any, bound: bool) -> Any:
        reads.append(function.__qualname__)
        return real(function, bound)

    monkeypatch.setattr(calling, "build_call_plan", counting)
    for name in ("a", "b"):
        container.call(stamp, name)
        container.call(Task(name).run)  # a new bound method each time
        container.call(Invokable(name))
        container.call(Task.run, Task(name))  # the plain function: a plan of its own
    assert reads == ["stamp", "Task.run", "Invokable.__call__", "Task.run"]


def test_plans_do_not_keep_functions_alive(container: Container) -> None:
    def make() -> Any:
        return lambda clock=None: clock

    fn = make()
    container.call(fn)
    alive = weakref.ref(fn)
    del fn
    gc.collect()
    assert alive() is None


def test_calls_from_many_threads_share_singletons(container: Container) -> None:
    container.singleton(Clock)
    seen: list[Clock] = []

    def worker() -> None:
        for _ in range(50):
            seen.append(container.call(provider)[0])

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(seen) == 200
    assert all(clock is seen[0] for clock in seen)
