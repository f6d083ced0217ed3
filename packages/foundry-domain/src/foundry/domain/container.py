"""The service container contract.

Packages never import each other; they meet in the container. A provider binds a
contract to an implementation (``app.singleton(Cache, make_cache)``) and any code resolves
it by type (``app.make(Cache)``). Abstracts are classes (usually the Protocols of this
package) or, for plain values, strings such as ``"config"``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import AbstractContextManager
from typing import Any, Protocol, TypeVar, overload, runtime_checkable

__all__ = ["Abstract", "Concrete", "Container", "ContextualBindingBuilder", "Lifetime"]

T = TypeVar("T")

Abstract = type[Any] | str
"""What is asked for: a class (contract) or a string key."""

Concrete = type[Any] | Callable[["Container"], Any] | None
"""What builds it: a class (constructor-injected), a factory taking the container, or None
(the abstract is itself a concrete class)."""

Lifetime = str
"""``"transient"`` (new every time), ``"singleton"`` (one per container), ``"scoped"``
(one per request/command scope)."""


class ContextualBindingBuilder(Protocol):
    """``container.when(Consumer).needs(Abstract).give(concrete)``."""

    def needs(self, abstract: Abstract) -> ContextualBindingBuilder:
        """Name the dependency of the consumer to override."""
        ...

    def give(self, concrete: Any) -> None:
        """What the consumer receives instead: a class, a factory or an instance."""
        ...


@runtime_checkable
class Container(Protocol):
    """A dependency-injection container (Laravel's ``Illuminate\\Container``)."""

    def bind(self, abstract: Abstract, concrete: Concrete = None, *, shared: bool = False) -> None:
        """Register how to build ``abstract``; a new object on each resolution unless shared."""
        ...

    def singleton(self, abstract: Abstract, concrete: Concrete = None) -> None:
        """Register ``abstract`` built once, on first resolution, and then reused."""
        ...

    def scoped(self, abstract: Abstract, concrete: Concrete = None) -> None:
        """Register ``abstract`` built once per scope (one HTTP request, one command run)."""
        ...

    def instance(self, abstract: Abstract, instance: T) -> T:
        """Register an already built object as the shared value of ``abstract``."""
        ...

    @overload
    def make(self, abstract: type[T], **parameters: Any) -> T: ...
    @overload
    def make(self, abstract: str, **parameters: Any) -> Any: ...
    def make(self, abstract: Abstract, **parameters: Any) -> Any:
        """Resolve ``abstract``; ``parameters`` override constructor arguments by name.

        Raises:
            BindingResolutionError: nothing is bound and the abstract is not buildable;
                the message names the package to install.
            CircularDependencyError: resolution came back to a service being built.
        """
        ...

    def call(
        self,
        fn: Callable[..., T],
        /,
        *args: Any,
        provide: Mapping[type[Any], Any] | None = None,
        **given: Any,
    ) -> T:
        """Call ``fn`` with its parameters resolved the way constructor parameters are.

        Laravel's ``$container->call()``: a job's ``handle``, a scheduled task or a hook
        asks for services by type hint, and whoever runs it need not know which.
        ``fn`` is a function, a bound method, a ``functools.partial`` or a callable object
        (its ``__call__``); hints written under ``from __future__ import annotations``
        are evaluated against the module that defines it.

        Each parameter gets, in order: the next of the positional ``args`` (they fill the
        leading parameters); the value ``given`` under its name; the value ``provide``
        holds for its type hint (a class other than a builtin, or ``X`` of ``X | None``;
        for values of the moment, such as the event a hook runs for, that are not
        bindings); the container's resolution of its type hint. Contextual bindings do
        not apply (they are for constructors). A parameter whose type cannot be resolved
        keeps its default; ``X | None`` gets ``X`` when bound, else its default (None
        when it has none). Names in ``given`` that ``fn`` does not take go to its
        ``**kwargs``, or are an error. To give a value by name to a parameter called
        ``provide`` (or any name that comes from data, such as a job's payload), pass
        ``functools.partial(fn, **values)``: a partial's keywords count as ``given``.

        Returns:
            Whatever ``fn`` returns: for an ``async def``, the coroutine — the caller awaits
            it; parameters are resolved before it is created, so resolution errors raise
            here and nothing of ``fn`` has run.

        Raises:
            BindingResolutionError: a parameter cannot be filled; ``context`` names the
                ``callable`` (``module.qualname``) and the ``parameter``, with ``service``
                (the hinted class, which could not be built) or ``problem`` (why the
                parameter is not injectable: no type hint, a builtin type such as ``int``,
                a hint that cannot be evaluated). Also raised when the arguments do not
                fit ``fn`` (``parameters`` lists the names at fault: names in ``given`` it
                does not take, or given by position too; or too many ``args``) and when
                its signature cannot be read.
            CircularDependencyError: resolving a parameter came back to a service being
                built.
        """
        ...

    def bound(self, abstract: Abstract) -> bool:
        """Whether ``abstract`` has a binding, an instance, an alias or a deferred provider."""
        ...

    def alias(self, abstract: Abstract, alias: Abstract) -> None:
        """Make ``alias`` resolve to whatever ``abstract`` resolves to."""
        ...

    def tag(self, abstracts: Iterable[Abstract], *tags: str) -> None:
        """Group bindings under tags, resolved together with :meth:`tagged`."""
        ...

    def tagged(self, tag: str) -> list[Any]:
        """Resolve every abstract carrying ``tag``, in tagging order."""
        ...

    def extend(self, abstract: Abstract, extender: Callable[[Any, Container], Any]) -> None:
        """Decorate ``abstract`` after it is built (the extender returns the replacement)."""
        ...

    def when(self, consumer: type[Any]) -> ContextualBindingBuilder:
        """Start a contextual binding for what ``consumer`` receives."""
        ...

    def resolving(self, abstract: Abstract, callback: Callable[[Any, Container], None]) -> None:
        """Call ``callback`` with each newly built instance of ``abstract``."""
        ...

    def defer(self, abstracts: Iterable[Abstract], loader: Callable[[], None]) -> None:
        """Call ``loader`` (which registers bindings) when one of ``abstracts`` is first needed."""
        ...

    def scope(self) -> AbstractContextManager[None]:
        """Enter a resolution scope; scoped bindings built inside are dropped on exit."""
        ...

    def forget_instance(self, abstract: Abstract) -> None:
        """Drop the built shared instance of ``abstract`` so the next resolution rebuilds it."""
        ...

    def bindings(self) -> Iterator[Abstract]:
        """Every abstract with a binding or an instance (for diagnostics such as ``about``)."""
        ...
