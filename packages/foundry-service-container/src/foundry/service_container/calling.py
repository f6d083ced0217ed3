"""Calling a function with its parameters resolved: ``container.call(fn)``.

A job's ``handle``, a scheduled task, an event hook: code that someone else runs asks for
services by type hint, as a constructor does. :meth:`Caller.call` fills them with the same
plans and the same resolution as constructor injection (:mod:`.injection`,
:mod:`.resolver`); only reading the callable differs.

Plans are cached per function, like the per-class ones: for a bound method or a callable
object, per the function behind it (``__func__``, the class's ``__call__``) with its first
parameter dropped, since a fresh bound method is made at each attribute access. The
caches hold functions weakly, so closures and lambdas made per call do not pile up. A
``functools.partial`` is unwrapped into its function, its arguments and its keywords.
"""

from __future__ import annotations

import functools
import inspect
import weakref
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from foundry.domain.errors import BindingResolutionError
from foundry.service_container.injection import InjectionPlan, build_call_plan
from foundry.service_container.resolver import Resolver

__all__ = ["Caller"]

T = TypeVar("T")


class Caller(Resolver):
    """Adds :meth:`call` to the resolver."""

    def __init__(self) -> None:
        super().__init__()
        self._function_plans: weakref.WeakKeyDictionary[Any, InjectionPlan] = (
            weakref.WeakKeyDictionary()
        )
        self._method_plans: weakref.WeakKeyDictionary[Any, InjectionPlan] = (
            weakref.WeakKeyDictionary()
        )

    def call(
        self,
        fn: Callable[..., T],
        /,
        *args: Any,
        provide: Mapping[type[Any], Any] | None = None,
        **given: Any,
    ) -> T:
        """Call ``fn`` with its parameters resolved the way constructor parameters are.

        Positional ``args`` fill the leading parameters; the others come from ``given``
        by name, from ``provide`` by type, then from the container by type hint (a
        default is kept when the type cannot be resolved). Returns what ``fn`` returns —
        the coroutine, unawaited, for an ``async def``.

        Example:
            >>> from foundry.service_container import Container
            >>> class Clock:
            ...     def now(self) -> str:
            ...         return "08:00"
            >>> def report(title: str, clock: Clock, copies: int = 1) -> str:
            ...     return f"{title} at {clock.now()} x{copies}"
            >>> Container().call(report, "sales")
            'sales at 08:00 x1'

        Raises:
            BindingResolutionError: a parameter cannot be filled (``context`` names the
                ``callable`` and the ``parameter``, with ``service`` or ``problem``), the
                arguments do not fit the signature, or the signature cannot be read.
            CircularDependencyError: resolution came back to a service being built.
        """
        while isinstance(fn, functools.partial):
            args = (*fn.args, *args)
            given = {**fn.keywords, **given}
            fn = fn.func
        plan = self._call_plan(fn)
        if not plan.buildable:
            raise BindingResolutionError(
                f"Cannot call {plan.label} with injected parameters: {plan.reason}.",
                context={"callable": plan.label},
            )
        if args or given:
            _check_arguments(plan, args, given)
        positional, keywords = self._arguments(plan.label, plan, given, args, None, provide)
        return fn(*positional, **keywords)

    def _call_plan(self, fn: Any) -> InjectionPlan:
        if isinstance(fn, type):
            return self._plans.get(fn) or self._plan(fn)
        if inspect.isfunction(fn):
            return self._cached(self._function_plans, fn, False)
        if inspect.ismethod(fn) and inspect.isfunction(fn.__func__):
            return self._cached(self._method_plans, fn.__func__, True)
        if callable(fn) and inspect.isfunction(dunder := type(fn).__call__):
            return self._cached(self._method_plans, dunder, True)  # a callable object
        return build_call_plan(fn, False)  # a builtin or C callable: nothing to cache by

    @staticmethod
    def _cached(
        cache: weakref.WeakKeyDictionary[Any, InjectionPlan], function: Any, bound: bool
    ) -> InjectionPlan:
        plan = cache.get(function)
        if plan is None:
            plan = cache[function] = build_call_plan(function, bound)
        return plan


def _check_arguments(plan: InjectionPlan, args: tuple[Any, ...], given: Mapping[str, Any]) -> None:
    """Refuse arguments ``fn`` could not take, before anything is resolved."""
    problem, names = "", sorted(given)
    clash = [p.name for p in plan.params[: min(len(args), plan.leading)] if p.name in given]
    unknown = [] if plan.accepts_kwargs else sorted(set(given) - plan.names)
    if len(args) > plan.leading and not plan.accepts_args:
        problem = f"it takes {plan.leading} positional argument(s), {len(args)} were given"
    elif clash:
        problem, names = f"{', '.join(map(repr, clash))} is given by position and by name", clash
    elif unknown:
        takes = ", ".join(p.name for p in plan.params) or "nothing"
        problem = f"it has no parameter {', '.join(map(repr, unknown))} (it takes: {takes})"
        names = unknown
    if problem:
        raise BindingResolutionError(
            f"Cannot call {plan.label}: {problem}.",
            context={"callable": plan.label, "parameters": names},
        )
