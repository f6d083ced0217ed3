"""Resolution: turning an abstract into an object (the half of the container on the hot path).

:class:`Resolver` holds the container's state and implements ``make``; the registration
API (``bind``, ``alias``, ``extend`` ...) lives in :mod:`foundry.service_container.container`.

Two pieces of state are per execution context rather than per container, through
:class:`contextvars.ContextVar`: the stack of abstracts being built (to report cycles as
``A -> B -> A``) and the open scope. A stack kept on the instance would be shared by every
thread and every asyncio task, and two requests resolving the same service at once would
look like a cycle; a context variable gives each task and thread its own.
"""

from __future__ import annotations

import inspect
import threading
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from typing import Any, Final, NoReturn

from foundry.domain.container import Abstract
from foundry.domain.contracts import unbound_message
from foundry.domain.errors import BindingResolutionError, CircularDependencyError
from foundry.service_container.bindings import SINGLETON, TRANSIENT, Binding, DeferredLoader
from foundry.service_container.contextual import CLASS, FACTORY, Given
from foundry.service_container.guard import BuildGuard, Deadlock
from foundry.service_container.injection import (
    DEFAULT,
    INJECT,
    INJECT_OR_DEFAULT,
    OPTIONAL,
    InjectionPlan,
    Param,
    build_plan,
)
from foundry.service_container.naming import dotted_name, short_name
from foundry.service_container.scope import ScopeState

__all__ = ["Resolver"]

Owner = type[Any] | str
"""Whose parameters are being filled: a class (constructor injection), or the label of a
function being called (``module.qualname``)."""
Extender = Callable[[Any, Any], Any]
Callback = Callable[[Any, Any], None]

_MISSING: Final = object()
_NO_PARAMETERS: Final[Mapping[str, Any]] = {}


