"""Calling user code with container injection: ``def prune(cache: Cache) -> None``.

Scheduled callables, job ``handle`` methods, conditions and hooks all receive their
parameters by type hint, resolved from the container, the way Laravel calls closures. A
few values of the run itself (the ``Event``, its ``EventOutcome``) are offered by type
too, so a failure hook can ask for the outcome it reports on.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from foundry.domain.container import Container
from foundry.scheduling.errors import ScheduleError

__all__ = ["callable_label", "check_parameters", "invoke"]

_MISSING: Any = object()
_SCALARS = (str, bytes, int, float, bool, complex, list, dict, tuple, set, frozenset)


def callable_label(target: Any) -> str:
    """``module.qualname`` of a function, method, class or callable object."""
    while isinstance(target, functools.partial):
        target = target.func
    if not (inspect.isfunction(target) or inspect.ismethod(target) or inspect.isclass(target)):
        target = type(target)
    module = getattr(target, "__module__", None) or "?"
    return f"{module}.{getattr(target, '__qualname__', repr(target))}"


def _hints(target: Any) -> dict[str, Any]:
    while isinstance(target, functools.partial):
        target = target.func
    if not (inspect.isfunction(target) or inspect.ismethod(target)):
        target = type(target).__call__
    try:
        return typing.get_type_hints(target)
    except Exception:  # names the hints use cannot be resolved: inject by what resolves
        return {}


def _unwrap_optional(hint: Any) -> Any:
    origin = typing.get_origin(hint)
    if origin is typing.Union or origin is types.UnionType:
        members = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        if len(members) == 1:
            return members[0]
    return hint


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


def _resolve(container: Container, hint: Any, offered: Sequence[object]) -> Any:
    hint = _unwrap_optional(hint)
    if hint is inspect.Parameter.empty or not isinstance(hint, type) or hint in _SCALARS:
        return _MISSING
    for value in offered:
        if isinstance(value, hint):
            return value
    return container.make(hint)


def arguments(
    container: Container,
    target: Callable[..., Any],
    given: Mapping[str, Any] | None = None,
    offered: Sequence[object] = (),
) -> tuple[list[Any], dict[str, Any]]:
    """The positional and keyword arguments to call ``target`` with.

    Raises:
        ScheduleError: a required parameter has neither a fixed value, a type hint the
            container can resolve, nor a default.
        BindingResolutionError: the container cannot build a hinted service (its message
            names the package to install).
    """
    given = dict(given or {})
    hints = _hints(target)
    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    for name, param in inspect.signature(target).parameters.items():
        if param.kind in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD):
            continue
        if name in given:
            value = given.pop(name)
        else:
            hint = hints.get(name, param.annotation)
            try:
                value = _resolve(container, hint, offered)
            except Exception:
                if param.default is inspect.Parameter.empty:
                    raise
                value = _MISSING
            if value is _MISSING:
                if param.default is not inspect.Parameter.empty:
                    continue
                raise ScheduleError(
                    f"Cannot call {callable_label(target)}: parameter {name!r} has no value. "
                    "Give it a type hint the container can resolve (a service or contract), "
                    "a default, or a fixed value: schedule.call(fn, "
                    f"{name}=...).",
                    context={"callable": callable_label(target), "parameter": name},
                )
        if param.kind is inspect.Parameter.POSITIONAL_ONLY:
            args.append(value)
        else:
            kwargs[name] = value
    kwargs.update(given)  # what remains goes to **kwargs (checked at declaration)
    return args, kwargs


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
    """
    args, kwargs = arguments(container, target, given, offered)
    if _is_async(target):
        value = target(*args, **kwargs)
    elif thread:
        value = await asyncio.to_thread(target, *args, **kwargs)
    else:
        value = target(*args, **kwargs)
    if inspect.isawaitable(value):
        value = await value
    return value
