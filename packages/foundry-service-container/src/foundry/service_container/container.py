"""The service container: Laravel's ``Illuminate\\Container`` for Foundry.

Registration (this module) is rare and takes a lock; resolution
(:mod:`foundry.service_container.resolver`) is on every request and takes none for what
is already built. :mod:`foundry.service_container.calling` adds ``call``: a function's
parameters resolved like a constructor's.

Laravel semantics kept on purpose:

* the most recent registration of an abstract wins: ``bind``/``singleton``/``scoped``/
  ``instance`` replace an earlier binding, instance, alias or deferral of that abstract;
* ``make(X, **parameters)`` with parameters always builds a new object, even for a
  singleton, and does not cache it;
* ``extend`` decorates every later build and replaces an already built shared instance;
* factories, extenders and callbacks receive the object registered as
  :class:`foundry.domain.container.Container` — the container itself, or the application
  that wraps it once the kernel registers itself there.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar, overload

from foundry.domain.container import Abstract, Concrete
from foundry.domain.container import Container as ContainerContract
from foundry.domain.errors import ConfigurationError
from foundry.service_container.bindings import (
    ALIAS,
    DEFERRED,
    INSTANCE,
    SCOPED,
    SINGLETON,
    TRANSIENT,
    Binding,
    BindingInfo,
    DeferredLoader,
)
from foundry.service_container.calling import Caller
from foundry.service_container.contextual import ContextualBuilder, Given
from foundry.service_container.guard import Deadlock
from foundry.service_container.injection import not_buildable_reason
from foundry.service_container.naming import describe_concrete, dotted_name, short_name
from foundry.service_container.scope import Scope

__all__ = ["Container"]

T = TypeVar("T")


class Container(Caller):
    """A dependency-injection container; implements ``foundry.domain.container.Container``.

    Constructible with no arguments (the kernel loads it through the ``foundry.container``
    entry point). It registers itself as ``foundry.domain.container.Container`` so
    constructors can ask for the container by type.

    Example:
        >>> from foundry.service_container import Container
        >>> class Clock: ...
        >>> container = Container()
        >>> container.singleton(Clock)
        >>> container.make(Clock) is container.make(Clock)
        True
    """

    def __init__(self) -> None:
        super().__init__()
        self.instance(ContainerContract, self)
        self.instance(Container, self)

    # --- bindings ------------------------------------------------------------------------

    def bind(self, abstract: Abstract, concrete: Concrete = None, *, shared: bool = False) -> None:
        """Register how to build ``abstract``; a new object on each resolution unless shared.

        Raises:
            ConfigurationError: ``concrete`` is neither a buildable class nor a factory, or
                it is None and ``abstract`` cannot be built (a string, Protocol or ABC).
        """
        self._register(abstract, concrete, SINGLETON if shared else TRANSIENT)

    def singleton(self, abstract: Abstract, concrete: Concrete = None) -> None:
        """Register ``abstract`` built once, on first resolution, and then reused."""
        self._register(abstract, concrete, SINGLETON)

    def scoped(self, abstract: Abstract, concrete: Concrete = None) -> None:
        """Register ``abstract`` built once per :meth:`scope` (one request, one command)."""
        self._register(abstract, concrete, SCOPED)

    def instance(self, abstract: Abstract, instance: T) -> T:
        """Register an already built object as the shared value of ``abstract``.

        It replaces any binding of ``abstract``; extenders registered earlier are not
        applied to it (``extend`` afterwards if it should be decorated).
        """
        _check_abstract(abstract)
        with self._lock:
            self._forget_registration(abstract)
            self._instances[abstract] = instance
            if abstract is ContainerContract:
                self._owner = instance
        return instance

    def _register(self, abstract: Abstract, concrete: Concrete, lifetime: str) -> None:
        _check_abstract(abstract)
        if concrete is None:
            if not isinstance(abstract, type):
                raise ConfigurationError(
                    f'Cannot bind "{abstract}" with no concrete: a string key needs a class '
                    f'or a factory, e.g. bind("{abstract}", lambda c: ...).'
                )
            concrete = abstract
        if isinstance(concrete, type):
            reason = not_buildable_reason(concrete)
            if reason:
                raise ConfigurationError(
                    f"Cannot bind {short_name(abstract)} to {short_name(concrete)}: {reason}. "
                    "Bind it to a concrete class or to a factory taking the container."
                )
            binding = Binding(concrete, lifetime, True)
        elif callable(concrete):
            binding = Binding(concrete, lifetime, False)
        else:
            raise ConfigurationError(
                f"Cannot bind {short_name(abstract)} to {concrete!r}: a concrete is a class "
                "or a factory taking the container. Register a built object with "
                f"instance({short_name(abstract)}, obj)."
            )
        with self._lock:
            self._forget_registration(abstract)
            self._bindings[abstract] = binding

    def _forget_registration(self, abstract: Abstract) -> None:
        self._aliases.pop(abstract, None)
        self._deferred.pop(abstract, None)
        self._bindings.pop(abstract, None)
        self._instances.pop(abstract, None)
        if abstract is ContainerContract:
            self._owner = self

    def alias(self, abstract: Abstract, alias: Abstract) -> None:
        """Make ``alias`` resolve to whatever ``abstract`` resolves to.

        Raises:
            ConfigurationError: the alias would point to itself, directly or in a loop.
        """
        _check_abstract(abstract)
        _check_abstract(alias)
        with self._lock:
            target = abstract
            while True:
                if target == alias:
                    raise ConfigurationError(
                        f"Cannot alias {short_name(abstract)} as {short_name(alias)}: "
                        f"{short_name(alias)} would be aliased to itself."
                    )
                if target not in self._aliases:
                    break
                target = self._aliases[target]
            self._forget_registration(alias)
            self._aliases[alias] = abstract

    def tag(self, abstracts: Iterable[Abstract], *tags: str) -> None:
        """Group bindings under tags, resolved together with :meth:`tagged`."""
        if not tags:
            raise ConfigurationError("tag() needs at least one tag name: tag([A, B], 'reports').")
        listed = [abstracts] if isinstance(abstracts, (str, type)) else list(abstracts)
        for abstract in listed:
            _check_abstract(abstract)
        with self._lock:
            for name in tags:
                members = self._tags.setdefault(name, [])
                members.extend(a for a in listed if a not in members)

    def tagged(self, tag: str) -> list[Any]:
        """Resolve every abstract carrying ``tag``, in tagging order (``[]`` if none)."""
        return [self._resolve(abstract, {}) for abstract in list(self._tags.get(tag, ()))]

    def extend(self, abstract: Abstract, extender: Callable[[Any, Any], Any]) -> None:
        """Decorate ``abstract`` after it is built; the extender returns the replacement.

        An instance already built and shared (a resolved singleton, an ``instance()``) is
        replaced right away; scoped instances already built in open scopes are not.
        """
        abstract = self._canonical(abstract)
        try:
            self._guard.acquire(abstract)  # wait for a build of it in progress
        except Deadlock:
            raise ConfigurationError(
                f"Cannot extend {short_name(abstract)} while it is being built: register "
                "extenders in a provider's register(), not in its factory."
            ) from None
        try:
            with self._lock:
                self._extenders.setdefault(abstract, []).append(extender)
                built = self._instances.get(abstract, self)
            if built is not self:
                replacement = extender(built, self._owner)
                with self._lock:
                    self._instances[abstract] = replacement
                    if abstract is ContainerContract:
                        self._owner = replacement
        finally:
            self._guard.release(abstract)

    def when(self, consumer: type[Any]) -> ContextualBuilder:
        """Start a contextual binding: ``when(Consumer).needs(Abstract).give(concrete)``."""
        if not isinstance(consumer, type):
            raise ConfigurationError(f"when() takes the consumer class, not {consumer!r}.")
        return ContextualBuilder(consumer, self._add_contextual)

    def _add_contextual(self, consumer: type[Any], needs: Abstract, given: Given) -> None:
        _check_abstract(needs)
        if not (isinstance(needs, str) and needs.startswith("$")):
            needs = self._canonical(needs)
        with self._lock:
            self._contextual.setdefault(consumer, {})[needs] = given

    def resolving(self, abstract: Abstract, callback: Callable[[Any, Any], None]) -> None:
        """Call ``callback(instance, container)`` with each newly built ``abstract``.

        Callbacks run once per build: a singleton's only when it is built, never for an
        object registered with ``instance()``.
        """
        abstract = self._canonical(abstract)
        with self._lock:
            self._callbacks.setdefault(abstract, []).append(callback)

    def defer(self, abstracts: Iterable[Abstract], loader: Callable[[], None]) -> None:
        """Call ``loader`` (which registers bindings) when one of ``abstracts`` is first
        resolved.

        ``bound()`` reports the abstracts as bound without loading; ``make()`` of any of them
        runs the loader once (threads asking at the same time wait for it). A loader that
        raises is not marked as loaded: the next resolution tries again.
        """
        listed = [abstracts] if isinstance(abstracts, (str, type)) else list(abstracts)
        for abstract in listed:
            _check_abstract(abstract)
        entry = DeferredLoader(tuple(listed), loader)
        with self._lock:
            for abstract in listed:
                self._deferred[abstract] = entry

    # --- lifecycle -----------------------------------------------------------------------

    @overload
    def make(self, abstract: type[T], **parameters: Any) -> T: ...
    @overload
    def make(self, abstract: str, **parameters: Any) -> Any: ...
    def make(self, abstract: Abstract, **parameters: Any) -> Any:
        """Resolve ``abstract``; ``parameters`` override constructor arguments by name.

        Raises:
            BindingResolutionError: nothing is bound and the abstract is not buildable (the
                message names the package to install), a constructor parameter cannot be
                filled (the message names the class and the parameter), or a scoped
                binding is resolved outside a scope.
            CircularDependencyError: resolution came back to a service being built.
        """
        return self._resolve(abstract, parameters)

    def scope(self) -> Scope:
        """A resolution scope: ``with container.scope(): ...``.

        Scoped bindings resolved inside get one instance per scope; on exit the instances
        are dropped and those with a synchronous ``close()`` are closed. Scopes follow the
        execution context: each asyncio task has its own, ``asyncio.to_thread`` work shares
        its caller's, and an inner scope starts fresh.
        """
        return Scope(self._scope_var)

    def forget_instance(self, abstract: Abstract) -> None:
        """Drop the built shared instance of ``abstract`` so the next resolution rebuilds it.

        Also drops it from the current scope. An abstract registered only with
        ``instance()`` becomes unbound.
        """
        abstract = self._canonical(abstract)
        with self._lock:
            self._instances.pop(abstract, None)
            if abstract is ContainerContract:
                self._owner = self
        state = self._scope_var.get()
        if state is not None:
            state.instances.pop(abstract, None)

    # --- diagnostics ---------------------------------------------------------------------

    def bindings(self) -> Iterator[Abstract]:
        """Every abstract with a binding or an instance (for ``about``, provider ordering)."""
        with self._lock:
            return iter(list(dict.fromkeys([*self._bindings, *self._instances])))

    def bindings_info(self) -> list[BindingInfo]:
        """One row per registration — bindings, instances, aliases, deferred abstracts —
        sorted by abstract name; the data behind ``container:list``."""
        rows: list[BindingInfo] = []
        with self._lock:
            for abstract, binding in self._bindings.items():
                rows.append(
                    BindingInfo(
                        dotted_name(abstract), binding.lifetime, describe_concrete(binding.concrete)
                    )
                )
            for abstract, instance in self._instances.items():
                if abstract not in self._bindings:
                    rows.append(
                        BindingInfo(dotted_name(abstract), INSTANCE, describe_concrete(instance))
                    )
            for alias, target in self._aliases.items():
                rows.append(BindingInfo(dotted_name(alias), ALIAS, dotted_name(target)))
            for abstract, deferred in self._deferred.items():
                rows.append(
                    BindingInfo(dotted_name(abstract), DEFERRED, describe_concrete(deferred.loader))
                )
        return sorted(rows, key=lambda row: (row.abstract.lower(), row.lifetime))


def _check_abstract(abstract: object) -> None:
    if not isinstance(abstract, (type, str)):
        raise ConfigurationError(
            f"{abstract!r} cannot be an abstract: use a class (a contract) or a string key."
        )
