"""Calling user code with container injection: ``def prune(cache: Cache) -> None``.

Scheduled callables, job ``handle`` methods, conditions and hooks all receive their
parameters by type hint through ``container.call``, the way Laravel calls closures. A few
values of the run itself (the ``Event``, its ``EventOutcome``) are provided by type too, so
a failure hook can ask for the outcome it reports on. What is left here is the
scheduler's part: labels, checking fixed values when the schedule is declared, running
synchronous code in a worker thread, and saying which parameter has no value.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from foundry.domain.container import Container
from foundry.domain.errors import BindingResolutionError
from foundry.scheduling.errors import ScheduleError

__all__ = ["callable_label", "check_parameters", "invoke"]


def callable_label(target: Any) -> str:
    """``module.qualname`` of a function, method, class or callable object."""
    while isinstance(target, functools.partial):
        target = target.func
    if not (inspect.isfunction(target) or inspect.ismethod(target) or inspect.isclass(target)):
        target = type(target)
    module = getattr(target, "__module__", None) or "?"
    return f"{module}.{getattr(target, '__qualname__', repr(target))}"


def check_parameters(target: Callable[..., Any], given: Mapping[str, Any], where: str) -> None:
    """Refuse fixed parameters the callable does not take, when it is declared.

    Raises:
        ScheduleError: a name in ``given`` is not a parameter of ``target``.
    """
    try:
        signature = inspect.signature(target)
    except (TypeError, ValueError):
        return
    params = signature.parameters
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values()):
        return
    for name in given:
        if name not in params or params[name].kind is inspect.Parameter.POSITIONAL_ONLY:
            accepted = ", ".join(params) or "no parameters"
            raise ScheduleError(
                f"{where}: {callable_label(target)} takes no parameter {name!r} "
                f"(it takes: {accepted}).",
                context={"parameter": name},
            )


def _by_type(offered: Sequence[object]) -> dict[type[Any], Any]:
    """Each offered value under its class and its bases, as ``isinstance`` would match it
    (the first value offered wins)."""
    provide: dict[type[Any], Any] = {}
    for value in offered:
        for cls in type(value).__mro__[:-1]:  # every class but object
            provide.setdefault(cls, value)
    return provide


def _is_async(target: Any) -> bool:
    while isinstance(target, functools.partial):
        target = target.func
    if inspect.isfunction(target) or inspect.ismethod(target):
        return inspect.iscoroutinefunction(target)
    return callable(target) and inspect.iscoroutinefunction(type(target).__call__)


async def invoke(
    container: Container,
    target: Callable[..., Any],
    *,
    given: Mapping[str, Any] | None = None,
    offered: Sequence[object] = (),
    thread: bool = False,
) -> Any:
    """Call ``target`` (sync or async) with injected arguments; return what it returned.

    Args:
        container: where hinted services come from.
        target: a function, bound method, ``functools.partial`` or callable object.
        given: fixed values by parameter name (they win over injection).
        offered: objects handed to a parameter whose hint they are an instance of.
        thread: run a synchronous ``target`` in a worker thread, so a slow task leaves
            the event loop free (signals, background events) while it runs.

    Raises:
        ScheduleError: a required parameter has neither a fixed value, a type hint the
            container can resolve, nor a default.
        BindingResolutionError: the container cannot build a hinted service (its message
            names the package to install).
    """
    # Fixed values go through a partial, so one named like a keyword parameter of call()
    # itself (``provide``) still reaches the target by name.
    bound = functools.partial(target, **given) if given else target
    provide = _by_type(offered)
    try:
        if thread and not _is_async(target):
            value = await asyncio.to_thread(container.call, bound, provide=provide)
        else:
            value = container.call(bound, provide=provide)
    except BindingResolutionError as exc:
        if "callable" not in exc.context or "problem" not in exc.context:
            raise
        name = exc.context["parameter"]
        raise ScheduleError(
            f"Cannot call {exc.context['callable']}: parameter {name!r} has no value "
            f"({exc.context['problem']}). Give it a type hint the container can resolve (a "
            "service or contract), a default, or a fixed value: schedule.call(fn, "
            f"{name}=...).",
            context={"callable": exc.context["callable"], "parameter": name},
        ) from exc
    if inspect.isawaitable(value):
        value = await value
    return value