class Resolver:
    """The container's state and its resolution algorithm."""

    def __init__(self) -> None:
        self._bindings: dict[Abstract, Binding] = {}
        self._instances: dict[Abstract, Any] = {}
        self._aliases: dict[Abstract, Abstract] = {}
        self._deferred: dict[Abstract, DeferredLoader] = {}
        self._extenders: dict[Abstract, list[Extender]] = {}
        self._callbacks: dict[Abstract, list[Callback]] = {}
        self._contextual: dict[type[Any], dict[Abstract, Given]] = {}
        self._tags: dict[str, list[Abstract]] = {}
        self._plans: dict[type[Any], InjectionPlan] = {}
        self._guard = BuildGuard()
        self._lock = threading.RLock()
        self._owner: Any = self
        # One variable per container: two containers (an app and a test double) must not
        # share a build stack or a scope. Each is reset on exit, so contexts keep no trace.
        self._stack: ContextVar[tuple[Abstract, ...]] = ContextVar(
            f"foundry_container_{id(self):x}_stack", default=()
        )
        self._scope_var: ContextVar[ScopeState | None] = ContextVar(
            f"foundry_container_{id(self):x}_scope", default=None
        )

    # --- entry point -------------------------------------------------------------------

    def _resolve(self, abstract: Abstract, parameters: Mapping[str, Any]) -> Any:
        if abstract in self._aliases:
            abstract = self._canonical(abstract)
        if self._deferred:
            deferred = self._deferred.get(abstract)
            if deferred is not None and self._load_deferred(deferred):
                abstract = self._canonical(abstract)  # the loader may have made it an alias
        if not parameters:
            instance = self._instances.get(abstract, _MISSING)
            if instance is not _MISSING:
                return instance
        binding = self._bindings.get(abstract)
        if binding is None:
            return self._build(abstract, abstract, True, parameters)
        if parameters or binding.lifetime == TRANSIENT:
            # Parameters make a one-off object: never cached, even for a shared binding.
            return self._build(abstract, binding.concrete, binding.is_class, parameters)
        if binding.lifetime == SINGLETON:
            return self._shared(abstract, binding)
        return self._scoped(abstract, binding)

    def _canonical(self, abstract: Abstract) -> Abstract:
        aliases = self._aliases
        while abstract in aliases:
            abstract = aliases[abstract]
        return abstract

    def bound(self, abstract: Abstract) -> bool:
        """Whether ``abstract`` has a binding, an instance, an alias or a deferred provider.

        A deferred provider counts as bound without being loaded: asking is cheap, only
        resolving runs the loader.
        """
        return (
            abstract in self._bindings
            or abstract in self._instances
            or abstract in self._aliases
            or abstract in self._deferred
        )

    # --- lifetimes ---------------------------------------------------------------------

    def _shared(self, abstract: Abstract, binding: Binding) -> Any:
        self._enter_lock(abstract, abstract)
        try:
            instance = self._instances.get(abstract, _MISSING)
            if instance is not _MISSING:
                return instance  # another thread built it while this one waited
            instance = self._build(abstract, binding.concrete, binding.is_class, _NO_PARAMETERS)
            with self._lock:  # diagnostics iterate the instances under this lock
                if self._bindings.get(abstract) is binding:  # not rebound while building
                    self._instances[abstract] = instance
            return instance
        finally:
            self._guard.release(abstract)

    def _scoped(self, abstract: Abstract, binding: Binding) -> Any:
        state = self._scope_var.get()
        if state is None:
            raise BindingResolutionError(
                f"Cannot resolve {short_name(abstract)}: it is bound as scoped and no scope "
                'is open. Resolve it inside "with container.scope():" (HTTP requests get one '
                "from ContainerScopeMiddleware, commands from the command runner), or bind "
                "it as a singleton.",
                context={"abstract": dotted_name(abstract)},
            )
        instance = state.instances.get(abstract, _MISSING)
        if instance is not _MISSING:
            return instance
        key = state.key(abstract)
        self._enter_lock(abstract, key)
        try:
            instance = state.instances.get(abstract, _MISSING)
            if instance is _MISSING:
                instance = self._build(abstract, binding.concrete, binding.is_class, _NO_PARAMETERS)
                state.instances[abstract] = instance
            return instance
        finally:
            self._guard.release(key)

    def _enter_lock(self, abstract: Abstract, key: object) -> None:
        stack = self._stack.get()
        if abstract in stack:
            self._circular(stack, abstract)
        try:
            self._guard.acquire(key)
        except Deadlock as exc:
            others = [k[1] if isinstance(k, tuple) else k for k in exc.keys[1:]]
            chain = [*stack, abstract, *others]
            raise CircularDependencyError([short_name(a) for a in chain]) from None

    # --- building ----------------------------------------------------------------------

    def _build(
        self, abstract: Abstract, concrete: Any, is_class: bool, parameters: Mapping[str, Any]
    ) -> Any:
        stack = self._stack.get()
        if abstract in stack:
            self._circular(stack, abstract)
        token = self._stack.set((*stack, abstract))
        try:
            if not is_class:
                instance = self._call_factory(abstract, concrete, parameters)
            elif concrete is abstract or not self.bound(concrete):
                instance = self._construct(concrete, parameters)
            else:  # bind(Mailer, SmtpMailer) where SmtpMailer has a binding of its own
                instance = self._resolve(concrete, parameters)
            extenders = self._extenders.get(abstract)
            if extenders:
                for extender in list(extenders):
                    instance = extender(instance, self._owner)
            callbacks = self._callbacks.get(abstract)
            if callbacks:
                for callback in list(callbacks):
                    callback(instance, self._owner)
            return instance
        finally:
            self._stack.reset(token)

    def _call_factory(
        self, abstract: Abstract, factory: Callable[..., Any], parameters: Mapping[str, Any]
    ) -> Any:
        if not parameters:
            return factory(self._owner)
        try:
            inspect.signature(factory).bind(self._owner, **parameters)
        except TypeError:
            raise BindingResolutionError(
                f"The factory bound to {short_name(abstract)} does not accept the parameters "
                f"{', '.join(sorted(parameters))} passed to make(); accept them as keyword "
                "arguments after the container, or bind a class.",
                context={"abstract": dotted_name(abstract), "parameters": sorted(parameters)},
            ) from None
        except ValueError:  # no readable signature: let the call itself decide
            pass
        return factory(self._owner, **parameters)

    def _plan(self, cls: type[Any]) -> InjectionPlan:
        plan = self._plans.get(cls)
        if plan is None:
            plan = self._plans[cls] = build_plan(cls)
        return plan

    def _construct(self, cls: Any, parameters: Mapping[str, Any]) -> Any:
        if not isinstance(cls, type):
            raise BindingResolutionError(unbound_message(cls), context={"abstract": str(cls)})
        plan = self._plans.get(cls) or self._plan(cls)
        if not plan.buildable:
            message = unbound_message(cls)
            if not (getattr(cls, "_is_protocol", False) or inspect.isabstract(cls)):
                message += f" ({cls.__qualname__} cannot be built: {plan.reason}.)"
            raise BindingResolutionError(message, context={"abstract": dotted_name(cls)})
        if parameters and not plan.accepts_kwargs and not plan.names.issuperset(parameters):
            unknown = sorted(set(parameters) - plan.names)
            raise BindingResolutionError(
                f"{cls.__qualname__} has no parameter {', '.join(map(repr, unknown))}; "
                f"its constructor takes: {', '.join(p.name for p in plan.params) or 'nothing'}.",
                context={"abstract": dotted_name(cls), "parameters": unknown},
            )
        args, kwargs = self._arguments(cls, plan, parameters, (), self._contextual.get(cls), None)
        return cls(*args, **kwargs)

    def _arguments(
        self,
        owner: Owner,
        plan: InjectionPlan,
        parameters: Mapping[str, Any],
        positional: tuple[Any, ...],
        contextual: dict[Abstract, Given] | None,
        provide: Mapping[type[Any], Any] | None,
    ) -> tuple[list[Any], dict[str, Any]]:
        """Fill every parameter of ``plan``: the ``positional`` values first (those beyond
        its positional parameters go to ``*args``), then by name from
        ``parameters``, a contextual binding, ``provide`` by type, or the container;
        unknown ``parameters`` go to ``**kwargs``. The caller has checked that they fit."""
        kwargs: dict[str, Any] = {}
        if positional:
            args = list(positional)
            params = plan.params[min(len(positional), plan.leading) :]
        else:  # constructors: the hot path
            args = []
            params = plan.params
        for param in params:
            name = param.name
            if name in parameters:
                value = parameters[name]
            elif contextual is not None and (given := self._given(contextual, param)):
                value = self._give(owner, param, given)
            elif (
                provide
                and param.target is not None
                and (value := provide.get(param.target, _MISSING)) is not _MISSING
            ):
                pass
            else:
                kind = param.kind
                if kind == INJECT:
                    try:
                        value = self._resolve(param.target, _NO_PARAMETERS)
                    except CircularDependencyError:
                        raise
                    except BindingResolutionError as exc:
                        self._dependency_failed(owner, param, exc)
                elif kind == DEFAULT:
                    value = param.default
                elif kind == OPTIONAL:
                    target = param.target
                    value = self._dependency(owner, param) if self.bound(target) else param.default
                elif kind == INJECT_OR_DEFAULT:
                    value = self._dependency_or_default(owner, param)
                else:
                    self._unresolvable(owner, param, param.problem)
            if param.positional_only:
                args.append(value)
            else:
                kwargs[name] = value
        if parameters and plan.accepts_kwargs:
            kwargs.update((k, v) for k, v in parameters.items() if k not in plan.names)
        return args, kwargs

    def _dependency(self, owner: Owner, param: Param) -> Any:
        try:
            return self._resolve(param.target, _NO_PARAMETERS)
        except CircularDependencyError:
            raise
        except BindingResolutionError as exc:
            self._dependency_failed(owner, param, exc)

    def _dependency_failed(
        self, owner: Owner, param: Param, exc: BindingResolutionError
    ) -> NoReturn:
        if "parameter" in exc.context:
            raise exc  # already names the innermost parameter
        self._unresolvable(owner, param, exc.message, cause=exc)

    def _dependency_or_default(self, owner: Owner, param: Param) -> Any:
        target = param.target
        assert target is not None
        if self.bound(target):
            return self._dependency(owner, param)
        if not self._plan(target).buildable:
            return param.default
        try:
            return self._resolve(target, _NO_PARAMETERS)
        except CircularDependencyError:
            raise
        except BindingResolutionError:
            return param.default  # Laravel's rule: an optional class falls back to its default

    def _given(self, contextual: dict[Abstract, Given], param: Param) -> Given | None:
        given = contextual.get("$" + param.name)
        if given is None and param.target is not None:
            given = contextual.get(param.target) or contextual.get(self._canonical(param.target))
        return given

    def _give(self, owner: Owner, param: Param, given: Given) -> Any:
        if given.kind == FACTORY:
            return given.value(self._owner)
        if given.kind == CLASS:
            return self._dependency(owner, Param(param.name, INJECT, given.value))
        return given.value

    # --- deferred providers --------------------------------------------------------------

    def _load_deferred(self, deferred: DeferredLoader) -> bool:
        """Run a deferred loader once; False while it is running in this very thread."""
        with deferred.lock:
            if deferred.done:
                return True
            if deferred.running:
                return False
            deferred.running = True
            try:
                deferred.loader()
            finally:
                deferred.running = False
            deferred.done = True
            with self._lock:
                for abstract in deferred.abstracts:
                    if self._deferred.get(abstract) is deferred:
                        del self._deferred[abstract]
            return True

    # --- errors --------------------------------------------------------------------------

    def _circular(self, stack: tuple[Abstract, ...], abstract: Abstract) -> NoReturn:
        start = stack.index(abstract)
        chain = [*stack[start:], abstract]
        raise CircularDependencyError([short_name(a) for a in chain])

    def _unresolvable(
        self,
        owner: Owner,
        param: Param,
        reason: str,
        cause: BaseException | None = None,
    ) -> NoReturn:
        stack = self._stack.get()
        if isinstance(owner, str):  # a function being called: its label
            name, key, consumer = owner, "callable", owner
            fix = (
                " Give it a type hint the container can resolve or a default, or pass it "
                f"by name: call(..., {param.name}=...)."
            )
        else:
            name, key, consumer = owner.__qualname__, "consumer", dotted_name(owner)
            fix = (
                f" Give it a default, pass make({name}, {param.name}=...), or "
                f'use when({name}).needs("${param.name}").give(...).'
            )
        message = f'Cannot resolve parameter "{param.name}" of {name}: {reason}'
        if not message.endswith("."):
            message += "."
        context: dict[str, Any] = {key: consumer, "parameter": param.name}
        if param.target is None:
            message += fix
            context["problem"] = reason
        else:
            context["service"] = dotted_name(param.target)
        if len(stack) > 1:
            message += " Resolution path: " + " -> ".join(short_name(a) for a in stack) + "."
        context["chain"] = [short_name(a) for a in stack]
        raise BindingResolutionError(message, context=context) from cause
